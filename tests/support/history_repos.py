"""Small git repositories of fixture recordings, built commit by commit (for test_history.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from fixtures.fixture_kit import OPENAI_V1, inference_request, recording

from explorer.demo.shapes import openai_chat, openai_usage

AREA = "tests/integration/inference/recordings"


def chat(test: str, model: str, prompt: int, completion: int, text: str = "hi",
         sdk: str | None = None) -> dict:
    """An OpenAI chat recording with known usage (and an SDK version when `sdk`)."""
    body = {"model": model, "messages": [{"role": "user", "content": text}]}
    metadata = {"openai_sdk_version": sdk} if sdk else None
    request = inference_request(OPENAI_V1, "/v1/chat/completions", model, body, metadata)
    test_id = f"tests/integration/inference/test_chat.py::{test}[txt=openai/{model}]"
    return recording(test_id, request, openai_chat("rec-1", model, text,
                                                   openai_usage(prompt, completion)), False)


class Repo:
    """A git repository in a folder; `commit` writes, deletes and commits in one step."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet", "-b", "main")

    def git(self, *args: str, date: str = "2025-01-01T00:00:00+00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
               "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org",
               "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        done = subprocess.run(["git", "-C", str(self.path), *args], env=env,
                              capture_output=True, text=True, check=True)
        return done.stdout

    def commit(self, subject: str, date: str, files: dict[str, object]) -> str:
        """`files`: path -> JSON document, bytes, or None (delete). Returns the commit id."""
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                self.git("rm", "--quiet", "--", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else json.dumps(content, indent=2)
            target.write_bytes(data if isinstance(data, bytes) else data.encode())
            self.git("add", "--", rel)
        self.git("commit", "--quiet", "--allow-empty", "-m", subject, date=date)
        return self.head()

    def move(self, source: str, target: str, subject: str, date: str) -> str:
        (self.path / target).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", "--", source, target)
        self.git("commit", "--quiet", "-m", subject, date=date)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def log_of(self, rel: str) -> list[tuple[str, str]]:
        """(commit, ISO date) per commit that `git log` lists for one path, newest first."""
        out = self.git("log", "--no-renames", "--format=%H %cI", "--", rel)
        return [tuple(line.split(" ", 1)) for line in out.splitlines()]


A = f"{AREA}/a.json"
B = f"{AREA}/b.json"
C = "tests/integration/safety/recordings/c.json"
D = "tests/integration/agents/recordings/c.json"


def small_repo(path: Path) -> Repo:
    """Four commits: add, re-record + add, delete, move; plus files that are no recordings."""
    repo = Repo(path)
    repo.commit("Add two recordings", "2025-03-01T10:00:00+02:00",
                {A: chat("test_a", "gpt-4o", 10, 2, sdk="2.5.0"), B: chat("test_b", "o3", 7, 1),
                 "README.md": b"readme\n", "tests/integration/conf.json": {"x": 1}})
    repo.commit("Re-record a, add c", "2025-03-05T08:30:00-07:00",
                {A: chat("test_a", "gpt-4o", 12, 3, sdk="2.30.0"),
                 C: chat("test_c", "gpt-4o-mini", 5, 5)})
    repo.commit("Remove b", "2025-04-01T00:00:00+00:00", {B: None})
    repo.move(C, D, "Move c", "2025-04-02T12:00:00+05:30")
    return repo
