"""A standing hostile corpus (issue #23 and its variants): builders of trees and repositories
that attack the walker, the regexes, git, numbers, CSV, shell pipelines, the PR comment, the
terminal and memory. Each builder returns what a test needs to check that nothing ran, nothing
outside the tree was read and every good recording was kept.

Used by tests/safety/test_corpus.py as `support.hostile_corpus` (tests/ is on sys.path).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import orjson

AREA = "tests/integration/inference/recordings"
MARKER = "PWNED"


def recording(test: str, model: str = "gpt-4o", text: str = "hello",
              usage: dict | None = None, message: str = "hi") -> dict:
    """A non-streamed OpenAI chat recording."""
    body = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}]}
    if usage is not False:
        body["usage"] = usage or {"prompt_tokens": 3, "completion_tokens": 2,
                                  "total_tokens": 5}
    return {"test_id": f"tests/integration/inference/test_x.py::{test}",
            "request": {"method": "POST", "url": "http://localhost/v1/chat/completions",
                        "endpoint": "/v1/chat/completions", "model": model,
                        "body": {"model": model, "stream": False,
                                 "messages": [{"role": "user", "content": message}]}},
            "response": {"is_streaming": False, "body": {
                "__type__": "openai.types.chat.chat_completion.ChatCompletion",
                "__data__": body}}}


def write(path: Path, document: dict | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(document if isinstance(document, bytes)
                     else json.dumps(document).encode())  # any integer, unlike orjson
    return path


def good_files(folder: Path, count: int = 3) -> list[str]:
    """`count` good recordings in `folder`; their names."""
    names = [f"good{n}.json" for n in range(count)]
    for number, name in enumerate(names):
        write(folder / name, recording(f"test_good_{number}"))
    return names


# the walker ------------------------------------------------------------------------------

LINKS_TO_FOLDERS = {  # link name -> target, relative to the recordings folder
    "a.json": ".", "b.json": ".", "up.json": "..", "root.json": "/", "recordings": "..",
    "tests": "../..", "x": ".", "node.JSON": ".", "dot.json.bak": ".", "loop1.json": "loop2.json",
    "loop2.json": "loop1.json", "self.json": "self.json", "deep.json": "a.json",
}


def symlink_tree(base: Path) -> tuple[Path, Path, list[str]]:
    """(root to index, a folder outside it holding a secret recording, good names). Links to
    folders under many names, loops, a link out of the tree to a file and to a folder, and a
    link to a good file inside the tree (read once)."""
    root = base / "tree" / "tests" / "integration"
    folder = base / "tree" / AREA
    good = good_files(folder)
    outside = base / "outside"
    write(outside / "secret.json", recording("test_secret", model="secret-model"))
    for name, target in LINKS_TO_FOLDERS.items():
        os.symlink(target, folder / name)
    os.symlink(outside / "secret.json", folder / "leak.json")
    os.symlink(outside, folder / "outside.json")
    os.symlink(outside, folder / "outside_dir")
    os.symlink("good0.json", folder / "alias.json")
    write(base / "tree" / ".env", b"SECRET=1\n")
    os.symlink("../../../../.env", folder / "env.json")
    write(root / ".git" / "private.json", recording("test_private", model="secret-model"))
    os.symlink("../../.git/private.json", folder / "hidden.json")
    os.mkfifo(folder / "fifo.json")  # reading it would block for ever
    os.symlink("/dev/zero", folder / "zero.json")
    os.mkfifo(root / "inside.fifo")
    os.symlink("../../inside.fifo", folder / "pipe.json")
    (root / "nested").mkdir()
    os.symlink("../..", root / "nested" / "recordings")
    return root, outside, good


# regexes -----------------------------------------------------------------------------------

def regex_texts(size: int) -> dict[str, dict]:
    """Recordings whose text is a run of a pattern's own alphabet without what it looks for."""
    spaces = " " * size
    return {
        "ids.json": recording("test_ids", text="rec-" * (size // 4)),
        "ids_underscore.json": recording("test_ids_", text="run_-" * (size // 5)),
        "attributes.json": recording("test_attr", message="attributes: " + spaces + "x"),
        "attributes_commas.json": recording("test_attr2", message=", " * (size // 2)
                                            + "attributes:"),
        "score.json": recording("test_score", message="score:" * (size // 6)),
        "digits.json": recording("test_digits", message="1" * size + "x.12345"),
        "dates.json": recording("test_dates", text="2024-01-01T-" * (size // 12)),
    }


def regex_trees(base: Path, size: int) -> tuple[Path, Path]:
    """A base and a head tree: the same requests, the head's texts adversarial (so `diff`
    normalizes and compares every one)."""
    head, old = base / "head", base / "base"
    for name, document in regex_texts(size).items():
        write(head / AREA / name, document)
        calm = orjson.loads(orjson.dumps(document))
        calm["response"]["body"]["__data__"]["choices"][0]["message"]["content"] = "calm"
        write(old / AREA / name, calm)
    return old, head


# git -----------------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def hostile_git_repo(base: Path) -> tuple[Path, Path]:
    """(repository, marker folder): a work tree whose own .git/config names a program in
    every setting git could run (fsmonitor, hooks, ssh, pager, external diff, textconv, clean
    and smudge filters, a filter process); each would create a file in the marker folder."""
    repo, markers = base / "repo", base / "markers"
    markers.mkdir(parents=True)
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    good_files(repo / AREA)
    write(repo / ".gitattributes", b"*.json filter=evil diff=evil\n")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "recordings")
    write(repo / AREA / "good1.json", recording("test_good_1", text="changed"))
    git(repo, "commit", "--quiet", "-am", "re-record")
    hooks = repo / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "reference-transaction", "post-index-change",
                 "fsmonitor-watchman"):
        script = hooks / hook
        script.write_text(f"#!/bin/sh\ntouch {markers}/hook-{hook}\n")
        script.chmod(0o755)
    program = {name: f"touch {markers}/{name}; false" for name in (
        "fsmonitor", "ssh", "pager", "external", "textconv", "clean", "smudge", "process")}
    settings = {
        "core.fsmonitor": program["fsmonitor"], "core.sshCommand": program["ssh"],
        "core.pager": program["pager"], "diff.external": program["external"],
        "diff.evil.textconv": program["textconv"], "diff.evil.command": program["external"],
        "filter.evil.clean": program["clean"], "filter.evil.smudge": program["smudge"],
        "filter.evil.process": program["process"], "core.untrackedCache": "true",
    }
    for key, value in settings.items():
        git(repo, "config", key, value)
    # a racy index entry: git's own change check would read the file through the filter
    (repo / AREA / "good2.json").touch()
    return repo, markers


def symlinked_root_repo(base: Path) -> tuple[Path, Path]:
    """(repository, outside folder): its branch `main` has tests/integration as a symlink to
    a folder outside the clone."""
    repo, outside = base / "linkrepo", base / "elsewhere"
    good_files(outside / "inference" / "recordings")
    (repo / "tests").mkdir(parents=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    os.symlink(outside, repo / "tests" / "integration")
    write(repo / "README.md", b"x\n")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "a linked root")
    return repo, outside


# numbers, CSV, names -------------------------------------------------------------------------

NUMBER_EDGES = {  # file name -> usage
    "max.json": {"prompt_tokens": 2**63 - 1, "completion_tokens": 2**63 - 1},
    "min.json": {"prompt_tokens": -(2**63), "completion_tokens": 1},
    "over.json": {"prompt_tokens": 2**64, "completion_tokens": 1, "total_tokens": 2**64 + 1},
    "half.json": {"prompt_tokens": 2**62, "completion_tokens": 2**62},
    "float.json": {"prompt_tokens": 1e300, "completion_tokens": 2.0, "total_tokens": 1e300},
    "bool.json": {"prompt_tokens": True, "completion_tokens": 1},
    "negative.json": {"prompt_tokens": -1, "completion_tokens": -1, "total_tokens": -2},
}


def number_tree(base: Path) -> tuple[Path, list[str]]:
    """Token counts at and beyond the int64 edges, and one beyond a double (raw JSON)."""
    root = base / "numbers" / "tests" / "integration"
    good = good_files(root / "inference" / "recordings")
    for name, usage in NUMBER_EDGES.items():
        write(root / "inference" / "recordings" / name, recording(name, usage=usage))
    raw = orjson.dumps(recording("huge", usage={"prompt_tokens": 7, "completion_tokens": 1}))
    write(root / "inference" / "recordings" / "huge.json",
          raw.replace(b'"prompt_tokens":7', b'"prompt_tokens":1' + b"0" * 400))
    return root, good


CSV_VALUES = ["[ok\r=cmd|'/C calc'!A0]", "\r=1+1", " =1+1", "\t=1+1", "\x00=1", "\u200b=1",
              "a,b\nc", 'say "hi"', "\u2028=2", "\uff1d1"]


def csv_tree(base: Path) -> Path:
    """Test ids and models that try to split a CSV row or start a formula."""
    root = base / "csv" / "tests" / "integration"
    for number, value in enumerate(CSV_VALUES):
        write(root / "inference" / "recordings" / f"c{number}.json",
              recording(f"test_c{number}{value}", model=f"m{value}"))
    return root


DECOY_FOLDER = "x` ![i](https:evil.example) @octocat <img src=x onerror=alert(1)> `y"
PIPE_NAMES = ["a README.md b/stale.json", "new\nline.json", "quote'\".json", "-rf.json",
              "é.json", "tab\tname.json"]


def name_tree(base: Path) -> Path:
    """Recordings whose folder and file names attack a shell pipeline and a markdown comment
    (all misplaced: `check --paths misplaced` lists them)."""
    root = base / "names" / "tests" / "integration"
    for number, name in enumerate(PIPE_NAMES):
        write(root / "recordings_not" / name, recording(f"test_n{number}"))
    write(root / "inference" / DECOY_FOLDER / "recordings" / "r.json", recording("test_decoy"))
    return root


def terminal_tree(base: Path) -> Path:
    root = base / "term" / "tests" / "integration"
    write(root / "inference" / "recordings" / "t.json",
          recording("test_t\u2028x", model="m\u2028o\u200bd\u2029e\ufeffl\u202el",
                    text="line\u2028sep\u200b"))
    return root


def big_tree(base: Path, megabytes: int) -> tuple[Path, list[str]]:
    """Good recordings beside one single-line file of `megabytes` MB and one long stream."""
    root = base / "big" / "tests" / "integration"
    folder = root / "inference" / "recordings"
    good = good_files(folder)
    write(folder / "huge.json", recording("test_huge", text="x" * (megabytes << 20)))
    return root, good


def linked_test_file_tree(base: Path) -> tuple[Path, list[str]]:
    """A repository whose test file (named by the recordings' test ids) is a link to an
    endless device, and a second test file that is a link out of the repository."""
    repo = base / "testlink"
    good = good_files(repo / AREA)
    folder = repo / "tests" / "integration" / "inference"
    os.symlink("/dev/zero", folder / "test_x.py")
    write(base / "outside" / "test_y.py", b"def test_good_0():\n    pass\n")
    os.symlink(base / "outside" / "test_y.py", folder / "test_y.py")
    return repo, good
