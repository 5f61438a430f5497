"""`explorer open` run as a subprocess from the clone, for the browser tier."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TREE = REPO / "tests" / "fixtures" / "tree"
ADDRESS = re.compile(r"dashboard: (http://\S+)")


def git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout


def jupyter_env(state: Path) -> dict[str, str]:
    """Jupyter's own state in `state` (not the user's); news and update checks are left to
    what `explorer open` asks of JupyterLab."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXPLORER_")}
    return env | {"JUPYTER_CONFIG_DIR": str(state / "config"),
                  "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
                  "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
                  "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
                  "EXPLORER_CACHE_DIR": str(state / "cache")}


class OpenCommand:
    """`explorer open ...` run from the clone, as the README says."""

    def __init__(self, args: list[str], state: Path, env: dict[str, str] | None = None) -> None:
        self.log = state / "open.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "explorer", "open", *args, "--no-browser"], cwd=REPO,
                env=jupyter_env(state) | (env or {}), stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def address(self) -> str:
        deadline = time.monotonic() + 180  # printed once the server answers
        while time.monotonic() < deadline:
            found = ADDRESS.search(self.log.read_text(errors="replace"))
            if found:
                return found.group(1)
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.2)
        raise AssertionError(f"no address printed:\n{self.log.read_text()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(40)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture
def explorer_open(tmp_path):
    started: list[OpenCommand] = []

    def start(*args: str, env: dict[str, str] | None = None) -> OpenCommand:
        command = OpenCommand(list(args), tmp_path, env)
        started.append(command)
        return command

    yield start
    for command in started:
        command.stop()


def wait_for_table(page, total: int) -> None:
    page.locator(".explorer-table tbody tr").first.wait_for(state="visible", timeout=120_000)
    page.get_by_text(f"{total} of {total} recordings match").wait_for(state="visible")
