"""One good recording (an ollama generate call), the readable neighbour of damaged files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from support.paths import REPO

GOOD = {
    "test_id": "tests/integration/inference/test_x.py::test_ok[txt=ollama/llama3.2:3b]",
    "request": {"method": "POST", "url": "http://localhost:11434/api/generate",
                "endpoint": "/api/generate", "model": "llama3.2:3b",
                "body": {"model": "llama3.2:3b", "prompt": "hi", "stream": False}},
    "response": {"is_streaming": False, "body": {
        "__type__": "ollama._types.GenerateResponse",
        "__data__": {"model": "llama3.2:3b", "done": True, "done_reason": "stop",
                     "response": "hello", "prompt_eval_count": 3, "eval_count": 2}}},
}


def good_recordings(root: Path) -> Path:
    """Three copies of GOOD in `root`'s tests/integration/inference/recordings."""
    folder = root / "tests" / "integration" / "inference" / "recordings"
    folder.mkdir(parents=True)
    for number in range(3):
        (folder / f"good{number}.json").write_bytes(orjson.dumps(GOOD))
    return folder


def explorer(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command line, with a strict UTF-8 stdout (a stray surrogate would fail)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True,
                          env=env, cwd=cwd, timeout=300, check=False)
