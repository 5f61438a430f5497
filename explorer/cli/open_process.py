"""Run a server with its kernels as one process group, and end the whole group when
`explorer open` ends: Ctrl-C (SIGINT), SIGTERM, or a closed terminal (SIGHUP)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_S = 10.0  # the server shuts its kernels down on SIGTERM; then the group is killed


def run_group(command: list[str], cwd: Path, env: dict[str, str], log: Path | None = None) -> int:
    """Run `command` in its own process group until it ends or we are told to stop; its
    output goes to `log` when given."""
    with open(log, "ab") if log is not None else contextlib.nullcontext() as output:
        return _run(command, cwd, env, output)


def _run(command: list[str], cwd: Path, env: dict[str, str], output) -> int:
    process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True,
                               stdout=output, stderr=subprocess.STDOUT if output else None)
    stopped: list[int] = []
    previous = {number: signal.signal(number, _forward_to(process, stopped))
                for number in STOP_SIGNALS}
    try:
        code = process.wait()
    finally:
        end_group(process.pid)
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if stopped else code  # asked to stop: servers exit non-zero on SIGTERM


def _forward_to(process: subprocess.Popen, stopped: list[int]):
    def forward(number: int, frame: object) -> None:
        # SIGTERM, not SIGINT: JupyterLab answers Ctrl-C with a y/n question on the terminal
        stopped.append(number)
        _signal_group(process.pid, signal.SIGTERM)
    return forward


def end_group(pgid: int, grace: float = GRACE_S) -> None:
    """Ask the group to stop, wait up to `grace` seconds, then kill what is left."""
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    _signal_group(pgid, signal.SIGKILL)


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of group `pgid`."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: whether any process is left in the group at all
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def _signal_group(pgid: int, number: int) -> None:
    try:
        os.killpg(pgid, number)
    except (ProcessLookupError, PermissionError):
        pass
