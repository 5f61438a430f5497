"""Raw HTTP recordings with no more specific family (rerank, ...): `url` + `payload` → `status`, body."""

from __future__ import annotations

from typing import Any

from explorer.wire import openai
from explorer.wire.base import Delta, Tool, Turn, as_dict, as_str


def whole(body: Any) -> Delta:
    body = as_dict(body)
    return Delta(usage=openai.usage(body.get("usage")), model=as_str(body.get("model")) or None)


chunk = whole


def conversation(payload: Any) -> list[Turn]:
    payload = as_dict(payload)
    if "messages" in payload:
        return openai.conversation(payload)
    turns = []
    if isinstance(payload.get("query"), str):
        turns.append(Turn("user", payload["query"]))
    documents = payload.get("documents", payload.get("items"))
    if isinstance(documents, list):
        turns.append(Turn("user", "\n---\n".join(d if isinstance(d, str) else openai.arguments_text(d)
                                                for d in documents)))
    return turns or openai.conversation(payload)


def tools(payload: Any) -> list[Tool]:
    return openai.tools(payload)
