"""Tool-runtime recordings (e.g. tavily `web_search`): `tool_name` + `kwargs` → ToolInvocationResult."""

from __future__ import annotations

from typing import Any

from explorer.wire.base import Delta, Tool, Turn, as_dict, as_str
from explorer.wire.openai import arguments_text


def whole(body: Any) -> Delta:
    body = as_dict(body)
    content = body.get("content")
    return Delta(text=content if isinstance(content, str) else arguments_text(content),
                 error=as_str(body.get("error_message")) or None)


chunk = whole


def conversation(request: Any) -> list[Turn]:
    request = as_dict(request)
    call = {"id": None, "name": as_str(request.get("tool_name")) or "tool",
            "arguments": arguments_text(request.get("kwargs") or {})}
    return [Turn("assistant", tool_calls=[call])]


def tools(request: Any) -> list[Tool]:
    """A tool-runtime call declares no tools; it invokes one (its `tool_name`)."""
    return []
