"""A process pool sized from the CPUs this process may use, started safely for its host.

`fork` copies only the calling thread: from a process that runs other threads (a Jupyter
kernel, a dashboard) a child can inherit a lock held by a thread that no longer exists and hang.
There the pool starts its workers from a fork server (or spawns them); a single-threaded
command line still forks, which is the fastest start.

The pool is started once and kept (`shared_pool`): a dashboard or a diff that indexes again
pays no second start. Its own threads do not count as "other threads"; it is replaced only
when it broke, or when the worker count or the safe start method changed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

from explorer.ground.settings import Settings, whole_number

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
    """One worker per usable CPU (at most EXPLORER_WORKERS when set), but none with fewer
    than `files_per_worker` files to parse."""
    cpus = usable_cpus()
    limit = whole_number(Settings.from_environment().workers)
    if limit is not None:  # a wrong one is refused where work starts: safety.environment
        cpus = min(cpus, limit)
    return max(1, min(cpus, files // max(1, files_per_worker)))


def start_method() -> str:
    """fork in a single-threaded process (not on macOS, where system libraries forbid it),
    else forkserver where the platform has it, else spawn. The kept pool's own threads are
    not counted: they never hold a lock a forked child could need."""
    methods = get_all_start_methods()
    if _other_threads() == 0 and "fork" in methods and sys.platform != "darwin":
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _other_threads() -> int:
    return max(0, threading.active_count() - 1 - len(_pool_threads()))


def _pool_threads() -> set[threading.Thread]:
    """The kept pool's manager and queue-feeder threads (found by attribute; when a Python
    version names them otherwise, none are found and the pool counts as other threads)."""
    pool = _KEPT[0] if _KEPT else None
    if pool is None:
        return set()
    found = {getattr(pool, "_executor_manager_thread", None),
             getattr(getattr(pool, "_call_queue", None), "_thread", None)}
    return {thread for thread in found
            if isinstance(thread, threading.Thread) and thread.is_alive()}


def process_pool(workers: int) -> ProcessPoolExecutor:
    method = start_method()
    context = get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(workers, mp_context=context)


_KEPT: list = []  # [pool, workers, start method] of the kept pool
_LOCK = threading.RLock()  # threads of one process (a dashboard) share the kept pool


def shared_pool(workers: int, make: Callable[[int], ProcessPoolExecutor] = process_pool
                ) -> ProcessPoolExecutor:
    """A pool of `workers` processes, started at the first call and kept for the next ones
    (`make` starts a new one). Never shut it down: `drop_pool` does, and interpreter exit."""
    with _LOCK:
        method = start_method()
        if _KEPT:
            pool, count, kept_method = _KEPT
            if count == workers and kept_method == method and not _is_broken(pool):
                return pool
            drop_pool()
            method = start_method()
        pool = make(workers)
        _KEPT[:] = [pool, workers, method]
        return pool


def drop_pool() -> None:
    """Shut the kept pool down (its workers exit); the next `shared_pool` starts another."""
    with _LOCK:
        if _KEPT:
            pool = _KEPT[0]
            _KEPT.clear()
            pool.shutdown(wait=True, cancel_futures=True)


def _is_broken(pool: ProcessPoolExecutor) -> bool:
    return bool(getattr(pool, "_broken", False)) or getattr(pool, "_shutdown_thread", False)
