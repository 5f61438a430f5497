"""The index frame: its schema (declared once), the row builder, the tree walker, the cache, filters."""
