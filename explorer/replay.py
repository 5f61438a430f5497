"""Fold deltas into the response as it was built, step by step.

`Accumulator` is the one fold used by both the index (final values only) and replay.
`Replay` records a small snapshot per step at load, so `state_at(n)` is a lookup plus slicing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from explorer import jsontext
from explorer.formats.base import Delta, with_total

USAGE_SHOWN = ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
               "reasoning_tokens")


@dataclass(frozen=True, slots=True)
class ToolCall:
    index: int
    id: str | None
    name: str | None
    arguments: str

    def as_dict(self) -> dict:
        return {"index": self.index, "id": self.id, "name": self.name, "arguments": self.arguments}


@dataclass(frozen=True, slots=True)
class State:
    """The accumulated response after `step` of `n_chunks` chunks."""

    text: str
    reasoning: str
    tool_calls: tuple[ToolCall, ...]
    usage: dict[str, int] | None
    finish_reason: str | None
    step: int
    n_chunks: int
    delta: Delta | None  # what the last step added (None at step 0)
    other_choices: int = 0  # choices beyond the first seen so far (choice 0 is the state)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reasoning": self.reasoning,
                "tool_calls": [c.as_dict() for c in self.tool_calls], "usage": self.usage,
                "finish_reason": self.finish_reason, "step": self.step,
                "n_chunks": self.n_chunks, "other_choices": self.other_choices}


class Accumulator:
    """Running totals over deltas: text, reasoning, tool calls by index, finish, usage."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.reasoning: list[str] = []
        self.text_len = self.reasoning_len = 0
        # wire index -> [id, name, argument fragments, length]; calls are numbered by their
        # position (OpenAI's wire index is that position; Anthropic's is a content block's)
        self.slots: dict[int, list] = {}
        self.finish_reason: str | None = None
        self.finish_step: int | None = None
        self.usage: dict[str, int] | None = None
        self.usage_chunks = 0
        self.model: str | None = None
        self.other_choices = 0
        self.errors: list[str] = []
        self.late_chunks = 0  # chunks with content after finish_reason
        self.steps = 0

    def add(self, delta: Delta) -> None:
        self.steps += 1
        if self.finish_step is not None and (delta.text or delta.reasoning or delta.tool_calls):
            self.late_chunks += 1
        if delta.text:
            self.text.append(delta.text)
            self.text_len += len(delta.text)
        if delta.reasoning:
            self.reasoning.append(delta.reasoning)
            self.reasoning_len += len(delta.reasoning)
        for call in delta.tool_calls:
            self._add_call(call)
        if delta.finish_reason:
            self.finish_reason = delta.finish_reason
            if self.finish_step is None:
                self.finish_step = self.steps
        if delta.usage:
            self.usage = {**(self.usage or {}), **delta.usage}
            self.usage_chunks += 1
        self.model = self.model or delta.model
        self.other_choices = max(self.other_choices, delta.other_choices)
        if delta.error:
            self.errors.append(delta.error)

    def _add_call(self, call) -> None:
        index = call.index if call.index is not None else (max(self.slots, default=-1) + 1)
        slot = self.slots.setdefault(index, [None, None, [], 0])
        slot[0] = slot[0] or call.id
        slot[1] = slot[1] or call.name
        if call.arguments:
            slot[2].append(call.arguments)
            slot[3] += len(call.arguments)

    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(ToolCall(position, s[0], s[1], "".join(s[2]))
                     for position, (_, s) in enumerate(sorted(self.slots.items())))

    def tool_names(self) -> list[str]:
        return [s[1] or "?" for _, s in sorted(self.slots.items())]

    def snapshot(self) -> tuple:
        tools = tuple((position, s[0], s[1], s[3])
                      for position, (_, s) in enumerate(sorted(self.slots.items())))
        return (self.text_len, self.reasoning_len, tools, self.finish_reason, self.usage,
                self.other_choices)


class Replay:
    """All states of one response, precomputed once."""

    def __init__(self, deltas: list[Delta]) -> None:
        acc = Accumulator()
        self.deltas = deltas
        self.snapshots = [acc.snapshot()]
        for delta in deltas:
            acc.add(delta)
            self.snapshots.append(acc.snapshot())
        self.accumulator = acc
        self.text = "".join(acc.text)
        self.reasoning = "".join(acc.reasoning)
        self.arguments = {call.index: call.arguments for call in acc.tool_calls()}

    @property
    def n_chunks(self) -> int:
        return len(self.deltas)

    def state_at(self, step: int) -> State:
        if not 0 <= step <= self.n_chunks:
            raise IndexError(f"step {step} is out of range 0..{self.n_chunks}")
        text_len, reasoning_len, tools, finish, usage, others = self.snapshots[step]
        calls = tuple(ToolCall(i, cid, name, self.arguments[i][:length])
                      for i, cid, name, length in tools)
        return State(self.text[:text_len], self.reasoning[:reasoning_len], calls,
                     _shown_usage(usage), finish, step, self.n_chunks,
                     self.deltas[step - 1] if step else None, others)

    def checks(self, streaming: bool) -> list[str]:
        """Problems a reviewer wants surfaced, each as one sentence."""
        acc, found = self.accumulator, []
        for call in acc.tool_calls():
            if call.arguments and not _is_json(call.arguments):
                found.append(f"tool call {call.index} ({call.name}) arguments are not valid JSON")
        usage = acc.usage or {}
        known = None not in (usage.get("total_tokens"), usage.get("prompt_tokens"),
                             usage.get("completion_tokens"))
        if known and usage["total_tokens"] != usage["prompt_tokens"] + usage["completion_tokens"]:
            found.append(f"total_tokens {usage['total_tokens']} is not prompt_tokens "
                         f"{usage['prompt_tokens']} + completion_tokens "
                         f"{usage['completion_tokens']}")
        if streaming and acc.usage is None and self.n_chunks:
            found.append("stream has no usage chunk (tokens unknown)")
        if acc.late_chunks:
            found.append(f"{acc.late_chunks} chunk(s) with content after finish_reason "
                         f"(step {acc.finish_step})")
        return found


def _shown_usage(usage: dict[str, int] | None) -> dict[str, int] | None:
    if not usage:
        return None
    usage = with_total(usage)
    return {key: usage[key] for key in USAGE_SHOWN if key in usage}


def _is_json(text: str) -> bool:
    try:
        jsontext.loads(text)
    except orjson.JSONDecodeError:
        return False
    return True
