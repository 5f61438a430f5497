"""The package version, in one place (the package face re-exports it as `__version__`)."""

__version__ = "0.1.0"
