"""Untrusted input made harmless: `text` (terminal and spreadsheet escapes), `paths` (never out of
the tree), `names` (non-UTF-8 file names), `depth` (nesting), `jsontext` (JSON of any integer),
`size` (the file size budget), `markdown` (the comment's code span), `environment` (numbers
set in the environment: refused by name when unusable).
"""
