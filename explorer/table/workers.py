"""A process pool sized from the CPUs this process may use, started safely for its host.

`fork` copies only the calling thread: from a process that runs other threads (a Jupyter
kernel, a dashboard) a child can inherit a lock held by a thread that no longer exists and hang.
There the pool starts its workers from a fork server (or spawns them); a single-threaded
command line still forks, which is the fastest start.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

PRELOAD = ["explorer.table.index"]  # what a fork server imports once, before it forks any worker


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(files: int, files_per_worker: int) -> int:
    """One worker per usable CPU, but none with fewer than `files_per_worker` files to parse."""
    return max(1, min(usable_cpus(), files // max(1, files_per_worker)))


def start_method() -> str:
    """fork in a single-threaded process (not on macOS, where system libraries forbid it),
    else forkserver where the platform has it, else spawn."""
    methods = get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods and sys.platform != "darwin":
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def process_pool(workers: int) -> ProcessPoolExecutor:
    method = start_method()
    context = get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(workers, mp_context=context)
