"""One recording: `recording` (read, parse, `Recording`), `classify` (family, kind, provider, area,
test id parts), `replay` (the fold of chunks into states, shared with the index).
"""
