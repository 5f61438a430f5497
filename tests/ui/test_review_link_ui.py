"""The review link in a real browser: `explorer open --app` on 127.0.0.1, opened at
`/?repo=…&base=…&head=…` on a local git repository built here, shows the compare view of
exactly those two refs; a link whose values could be read as git options is refused."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.review_classes import REQUEST, make_class_pair

from explorer.cli.open import free_port
from explorer.review.link import query_string

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
STARTUP_S = 180
ADDRESS = re.compile(r"dashboard: (http://\S+)")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e", *args],
                   check=True, capture_output=True)


def reviewed_repository(tmp: Path) -> Path:
    """main holds the base tree, the branch `pr` the head tree (one change of each class)."""
    pair = make_class_pair(tmp / "trees")
    repo = tmp / "ogx"
    shutil.copytree(pair.base / "tests", repo / "tests")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "pr")
    shutil.rmtree(repo / "tests")
    shutil.copytree(pair.head / "tests", repo / "tests")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "re-record")
    git(repo, "checkout", "-q", "main")
    return repo



@pytest.fixture
def app(tmp_path):
    """`explorer open --app` on a free port; yields its address, stopped after the test."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "EXPLORER_CACHE_DIR": str(tmp_path / "cache"),
           "JUPYTER_PLATFORM_DIRS": "1", "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = (tmp_path / "app.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "explorer", "open", "--app",
                                "--no-browser", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + STARTUP_S
    address = None
    while address is None and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail((tmp_path / "app.log").read_text())
        found = ADDRESS.search((tmp_path / "app.log").read_text(errors="replace"))
        address = found.group(1) if found else time.sleep(0.5)
    if address is None:
        pytest.fail("no address printed:\n" + (tmp_path / "app.log").read_text())
    yield address  # exactly as printed: http://127.0.0.1:PORT/?token=…
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def test_the_link_opens_the_compare_view_of_both_refs(app, page, screenshot, blocked_requests,
                                                     tmp_path):
    repo = reviewed_repository(tmp_path)
    page.goto(app + "&" + query_string(str(repo), "main", "pr"))
    page.get_by_role("button", name="request (1)").wait_for(state="visible", timeout=120_000)
    for label in ("response (1)", "moved (2)", "environment (1)", "noise (1)"):
        assert page.get_by_role("button", name=label).is_visible()
    assert page.get_by_text(f"{repo}@main").first.is_visible()
    assert page.get_by_text(f"{repo}@pr").first.is_visible()
    first = page.locator(".explorer-table tbody tr").first
    assert first.get_attribute("data-tag") == "request"
    screenshot("loaded")
    page.locator(f".explorer-table tr[data-path='{REQUEST.removeprefix('tests/integration/')}']"
                 ).click()
    page.get_by_text("request body.dimensions").wait_for(state="visible")
    screenshot("request")
    assert [u for u in blocked_requests if "fontawesome" not in u] == []


def test_a_link_with_an_option_like_ref_is_refused(app, page, tmp_path):
    repo = reviewed_repository(tmp_path)
    page.goto(app + f"&repo={repo}&base=--upload-pack=touch%20/tmp/x&head=pr")
    page.get_by_text("refused", exact=False).first.wait_for(state="visible", timeout=120_000)
    assert page.locator(".explorer-table").count() == 0
