"""Explore recorded LLM API traffic: index, replay, price, review."""

__version__ = "0.1.0"
