"""HTML for the detail view: conversation, declared tools, replay state, raw chunk, checks.

Pure functions from the recording's objects to HTML strings, styled by the classes of
`widgets/static/explorer.css`; every value from a recording is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

import orjson

from explorer.api import Attachment, State, Tool, ToolCall, Turn
from explorer.safety import jsontext

MAX_TEXT = 200_000  # characters of one conversation turn the page ever receives
PREVIEW = 1200  # characters of a turn shown before "show all"
WINDOW = 3000  # characters of the response text sent per step (ending at the newest delta)
MAX_JSON = 20_000
ROLE_COLORS = {"system": "#6b6b6b", "user": "#1f6feb", "assistant": "#2da44e",
               "tool": "#bf8700", "model": "#2da44e", "function": "#bf8700"}


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return escape(text)
    return escape(text[:limit]) + f"<span class='x-muted'> … {len(text) - limit:,} more " \
                                  f"characters</span>"


def json_text(value: Any, limit: int = MAX_JSON) -> str:
    """Pretty JSON of a value, cut at `limit` characters (escaped for HTML)."""
    return _clip(jsontext.dumps(value, indent=True, default=str), limit)


def _pretty_arguments(arguments: Any) -> str:
    if isinstance(arguments, str):
        try:
            return json_text(jsontext.loads(arguments))
        except orjson.JSONDecodeError:
            return _clip(arguments, MAX_TEXT)
    return json_text(arguments)


def attachment_html(attachment: Attachment) -> str:
    size = f"{attachment.size / 1024:,.1f} kB" if attachment.size >= 1024 else \
        f"{attachment.size} B"
    detail = f" · {escape(attachment.detail[:120])}" if attachment.detail else ""
    return ("<span class='x-box x-attachment'>"
            f"[{escape(attachment.type)} · {size}{detail}]</span>")


def turn_html(turn: Turn) -> str:
    color = ROLE_COLORS.get(turn.role, "#8250df")
    role = escape(turn.role)
    parts = [f"<div class='x-strong' style='color:{color}' data-role='{role}'>{role}"]
    if turn.tool_call_id:
        parts.append(" <span class='x-muted x-normal'>output of "
                     f"{escape(turn.tool_call_id)}</span>")
    parts.append("</div>")
    if turn.text:
        parts.append(_expandable(turn.text))
    for call in turn.tool_calls:
        parts.append("<div class='x-box x-call'>calls "
                     f"<b>{escape(str(call.get('name')))}</b> <span class='x-muted'>"
                     f"{escape(str(call.get('id') or ''))}</span>"
                     f"<pre class='x-pre'>{_pretty_arguments(call.get('arguments'))}</pre></div>")
    parts += [attachment_html(a) for a in turn.attachments]
    if not (turn.text or turn.tool_calls or turn.attachments):
        parts.append("<span class='x-muted'>(empty)</span>")
    return f"<div class='x-box'>{''.join(parts)}</div>"


def _expandable(text: str) -> str:
    """A turn's text: the first `PREVIEW` characters, the rest behind "show all" (<details>)."""
    if len(text) <= PREVIEW:
        return f"<pre class='x-pre'>{escape(text)}</pre>"
    return (f"<pre class='x-pre'>{escape(text[:PREVIEW])}</pre>"
            f"<details data-field='more'><summary class='x-muted x-toggle'>… show all "
            f"{len(text):,} characters ({len(text) - PREVIEW:,} more)</summary>"
            f"<pre class='x-pre'>{_clip(text[PREVIEW:], MAX_TEXT)}</pre></details>")


def conversation_html(turns: list[Turn]) -> str:
    if not turns:
        return "<p class='x-muted'>The request carries no conversation.</p>"
    return "".join(turn_html(t) for t in turns)


def tools_html(tools: list[Tool]) -> str:
    if not tools:
        return "<p class='x-muted'>The request declares no tools.</p>"
    rows = []
    for tool in tools:
        schema = (f"<details><summary>parameters</summary><pre class='x-pre'>"
                  f"{json_text(tool.parameters)}</pre></details>" if tool.parameters else "")
        rows.append(f"<div class='x-box'><b>{escape(tool.name)}</b> "
                    f"<span>{escape(tool.description)}</span>{schema}</div>")
    return "".join(rows)


def _with_newest(text: str, newest: str, window: int | None = None) -> str:
    """`text` escaped, its last `newest` characters highlighted (the delta of this step).

    With `window`, only the text's last `window` characters (at least the whole delta) are
    sent, after a note of how many earlier characters were left out.
    """
    fresh = bool(newest) and text.endswith(newest)
    keep = len(text) if window is None else max(window, len(newest) if fresh else 0)
    note = ""
    if len(text) > keep:
        note = (f"<span class='x-muted' data-field='earlier'>… {len(text) - keep:,} earlier "
                f"characters (tick “whole text” to see them)</span>\n")
        text = text[len(text) - keep:]
    if not fresh:
        return note + escape(text)
    head = text[: len(text) - len(newest)]
    return f"{note}{escape(head)}<mark class='x-mark'>{escape(newest)}</mark>"


def _scrolled_to_end(inner: str, classes: str, field: str) -> str:
    """A box that opens scrolled to its end (column-reverse), so the newest delta is in view."""
    return (f"<div class='x-box x-scroll' data-scroll='{field}'>"
            f"<pre class='x-pre x-scrolled{classes}' data-field='{field}'>"
            f"{inner}</pre></div>")


def tool_call_html(call: ToolCall, newest: str | None, window: int | None = WINDOW) -> str:
    fresh = " <mark class='x-mark'>new</mark>" if newest is not None else ""
    arguments = _with_newest(call.arguments, newest or "", window) if call.arguments else \
        "<span class='x-muted'>(no arguments yet)</span>"
    return (f"<div class='x-box x-call'>#{call.index} "
            f"<b>{escape(call.name or '?')}</b> <span class='x-muted'>{escape(call.id or '')}"
            f"</span>{fresh}<pre class='x-pre'>{arguments}</pre></div>")


def usage_text(usage: dict[str, int] | None) -> str:
    if not usage:
        return "not yet"
    return ", ".join(f"{key.removesuffix('_tokens')} {value:,}" for key, value in usage.items())


def state_html(state: State, whole: bool = False) -> str:
    """The response as built after `state.step` chunks, with this step's delta highlighted.

    Long texts are cut to the last `WINDOW` characters (ending at the delta) unless `whole`.
    """
    window = None if whole else WINDOW
    delta = state.delta
    finish = escape(state.finish_reason) if state.finish_reason else \
        "<span class='x-muted'>not yet</span>"
    usage = escape(usage_text(state.usage)) if state.usage else \
        "<span class='x-muted'>not yet</span>"
    head = (f"<div class='x-step-head'><b>step {state.step:,} of {state.n_chunks:,}</b>"
            f" · finish_reason: <b data-field='finish'>{finish}</b>"
            f" · usage: <span data-field='usage'>{usage}</span></div>")
    parts = [head]
    if state.reasoning:
        reasoning = _with_newest(state.reasoning, delta.reasoning if delta else "", window)
        parts.append("<div class='x-muted x-small'>reasoning</div>"
                     + _scrolled_to_end(reasoning, " x-reasoning", "reasoning"))
    if state.text:
        text = _with_newest(state.text, delta.text if delta else "", window)
    else:
        missing = "no text in this response" if state.step >= state.n_chunks else "no text yet"
        text = f"<span class='x-muted'>({missing})</span>"
    parts.append("<div class='x-muted x-small'>text</div>"
                 + _scrolled_to_end(text, "", "text"))
    fresh = state.new_arguments  # by position, as call.index numbers the calls
    parts += [tool_call_html(call, fresh.get(call.index), window) for call in state.tool_calls]
    if state.other_choices:
        parts.append(f"<div class='x-muted'>+{state.other_choices} other choice(s) in this "
                     f"response; choice 0 is shown</div>")
    return "".join(parts)


def chunk_html(chunks: list, step: int) -> str:
    """The raw chunk that step `step` added (step 0: before any chunk)."""
    if step == 0:
        return "<p class='x-muted'>Before the first chunk. Step forward to see it.</p>"
    return (f"<div class='x-muted x-small'>chunk {step:,} (raw JSON)</div>"
            f"<pre class='x-pre'>{json_text(chunks[step - 1])}</pre>")


def checks_html(checks: list[str], error: str | None) -> str:
    items = []
    if error:
        items.append(f"<li class='x-error'>call failed: {escape(error)}</li>")
    items += [f"<li class='x-warn'>{escape(c)}</li>" for c in checks]
    if not items:
        return "<div class='x-muted'>Replay checks: no problems found.</div>"
    return f"<div><b>Replay checks</b><ul class='x-list'>{''.join(items)}</ul></div>"
