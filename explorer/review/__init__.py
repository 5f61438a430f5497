"""Two trees: `snapshot` (a folder's index or a git revision), `normalize` (re-recording noise,
by what a key means), `classify` (one change, one class), `fields` and `excerpt` (before → after
around each differing span), `moves`, `supersede` (an added file replacing a kept one), `diff`,
`summary`, `markdown` and `markdown_tables` (the PR comment, escaped by `md_escape`; `commands`
it suggests), `link` (the Binder link), `pair` (which two trees a compare view shows).
"""
