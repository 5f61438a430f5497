"""Two trees: `snapshot` (a folder's index or a git revision), `normalize` (re-recording noise),
`classify` (one change, one class), `fields`, `moves`, `diff`, `summary`, `markdown` (the PR
comment, escaped by `md_escape`), `link` (the Binder link), `pair` (which two trees a compare
view shows).
"""
