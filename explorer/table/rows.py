"""One index row from one parsed recording (the only place rows are made)."""

from __future__ import annotations

from typing import Any

from explorer.health.status import row_health
from explorer.record import classify
from explorer.record.recording import Parsed, error_of
from explorer.record.replay import Accumulator
from explorer.table.schema import TOKEN_COLUMNS
from explorer.wire import unwrap
from explorer.wire.base import as_dict, as_int, as_str, with_total

FIRST_USER_CHARS = 300
# no request counts this many tokens; sums of up to 2**24 such rows still fit in int64
COUNT_LIMIT = 2**39


def describe(parsed: Parsed, path: str, size: int, location: str | None = None,
             naming: bool = False) -> dict[str, Any]:
    """The row of the recording at `path` (relative to the indexed root); `location` is where
    it really is (the root joined with `path`), which decides its area. With `naming`, the row
    also has `naming` (see `row_health`), for rows kept without their file name."""
    acc = parsed.summary()
    test_file, test_name, test_params = classify.split_test_id(parsed.test_id)
    usage, notes = fitting_counts(with_total(acc.usage) or {})  # every TOKEN_COLUMNS key
    if notes:
        parsed.issues.extend(note for note in notes if note not in parsed.issues)  # problems
    error = error_of(parsed, acc.errors)
    request = parsed.request
    return {
        "path": path,
        "test_id": parsed.test_id,
        "test_file": test_file,
        "test_name": test_name,
        "test_params": test_params,
        "area": classify.area_of(location or path, test_file),
        "endpoint": parsed.endpoint,
        "method": as_str(request.get("method")) or None,
        "provider": classify.provider_of(request, test_params, parsed.kind, parsed.body),
        "model": classify.model_of(request),
        "response_model": acc.model or _body_model(parsed.body),
        "kind": parsed.kind,
        "family": parsed.family,
        "streaming": parsed.streaming,
        "n_chunks": len(parsed.chunks) if parsed.chunks is not None else int(
            parsed.body is not None),
        **usage,
        "tools_declared": [tool.name for tool in parsed.module.tools(parsed.request_body())],
        "tools_called": _tools_called(parsed, acc),
        "first_user": _first_user(parsed),
        "finish_reason": acc.finish_reason,
        "is_error": error is not None,
        "error": error,
        "status": as_int(parsed.response.get("status")) or as_int(
            as_dict(parsed.response.get("exception_data")).get("status_code")),
        "size_bytes": size,
        **row_health(path, request, parsed.response, parsed.test_id, naming),
    }


def fitting_counts(usage: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The token counts the frame keeps (Int64); each one outside 0..COUNT_LIMIT is NA, named
    in one note. The bound leaves room for every sum: 2**24 rows of 2**39 still fit in int64."""
    kept, wrong = {}, []
    for key in TOKEN_COLUMNS:
        value = usage.get(key)
        if value is not None and not 0 <= value <= COUNT_LIMIT:
            wrong.append(f"{key} {_short(value)}")
            value = None
        kept[key] = value
    if not wrong:
        return kept, []
    note = f"{', '.join(wrong)}: not a token count (0 to {COUNT_LIMIT:,}), shown as unknown"
    return kept, [note]


NO_USER_MESSAGE = frozenset({"embedding", "completion", "file_processor", "tool", "rerank",
                             "models"})


def _first_user(parsed: Parsed, limit: int = FIRST_USER_CHARS) -> str | None:
    """The text of the request's first user message; NA where the request has no user
    message (embedding and completion inputs, file processors, tool runtime, rerank) and
    where the first one holds no text (an image only): never another message's text."""
    if parsed.kind in NO_USER_MESSAGE:
        return None
    first = getattr(parsed.module, "first_user_text", None)  # the first turn alone, fast
    if first is not None:
        text = first(parsed.request_body())
        return (text or "")[:limit] or None
    for turn in parsed.module.conversation(parsed.request_body()):
        if turn.role == "user":
            return turn.text[:limit] or None
    return None


def _tools_called(parsed: Parsed, acc: Accumulator) -> list[str]:
    """Tools a model's response called; a tool-runtime recording is the tool running, not a
    model calling it (its tool is in `endpoint`)."""
    if parsed.shape == "tool":
        return []
    return acc.tool_names()


def _body_model(body: Any) -> str | None:
    model = as_dict(unwrap(body)).get("model")
    return model if isinstance(model, str) and model else None


def _short(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}… ({len(text.lstrip('-'))} digits)"
