"""The Quick start in a browser: `explorer open` as a subprocess, exactly the address it
prints, the dashboard found there (JupyterLab and --app), and a clean clone afterwards."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.table.index import index_tree as load_index

pytestmark = pytest.mark.browser

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

    def __init__(self, args: list[str], state: Path) -> None:
        self.log = state / "open.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "explorer", "open", *args, "--no-browser"], cwd=REPO,
                env=jupyter_env(state), stdout=out, stderr=subprocess.STDOUT,
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

    def start(*args: str) -> OpenCommand:
        command = OpenCommand(list(args), tmp_path)
        started.append(command)
        return command

    yield start
    for command in started:
        command.stop()


def wait_for_table(page, total: int) -> None:
    page.locator(".explorer-table tbody tr").first.wait_for(state="visible", timeout=120_000)
    page.get_by_text(f"{total} of {total} recordings match").wait_for(state="visible")


def test_printed_address_opens_the_dashboard_in_jupyterlab(explorer_open, page, screenshot,
                                                           blocked_requests):
    before = git_status()
    total = len(load_index(TREE, cache=False))
    command = explorer_open(str(TREE))
    page.goto(command.address())
    hint = page.locator(".jp-MarkdownOutput strong", has_text="press Shift+Enter").first
    hint.wait_for(state="visible", timeout=120_000)
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    assert config["news"] == {"disabled": True}  # no "official Jupyter news?" prompt
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=120_000)
    page.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")  # what the notebook tells the user to press
    wait_for_table(page, total)
    streamed = int(load_index(TREE, cache=False)["streaming"].fillna(False).sum())
    page.get_by_role("button", name=f"streamed ({streamed})", exact=True).click()
    page.get_by_text(f"{streamed} of {total} recordings match").wait_for(state="visible")
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.jp-mod-dirty").wait_for(state="detached")  # saved
    screenshot()
    page.close()
    assert command.stop() == 0
    assert blocked_requests == []
    assert git_status() == before  # the tracked notebook got no outputs, nothing was added


def test_printed_address_opens_the_app(explorer_open, page, screenshot, blocked_requests):
    before = git_status()
    total = len(load_index(TREE, cache=False))
    command = explorer_open(str(TREE), "--app")
    page.goto(command.address())
    wait_for_table(page, total)
    page.get_by_role("heading", name="Recordings explorer").wait_for(state="visible")
    page.get_by_text(re.compile(r"^Recordings: ")).first.wait_for(state="visible")
    body = page.locator("body").inner_text()
    for note in ("Shift+Enter", "In code", "EXPLORER_RECORDINGS", "How to run"):
        assert note not in body, f"developer note {note!r} shown in the app"
    page.get_by_role("tab", name="charts").click()  # plotly.js arrives when a chart is shown
    page.locator(".js-plotly-plot .bars path").first.wait_for(state="attached", timeout=60_000)
    screenshot()
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    page.close()
    assert command.stop() == 0
    assert git_status() == before
