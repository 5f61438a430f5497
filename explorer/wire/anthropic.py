"""Anthropic-style Messages API (`/v1/messages`), whole messages and SSE events."""

from __future__ import annotations

from typing import Any

from explorer.wire.base import (
    Attachment,
    Delta,
    Tool,
    ToolCallDelta,
    Turn,
    as_dict,
    as_int,
    as_list,
    as_str,
    combine,
    make_usage,
    tools_declared,
)
from explorer.wire.openai import arguments_text


def usage(raw: Any) -> dict[str, int] | None:
    """input_tokens excludes cache reads/writes; prompt_tokens counts them all."""
    raw = as_dict(raw)
    input_tokens = as_int(raw.get("input_tokens"))
    cache_read = as_int(raw.get("cache_read_input_tokens"))
    cache_write = as_int(raw.get("cache_creation_input_tokens"))
    prompt = None
    if input_tokens is not None:
        prompt = input_tokens + (cache_read or 0) + (cache_write or 0)
    return make_usage(prompt_tokens=prompt, completion_tokens=raw.get("output_tokens"),
                      cached_tokens=cache_read)


def _block_delta(index: int | None, block: dict) -> Delta:
    kind = block.get("type")
    if kind == "tool_use":
        arguments = block.get("input")
        text = "" if arguments in (None, {}) else arguments_text(arguments)
        return Delta(tool_calls=[ToolCallDelta(index, as_str(block.get("id")) or None,
                                               as_str(block.get("name")) or None, text)])
    if kind in ("thinking", "thinking_delta"):
        return Delta(reasoning=as_str(block.get("thinking")))
    if kind == "input_json_delta":
        return Delta(tool_calls=[ToolCallDelta(index, arguments=as_str(block.get("partial_json")))])
    return Delta(text=as_str(block.get("text")))


def chunk(event: Any) -> Delta:
    """One SSE event (already decoded from its `data:` line)."""
    event = as_dict(event)
    kind = event.get("type")
    index = as_int(event.get("index"))
    if kind == "message_start":
        message = as_dict(event.get("message"))
        return Delta(usage=usage(message.get("usage")), model=as_str(message.get("model")) or None)
    if kind == "content_block_start":
        return _block_delta(index, as_dict(event.get("content_block")))
    if kind == "content_block_delta":
        return _block_delta(index, as_dict(event.get("delta")))
    if kind == "message_delta":
        stop = as_str(as_dict(event.get("delta")).get("stop_reason")) or None
        return Delta(finish_reason=stop, usage=usage(event.get("usage")))
    if kind == "error":
        return Delta(error=as_str(as_dict(event.get("error")).get("message")) or "error event")
    return Delta()


def whole(message: Any) -> Delta:
    message = as_dict(message)
    parts = [_block_delta(index, as_dict(block))
             for index, block in enumerate(as_list(message.get("content")))]
    return combine(parts, usage=usage(message.get("usage")),
                   model=as_str(message.get("model")) or None,
                   finish_reason=as_str(message.get("stop_reason")) or None)


def _block_turn(block: dict, turn: Turn, texts: list[str]) -> None:
    """Add one content block to `turn`; its text goes to `texts` (joined once by the caller)."""
    kind = block.get("type")
    if kind == "text":
        texts.append(as_str(block.get("text")))
    elif kind == "tool_use":
        turn.tool_calls.append({"id": block.get("id"), "name": block.get("name"),
                                "arguments": arguments_text(block.get("input"))})
    elif kind == "tool_result":
        turn.role = "tool"
        turn.tool_call_id = as_str(block.get("tool_use_id")) or None
        content = block.get("content")
        texts.append(content if isinstance(content, str) else "".join(
            as_str(as_dict(c).get("text")) for c in as_list(content)))
    elif kind in ("image", "document"):
        data = as_str(as_dict(block.get("source")).get("data"))
        turn.attachments.append(Attachment(kind if kind == "image" else "file",
                                           len(data) * 3 // 4,
                                           as_str(as_dict(block.get("source")).get("media_type"))))


def conversation(payload: Any) -> list[Turn]:
    payload = as_dict(payload)
    turns = []
    system = payload.get("system")
    if system:
        turns.append(Turn("system", system if isinstance(system, str) else "".join(
            as_str(as_dict(b).get("text")) for b in as_list(system))))
    for message in as_list(payload.get("messages")):
        message = as_dict(message)
        turn = Turn(as_str(message.get("role")) or "unknown")
        content = message.get("content")
        texts = [content] if isinstance(content, str) else []
        for block in as_list(content):
            _block_turn(as_dict(block), turn, texts)
        turn.text = "".join(texts)
        turns.append(turn)
    return turns


def tools(payload: Any) -> list[Tool]:
    return tools_declared(as_dict(payload).get("tools"))
