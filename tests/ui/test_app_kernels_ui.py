"""`explorer open --app` gives a leaving visitor's kernel back: six visits (closed tabs, tabs
gone without unloading, a reload, a navigation away) leave only the preheated pool running
once the idle time has passed (20 s here, EXPLORER_APP_IDLE_SECONDS; 30 s by default), and the
page's shutdown request is accepted (no 403), while one from another origin is refused."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.ui_open import TREE, wait_for_table

from explorer.table.index import index_tree as load_index

pytestmark = pytest.mark.browser

# a visitor's kernel is culled once nothing has been connected to it for this long: a page
# still loading when it passes loses its kernel, and on a loaded machine a visit has taken
# about 11 s to show its table
IDLE_S = 20
# the idle time, a check every third of it, and a loaded machine: beside the rest of the
# browser tier (the full suite on two cores), 60 s has once not been enough
RECLAIMED_WITHIN_S = 180


def kernels_below(pid: int) -> list[int]:
    """Live ipykernel processes descending from `pid`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child)
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"ipykernel" in command:
                found.append(child)
    return found


def wait_for_kernels(pid: int, wanted: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while (count := len(kernels_below(pid))) != wanted and time.monotonic() < deadline:
        time.sleep(1)
    return count


def test_six_visits_leave_only_the_pool(explorer_open, browser_context):
    total = len(load_index(TREE, cache=False))
    command = explorer_open(str(TREE), "--app", env={"EXPLORER_APP_IDLE_SECONDS": str(IDLE_S)})
    address = command.address()
    pid = command.process.pid
    for visit in range(6):
        page = browser_context.new_page()
        page.goto(address)
        wait_for_table(page, total)
        if visit == 2:  # a reload: the first page unloads, a second kernel takes its place
            page.reload()
            wait_for_table(page, total)
        if visit == 4:  # navigating away
            page.goto("about:blank")
        # the first two tabs vanish without a word (a crash, a lost connection): only the
        # culling of kernels nobody is connected to gives theirs back
        page.close(run_before_unload=visit >= 2)
    left = wait_for_kernels(pid, 1, RECLAIMED_WITHIN_S)
    assert left == 1, f"{left} kernels left\n{command.log.read_text()[-3000:]}"
    log = command.log.read_text()
    assert "403 POST /voila/api/shutdown" not in log
    assert "_xsrf' argument missing" not in log
    parts = urlsplit(address)
    request = urllib.request.Request(
        f"{parts.scheme}://{parts.netloc}/voila/api/shutdown/0?{parts.query}", method="POST",
        data=b"", headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (403, 404)
    assert command.stop() == 0
