"""HTML for the compare view: the two trees, one side's replay state, and a diff's details.

Pure functions to HTML strings (classes of `widgets/static/explorer.css`, as in `render`);
every recorded value is escaped.
"""

from __future__ import annotations

import difflib
from html import escape
from typing import Any

from explorer.api import NORMALIZED_ONLY, Recording, outer_span
from explorer.dashboard.views import html as render

COLORS = {"added": "#1a7f37", "removed": "#cf222e", "changed": "#9a6700", "base": "#57606a",
          "head": "#0969da", "request": "#8250df", "response": "#9a6700", "moved": "#0969da",
          "noise": "#6e7781", "environment": "#6e7781"}
MAX_DIFF_TEXT = 4000  # characters per side compared character by character
MAX_VALUE = 1500
MAX_MATCHED = 400  # characters of a differing middle matched character by character


def trees_html(base_label: str, n_base: int, head_label: str, n_head: int, counts: str) -> str:
    """The two trees side by side, and what changed between them in one line."""
    def card(side: str, label: str, n: int) -> str:
        return (f"<div class='x-card'><div class='x-strong' style='color:{COLORS[side]}'>"
                f"{side}</div><div class='x-break x-small'>"
                f"{escape(label)}</div><div class='x-small x-muted'>{n:,} recordings"
                f"</div></div>")
    return ("<div><b class='x-title'>Compare recordings</b>"
            "<div class='x-cards'>"
            f"{card('base', base_label, n_base)}<div class='x-center'>→</div>"
            f"{card('head', head_label, n_head)}</div>"
            f"<div data-field='counts'>{escape(counts)}</div></div>")


def title_html(path: str, status: str, summary: str, test_id: str | None,
               source: str | None = None) -> str:
    test = f"<div><b>{escape(test_id)}</b></div>" if test_id else ""
    moved = (f"<div class='x-small x-grey'>from {escape(source)}</div>"
             if source and source != path else "")
    return (f"{test}{moved}<div class='x-small x-grey'>{escape(path)}</div>"
            f"<div class='x-gap-top'><b style='color:{COLORS[status]}'>{status}</b>: "
            f"<span data-field='summary'>{escape(summary)}</span></div>")


def side_html(side: str, label: str, recording: Recording | None, step: int,
              missing: str) -> str:
    """One side's response as built after `step` chunks (its own count), or why it is absent."""
    head = (f"<div class='x-strong' style='color:{COLORS[side]}'>{side} "
            f"<span class='x-normal x-small x-muted'>{escape(label)}</span></div>")
    if recording is None:
        return f"{head}<p class='x-muted' data-side='{side}'>{escape(missing)}</p>"
    facts = f"{recording.model or ''} · " + (
        f"streamed, {recording.n_chunks:,} chunks" if recording.streaming else "not streamed")
    return (f"{head}<div class='x-small x-muted'>{escape(facts)}</div>"
            f"<div data-side='{side}'>{render.state_html(recording.state_at(step))}</div>")


def _clip(text: str) -> str:
    more = len(text) - MAX_VALUE
    return escape(text) if more <= 0 else \
        f"{escape(text[:MAX_VALUE])}<span class='x-muted'> … {more:,} more characters</span>"


def _value(value: Any) -> str:
    if value is None:
        return "<span class='x-muted'>none</span>"
    if isinstance(value, str):
        return f"<pre class='x-pre'>{_clip(value)}</pre>"
    if isinstance(value, (list, dict)):
        return f"<pre class='x-pre'>{render.json_text(value, MAX_VALUE)}</pre>"
    return escape(f"{value:,}" if isinstance(value, int) and not isinstance(value, bool)
                  else str(value))


def _row(name: str, base: Any, head: Any, note: str = "") -> str:
    return (f"<tr><th class='x-cell'>{escape(name)}</th><td class='x-cell'>{_value(base)}</td>"
            f"<td class='x-cell'>{_value(head)}</td><td class='x-cell'>{escape(note)}</td></tr>")


def _calls(calls: list[dict]) -> str:
    return "\n".join(f"{call['name']}({call['arguments']})" for call in calls) or "(no calls)"


def text_diff_html(before: str, after: str) -> tuple[str, str]:
    """Both texts with what changed marked character by character (difflib): removed
    characters struck on the base side, inserted ones highlighted on the head side. The
    common start and end are set aside first; a differing middle longer than MAX_MATCHED is
    marked as one change (difflib is quadratic)."""
    old, new = before[:MAX_DIFF_TEXT], after[:MAX_DIFF_TEXT]
    same = (len(old), len(old), len(new), len(new))
    start, old_end, _, new_end = outer_span(old, new) if old != new else same
    left, right = [escape(old[:start])], [escape(new[:start])]
    middle = (old[start:old_end], new[start:new_end])
    if max(len(middle[0]), len(middle[1])) > MAX_MATCHED:
        opcodes = [("replace", 0, len(middle[0]), 0, len(middle[1]))]
    else:
        opcodes = difflib.SequenceMatcher(None, *middle, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            left.append(escape(middle[0][i1:i2]))
            right.append(escape(middle[1][j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<span data-diff='del' class='x-del'>{escape(middle[0][i1:i2])}</span>")
        if j2 > j1:
            right.append(f"<span data-diff='ins' class='x-ins'>{escape(middle[1][j1:j2])}</span>")
    left.append(escape(old[old_end:]))
    right.append(escape(new[new_end:]))
    more = [f"<span class='x-muted'> … {len(t) - MAX_DIFF_TEXT:,} more characters</span>"
            if len(t) > MAX_DIFF_TEXT else "" for t in (before, after)]
    return "".join(left) + more[0], "".join(right) + more[1]


def _text_row(name: str, change: dict) -> str:
    left, right = text_diff_html(change["base"] or "", change["head"] or "")
    pre = "<pre class='x-pre'>"
    return (f"<tr><th class='x-cell'>{escape(name)}</th><td class='x-cell'>{pre}{left}</pre>"
            f"</td><td class='x-cell'>{pre}{right}</pre></td><td class='x-cell'>"
            f"{len(change['base'] or ''):,} → {len(change['head'] or ''):,} chars</td></tr>")


def _rows(name: str, change: Any) -> list[str]:
    if name in ("text", "reasoning"):
        return [_text_row(name, change)]
    if name in ("request", "other"):
        label = "request " if name == "request" else ""
        return [_row(f"{label}{f['field']}", f["before"], f["after"]) for f in change]
    if name == "embedding":
        return [_row("embedding lengths", str(change["base"]), str(change["head"]),
                     change["summary"])]
    if name == "error":
        return [_row("error", change["base"], change["head"],
                     f"status {change['status']['base']} → {change['status']['head']}")]
    if name == "tokens":
        return [_row(key.removesuffix("_tokens") + " tokens", c["base"], c["head"],
                     "unknown" if c["delta"] is None else f"{c['delta']:+,}")
                for key, c in change.items()]
    if name == "tool_calls":
        return [_row("tool calls", _calls(change["base"]), _calls(change["head"]))]
    if isinstance(change, dict) and "base" in change:
        return [_row(name.replace("_", " "), change["base"], change["head"])]
    return [_row(name.replace("_", " "), None, None, str(change))]


def details_html(status: str, details: dict | str | None) -> str:
    """What changed in one file (or moved pair), noise set aside: base and head values,
    requests field by field, texts marked character by character."""
    if status in ("added", "removed"):
        side = "head" if status == "added" else "base"
        return f"<p class='x-muted'>Only in {side}: nothing to compare it with.</p>"
    if isinstance(details, str):
        reason = (" Ids, <code>created</code> times and durations differ; what was recorded "
                  "is the same." if str(details).startswith(NORMALIZED_ONLY) else "")
        return f"<p data-field='details'><b>{escape(details)}</b>.{reason}</p>"
    rows = [r for name in details.get("changed", []) for r in _rows(name, details[name])]
    return ("<table data-field='details' class='x-details'><tr><th class='x-cell'>what</th>"
            f"<th class='x-cell' style='color:{COLORS['base']}'>base</th>"
            f"<th class='x-cell' style='color:{COLORS['head']}'>head</th>"
            f"<th class='x-cell'>change</th></tr>{''.join(rows)}</table>")
