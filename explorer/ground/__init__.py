"""The ground floor, below every other: `version`, `settings` (what the environment asks for, read
once into one frozen `Settings` that is passed down), `folders` (`cache_dir`, the one cache
folder) and `files` (`write_atomically`, the one way a file is replaced).
"""
