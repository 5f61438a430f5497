"""Builders shared by the tests: trees, repositories and stand-ins made in a temporary folder.
Imported as `support.<module>` (tests/ is on sys.path through tests/conftest.py); no test
module imports another."""
