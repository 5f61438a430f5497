"""Two versions of one recording → its class (noise, environment, request, response) and the
details behind a one-line summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from explorer.record.recording import RecordingError, parse_bytes, parse_document
from explorer.record.replay import Accumulator
from explorer.review import fields as words
from explorer.review.normalize import (
    differences,
    noise_changes,
    noise_summary,
    normalize,
    text_key,
)
from explorer.safety.depth import deeper_than, too_deep_reason
from explorer.table.rows import describe
from explorer.table.schema import TOKEN_COLUMNS

NORMALIZED_ONLY = "only normalized fields changed"
FORMATTING_ONLY = "only formatting changed (same JSON)"
ENVIRONMENT_ENDPOINTS = frozenset({"/api/ps", "/api/tags", "/v1/models", "/v1/openai/v1/models"})
MAX_OTHER = 3


@dataclass
class Side:
    """What one side of a changed file says, for comparison."""

    document: Any = None
    row: dict = field(default_factory=dict)
    text: str = ""
    reasoning: str = ""
    tool_calls: list[dict] = field(default_factory=list)
    embeddings: list[list[float]] | None = None
    unreadable: str | None = None
    rel: str = ""
    size: int = 0
    answered: bool = False


def load_side(rel: str, data: bytes, row: dict | None = None, document: Any = None) -> Side:
    """Decode one version; what it says (text, tool calls, embeddings) is read on `answer`,
    only when the two versions differ beyond noise. Its index row, when given, is reused."""
    try:
        document = parse_bytes(data) if document is None else document
    except RecordingError as exc:
        return Side(unreadable=str(exc))
    if deeper_than(document):
        return Side(unreadable=too_deep_reason())
    return Side(document, dict(row or {}), rel=rel, size=len(data))


def answer(side: Side) -> Side:
    """Fill in the final text, reasoning, tool calls and embeddings (one pass over the
    response's deltas, no replay snapshots); an unparsable one becomes unreadable."""
    if side.unreadable or side.answered:
        return side
    try:
        parsed = parse_document(side.document)
        if not side.row:
            side.row = describe(parsed, side.rel, side.size)
        acc = Accumulator()
        for delta in parsed.deltas():
            acc.add(delta)
        side.text, side.reasoning = "".join(acc.text), "".join(acc.reasoning)
        side.tool_calls = [{"name": c.name, "arguments": c.arguments} for c in acc.tool_calls()]
        side.embeddings = words.embeddings(parsed.body) if parsed.kind == "embedding" else None
    except RecordingError as exc:
        side.unreadable = str(exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the rest of the diff
        side.unreadable = f"could not be parsed ({type(exc).__name__}: {exc})"
    side.answered = True
    return side


def compare(base: Side, head: Side) -> tuple[str, dict | str]:
    """(class, details): details is a dict with `summary` and `changed`, or a noise string."""
    if not (base.unreadable or head.unreadable):
        if base.document == head.document:
            return "noise", FORMATTING_ONLY
        kinds = noise_changes(base.document, head.document)
        if kinds is not None:
            return "noise", noise_summary(kinds, NORMALIZED_ONLY)
        answer(base)
        answer(head)
    if base.unreadable or head.unreadable:
        side = "head" if head.unreadable else "base"
        return "response", {"summary": f"unreadable in {side}: {(head if side == 'head' else base).unreadable}",
                            "changed": ["readable"], "readable": {
                                "base": base.unreadable or "ok", "head": head.unreadable or "ok"}}
    left, right = base.document, head.document
    fields = words.request_fields(_request(left), _request(right))
    details, parts = _response(base, head)
    if not details:
        other = list(differences(_response_part(left), _response_part(right), limit=21))
        details["other"] = [words.changed_field(_field(f), b, a) for f, b, a in other[:20]]
        parts.append(_other_line(details["other"], len(other)))
    endpoint = head.row.get("endpoint") or base.row.get("endpoint")
    if not fields and endpoint in ENVIRONMENT_ENDPOINTS:
        kind = "environment"
    elif fields:
        kind = "request"
        details = {"request": fields, **details}
        parts.insert(0, words.fields_line(fields))
    else:
        kind = "response"
    return kind, {"summary": "; ".join(p for p in parts if p), "changed": list(details),
                  **details}


def _request(document: Any) -> Any:
    return document.get("request") if isinstance(document, dict) else None


def _response_part(document: Any) -> Any:
    if not isinstance(document, dict):
        return document
    return {k: v for k, v in document.items() if k != "request"}


def _field(path: str) -> str:
    """`response.body.__data__.models[0].name` → `body.models[0].name`."""
    return path.removeprefix("response.").replace(".__data__", "").replace("__data__.", "")


def _other_line(other: list[dict], total: int) -> str:
    if not other:
        return ""
    shown = "; ".join(f"{o['field']} {o['before']} → {o['after']}" for o in other[:MAX_OTHER])
    return "response " + shown + (f"; +{total - MAX_OTHER} more fields" if total > MAX_OTHER
                                  else "")


def _response(base: Side, head: Side) -> tuple[dict, list[str]]:
    """What the answer says differently: details by aspect and one phrase per aspect."""
    details: dict[str, Any] = {}
    parts: list[str] = []
    for name in ("text", "reasoning"):
        old, new = getattr(base, name), getattr(head, name)
        if text_key(old) != text_key(new):
            details[name] = {"base": old, "head": new}
            parts.append(words.text_change(name, old, new))
    if normalize(base.tool_calls) != normalize(head.tool_calls):
        details["tool_calls"] = {"base": base.tool_calls, "head": head.tool_calls}
        parts.append(words.calls_change(base.tool_calls, head.tool_calls) or "tool calls")
    for name in ("model", "response_model", "finish_reason", "n_chunks"):
        old, new = base.row.get(name), head.row.get(name)
        if old != new:
            details[name] = {"base": old, "head": new}
            label = {"n_chunks": "chunks"}.get(name, name.replace("_", " "))
            parts.append(f"{label} {words.clip(old, 40)} → {words.clip(new, 40)}")
    tokens = _token_changes(base.row, head.row)
    if tokens:
        details["tokens"] = tokens
        parts.append(words.tokens_change(tokens))
    if (base.row.get("error"), base.row.get("status")) != (head.row.get("error"),
                                                            head.row.get("status")):
        details["error"] = {"base": base.row.get("error"), "head": head.row.get("error"),
                            "status": {"base": base.row.get("status"),
                                       "head": head.row.get("status")}}
        parts.append(words.error_change(base.row, head.row))
    embedding = words.embedding_change(base.embeddings, head.embeddings)
    if embedding:
        details["embedding"] = {
            "base": [len(v) for v in base.embeddings or []],
            "head": [len(v) for v in head.embeddings or []], "summary": embedding}
        parts.append(embedding)
    return details, parts


def _token_changes(base: dict, head: dict) -> dict:
    changes = {}
    for name in TOKEN_COLUMNS:
        old, new = base.get(name), head.get(name)
        if old != new:
            delta = new - old if old is not None and new is not None else None
            changes[name] = {"base": old, "head": new, "delta": delta}
    return changes


def summary_line(details: dict | str | None) -> str:
    """One line for a person: what changed, before → after."""
    if details is None:
        return ""
    if isinstance(details, str):
        return details
    return details.get("summary", "")
