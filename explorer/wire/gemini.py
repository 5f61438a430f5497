"""Google Gemini / Vertex AI `generate_content` and `generate_content_stream` (plain dicts)."""

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
    make_usage,
    tools_declared,
)
from explorer.wire.openai import arguments_text

ROLES = {"model": "assistant", "user": "user", "function": "tool", "tool": "tool"}


def usage(meta: Any) -> dict[str, int] | None:
    """Completion tokens include thinking: candidates + thoughts."""
    meta = as_dict(meta)
    candidates = as_int(meta.get("candidates_token_count"))
    thoughts = as_int(meta.get("thoughts_token_count"))
    completion = None
    if candidates is not None or thoughts is not None:
        completion = (candidates or 0) + (thoughts or 0)
    return make_usage(
        prompt_tokens=meta.get("prompt_token_count"),
        completion_tokens=completion,
        total_tokens=meta.get("total_token_count"),
        cached_tokens=meta.get("cached_content_token_count"),
        reasoning_tokens=thoughts,
    )


def chunk(obj: Any) -> Delta:
    """One GenerateContentResponse: parts of the first candidate, usage (cumulative in streams)."""
    obj = as_dict(obj)
    candidates = as_list(obj.get("candidates"))
    first = as_dict(candidates[0]) if candidates else {}
    text, reasoning, calls = [], [], []
    for part in as_list(as_dict(first.get("content")).get("parts")):
        part = as_dict(part)
        if part.get("function_call"):
            call = as_dict(part["function_call"])
            calls.append(ToolCallDelta(None, as_str(call.get("id")) or None,
                                       as_str(call.get("name")) or None,
                                       arguments_text(call.get("args"))))
        elif part.get("thought") is True:
            reasoning.append(as_str(part.get("text")))
        else:
            text.append(as_str(part.get("text")))
    return Delta(
        text="".join(text),
        reasoning="".join(reasoning),
        tool_calls=calls,
        finish_reason=as_str(first.get("finish_reason")) or None,
        usage=usage(obj.get("usage_metadata")),
        model=as_str(obj.get("model_version")) or None,
        other_choices=max(len(candidates) - 1, 0),
    )


whole = chunk


def _part_turn(role: str, part: dict, turn: Turn, texts: list[str]) -> None:
    """Add one part to `turn`; its text goes to `texts` (joined once by the caller)."""
    if "text" in part:
        texts.append(as_str(part.get("text")))
    if part.get("function_call"):
        call = as_dict(part["function_call"])
        turn.tool_calls.append({"id": call.get("id"), "name": call.get("name"),
                                "arguments": arguments_text(call.get("args"))})
    if part.get("function_response"):
        response = as_dict(part["function_response"])
        turn.role = "tool"
        turn.tool_call_id = as_str(response.get("id")) or as_str(response.get("name")) or None
        texts.append(arguments_text(response.get("response")))
    for key in ("inline_data", "file_data"):
        if part.get(key):
            data = as_dict(part[key])
            size = len(as_str(data.get("data"))) * 3 // 4
            turn.attachments.append(Attachment("file" if key == "file_data" else "image", size,
                                               as_str(data.get("mime_type"))))


def conversation(body: Any) -> list[Turn]:
    body = as_dict(body)
    turns = []
    system = as_dict(body.get("config")).get("system_instruction")
    if system:
        turns.append(Turn("system", system if isinstance(system, str) else arguments_text(system)))
    contents = body.get("contents")
    if isinstance(contents, str):
        return turns + [Turn("user", contents)]
    for content in as_list(contents):
        content = as_dict(content)
        role = ROLES.get(as_str(content.get("role")), as_str(content.get("role")) or "user")
        turn, texts = Turn(role), []
        for part in as_list(content.get("parts")):
            _part_turn(role, as_dict(part), turn, texts)
        turn.text = "".join(texts)
        turns.append(turn)
    return turns


def tools(body: Any) -> list[Tool]:
    return tools_declared(as_dict(as_dict(body).get("config")).get("tools"))
