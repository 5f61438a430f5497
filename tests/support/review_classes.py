"""Base and head trees with exactly one change of each diff class, made from the fixture tree.

`make_class_pair(tmp)` copies tests/fixtures/tree twice and edits the head copy; `ClassPair`
names each edited file and the class the diff must give it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from support.review_trees import REC, TREE, copy_tree, read, write

MOVED_FROM = REC.format(area="tool_runtime", name="tool_runtime_web_search")
MOVED_TO = REC.format(area="tools", name="a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9")
REMOVED_FOR_MOVE = REC.format(area="inference", name="openai_completion_nonstream")
RERECORDED_TO = REC.format(area="completions", name="openai_completion_nonstream")
NOISE = REC.format(area="responses", name="openai_chat_stream_multi_turn_tool_outputs")
ENVIRONMENT = REC.format(area="common", name="ollama_ps")
REQUEST = REC.format(area="vector_io", name="openai_embeddings")
EMBEDDING = REC.format(area="vector_io", name="ollama_embed")
ADDED = REC.format(area="inference", name="brand_new_recording")
REMOVED = REC.format(area="messages", name="http_error_400")
NEW_COMPLETION = "A different completion."


@dataclass(frozen=True)
class ClassPair:
    base: Path
    head: Path
    expected: dict[str, str]  # head path (base path for removed) → class


def make_class_pair(tmp: Path) -> ClassPair:
    base = copy_tree(TREE, tmp / "base")
    head = copy_tree(TREE, tmp / "head")
    _move(head, MOVED_FROM, MOVED_TO, test_id="tests/integration/tools/test_web.py::test_search")
    _move(head, REMOVED_FOR_MOVE, RERECORDED_TO, text=NEW_COMPLETION)
    _noise_only(head / NOISE)
    _machine_changed(head / ENVIRONMENT)
    _dimensions_requested(head / REQUEST, 4)
    _embedding_shorter(head / EMBEDDING, 3)
    added = read(head / REQUEST)
    added["request"]["body"]["input"] = ["a question nobody asked before"]
    write(head / ADDED, added)
    (head / REMOVED).unlink()
    expected = {MOVED_TO: "moved", RERECORDED_TO: "moved", NOISE: "noise",
                ENVIRONMENT: "environment", REQUEST: "request", EMBEDDING: "response",
                ADDED: "added", REMOVED: "removed"}
    return ClassPair(base, head, expected)


def _move(head: Path, source: str, target: str, test_id: str | None = None,
          text: str | None = None) -> None:
    document = read(head / source)
    (head / source).unlink()
    if test_id:
        document["test_id"] = test_id
    if text:
        choice = document["response"]["body"]["__data__"]["choices"][0]
        choice["text"] = text
    write(head / target, document)


def _noise_only(path: Path) -> None:
    """Re-recorded and normalized: provider ids without digits, other times, another
    test_id, another id mapping, another indentation; nothing the model said changed."""
    text = path.read_text(encoding="utf-8")
    for old, new in (("call_A1", "call_gefseirj"), ("call_B2", "call_qwmzpxnt"),
                     ("call_C3", "call_hbtrkvye")):
        text = text.replace(f'"{old}"', f'"{new}"')
    document = json.loads(text)
    document["test_id"] += "-renamed"
    document["id_normalization_mapping"] = {"call_gefseirj": "call_gefseirj"}
    for chunk in document["response"]["body"]:
        chunk["__data__"]["created"] = 1767225600
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")


def _machine_changed(path: Path) -> None:
    document = read(path)
    models = document["response"]["body"]["__data__"]["models"]
    models[0]["name"] = models[0]["model"] = "llama3.2:1b"
    models[0]["size_vram"] = 0
    write(path, document)


def _dimensions_requested(path: Path, dimensions: int) -> None:
    document = read(path)
    document["request"]["body"]["dimensions"] = dimensions
    for item in document["response"]["body"]["__data__"]["data"]:
        item["embedding"] = item["embedding"][:dimensions]
    write(path, document)


def _embedding_shorter(path: Path, length: int) -> None:
    document = read(path)
    data = document["response"]["body"]["__data__"]
    data["embeddings"] = [vector[:length] for vector in data["embeddings"]]
    write(path, document)
