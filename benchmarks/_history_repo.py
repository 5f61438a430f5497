"""Build a git repository with a long, realistic recordings history (for bench_history.py).

The contents come from the real recordings' eras (read, never copied into the project): the
first commit adds every era's files (the 2025-08 tree in its early layout, the later ones in the
2026 layout); later commits re-record files (a new version of the same request, or the file
replaced by another era's recording), add files, delete as many as they add on average, and
move some. Sizes stay the same on average however long the history: a 10x longer one holds
about 10x the bytes. `git fast-import` writes it all in one pass; the same
seed gives the same repository, commit ids included.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import orjson

START = 1_750_000_000  # 2025-06-15
OFFSETS = ("+0000", "+0200", "-0700", "+0530")


def era_files(shared: Path) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """(early layout files, later files) as (path in the repository, bytes)."""
    early, later = [], []
    for era in sorted(p for p in shared.iterdir() if p.is_dir()):
        for path in sorted(era.rglob("*.json")):
            rel = path.relative_to(era).as_posix()
            if "/recordings/" not in rel:
                continue
            (early if era.name.startswith("llama-stack-2025-08") else later).append(
                (rel, path.read_bytes()))
    return early, later


class Builder:
    """Writes a fast-import stream: blobs by mark, one commit after another on main."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[bytes] = []
        self.marks = 0
        self.commits = 0
        self.tree: dict[str, int] = {}  # path -> blob mark

    def blob(self, data: bytes) -> int:
        self.marks += 1
        self.parts.append(b"blob\nmark :%d\ndata %d\n%s\n" % (self.marks, len(data), data))
        return self.marks

    def commit(self, subject: str, changes: dict[str, int | None]) -> None:
        self.marks += 1
        self.commits += 1
        when = START + self.commits * 3600 + self.rng.randrange(3000)
        message = subject.encode()
        head = (b"commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.org> %d %s\n"
                b"data %d\n%s\n" % (self.marks, when, self.rng.choice(OFFSETS).encode(),
                                    len(message), message))
        lines = [head]
        if self.commits > 1:
            lines.append(b"from :%d\n" % self.last)
        for path, mark in sorted(changes.items()):
            if mark is None:
                lines.append(b"D %s\n" % path.encode())
                self.tree.pop(path, None)
            else:
                lines.append(b"M 100644 :%d %s\n" % (mark, path.encode()))
                self.tree[path] = mark
        self.last = self.marks
        self.parts.append(b"".join(lines) + b"\n")

    def write(self, repo: Path) -> None:
        subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo)], check=True)
        # fast-import deltas each blob against the one written before it, whatever its path:
        # chains no clone has. Storing blobs whole keeps reads as cheap as in a repacked clone.
        subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet",
                        "--big-file-threshold=1k"], input=b"".join(self.parts), check=True)


def rerecorded(data: bytes, version: int) -> bytes:
    """The same recording re-recorded: same request, a response that differs in its ids."""
    doc = orjson.loads(data)
    if isinstance(doc, dict):
        doc["id_normalization_mapping"] = {f"rec-{version:012x}": f"chatcmpl-{version}"}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)


def build_history(repo: Path, shared: Path, commits: int, seed: int = 7,
                  copies: int = 1) -> None:
    """A repository of `commits` commits over the eras' recordings, deterministic per seed.

    The first commit holds `copies` distinct versions of every era file (copy 0 as it is), so
    a history `copies` times longer also starts from a tree `copies` times larger.
    """
    rng = random.Random(seed)
    early, later = era_files(shared)
    builder = Builder(rng)
    pool = early + later
    version = 10**9  # ids of the copies; re-recordings count up from 0 below
    first = dict(pool)
    for copy in range(1, copies):
        for path, data in pool:
            version += 1
            first[path.replace(".json", f"-c{copy}.json")] = rerecorded(data, version)
    builder.commit("Add the recordings", {path: builder.blob(data) for path, data in first.items()})
    contents = dict(first)
    version = 0
    for number in range(1, commits):
        action = rng.random()
        changes: dict[str, int | None] = {}
        paths = sorted(builder.tree)
        if action < 0.6 or not paths:
            for path in rng.sample(paths, min(len(paths), rng.randint(1, 6))):
                version += 1
                source = contents[path] if rng.random() < 0.8 else rng.choice(pool)[1]
                contents[path] = rerecorded(source, version)
                changes[path] = builder.blob(contents[path])
            subject = f"Re-record {len(changes)} recordings"
        elif action < 0.75:
            for _ in range(rng.randint(1, 3)):
                path, data = rng.choice(pool)
                version += 1
                new_path = path.replace(".json", f"-{version}.json")
                contents[new_path] = rerecorded(data, version)
                changes[new_path] = builder.blob(contents[new_path])
            subject = f"Add {len(changes)} recordings"
        elif action < 0.9:
            for path in rng.sample(paths, min(len(paths), rng.randint(1, 3))):
                changes[path] = None
            subject = f"Remove {len(changes)} stale recordings"
        else:
            for path in rng.sample(paths, min(len(paths), rng.randint(1, 3))):
                area = rng.choice(("inference", "responses", "agents", "safety"))
                target = f"tests/integration/{area}/recordings/{Path(path).name}"
                if target not in builder.tree and target not in changes:
                    changes[path] = None
                    changes[target] = builder.tree[path]
                    contents[target] = contents[path]
            subject = f"Move recordings ({number})"
        if changes:
            builder.commit(subject, changes)
    builder.write(repo)
