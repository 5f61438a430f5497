"""HTML for the detail view: conversation, declared tools, replay state, raw chunk, checks.

Pure functions from the recording's objects to HTML strings (inline styles, so the same markup
looks the same in JupyterLab and Voila); every value from a recording is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

import orjson

from explorer.formats.base import Attachment, Tool, Turn
from explorer.replay import State, ToolCall

MAX_TEXT = 6000  # characters of one conversation turn shown before "... more"
MAX_JSON = 20_000
ROLE_COLORS = {"system": "#6b6b6b", "user": "#1f6feb", "assistant": "#2da44e",
               "tool": "#bf8700", "model": "#2da44e", "function": "#bf8700"}
MARK = "background:#ffe58f;color:#000;border-radius:2px"
BOX = "border:1px solid #d0d7de;border-radius:4px;padding:6px 8px;margin:4px 0"
PRE = ("white-space:pre-wrap;word-break:break-word;font-family:var(--jp-code-font-family,"
       "monospace);font-size:12px;line-height:1.35;margin:0")
MUTED = "color:#6e7781"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return escape(text)
    return escape(text[:limit]) + f"<span style='{MUTED}'> … {len(text) - limit:,} more " \
                                  f"characters</span>"


def json_text(value: Any, limit: int = MAX_JSON) -> str:
    """Pretty JSON of a value, cut at `limit` characters (escaped for HTML)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2, default=str).decode()
    except TypeError:  # integers beyond 64 bits, nesting beyond 255 levels
        try:
            text = repr(value)
        except RecursionError:
            text = "(value nested too deeply to show)"
    return _clip(text, limit)


def _pretty_arguments(arguments: Any) -> str:
    if isinstance(arguments, str):
        try:
            return json_text(orjson.loads(arguments))
        except orjson.JSONDecodeError:
            return _clip(arguments, MAX_TEXT)
    return json_text(arguments)


def attachment_html(attachment: Attachment) -> str:
    size = f"{attachment.size / 1024:,.1f} kB" if attachment.size >= 1024 else \
        f"{attachment.size} B"
    detail = f" · {escape(attachment.detail[:120])}" if attachment.detail else ""
    return (f"<span style='display:inline-block;{BOX};background:#f6f8fa;color:#24292f'>"
            f"[{escape(attachment.type)} · {size}{detail}]</span>")


def turn_html(turn: Turn) -> str:
    color = ROLE_COLORS.get(turn.role, "#8250df")
    role = escape(turn.role)
    parts = [f"<div style='font-weight:600;color:{color}' data-role='{role}'>{role}"]
    if turn.tool_call_id:
        parts.append(f" <span style='{MUTED};font-weight:400'>output of "
                     f"{escape(turn.tool_call_id)}</span>")
    parts.append("</div>")
    if turn.text:
        parts.append(f"<pre style='{PRE}'>{_clip(turn.text, MAX_TEXT)}</pre>")
    for call in turn.tool_calls:
        parts.append(f"<div style='{BOX};background:#fff8c5;color:#24292f'>calls "
                     f"<b>{escape(str(call.get('name')))}</b> <span style='{MUTED}'>"
                     f"{escape(str(call.get('id') or ''))}</span>"
                     f"<pre style='{PRE}'>{_pretty_arguments(call.get('arguments'))}</pre></div>")
    parts += [attachment_html(a) for a in turn.attachments]
    if not (turn.text or turn.tool_calls or turn.attachments):
        parts.append(f"<span style='{MUTED}'>(empty)</span>")
    return f"<div style='{BOX}'>{''.join(parts)}</div>"


def conversation_html(turns: list[Turn]) -> str:
    if not turns:
        return f"<p style='{MUTED}'>The request carries no conversation.</p>"
    return "".join(turn_html(t) for t in turns)


def tools_html(tools: list[Tool]) -> str:
    if not tools:
        return f"<p style='{MUTED}'>The request declares no tools.</p>"
    rows = []
    for tool in tools:
        schema = (f"<details><summary>parameters</summary><pre style='{PRE}'>"
                  f"{json_text(tool.parameters)}</pre></details>" if tool.parameters else "")
        rows.append(f"<div style='{BOX}'><b>{escape(tool.name)}</b> "
                    f"<span>{escape(tool.description)}</span>{schema}</div>")
    return "".join(rows)


def _with_newest(text: str, newest: str) -> str:
    """`text` escaped, its last `newest` characters highlighted (the delta of this step)."""
    if not newest or not text.endswith(newest):
        return escape(text)
    head = text[: len(text) - len(newest)]
    return f"{escape(head)}<mark style='{MARK}'>{escape(newest)}</mark>"


def tool_call_html(call: ToolCall, newest: str | None) -> str:
    fresh = " <mark style='" + MARK + "'>new</mark>" if newest is not None else ""
    arguments = _with_newest(call.arguments, newest or "") if call.arguments else \
        f"<span style='{MUTED}'>(no arguments yet)</span>"
    return (f"<div style='{BOX};background:#fff8c5;color:#24292f'>#{call.index} "
            f"<b>{escape(call.name or '?')}</b> <span style='{MUTED}'>{escape(call.id or '')}"
            f"</span>{fresh}<pre style='{PRE}'>{arguments}</pre></div>")


def usage_text(usage: dict[str, int] | None) -> str:
    if not usage:
        return "not yet"
    return ", ".join(f"{key.removesuffix('_tokens')} {value:,}" for key, value in usage.items())


def state_html(state: State) -> str:
    """The response as built after `state.step` chunks, with this step's delta highlighted."""
    delta = state.delta
    finish = escape(state.finish_reason) if state.finish_reason else \
        f"<span style='{MUTED}'>not yet</span>"
    usage = escape(usage_text(state.usage)) if state.usage else \
        f"<span style='{MUTED}'>not yet</span>"
    head = (f"<div style='margin-bottom:4px'><b>step {state.step} of {state.n_chunks}</b>"
            f" · finish_reason: <b data-field='finish'>{finish}</b>"
            f" · usage: <span data-field='usage'>{usage}</span></div>")
    parts = [head]
    if state.reasoning:
        parts.append(f"<div style='{MUTED};font-size:12px'>reasoning</div>"
                     f"<pre style='{PRE};{BOX};font-style:italic;background:#f6f8fa;"
                     f"color:#57606a'>{_with_newest(state.reasoning, delta.reasoning if delta else '')}"
                     f"</pre>")
    text = _with_newest(state.text, delta.text if delta else "") if state.text else \
        f"<span style='{MUTED}'>(no text yet)</span>"
    parts.append(f"<div style='{MUTED};font-size:12px'>text</div>"
                 f"<pre style='{PRE};{BOX}' data-field='text'>{text}</pre>")
    fresh = state.new_arguments  # by position, as call.index numbers the calls
    parts += [tool_call_html(call, fresh.get(call.index)) for call in state.tool_calls]
    if state.other_choices:
        parts.append(f"<div style='{MUTED}'>+{state.other_choices} other choice(s) in this "
                     f"response; choice 0 is shown</div>")
    return "".join(parts)


def chunk_html(chunks: list, step: int) -> str:
    """The raw chunk that step `step` added (step 0: before any chunk)."""
    if step == 0:
        return f"<p style='{MUTED}'>Before the first chunk. Step forward to see it.</p>"
    return (f"<div style='{MUTED};font-size:12px'>chunk {step} (raw JSON)</div>"
            f"<pre style='{PRE}'>{json_text(chunks[step - 1])}</pre>")


def checks_html(checks: list[str], error: str | None) -> str:
    items = []
    if error:
        items.append(f"<li style='color:#cf222e'>call failed: {escape(error)}</li>")
    items += [f"<li style='color:#9a6700'>{escape(c)}</li>" for c in checks]
    if not items:
        return f"<div style='{MUTED}'>Replay checks: no problems found.</div>"
    return f"<div><b>Replay checks</b><ul style='margin:2px 0'>{''.join(items)}</ul></div>"
