"""File-processor recordings: `api: file_processors`, `file_id` → ProcessFileResponse chunks."""

from __future__ import annotations

from typing import Any

from explorer.wire.base import Delta, Tool, Turn, as_dict, as_list, as_str


def whole(body: Any) -> Delta:
    chunks = as_list(as_dict(body).get("chunks"))
    return Delta(text="\n\n".join(as_str(as_dict(c).get("content")) for c in chunks))


chunk = whole


def conversation(request: Any) -> list[Turn]:
    request = as_dict(request)
    return [Turn("user", f"process file {as_str(request.get('file_id')) or '?'} "
                         f"with {as_str(request.get('provider')) or '?'}")]


def tools(request: Any) -> list[Tool]:
    return []
