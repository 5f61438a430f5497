"""Time to a usable dashboard, in a browser: from `explorer open --app ROOT` to the first table
row on screen, beside the floor measured in the same run (Voila showing a one-cell notebook with
one widget, started and opened the same way).

(a) first visit: the command is started, its printed address opened in headless Chromium, the
    clock stops when the first row of the recordings table is visible (index cache warm: one
    untimed run first). Target: <= 1.15x the floor.
(b) a second visitor (a new browser context) and a reload of the page, on the same server.
    Target: < 1.5 s.

    python benchmarks/bench_open.py [--runs 3] [--pool 1] [--files 3000] [ROOT ...]

ROOTs default to the bundled demo ("demo") and ../shared/recordings; --files N adds a temporary tree of
N recordings copied from ../shared/recordings (benchmarks/_trees.py). Medians of --runs runs.
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


def offline_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", "localhost"),
                  lambda route: route.abort("blockedbyclient"))
    return context


def seconds_to(page, url: str, selector: str, started: float) -> float:
    page.goto(url, timeout=TIMEOUT_MS)
    page.locator(selector).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def revisits(browser, url: str, selector: str, page) -> tuple[float, float]:
    """(second visitor, reload of the first page), each from its own request to its row."""
    context = offline_context(browser)
    try:
        second = seconds_to(context.new_page(), url, selector, time.perf_counter())
    finally:
        context.close()
    started = time.perf_counter()
    page.reload(timeout=TIMEOUT_MS)
    page.locator(selector).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return second, time.perf_counter() - started


def measure_app(browser, root: str | None, env: dict[str, str], work: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "explorer", "open", "--app", "--no-browser",
               *([root] if root else [])]
    log = work / "open.log"
    started = time.perf_counter()
    with server(command, env, work, log) as process:
        url = printed_address(log, process)
        context = offline_context(browser)
        try:
            page = context.new_page()
            first = seconds_to(page, url, FIRST_ROW, started)
            second, reload = revisits(browser, url, FIRST_ROW, page)
        finally:
            context.close()
    return {"first": first, "second": second, "reload": reload}


def measure_floor(browser, env: dict[str, str], work: Path) -> float:
    from explorer.cli.open import free_port

    notebook = floor_notebook(work)
    port = free_port()
    command = [sys.executable, "-m", "voila", notebook.name, "--no-browser", f"--port={port}"]
    started = time.perf_counter()
    with server(command, env, work, work / "floor.log") as process:
        url = f"http://localhost:{port}/"
        wait_listening(url, process)
        context = offline_context(browser)
        try:
            return seconds_to(context.new_page(), url, FLOOR_WIDGET, started)
        finally:
            context.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", help="recordings folders (default: demo, shared)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pool", type=int, default=1,
                        help="EXPLORER_APP_POOL: preheated dashboards Voila keeps ready")
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
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            report(browser, roots, env, work, args.runs)
            browser.close()


def report(browser, roots, env, work: Path, runs: int) -> None:
    for _, root in roots:  # warm the index cache (and the OS file cache): untimed
        measure_app(browser, root, env, work)
    floors, results = [], {name: [] for name, _ in roots}
    for _ in range(runs):  # interleaved, so a busy moment of the machine hits all alike
        floors.append(measure_floor(browser, env, work))
        for name, root in roots:
            results[name].append(measure_app(browser, root, env, work))
    floor = median(floors)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"EXPLORER_APP_POOL={env['EXPLORER_APP_POOL']}")
    print(f"floor (Voila, one-cell notebook, one widget): {floor:.2f} s "
          f"(runs: {', '.join(f'{f:.2f}' for f in floors)})")
    width = max(14, *(len(name) + 2 for name in results))
    print(f"{'tree':<{width}}{'first row':>10}{'x floor':>9}{'2nd visitor':>13}{'reload':>9}   "
          f"targets: <= {TARGET_RATIO}x floor, revisits < {TARGET_REVISIT_S} s")
    for name, measured in results.items():
        first = median([m["first"] for m in measured])
        second = median([m["second"] for m in measured])
        reload = median([m["reload"] for m in measured])
        print(f"{name:<{width}}{first:>9.2f}s{first / floor:>8.2f}x{second:>12.2f}s{reload:>8.2f}s"
              f"   {'ok' if first / floor <= TARGET_RATIO else 'MISSED'} / "
              f"{'ok' if max(second, reload) < TARGET_REVISIT_S else 'MISSED'}")


if __name__ == "__main__":
    main()
