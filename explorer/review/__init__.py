"""Two trees compared: their snapshots, the noise that re-recording adds, the diff, its summaries and markdown."""
