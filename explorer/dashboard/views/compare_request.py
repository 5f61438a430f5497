"""The compare view's request tab: both requests side by side (messages, tools, parameters),
what differs highlighted, long messages folded (expandable).

Pure functions to HTML strings; every recorded value is escaped. Differences are the
excerpt module's spans (word-level, linear fallback on long texts), so what is highlighted
here is what the summary's excerpts show."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from explorer.api import EXCERPT_CHANGE, EXCERPT_CONTEXT, Recording, excerpt_spans

LONG = 600  # characters: a longer message is folded, its summary the excerpt of its change
MAX_TEXT = 20_000  # characters shown per value; the rest is counted
LIST_KEYS = ("messages", "contents", "input")


def _body(recording: Recording | None) -> dict:
    if recording is None:
        return {}
    body = recording.parsed.request_body()
    return body if isinstance(body, dict) else {"request": body}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def _message_text(message: Any) -> tuple[str, str]:
    """(role, text) of one message: its content as text, other fields (tool calls, ids) as
    JSON after it."""
    if not isinstance(message, dict):
        return "", _text(message)
    role = str(message.get("role") or message.get("type") or "")
    content = message.get("content", message.get("parts"))
    rest = {k: v for k, v in message.items() if k not in ("role", "content", "parts")}
    text = _text(content)
    return role, text + (("\n" + _text(rest)) if rest else "")


def marked(text: str, found: list[tuple[int, int]], css: str, kind: str) -> str:
    """`text` escaped, the character ranges in `found` wrapped in a highlight."""
    shown, more = text[:MAX_TEXT], len(text) - MAX_TEXT
    out, at = [], 0
    for start, end in found:
        start, end = min(start, len(shown)), min(end, len(shown))
        out.append(escape(shown[at:start]))
        if end > start:
            out.append(f"<span data-diff='{kind}' class='{css}'>{escape(shown[start:end])}"
                       f"</span>")
        at = max(at, end)
    out.append(escape(shown[at:]))
    if more > 0:
        out.append(f"<span class='x-muted'> … {more:,} more characters</span>")
    return "".join(out)


def _excerpt_html(text: str, start: int, end: int, css: str, kind: str) -> str:
    """The excerpt around one change (as the summary's excerpt reads), the change highlighted."""
    changed = text[start:end]
    if len(changed) > EXCERPT_CHANGE:
        changed = changed[: EXCERPT_CHANGE // 2] + "…" + changed[-(EXCERPT_CHANGE // 2):]
    lead = ("…" if start > EXCERPT_CONTEXT else "") + text[max(0, start - EXCERPT_CONTEXT):start]
    tail = text[end:end + EXCERPT_CONTEXT] + ("…" if end + EXCERPT_CONTEXT < len(text) else "")
    return (f"{escape(lead)}<span data-diff='{kind}' class='{css}'>{escape(changed)}</span>"
            f"{escape(tail)}")


def _cell(text: str | None, found: list[tuple[int, int]], kind: str) -> str:
    if text is None:
        return "<td class='x-cell'><span class='x-muted'>absent</span></td>"
    css = "x-del" if kind == "del" else "x-ins"
    body = marked(text, found, css, kind)
    if len(text) > LONG:
        summary = _excerpt_html(text, *found[0], css, kind) if found else \
            escape(text[:200]) + "…"
        body = (f"<details><summary class='x-small'>{len(text):,} characters: {summary}"
                f"</summary><pre class='x-pre'>{body}</pre></details>")
    else:
        body = f"<pre class='x-pre'>{body}</pre>"
    return f"<td class='x-cell'>{body}</td>"


def _row(label: str, old: str | None, new: str | None) -> str:
    changed = old != new
    found = excerpt_spans(old, new) if changed and old is not None and new is not None else []
    left = [(a, b) for a, b, _, _ in found] or ([(0, len(old))] if changed and old else [])
    right = [(c, d) for _, _, c, d in found] or ([(0, len(new))] if changed and new else [])
    mark = " data-changed='1'" if changed else ""
    return (f"<tr{mark}><th class='x-cell'>{escape(label)}{' •' if changed else ''}</th>"
            f"{_cell(old, left, 'del')}{_cell(new, right, 'ins')}</tr>")


def _messages(base: dict, head: dict) -> list[str]:
    key = next((k for k in LIST_KEYS if isinstance(base.get(k), list)
                or isinstance(head.get(k), list)), None)
    if key is None:
        return []
    old, new = base.get(key) or [], head.get(key) or []
    old, new = (old if isinstance(old, list) else [old]), (new if isinstance(new, list) else [new])
    rows = []
    for index in range(max(len(old), len(new))):
        left = _message_text(old[index]) if index < len(old) else None
        right = _message_text(new[index]) if index < len(new) else None
        role = (right or left or ("", ""))[0]
        rows.append(_row(f"{key.removesuffix('s')} {index + 1}"
                         + (f" ({role})" if role else ""),
                         left[1] if left else None, right[1] if right else None))
    return rows


def _tool_name(tool: Any) -> str:
    if isinstance(tool, dict):
        function = tool.get("function") if isinstance(tool.get("function"), dict) else tool
        return str(function.get("name") or tool.get("type") or "?")
    return "?"


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _tools(base: dict, head: dict) -> list[str]:
    old = {_tool_name(t): t for t in _list(base.get("tools"))}
    new = {_tool_name(t): t for t in _list(head.get("tools"))}
    return [_row(f"tool {name}", _text(old[name]) if name in old else None,
                 _text(new[name]) if name in new else None) for name in dict.fromkeys([*old, *new])]


def _parameters(base: dict, head: dict) -> list[str]:
    skip = {"tools", *LIST_KEYS}
    keys = [k for k in dict.fromkeys([*base, *head]) if k not in skip]
    return [_row(str(key), _text(base[key]) if key in base else None,
                 _text(head[key]) if key in head else None) for key in keys]


def request_html(base: Recording | None, head: Recording | None) -> str:
    """Both requests side by side; a side that is absent says so."""
    left, right = _body(base), _body(head)
    sections = [("messages", _messages(left, right)), ("tools", _tools(left, right)),
                ("parameters", _parameters(left, right))]
    header = ("<tr><th class='x-cell'>what</th><th class='x-cell'>base</th>"
              "<th class='x-cell'>head</th></tr>")
    parts = []
    for title, rows in sections:
        if rows:
            parts.append(f"<tr><th class='x-cell' colspan='3'>{title}</th></tr>{''.join(rows)}")
    if not parts:
        return "<p class='x-muted' data-field='request'>Neither side has a request body.</p>"
    return (f"<table data-field='request' class='x-details'>{header}{''.join(parts)}"
            "</table>")
