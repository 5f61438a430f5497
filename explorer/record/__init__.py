"""One recording: `recording` (read, parse, `Recording`), `classify` (the request shapes, read
for the row and for the recorder's hash, family, kind, provider, area, test id parts), `replay` (the fold of chunks into states, shared with the index).
"""
