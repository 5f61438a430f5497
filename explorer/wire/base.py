"""Shared vocabulary of the wire formats: what one chunk (or one whole body) contributes.

A format module turns provider bodies into `Delta`s and requests into `Turn`s; replay and the
index fold the same deltas, so the final state and the index row always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INT64_LIMIT = 2**63  # the frame stores counts as Int64; larger numbers are not real counts
USAGE_KEYS = ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
              "reasoning_tokens")


@dataclass(slots=True)
class ToolCallDelta:
    index: int | None  # None: a whole call that opens a new slot (Gemini function_call parts)
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(slots=True)
class Delta:
    """What one chunk adds to the response (empty strings / None where it adds nothing)."""

    text: str = ""
    reasoning: str = ""
    tool_calls: list[ToolCallDelta] = field(default_factory=list)
    finish_reason: str | None = None
    usage: dict[str, int] | None = None
    model: str | None = None
    other_choices: int = 0  # choices beyond the first seen in this chunk
    error: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.reasoning or self.tool_calls or self.finish_reason
                    or self.usage or self.error)


def combine(parts: list[Delta], **fields: Any) -> Delta:
    """One delta from content blocks (whole-message bodies): their texts, reasoning and tool
    calls joined once, in order (linear in the number of blocks), plus `fields`."""
    return Delta(text="".join(p.text for p in parts),
                 reasoning="".join(p.reasoning for p in parts),
                 tool_calls=[call for p in parts for call in p.tool_calls], **fields)


@dataclass(slots=True)
class Attachment:
    type: str  # image, file, audio
    size: int  # bytes of the (decoded or inline) payload as recorded
    detail: str = ""  # media type or URL (never the base64 itself)


@dataclass(slots=True)
class Turn:
    """One conversation turn of a request, normalized across providers."""

    role: str
    text: str = ""
    tool_calls: list[dict] = field(default_factory=list)  # {"id", "name", "arguments"}
    tool_call_id: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(slots=True)
class Tool:
    name: str
    description: str = ""
    parameters: dict | None = None


def as_int(value: Any) -> int | None:
    """A token count or None: bools and non-numbers are not counts."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and -INT64_LIMIT < value < INT64_LIMIT:
        return value
    return None


def as_count(value: Any) -> int | None:
    """A token count as an exact integer (any size: the frame decides what it can hold), or
    None for bools and non-numbers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def make_usage(**counts: Any) -> dict[str, int] | None:
    """Keep only the counts that are known; None when none are."""
    usage = {k: as_count(v) for k, v in counts.items()}
    usage = {k: v for k, v in usage.items() if v is not None}
    return usage or None


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def text_of(content: Any) -> str:
    """Plain text of a message `content`: a string, or a list of text parts."""
    if isinstance(content, str):
        return content
    parts = []
    for part in as_list(content):
        part = as_dict(part)
        if part.get("type") in (None, "text", "input_text", "output_text") and "text" in part:
            parts.append(as_str(part.get("text")))
    return "".join(parts)


def data_url_size(url: str) -> int:
    """Approximate decoded byte size of a base64 data URL (or of any string)."""
    if url.startswith("data:") and "," in url:
        payload = url.split(",", 1)[1]
        return len(payload) * 3 // 4
    return len(url)


def tool_from_declaration(decl: Any) -> Tool | None:
    """An OpenAI-style (`function`) or flat (`name`) tool declaration."""
    decl = as_dict(decl)
    fn = as_dict(decl.get("function")) or decl
    name = fn.get("name") or decl.get("type")
    if not isinstance(name, str) or not name:
        return None
    params = fn.get("parameters", fn.get("input_schema"))
    return Tool(name, as_str(fn.get("description")), params if isinstance(params, dict) else None)


def tools_declared(declarations: Any) -> list[Tool]:
    """The tools of a request's `tools` list: OpenAI-style or flat declarations, and Gemini-style
    groups, whose `function_declarations` list declares the names (even beside a `type`)."""
    found: list[Tool] = []
    for decl in as_list(declarations):
        group = as_dict(decl)
        inner = group.get("function_declarations", group.get("functionDeclarations"))
        if isinstance(inner, list):
            found += [tool_from_declaration(d) for d in inner
                      if isinstance(as_dict(d).get("name"), str) and as_dict(d)["name"]]
        elif (tool := tool_from_declaration(decl)) is not None:
            found.append(tool)
    return found


def with_total(usage: dict[str, int] | None) -> dict[str, int] | None:
    """Usage with total_tokens filled in as prompt + completion where the provider reports none."""
    if not usage or "total_tokens" in usage:
        return usage
    if "prompt_tokens" in usage and "completion_tokens" in usage:
        return {**usage, "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]}
    return usage
