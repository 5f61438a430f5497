"""What people read: `terminal` text, `summary`, the HTML `report` (`report_html`, and its
`history_section`), plotly `figures` and `cost_figures`, `export`,
`numbers` (one number format), `text_table` and `html_table` (tables that fit).
"""
