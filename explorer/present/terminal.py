"""A recording as terminal text: the conversation, then the response state at a step."""

from __future__ import annotations

import textwrap

from explorer.record.recording import Recording
from explorer.record.replay import State
from explorer.safety.names import shown
from explorer.safety.text import for_terminal
from explorer.wire.base import Turn

WIDTH = 100
MAX_TEXT = 2000


def _line(text: object) -> str:
    """A one-line field (test id, model, name): newlines and control characters escaped."""
    return for_terminal(text, one_line=True)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + f" … [{len(text) - limit:,} more chars]"


def _tail(text: str, limit: int = MAX_TEXT) -> str:
    """The end of a response text (what the last steps added), after a count of the rest."""
    if len(text) <= limit:
        return text
    return f"[… {len(text) - limit:,} earlier chars] " + text[len(text) - limit:]


def _indent(text: str, clip=_clip) -> str:
    return textwrap.indent(clip(text), "    ")


def render_turn(turn: Turn) -> list[str]:
    head = f"[{turn.role}]" + (f" (reply to {turn.tool_call_id})" if turn.tool_call_id else "")
    lines = [head]
    if turn.text:
        lines.append(_indent(turn.text))
    for call in turn.tool_calls:
        lines.append(f"    → {call.get('name')}({_clip(call.get('arguments') or '', 300)})")
    for item in turn.attachments:
        detail = f", {item.detail}" if item.detail else ""
        lines.append(f"    [{item.type}: {item.size:,} bytes{detail}]")
    return lines


def render_state(state: State) -> list[str]:
    lines = [f"── response at step {state.step}/{state.n_chunks} " + "─" * 40]
    if state.reasoning:
        lines += ["reasoning:", _indent(state.reasoning, _tail)]
    if state.text:
        lines += ["text:", _indent(state.text, _tail)]
    for call in state.tool_calls:
        lines.append(f"tool call {call.index}: {_line(call.name)}({call.arguments})"
                     + (f"  id={_line(call.id)}" if call.id else ""))
    lines.append(f"finish_reason: {state.finish_reason or '—'}")
    usage = state.usage
    lines.append("usage: " + (", ".join(f"{k}={v}" for k, v in usage.items()) if usage
                              else "unknown (no usage recorded yet)"))
    if state.other_choices:
        lines.append(f"note: {state.other_choices} more choice(s) exist; showing choice 0")
    return lines


def render_recording(recording: Recording, state: State) -> str:
    lines = [shown(str(recording.path)),
             f"test: {_line(recording.test_id or '—')}",
             (f"{recording.kind} · {_line(recording.endpoint or '—')} · model "
              f"{_line(recording.model or '—')}"
              f" · {'streamed' if recording.streaming else 'not streamed'}"), ""]
    if recording.tools:
        lines.append("tools declared: " + ", ".join(t.name for t in recording.tools))
    lines.append("── conversation " + "─" * 40)
    for turn in recording.messages:
        lines += render_turn(turn)
    lines += render_state(state)
    if recording.error:
        lines.append(f"error: {recording.error}")
    for check in recording.checks:
        lines.append(f"check: {check}")
    return "\n".join(lines)
