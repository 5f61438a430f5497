"""The indexing pool: sized from the usable CPUs, never forked from a process that runs threads."""

from __future__ import annotations

import os
import shutil
import sys
import threading

import pandas as pd
import pytest
from support.paths import FIXTURES

from explorer.table import index, workers

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and affinity")


@linux_only
def test_usable_cpus_follow_the_affinity_mask(monkeypatch):
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    assert workers.usable_cpus() == len(os.sched_getaffinity(0))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    assert workers.usable_cpus() == 1
    monkeypatch.setattr(os, "process_cpu_count", lambda: 6, raising=False)
    assert workers.usable_cpus() == 6


def test_one_worker_per_cpu_but_not_for_a_handful_of_files(monkeypatch):
    monkeypatch.setattr(workers, "usable_cpus", lambda: 8)
    assert workers.worker_count(5000, 100) == 8
    assert workers.worker_count(250, 100) == 2
    assert workers.worker_count(40, 100) == 1


@linux_only
def test_fork_only_from_a_single_threaded_process(monkeypatch):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert workers.start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    assert workers.start_method() == "fork"


def _copied_tree(target, copies: int):
    """The fixture tree repeated `copies` times under new folder names (same layout)."""
    source = FIXTURES / "tree" / "tests" / "integration"
    for number in range(copies):
        shutil.copytree(source, target / f"copy{number}" / "tests" / "integration")
    return target


def test_a_threaded_process_indexes_through_a_fork_server_with_the_same_rows(tmp_path,
                                                                             monkeypatch):
    root = _copied_tree(tmp_path / "tree", 6)
    files = len(list(root.rglob("*.json")))
    assert files >= index.PARALLEL_MIN_FILES
    started = []
    real_pool = index.process_pool

    def watched_pool(count):
        pool = real_pool(count)
        started.append((count, pool._mp_context.get_start_method()))
        return pool

    monkeypatch.setattr(index, "process_pool", watched_pool)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)  # as in a kernel: another thread is running
    thread.start()
    try:
        parallel = index.index_tree(root, cache=False)
    finally:
        stop.set()
        thread.join()
    expected_workers = min(workers.usable_cpus(), files // index.FILES_PER_WORKER)
    if expected_workers < 2:
        pytest.skip("one usable CPU: the index parses in this process")
    assert started in ([(expected_workers, "forkserver")], [(expected_workers, "spawn")])
    monkeypatch.setattr(index, "PARALLEL_MIN_FILES", files + 1)
    serial = index.index_tree(root, cache=False)
    assert len(parallel) == files
    assert parallel.attrs["problems"] == serial.attrs["problems"] == []
    pd.testing.assert_frame_equal(parallel, serial)
    assert set(parallel["area"].dropna()) >= {"common", "openresponses", "inference"}
