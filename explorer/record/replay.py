"""Fold deltas into the response as it was built, step by step.

`Accumulator` is the one fold used by both the index (final values only) and replay.
`Replay` keeps, per step, a few numbers (text lengths, finish, usage) and, per tool call, the
steps where it changed, never a copy of every call per step: memory is O(chunks + text), and
`state_at(n)` rebuilds the state at step n from the final texts by slicing.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import orjson

from explorer.safety import jsontext
from explorer.wire.base import Delta, with_total

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
    # argument text this step added, by tool-call position (a call touched without new
    # argument text maps to "")
    new_arguments: dict[int, str] = field(default_factory=dict)

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
        self.touched: list[int] = []  # wire indices of the calls the last delta touched
        self._next_index = 0  # one past the largest wire index seen

    def add(self, delta: Delta) -> None:
        self.steps += 1
        if self.touched:
            self.touched.clear()
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
        index = call.index if call.index is not None else self._next_index
        self._next_index = max(self._next_index, index + 1)
        self.touched.append(index)
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



class _CallHistory:
    """One tool call's changes over the steps: when it appeared, when its id and name were
    first known, and its argument length after each step that added to it."""

    __slots__ = ("first", "id_step", "lengths", "name_step", "steps")

    def __init__(self, step: int) -> None:
        self.first = step
        self.id_step: int | None = None
        self.name_step: int | None = None
        self.steps: list[int] = []
        self.lengths: list[int] = []

    def record(self, step: int, slot: list) -> None:
        if self.id_step is None and slot[0]:
            self.id_step = step
        if self.name_step is None and slot[1]:
            self.name_step = step
        if slot[3] != (self.lengths[-1] if self.lengths else 0):
            self.steps.append(step)
            self.lengths.append(slot[3])

    def length_at(self, step: int) -> int:
        found = bisect_right(self.steps, step)
        return self.lengths[found - 1] if found else 0


class Replay:
    """All states of one response: per-step scalars and per-call histories, folded once."""

    def __init__(self, deltas: list[Delta]) -> None:
        acc = Accumulator()
        self.deltas = deltas
        self._scalars = [(0, 0, None, None, 0)]
        self._touched: dict[int, tuple[int, ...]] = {}  # step -> wire indices it touched
        self._calls: dict[int, _CallHistory] = {}
        for step, delta in enumerate(deltas, 1):
            acc.add(delta)
            if acc.touched:
                self._record_calls(step, acc)
            self._scalars.append((acc.text_len, acc.reasoning_len, acc.finish_reason,
                                  acc.usage, acc.other_choices))
        self.accumulator = acc
        self.text = "".join(acc.text)
        self.reasoning = "".join(acc.reasoning)
        self.arguments = {index: "".join(slot[2]) for index, slot in acc.slots.items()}
        self._order = sorted(self._calls)
        self._ids = {index: slot[0] for index, slot in acc.slots.items()}
        self._names = {index: slot[1] for index, slot in acc.slots.items()}

    def _record_calls(self, step: int, acc: Accumulator) -> None:
        touched = tuple(dict.fromkeys(acc.touched))
        self._touched[step] = touched
        for index in touched:
            history = self._calls.get(index)
            if history is None:
                history = self._calls[index] = _CallHistory(step)
            history.record(step, acc.slots[index])

    @property
    def n_chunks(self) -> int:
        return len(self.deltas)

    def state_at(self, step: int) -> State:
        if not 0 <= step <= self.n_chunks:
            raise IndexError(f"step {step} is out of range 0..{self.n_chunks}")
        text_len, reasoning_len, finish, usage, others = self._scalars[step]
        present = [index for index in self._order if self._calls[index].first <= step]
        calls = tuple(self._call_at(position, index, step)
                      for position, index in enumerate(present))
        return State(self.text[:text_len], self.reasoning[:reasoning_len], calls,
                     _shown_usage(usage), finish, step, self.n_chunks,
                     self.deltas[step - 1] if step else None, others,
                     self._new_arguments(step, present))

    def _call_at(self, position: int, index: int, step: int) -> ToolCall:
        history = self._calls[index]
        cid = self._ids[index] if history.id_step is not None and history.id_step <= step \
            else None
        name = self._names[index] if history.name_step is not None and \
            history.name_step <= step else None
        return ToolCall(position, cid, name, self.arguments[index][:history.length_at(step)])

    def _new_arguments(self, step: int, present: list[int]) -> dict[int, str]:
        """Argument text added at `step`, keyed by the call's position (not its wire index:
        Anthropic numbers content blocks, so a call's wire index is not its position)."""
        touched = self._touched.get(step)
        if not touched:
            return {}
        positions = {index: position for position, index in enumerate(present)}
        new = {}
        for index in touched:
            history = self._calls[index]
            before, after = history.length_at(step - 1), history.length_at(step)
            new[positions[index]] = self.arguments[index][before:after]
        return new

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
