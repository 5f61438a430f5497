"""Cold and warm `load_index` against the floor of reading and parsing the same files.

    python benchmarks/bench_index.py [--root DIR | --files 3200 [--source DIR] [--layout flat]]
                                     [--repeat 5] [--no-settle]

The floor is what any indexer must do: read every file and `orjson.loads` it, once in one
process, and once split over one process per usable core (a pool started before timing, as
load_index keeps its own). Timed beside it, in the same rounds (each round runs everything
once, so a burst of load on a shared machine hits all of them): `load_index(root, cache=False)`
with one worker (parsing in this process) and with one per core, and the warm re-open.
Prints medians and the ratios the targets are about: cold <= 2x the parallel floor (goal
1.5x), two workers close to twice as fast as one, warm <= 0.05x cold; and warm against its
own floor, a stat of every file (what seeing a change takes).

--root indexes an existing tree (e.g. a checkout's tests/integration). Otherwise the tree is
built in a temporary folder from copies of --source (default ../shared/recordings) that are as
reachable as their originals, so health is computed as for real files. Laid out as `copies`
(the default), each copy keeps its original's name in a folder `copyN/...` of its own: many
small folders. Laid out `flat`, a copy sits beside its original under a test id and a name of
its own: a few dozen folders of hundreds of files, as in a real checkout, where a re-open
lists fewer folders.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import build_copies, build_flat

from explorer.table.index import index_tree as load_index
from explorer.table.walk import LISTING_MARGIN_NS
from explorer.table.workers import usable_cpus


def read_and_parse(paths: list[str]) -> int:
    for path in paths:
        with open(path, "rb") as handle:
            orjson.loads(handle.read())
    return len(paths)


def stat_floor(root: Path) -> int:
    """What a re-open must do to see a change: list every folder, stat every file in it."""
    count, stack = 0, [str(root)]
    while stack:
        folder = stack.pop()
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                os.stat(entry.path, follow_symlinks=False)
                count += 1
    return count


def settle(root: Path) -> None:
    """Wait until every folder is older than the walk's margin: a re-open replays the
    listings of settled folders only, and a tree just built has none (a checkout has)."""
    newest = max(os.stat(folder).st_ctime_ns for folder, _, _ in os.walk(root))
    wait = (newest + LISTING_MARGIN_NS - time.time_ns()) / 1e9
    if wait > 0:
        time.sleep(wait + 0.1)


def parallel_floor(pool: ProcessPoolExecutor, paths: list[str], workers: int) -> None:
    shares = [paths[number::workers] for number in range(workers)]
    assert sum(pool.map(read_and_parse, shares)) == len(paths)


def cold(root: Path, workers: int) -> int:
    os.environ["EXPLORER_WORKERS"] = str(workers)
    return len(load_index(root, cache=False))


def measure(root: Path, repeat: int, wait: bool = True) -> dict[str, float]:
    paths = [str(p) for p in sorted(root.rglob("*.json"))]
    workers = max(2, usable_cpus())
    times: dict[str, list[float]] = {}
    runs = {
        "floor, 1 process": lambda: read_and_parse(paths),
        f"floor, {workers} processes": lambda: parallel_floor(pool, paths, workers),
        "load_index cold, 1 worker": lambda: cold(root, 1),
        f"load_index cold, {workers} workers": lambda: cold(root, workers),
        "load_index warm": lambda: load_index(root),
        "stat every file": lambda: stat_floor(root),
    }
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        parallel_floor(pool, paths, workers)  # start the floor's processes before timing
        # then load_index's pool: started beside the floor's threads, it is the one every
        # round uses (started before them, it would be replaced during the first round)
        rows = cold(root, workers)  # also warms the page cache
        assert rows >= len(paths) * 0.9, f"indexed {rows} of {len(paths)}"
        if wait:
            settle(root)
        load_index(root)  # primes the cache (and the folder listings) for the warm runs
        for _ in range(repeat):
            for name, run in runs.items():
                started = time.perf_counter()
                run()
                times.setdefault(name, []).append(time.perf_counter() - started)
    os.environ.pop("EXPLORER_WORKERS", None)
    return {name: statistics.median(values) for name, values in times.items()}


def report(medians: dict[str, float], files: int, size: int) -> None:
    names = list(medians)
    floor1, floor_n, cold1, cold_n, warm, stats = (medians[name] for name in names)
    print(f"tree: {files} files, {size / 1e6:.0f} MB; medians, in seconds:")
    for name, value in medians.items():
        print(f"  {name:<30} {value:7.3f}")
    print(f"cold / parallel floor        = {cold_n / floor_n:5.2f}   (target <= 2.0, goal 1.5)")
    print(f"cold / one-process floor     = {cold_n / floor1:5.2f}")
    print(f"cold 1 worker / 1-proc floor = {cold1 / floor1:5.2f}")
    print(f"workers' speed-up            = {cold1 / cold_n:5.2f}   (floor's: "
          f"{floor1 / floor_n:.2f})")
    print(f"warm / cold                  = {warm / cold_n:5.3f}  (target <= 0.05)")
    print(f"warm / stat every file       = {warm / stats:5.2f}   (a re-open's own floor: "
          f"{stats / cold_n:.3f}x cold)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="an existing recordings tree")
    parser.add_argument("--files", type=int, default=3200)
    parser.add_argument("--source", type=Path, help="recordings to copy (default: shared)")
    parser.add_argument("--layout", choices=("copies", "flat"), default="copies",
                        help="where the copies go (see above)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-settle", action="store_true",
                        help="do not wait for a tree just built to settle (up to 3 s): its "
                             "re-open then lists every folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXPLORER_CACHE_DIR"] = str(Path(tmp, "cache"))
        if args.root:
            root = args.root.expanduser()
            files = sorted(root.rglob("*.json"))
            size = sum(p.stat().st_size for p in files)
            count = len(files)
        else:
            root = Path(tmp, "tree")
            build = build_flat if args.layout == "flat" else build_copies
            count, size = build(root, args.files, args.source)
        report(measure(root, args.repeat, wait=not args.no_settle), count, size)


if __name__ == "__main__":
    main()
