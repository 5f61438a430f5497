"""The command line: `main` is the click group; one module per command, options shared in `options`."""
