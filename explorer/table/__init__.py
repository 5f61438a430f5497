"""The frame: `schema` (every column, declared once), `rows` (one row per recording), `walk` (the
one tree walker), `listings` (the folder listings a re-open replays while a folder is unchanged),
`index` (`index_tree`), `links` (what a symlink met by the walker is), `workers` and `batches`
(rows that travel from a worker as one Arrow table), `cache` (Arrow data through `cache_arrow`,
and `version_store`, the version rows by blob id it declares), `sqlite_stamps` (old trees'
index.sqlite), `blobrows` (index rows from stored versions for files git has unchanged),
`filters`, `where` (the parsed where language), `tokens`.
"""
