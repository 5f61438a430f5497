"""What the recorder can still reach: `rules` (its file-name hashes, today's and older),
`canonical` (`json.dumps`'s text for those hashes, fast), `placement` (where it looks),
`storage` and `storage_place` (the storage folders a repository's settings name), `status`,
`check`, `explain` (why a replay misses), `scan` (linear scans where a pattern would
backtrack), `pr` (diff flags), `removable` (bytes that could go, per test file), `text` (the
check as text).
"""
