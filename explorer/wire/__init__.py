"""One module per provider wire format (`openai`, `ollama`, `gemini`, `anthropic`, `interactions`,
`tool_runtime`, `file_processor`, `http`) and `base`, the vocabulary they share; adding a
provider is adding a module and naming it in `FAMILIES`.

Each module offers `chunk`, `whole`, `conversation` and `tools`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import orjson

from explorer.safety import jsontext
from explorer.wire import (
    anthropic,
    file_processor,
    gemini,
    http,
    interactions,
    ollama,
    openai,
    tool_runtime,
)

FAMILIES: dict[str, ModuleType] = {
    "openai": openai, "ollama": ollama, "gemini": gemini, "anthropic": anthropic,
    "interactions": interactions, "tool_runtime": tool_runtime,
    "file_processor": file_processor, "http": http,
}


KNOWN_TYPE_PREFIXES = ("openai.", "ollama.", "ogx_api.", "llama_stack_api.", "llama_stack.")


def unknown_type(body: Any) -> str | None:
    """The `__type__` of a wrapped body (or first chunk) that no family knows, else None."""
    first = body[0] if isinstance(body, list) and body else body
    if isinstance(first, dict) and "__data__" in first:
        name = first.get("__type__")
        if not isinstance(name, str) or not name.startswith(KNOWN_TYPE_PREFIXES):
            return str(name)
    return None


def unwrap(obj: Any) -> Any:
    """`{"__type__": ..., "__data__": {...}}` → the data; anything else as it is."""
    if isinstance(obj, dict) and "__data__" in obj and "__type__" in obj:
        return obj["__data__"]
    return obj


def stream_chunks(body: list) -> list[Any]:
    """The chunks of a streamed body: unwrapped objects, or decoded SSE `data:` events
    when the stream was recorded as raw text lines. `[DONE]` and blank lines are not chunks."""
    if body and all(isinstance(line, str) for line in body):
        return _sse_events(body)
    return [item["__data__"] if type(item) is dict and "__data__" in item and "__type__" in item
            else item for item in body]  # `unwrap`, inline: streams have thousands of chunks


def _sse_events(lines: list[str]) -> list[Any]:
    events = []
    for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            continue
        try:
            events.append(jsontext.loads(data))
        except orjson.JSONDecodeError:
            events.append(data)  # kept, so nothing is dropped; replays as an empty step
    return events
