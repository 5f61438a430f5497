"""What `table/` and `history/` keep between runs, below both: `blobstore` (rows by git blob id,
as Parquet shards in the folder its caller names) and `logcache` (the git log's rows by commit
id, and the last head read per repository).
"""
