"""What people read: terminal text, the HTML report, plotly figures, exports to files."""
