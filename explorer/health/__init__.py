"""What the recorder can still reach: `rules` (its file-name hashes, today's and older),
`placement` (where it looks), `status`, `check`, `explain` (why a replay misses), `pr` (diff
flags), `removable` (bytes that could go, per test file), `text` (the check as text).
"""
