"""Time to a usable dashboard, in a browser: from `explorer open --app ROOT` to the first table
row on screen, beside the floor measured in the same run (Voila showing a one-cell notebook with
one widget, started and opened the same way). The floor is stock `python -m voila`; "x same" is
the ratio to that floor started the way `explorer open` starts Voila (explorer.cli.server_main,
which skips a 1.3-1.8 s import), i.e. the dashboard's own cost over Voila's.

(a) first visit: the command is started, its printed address opened in headless Chromium, the
    clock stops when the first row of the recordings table is visible (index cache warm: one
    untimed run first). Target: <= 1.15x the floor.
(b) revisits on the same server, each --pause seconds after the previous one (a reviewer reads
    the page; Voila prepares the next dashboard meanwhile): a reload of the page, the address
    opened in another tab of the same browser, and in a new browser whose cache is empty (it
    loads Voila's ~5 MB of script again). Target: < 1.5 s for the reload and another tab. Also
    printed: a reload made at once, as soon as the previous page showed its first row.

    python benchmarks/bench_open.py [--runs 3] [--pool 1] [--pause 10] [--files 3000] [ROOT ...]

ROOTs default to the bundled demo ("demo") and ../shared/recordings; --files N adds a temporary tree of
N recordings copied from ../shared/recordings (benchmarks/_trees.py). Medians of --runs runs.
The browser is kept offline by its resolver (every host but this machine fails at once), not by
request interception, which would switch off its HTTP cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import SHARED, build_tree

CHROMIUM = "/usr/bin/chromium"
ADDRESS = re.compile(r"dashboard: (http://\S+)")
FIRST_ROW = ".explorer-table tbody tr"
FLOOR_WIDGET = ".floor-widget"
FLOOR_CELL = ('import ipywidgets as w\n'
              'w.HTML("<b>one widget</b>", _dom_classes=["floor-widget"])')
TIMEOUT_MS = 300_000
TARGET_RATIO = 1.15
TARGET_REVISIT_S = 1.5


def floor_notebook(folder: Path) -> Path:
    notebook = folder / "floor.ipynb"
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "floor", "metadata": {},
                   "outputs": [], "source": FLOOR_CELL}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    return notebook


@contextmanager
def server(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[
        subprocess.Popen]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def printed_address(log: Path, process: subprocess.Popen) -> str:
    while True:
        found = ADDRESS.search(log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            sys.exit(f"the server exited:\n{log.read_text()}")
        time.sleep(0.02)


def wait_listening(url: str, process: subprocess.Popen) -> None:
    import socket

    port = urlsplit(url).port
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                sys.exit("the floor server exited")
            time.sleep(0.02)


# offline: names other than this machine do not resolve (request interception would also
# work, but it switches off the browser's HTTP cache, which a reload relies on)
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


@contextmanager
def new_browser(playwright, work: Path) -> Iterator:
    """Chromium with a profile of its own on disk, as people use a browser (its caches of
    fetched and compiled scripts last from visit to visit); empty at first, as a new
    visitor's browser."""
    context = playwright.chromium.launch_persistent_context(
        tempfile.mkdtemp(prefix="profile-", dir=work), executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", OFFLINE], viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        context.close()


def seconds_to(page, url: str, selector: str, started: float) -> float:
    page.goto(url, timeout=TIMEOUT_MS)
    page.locator(selector).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def reloaded(page, selector: str) -> float:
    started = time.perf_counter()
    page.reload(timeout=TIMEOUT_MS)
    page.locator(selector).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def revisits(playwright, work: Path, context, page, url: str,
             pause: float) -> dict[str, float]:
    """Each revisit timed from its own request to its first row, `pause` seconds apart."""
    times = {"at once": reloaded(page, FIRST_ROW)}
    time.sleep(pause)
    times["reload"] = reloaded(page, FIRST_ROW)
    time.sleep(pause)
    tab = context.new_page()
    times["tab"] = seconds_to(tab, url, FIRST_ROW, time.perf_counter())
    tab.close()
    time.sleep(pause)
    with new_browser(playwright, work) as other:
        times["browser"] = seconds_to(other.new_page(), url, FIRST_ROW, time.perf_counter())
    return times


def measure_app(playwright, root: str | None, env: dict[str, str], work: Path,
                pause: float) -> dict[str, float]:
    command = [sys.executable, "-m", "explorer", "open", "--app", "--no-browser",
               *([root] if root else [])]
    log = work / "open.log"
    with new_browser(playwright, work) as context:
        page = context.new_page()
        started = time.perf_counter()
        with server(command, env, work, log) as process:
            url = printed_address(log, process)
            first = seconds_to(page, url, FIRST_ROW, started)
            return {"first": first, **revisits(playwright, work, context, page, url, pause)}


def measure_floor(playwright, env: dict[str, str], work: Path, as_explorer: bool) -> float:
    """Stock Voila on the one-cell notebook; or (`as_explorer`) Voila started the way `explorer
    open` starts it (explorer.cli.server_main: without rfc3987_syntax's import-time parsers)."""
    from explorer.cli.open import free_port

    notebook = floor_notebook(work)
    port = free_port()
    start = ["-m", "explorer.cli.server_main", "voila"] if as_explorer else ["-m", "voila"]
    command = [sys.executable, *start, notebook.name, "--no-browser", f"--port={port}"]
    with new_browser(playwright, work) as context:
        page = context.new_page()
        started = time.perf_counter()
        with server(command, env, work, work / "floor.log") as process:
            url = f"http://localhost:{port}/"
            wait_listening(url, process)
            return seconds_to(page, url, FLOOR_WIDGET, started)


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", help="recordings folders (default: demo, shared)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pool", type=int, default=1,
                        help="EXPLORER_APP_POOL: preheated dashboards Voila keeps ready")
    parser.add_argument("--pause", type=float, default=10.0,
                        help="seconds between revisits (Voila prepares the next dashboard)")
    parser.add_argument("--files", type=int, default=0,
                        help="also a temporary tree of this many copied recordings")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-open-") as temp:
        work = Path(temp)
        roots: list[tuple[str, str | None]] = [
            (r, None if r == "demo" else r) for r in args.roots] or [
            ("demo", None), *([("shared", str(SHARED))] if SHARED.is_dir() else [])]
        if args.files:
            built = work / "tree"
            build_tree(built, args.files)
            roots.append((f"{args.files} files", str(built)))
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("EXPLORER_")}
        env |= {"EXPLORER_CACHE_DIR": str(work / "cache"), "EXPLORER_APP_POOL": str(args.pool),
                "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
                "JUPYTER_CONFIG_DIR": str(work / "config")}
        with sync_playwright() as playwright:
            report(playwright, roots, env, work, args.runs, args.pause)


def report(playwright, roots, env, work: Path, runs: int, pause: float) -> None:
    for _, root in roots:  # warm the index cache (and the OS file cache): untimed
        measure_app(playwright, root, env, work, pause=0)
    floors, started, results = [], [], {name: [] for name, _ in roots}
    for _ in range(runs):  # interleaved, so a busy moment of the machine hits all alike
        floors.append(measure_floor(playwright, env, work, as_explorer=False))
        started.append(measure_floor(playwright, env, work, as_explorer=True))
        for name, root in roots:
            results[name].append(measure_app(playwright, root, env, work, pause))
    floor, same_start = median(floors), median(started)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"EXPLORER_APP_POOL={env['EXPLORER_APP_POOL']}; revisits {pause:g} s apart")
    print(f"floor (Voila, one-cell notebook, one widget): {floor:.2f} s "
          f"(runs: {', '.join(f'{f:.2f}' for f in floors)})")
    print(f"same, Voila started as explorer starts it: {same_start:.2f} s "
          f"(runs: {', '.join(f'{f:.2f}' for f in started)})")
    width = max(14, *(len(name) + 2 for name in results))
    print(f"{'tree':<{width}}{'first row':>10}{'x floor':>9}{'x same':>8}{'reload':>9}"
          f"{'new tab':>9}{'new browser':>13}{'reload at once':>16}   "
          f"targets: <= {TARGET_RATIO}x floor; reload, new tab < {TARGET_REVISIT_S} s")
    for name, measured in results.items():
        m = {key: median([run[key] for run in measured]) for key in measured[0]}
        first_ok = m["first"] / floor <= TARGET_RATIO
        revisit_ok = max(m["reload"], m["tab"]) < TARGET_REVISIT_S
        print(f"{name:<{width}}{m['first']:>9.2f}s{m['first'] / floor:>8.2f}x"
              f"{m['first'] / same_start:>7.2f}x{m['reload']:>8.2f}s{m['tab']:>8.2f}s"
              f"{m['browser']:>12.2f}s{m['at once']:>15.2f}s"
              f"   {'ok' if first_ok else 'MISSED'} / {'ok' if revisit_ok else 'MISSED'}")


if __name__ == "__main__":
    main()
