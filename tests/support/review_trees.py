"""Base and head trees for the export, diff and report tests, made from the project's fixtures.

`make_pair(tmp)` copies tests/fixtures/tree twice and edits the head copy in known ways, so each
test can assert exactly which files are added, removed and changed, and how.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from support.paths import FIXTURES

TREE = FIXTURES / "tree"
TREE_OLD = FIXTURES / "tree_old"
REC = "tests/integration/{area}/recordings/{name}.json"
REASONING = REC.format(area="inference", name="openai_chat_nonstream_reasoning_usage")
TEXT_STREAM = REC.format(area="inference", name="openai_chat_stream_text_usage")
TOOLS = REC.format(area="responses", name="openai_chat_stream_parallel_tool_calls")
EMBED = REC.format(area="vector_io", name="openai_embeddings")
REMOVED = REC.format(area="vector_io", name="ollama_embed")
ADDED = REC.format(area="inference", name="o4_mini_copy")
NEW_MODEL = "o4-mini-test-model"
NEW_TEXT = "The journey lasts 3 h 25 min."


@dataclass(frozen=True)
class Pair:
    base: Path
    head: Path
    added: list[str]
    removed: list[str]
    changed: list[str]  # bytes differ
    semantic: str  # text + tokens changed
    noise: str  # only ids and `created` changed
    tool_change: str  # a tool call's arguments changed


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def make_pair(tmp: Path) -> Pair:
    base = copy_tree(TREE, tmp / "base")
    head = copy_tree(TREE, tmp / "head")
    (head / REMOVED).unlink()
    added = read(head / REASONING)
    added["request"]["model"] = added["request"]["body"]["model"] = NEW_MODEL
    write(head / ADDED, added)
    _change_text_and_tokens(head / REASONING)
    _change_noise_only(head / TEXT_STREAM)
    _change_tool_arguments(head / TOOLS)
    return Pair(base, head, [ADDED], [REMOVED], sorted([REASONING, TEXT_STREAM, TOOLS]),
                REASONING, TEXT_STREAM, TOOLS)


def _change_text_and_tokens(path: Path) -> None:
    document = read(path)
    data = document["response"]["body"]["__data__"]
    data["choices"][0]["message"]["content"] = NEW_TEXT
    data["usage"]["completion_tokens"] += 10
    data["usage"]["total_tokens"] += 10
    write(path, document)


def _change_noise_only(path: Path) -> None:
    """What a re-recording with nothing new looks like: other ids, other times."""
    document = read(path)
    for chunk in document["response"]["body"]:
        chunk["__data__"]["id"] = "chatcmpl-Zq81bX0new"
        chunk["__data__"]["created"] = 1767225600
        chunk["__data__"]["system_fingerprint"] = "fp_new12345"
    document["id_normalization_mapping"] = {"chatcmpl-Zq81bX0new": "rec-0123456789ab"}
    write(path, document)


def _change_tool_arguments(path: Path) -> None:
    """The first argument fragment of the first tool call names another city."""
    document = read(path)
    for chunk in document["response"]["body"]:
        for choice in chunk["__data__"]["choices"]:
            for call in choice["delta"].get("tool_calls") or []:
                arguments = call["function"]["arguments"] or ""
                if "Paris" in arguments:
                    call["function"]["arguments"] = arguments.replace("Paris", "Lyon")
                    write(path, document)
                    return
    raise AssertionError(f"{path}: no tool argument fragment names Paris; update the test")


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c",
                           "user.email=test@example.com", *args],
                          capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(tmp_path: Path):
    """A repository whose first commit is the base tree and second commit the head tree."""
    pair = make_pair(tmp_path / "trees")
    repo = tmp_path / "repo"
    shutil.copytree(pair.base, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / "tests")
    shutil.copytree(pair.head / "tests", repo / "tests")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    return pair, repo
