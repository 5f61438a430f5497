"""The active filters in words, as the count, the table and the export panel show them:
"model gpt-4o, o3 · calls tool get_weather · where prompt_tokens > 100"."""

from __future__ import annotations

from dataclasses import fields

from explorer.api import Filters

NAMES = {"search": "search", "test": "test id", "model": "model", "provider": "provider",
         "endpoint": "endpoint", "kind": "kind", "health": "health", "tool": "tool",
         "declares": "declares tool", "calls": "calls tool", "where": "where"}


def filters_text(filters: Filters) -> str:
    """Each active filter as "name value", joined by " · "; "no filters" when none is."""
    parts = []
    for field in fields(filters):
        value = getattr(filters, field.name)
        if value == field.default:
            continue
        if field.name == "streaming":
            parts.append("streamed" if value else "not streamed")
        elif field.name == "errors_only":
            parts.append("errors only")
        elif isinstance(value, (tuple, list)):
            parts.append(f"{NAMES.get(field.name, field.name)} {', '.join(map(str, value))}")
        else:
            parts.append(f"{NAMES.get(field.name, field.name)} {value}")
    return " · ".join(parts) or "no filters"
