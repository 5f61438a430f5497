"""Two trees made from the fixture tree: one recording changed, one added, one removed."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE_TREE = Path(__file__).parents[1] / "fixtures" / "tree"
N_FIXTURES = len(list(FIXTURE_TREE.rglob("*.json")))
REC = "tests/integration/{area}/recordings/{name}.json"
CHANGED = REC.format(area="inference", name="openai_chat_stream_text_usage")
ADDED = REC.format(area="inference", name="openai_chat_stream_text_usage_again")
REMOVED = REC.format(area="vector_io", name="ollama_embed")
NOISE = REC.format(area="responses", name="openai_chat_stream_parallel_tool_calls")
NEW_ENDING = " **Sol**, as in solar."
SUMMARY = ('text 38 → 51 chars, first difference at 37: "is **Sol**." → "is **Sol**, as in solar."; '
           "chunks 6 → 5; tokens completion 11 → 15 (+4)")


def read(path: Path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, document: dict) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def make_trees(tmp: Path) -> tuple[Path, Path]:
    """base = the fixture tree; head = base with CHANGED re-recorded (its first two words in
    one chunk, so 5 chunks instead of 6, another ending, 4 more completion tokens), ADDED new
    and REMOVED gone."""
    base = Path(shutil.copytree(FIXTURE_TREE / "tests", tmp / "base" / "tests")).parent
    head = Path(shutil.copytree(FIXTURE_TREE / "tests", tmp / "head" / "tests")).parent
    (head / REMOVED).unlink()
    shutil.copy(head / CHANGED, head / ADDED)
    document = read(head / CHANGED)
    chunks = document["response"]["body"]
    first, second = chunks[1]["__data__"], chunks[2]["__data__"]
    first["choices"][0]["delta"]["content"] += second["choices"][0]["delta"]["content"]
    del chunks[2]
    chunks[2]["__data__"]["choices"][0]["delta"]["content"] = NEW_ENDING
    usage = chunks[-1]["__data__"]["usage"]
    usage["completion_tokens"] += 4
    usage["total_tokens"] += 4
    write(head / CHANGED, document)
    return base, head
