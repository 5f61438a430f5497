"""Blank out what changes on every re-recording without meaning anything.

Noise is decided by what a value means, not by what its characters look like:
- per-call ids, whatever their shape (`cmpl-183`, `chatcmpl-…`, UUIDs, `""` → `rec-…`): the
  `id` of a response, chunk, item, file, vector store or batch, and `response_id`, `item_id`,
  `file_id`, `vector_store_id`, `batch_id`, `document_id`, … (an `id` whose object is a
  `model` is a model name and stays), and the random `obfuscation` padding of stream chunks;
- times and durations: `created`, `timestamp`, `*_at`, `*_duration`, …;
- the recorder's bookkeeping: `test_id`, `id_normalization_mapping`, `system_fingerprint`, the
  SDK and server versions in `provider_metadata` (not part of what is sent).
Tool-call ids (`tool_calls[].id`, `tool_call_id`, `call_id`, `tool_use_id`) tie a call to its
result: each is replaced by its order of first appearance in the document, so renaming every
id is noise but a change in which result answers which call is not. Inside free text, ids and
ISO times that look like ids (a provider prefix and a digit) become placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

TIME_KEYS = frozenset({"created", "updated", "timestamp", "duration"})
BOOKKEEPING_KEYS = frozenset({"test_id", "id_normalization_mapping", "system_fingerprint",
                              # provider_metadata: the client's or server's version, not sent
                              "openai_sdk_version", "ollama_sdk_version", "vllm_server_version"})
NOISE_KEYS = TIME_KEYS | BOOKKEEPING_KEYS
PER_CALL_ID_KEYS = frozenset({
    "id", "response_id", "previous_response_id", "item_id", "request_id", "file_id",
    "input_file_id", "output_file_id", "error_file_id", "vector_store_id", "batch_id",
    "conversation_id", "run_id", "thread_id", "message_id", "document_id", "chunk_id",
    "obfuscation",  # random padding OpenAI adds to each streamed chunk
})
CALL_ID_KEYS = frozenset({"tool_call_id", "call_id", "tool_use_id"})
TOOL_CALL_TYPES = frozenset({"function", "tool_use", "server_tool_use"})
RECORDER_ID = re.compile(r"\b(?:vs|batch|cmpl|file)[_-][A-Za-z]*[0-9][A-Za-z0-9]*"
                         r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
NOISE_LABELS = {"ids": "ids", "times": "times", "text": "ids or times in text",
                "bookkeeping": "recorder bookkeeping"}
NOISE_SUFFIXES = ("_at", "_duration", "_time", "_timestamp")
# with a digit (within 64 characters: a bounded look-ahead keeps the scan linear on runs like
# "rec-rec-rec-…"), so words like file-upload stay
_ID_BODY = r"(?=[A-Za-z_-]{0,64}\d)[A-Za-z0-9_-]{6,}"
ID_PATTERN = re.compile(
    rf"\b(?:chatcmpl|cmpl|rec|resp|msg|run|batch|file|vs)-{_ID_BODY}"
    rf"|\b(?:call|toolu|fc|resp|msg|ws|run)_{_ID_BODY}"
    r"|\b(?:call|toolu|fc)_(?=[a-z0-9]*[A-Z])(?=[A-Z0-9]*[a-z])[A-Za-z0-9]{8,}\b")
DATE_PATTERN = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def is_noise_key(key: str) -> bool:
    """Times, durations and the recorder's bookkeeping: noise whatever the value."""
    return key in NOISE_KEYS or key.endswith(NOISE_SUFFIXES)


def key_meaning(key: str, value: Any, parent: dict) -> str | None:
    """What a key's value means for the review: "times", "bookkeeping", "ids" (assigned per
    call), "call" (a tool-call id that ties a call to its result) or None (content)."""
    if key in BOOKKEEPING_KEYS:
        return "bookkeeping"
    if is_noise_key(key):
        return "times"
    if not (value is None or isinstance(value, (str, int))) or isinstance(value, bool):
        return None
    if key in CALL_ID_KEYS or (key == "id" and _is_tool_call(parent)):
        return "call"
    if key in PER_CALL_ID_KEYS and not (key == "id" and parent.get("object") == "model"):
        return "ids"
    return None


def _is_tool_call(parent: dict) -> bool:
    return parent.get("type") in TOOL_CALL_TYPES and any(
        key in parent for key in ("function", "name", "input"))


def call_order(document: Any) -> dict[Any, int]:
    """Each tool-call id of a document → its order of first appearance (1, 2, …), depth first
    in key order; empty ids are left out (no id is not another id)."""
    order: dict[Any, int] = {}
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key_meaning(key, item, value) == "call" and item not in ("", None):
                    order.setdefault(item, len(order) + 1)
            stack.extend(reversed([v for v in value.values() if isinstance(v, (dict, list))]))
        elif isinstance(value, list) and value and not _numbers(value):
            stack.extend(reversed([v for v in value if isinstance(v, (dict, list))]))
    return order


def normalize_text(text: str) -> str:
    """Ids and ISO times inside a string (also inside recorded SSE lines) become placeholders."""
    if "-" not in text and "_" not in text:
        return text
    return DATE_PATTERN.sub("<date>", ID_PATTERN.sub("<id>", text))


def normalize(value: Any) -> Any:
    """A copy of a decoded document without the recorder's noise: time and bookkeeping keys
    are left out (so one side having `id_normalization_mapping` and the other not is noise
    too), per-call ids become `<id>`, tool-call ids `<call-N>` by order of appearance, ids and
    dates inside strings placeholders. Iterative: any depth orjson reads is fine."""
    if not isinstance(value, (dict, list)):
        return _leaf(value)
    calls = call_order(value)
    root: Any = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        if isinstance(source, dict):
            for key, item in source.items():
                meaning = key_meaning(key, item, source)
                if meaning in ("times", "bookkeeping"):
                    continue
                if meaning == "ids":
                    target[key] = "<id>"
                elif meaning == "call":
                    target[key] = f"<call-{calls[item]}>" if item in calls else "<call>"
                else:
                    target[key] = _node(item, stack)
        elif source and _numbers(source):
            target.extend(source)  # an embedding vector or token ids: nothing to normalize
        else:
            target.extend(_node(item, stack) for item in source)
    return root


def _numbers(values: list) -> bool:
    kind = type(values[0])
    return (kind is float or kind is int) and all(type(v) is kind for v in values)


def _node(item: Any, stack: list) -> Any:
    """`item` normalized if it is a leaf; an empty container queued for filling otherwise."""
    if isinstance(item, (dict, list)):
        child: Any = {} if isinstance(item, dict) else []
        stack.append((item, child))
        return child
    return _leaf(item)


def text_key(text: str) -> str:
    """A string as compared: `normalize_text`, then the recorder's short per-test ids
    (`vs_12`, `batch_7`, `file-183`, `cmpl-183`: a prefix and a digit) and UUIDs (document
    ids in file-search results) as placeholders.
    The pattern has no look-around and no overlapping quantifiers: linear in the text."""
    text = normalize_text(text)
    if "_" not in text and "-" not in text:
        return text
    return RECORDER_ID.sub("<id>", text)


def _leaf(value: Any) -> Any:
    return text_key(value) if isinstance(value, str) else value


def differing_paths(base: Any, head: Any, path: str = "$") -> Iterator[str]:
    """JSON paths (`$.response.body[3].choices`) where two documents differ, depth first.
    Iterative; equality of subtrees is Python's, so callers keep documents within
    `explorer.safety.depth.MAX_DEPTH`."""
    stack: list = [(base, head, path)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a finished path line
            yield item
            continue
        left, right, where = item
        todo: list = []
        if isinstance(left, dict) and isinstance(right, dict):
            for key in dict.fromkeys([*left, *right]):
                if key not in left or key not in right:
                    todo.append(f"{where}.{key}")
                elif left[key] != right[key]:
                    todo.append((left[key], right[key], f"{where}.{key}"))
        elif isinstance(left, list) and isinstance(right, list):
            todo = [(a, b, f"{where}[{index}]")
                    for index, (a, b) in enumerate(zip(left, right)) if a != b]
            if len(left) != len(right):
                todo.append(f"{where}[{min(len(left), len(right))}:] "
                            f"(length {len(left)} → {len(right)})")
        elif left != right:
            yield where
        stack.extend(reversed(todo))


MISSING = object()


def differences(base: Any, head: Any, path: str = "", limit: int | None = None
                ) -> Iterator[tuple[str, Any, Any]]:
    """(path, before, after) of each leaf where two documents differ once noise is set aside,
    as `normalize(base) != normalize(head)` would find, without copying either: equal
    subtrees are skipped by one comparison, and the walk stops after `limit` differences.
    A side without the key gives MISSING; lists of another length are one difference."""
    walk = _Walk(base, head)
    for found, item in enumerate(walk.differences(base, head, path), 1):
        yield item
        if limit is not None and found >= limit:
            return


def same_modulo_noise(base: Any, head: Any) -> bool:
    return noise_changes(base, head) is not None


def noise_changes(base: Any, head: Any) -> frozenset[str] | None:
    """What kinds of noise two documents differ in ("ids", "times", "bookkeeping", "text"),
    or None when they also differ in something that means anything."""
    walk = _Walk(base, head)
    if next(walk.differences(base, head, ""), None) is not None:
        return None
    return frozenset(walk.noise)


def noise_summary(kinds: frozenset[str] | set[str], prefix: str) -> str:
    """`prefix` plus which noise it was, e.g. "… (ids only)": the id rule is a judgement on
    what a key means, so the reviewer is told when it was used."""
    if not kinds & {"ids", "text"}:
        return prefix  # times and the recorder's own fields are noise by definition
    labels = [NOISE_LABELS[k] for k in NOISE_LABELS if k in kinds]
    return f"{prefix} ({', '.join(labels)} only)"


class _Walk:
    """One comparison of two documents: tool-call ids are compared by their order of
    appearance in each document (computed when first needed); the noise seen is collected."""

    def __init__(self, base: Any, head: Any) -> None:
        self.roots = (base, head)
        self.orders: tuple[dict, dict] | None = None
        self.noise: set[str] = set()

    def same_call(self, left: Any, right: Any) -> bool:
        if left in ("", None) or right in ("", None):
            return True
        if self.orders is None:
            self.orders = (call_order(self.roots[0]), call_order(self.roots[1]))
        return self.orders[0].get(left) == self.orders[1].get(right)

    def differences(self, base: Any, head: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
        if base == head:
            return
        if isinstance(base, dict) and isinstance(head, dict):
            yield from self._dicts(base, head, path)
        elif isinstance(base, list) and isinstance(head, list):
            if len(base) != len(head):
                yield path, base, head
                return
            for index, (left, right) in enumerate(zip(base, head)):
                if left != right:
                    yield from self.differences(left, right, f"{path}[{index}]")
        elif isinstance(base, str) and isinstance(head, str):
            if text_key(base) != text_key(head):
                yield path, base, head
            else:
                self.noise.add("text")
        else:
            yield path, base, head

    def _dicts(self, base: dict, head: dict, path: str) -> Iterator[tuple[str, Any, Any]]:
        for key in dict.fromkeys([*base, *head]):
            left, right = base.get(key, MISSING), head.get(key, MISSING)
            if left == right:
                continue
            meaning = self._meaning(key, left, right, base, head)
            if meaning == "call" and self.same_call(left, right):
                self.noise.add("ids")
                continue
            if meaning in ("times", "bookkeeping", "ids"):
                self.noise.add(meaning)
                continue
            sub = f"{path}.{key}" if path else str(key)
            if left is MISSING or right is MISSING or meaning == "call":
                yield sub, left, right
            else:
                yield from self.differences(left, right, sub)

    @staticmethod
    def _meaning(key: str, left: Any, right: Any, base: dict, head: dict) -> str | None:
        """The key's meaning when both sides agree on it (a side without it agrees)."""
        meanings = {key_meaning(key, value, parent) for value, parent in
                    ((left, base), (right, head)) if value is not MISSING}
        if len(meanings) != 1:
            return None
        meaning = meanings.pop()
        if meaning in ("ids", "call") and MISSING in (left, right):
            return None  # an id that appears or disappears: the shape changed
        return meaning
