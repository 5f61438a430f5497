"""One index row from one parsed recording (the only place rows are made)."""

from __future__ import annotations

from typing import Any

from explorer.health.status import row_health
from explorer.record import classify
from explorer.record.recording import Parsed, error_of
from explorer.record.replay import Accumulator
from explorer.wire import unwrap
from explorer.wire.base import as_dict, as_int, as_str, with_total

FIRST_USER_CHARS = 300


def describe(parsed: Parsed, path: str, size: int, location: str | None = None,
             naming: bool = False) -> dict[str, Any]:
    """The row of the recording at `path` (relative to the indexed root); `location` is where
    it really is (the root joined with `path`), which decides its area. With `naming`, the row
    also has `naming` (see `row_health`), for rows kept without their file name."""
    acc = parsed.summary()
    test_file, test_name, test_params = classify.split_test_id(parsed.test_id)
    usage = with_total(acc.usage) or {}
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
        **{key: usage.get(key) for key in ("prompt_tokens", "completion_tokens", "total_tokens",
                                           "cached_tokens", "reasoning_tokens")},
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


def _first_user(parsed: Parsed, limit: int = FIRST_USER_CHARS) -> str | None:
    for turn in parsed.module.conversation(parsed.request_body()):
        if turn.role == "user" and turn.text:
            return turn.text[:limit]
    return None


def _tools_called(parsed: Parsed, acc: Accumulator) -> list[str]:
    if parsed.shape == "tool":
        return [as_str(parsed.request.get("tool_name")) or "?"]
    return acc.tool_names()


def _body_model(body: Any) -> str | None:
    model = as_dict(unwrap(body)).get("model")
    return model if isinstance(model, str) and model else None
