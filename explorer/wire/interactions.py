"""Gemini Interactions API (`/v1beta/interactions`), whole interactions and SSE events."""

from __future__ import annotations

from typing import Any

from explorer.wire import anthropic, openai
from explorer.wire.base import (
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
)
from explorer.wire.openai import arguments_text


def usage(raw: Any) -> dict[str, int] | None:
    raw = as_dict(raw)
    return make_usage(
        prompt_tokens=raw.get("total_input_tokens"),
        completion_tokens=raw.get("total_output_tokens"),
        total_tokens=raw.get("total_tokens"),
        cached_tokens=raw.get("total_cached_tokens"),
        reasoning_tokens=raw.get("total_thought_tokens"),
    )


def _content_delta(index: int | None, content: dict) -> Delta:
    kind = content.get("type")
    if kind == "function_call":
        return Delta(tool_calls=[ToolCallDelta(index, as_str(content.get("id")) or None,
                                               as_str(content.get("name")) or None,
                                               arguments_text(content.get("arguments")))])
    if kind in ("thought", "thought_summary"):
        summary = content.get("summary", content.get("text"))
        return Delta(reasoning=summary if isinstance(summary, str) else "")
    return Delta(text=as_str(content.get("text")))


def _interaction(interaction: dict) -> Delta:
    status = as_str(interaction.get("status"))
    return Delta(usage=usage(interaction.get("usage")),
                 model=as_str(interaction.get("model")) or None,
                 finish_reason=status if status and status != "in_progress" else None)


def chunk(event: Any) -> Delta:
    event = as_dict(event)
    kind = event.get("event_type")
    index = as_int(event.get("index"))
    if kind in ("interaction.start", "interaction.complete"):
        return _interaction(as_dict(event.get("interaction")))
    if kind == "content.start":
        return _content_delta(index, as_dict(event.get("content")))
    if kind == "content.delta":
        return _content_delta(index, as_dict(event.get("delta")))
    if kind == "error":
        return Delta(error=as_str(as_dict(event.get("error")).get("message")) or "error event")
    return Delta()


def whole(body: Any) -> Delta:
    body = as_dict(body)
    head = _interaction(body)
    parts = [_content_delta(index, as_dict(output))
             for index, output in enumerate(as_list(body.get("outputs")))]
    return combine(parts, usage=head.usage, model=head.model, finish_reason=head.finish_reason)


def conversation(payload: Any) -> list[Turn]:
    payload = as_dict(payload)
    turns = []
    if isinstance(payload.get("system_instruction"), str):
        turns.append(Turn("system", payload["system_instruction"]))
    given = payload.get("input")
    if isinstance(given, str):
        return turns + [Turn("user", given)]
    for item in as_list(given):
        item = as_dict(item)
        role = {"model": "assistant"}.get(as_str(item.get("role")), as_str(item.get("role")))
        if "content" in item or "role" in item:
            turn = anthropic.conversation({"messages": [{"role": role or "user",
                                                          "content": item.get("content")}]})[0]
        else:  # a bare content item (function_result, text, ...)
            turn = Turn(as_str(item.get("type")) == "function_result" and "tool" or "user",
                        text=as_str(item.get("text")) or arguments_text(item.get("result")))
            turn.tool_call_id = as_str(item.get("call_id")) or None
        turns.append(turn)
    return turns


def tools(payload: Any) -> list[Tool]:
    return openai.tools(payload)
