"""`explorer open` ends its server and the server's kernels when it is stopped: Ctrl-C
(SIGINT), `kill` (SIGTERM) or a closed terminal (SIGHUP) leave no process behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
TREE = REPO / "tests" / "fixtures" / "tree"
ADDRESS = re.compile(r"dashboard: (http://\S+)")


def start_open(tmp_path: Path, app: bool) -> tuple[subprocess.Popen, str]:
    """`explorer open` as a user runs it; returns the process and the address it printed."""
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "explorer", "open", str(TREE), "--no-browser",
               *(["--app"] if app else [])]
    log = (tmp_path / "open.log").open("w+b")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 180  # printed once the server answers: slow on a busy machine
    while time.monotonic() < deadline:
        found = ADDRESS.search((tmp_path / "open.log").read_text(errors="replace"))
        if found:
            return process, found.group(1)
        time.sleep(0.2)
    kill_all(process)
    pytest.fail("explorer open printed no address")


def kill_all(process: subprocess.Popen) -> None:
    """Only when a test fails: nothing started here may outlive it."""
    for leftover in psutil.Process(process.pid).children(recursive=True):
        leftover.kill()
    process.kill()


def command_line(process: psutil.Process) -> str:
    """A process's command line; "" for one that ended meanwhile (a short-lived child, or a
    zombie its parent has not reaped yet)."""
    try:
        return " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):  # ZombieProcess is a NoSuchProcess
        return ""


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_for_kernel(process: subprocess.Popen, address: str, app: bool) -> list[psutil.Process]:
    """Until the server runs a kernel; returns every process started under `explorer open`."""
    base = address.split("/lab/")[0] + "/" if not app else address
    token = address.split("token=")[-1] if "token=" in address else ""
    deadline = time.monotonic() + 120
    started = False
    while time.monotonic() < deadline:
        descendants = psutil.Process(process.pid).children(recursive=True)
        if any("ipykernel" in command_line(p) for p in descendants if p.is_running()):
            return descendants
        if not app and not started:
            started = _start_kernel(base, token)
        time.sleep(0.5)
    pytest.fail("no kernel started under explorer open")


def _start_kernel(base: str, token: str) -> bool:
    request = urllib.request.Request(f"{base}api/kernels?token={token}", method="POST",
                                     data=json.dumps({"name": "python3"}).encode())
    try:
        with urllib.request.urlopen(request, timeout=30):
            return True
    except OSError:
        return False


@pytest.mark.parametrize(("app", "number"), [(False, signal.SIGTERM), (True, signal.SIGTERM),
                                             (False, signal.SIGINT), (True, signal.SIGHUP)],
                         ids=["lab-SIGTERM", "app-SIGTERM", "lab-SIGINT", "app-SIGHUP"])
def test_stopping_open_leaves_no_process(tmp_path, app, number):
    process, address = start_open(tmp_path, app)
    try:
        descendants = wait_for_kernel(process, address, app)
        os.kill(process.pid, number)
        assert process.wait(40) == 0
        left = [p for p in descendants if alive(p)]
        deadline = time.monotonic() + 5  # the kernel's own exit, a moment after the server's
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = [p for p in left if alive(p)]
        assert not left, [command_line(p) for p in left]
    finally:
        if process.poll() is None:
            kill_all(process)
