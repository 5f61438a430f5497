"""Cold and warm `load_history` against a floor measured in the same run.

    python benchmarks/bench_history.py [--commits 400] [--repeat 3] [--scale 10] [--shared DIR]

Builds a git repository from ../shared/recordings (see _history_repo.py), then times:
- floor: `git log --raw` + `git cat-file --batch` of every distinct blob + `orjson.loads` of each;
- cold: `load_history` with an empty cache (it writes the cache);
- warm: `load_history` again (every version comes from the cache).
Targets: cold <= 2x floor, warm <= 0.2x cold (wall-clock medians; CPU seconds of all processes
are printed too, as they stay steady on a busy machine). Then, on the repository's work tree
(checked out), a cold `load_index(git=True)` (what `explorer index --git` runs; every cache empty)
against a cold `load_history` plus a cold `load_index`, each with its own empty cache (so the
index parses every file, as before versions were shared): sharing the versions should cost about
the history alone, not the sum. Then the same on a history `--scale` times longer, from a first
tree `--scale` times larger (so versions and bytes grow about as much): its cold time over the
first one's, against a target of <= 12x for 10x.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from itertools import pairwise
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _history_repo import build_history

import explorer
from explorer.history import read_history as load_history
from explorer.history.gitlog import is_recording
from explorer.table.index import index_tree as load_index
from explorer.table.workers import drop_pool

SHARED = Path(__file__).resolve().parents[2] / "shared" / "recordings"


def floor(repo: Path) -> int:
    """What any reader must do: list the changes, read every distinct blob, parse it.

    Blobs are asked for in the order the log lists them (oldest first), as load_history does,
    and streamed: one `git cat-file --batch`, fed by a thread, each blob parsed as it arrives.
    """
    out = subprocess.run(["git", "-C", str(repo), "log", "--raw", "-z", "--no-abbrev",
                          "--no-renames", "--reverse", "--format=%H"],
                         capture_output=True, check=True).stdout  # (a wildcard pathspec: 6x)
    tokens = [token.lstrip(b"\n") for token in out.split(b"\0")]
    blobs = list(dict.fromkeys(meta.split(b" ")[3] for meta, path in pairwise(tokens)
                               if meta[:1] == b":" and is_recording(path)))
    blobs = [blob for blob in blobs if blob != b"0" * 40]
    process = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    feeder = threading.Thread(target=lambda: (process.stdin.write(b"\n".join(blobs) + b"\n"),
                                              process.stdin.close()))
    feeder.start()
    for _ in blobs:
        size = int(process.stdout.readline().split()[2])
        orjson.loads(process.stdout.read(size))
        process.stdout.read(1)
    feeder.join()
    process.wait()
    return len(blobs)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (git, workers)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function) -> tuple[float, float]:
    """(wall seconds, CPU seconds): on a shared machine the CPU time is the steadier one.
    The worker pool is shut down at the end, as when a command exits, so its processes' CPU
    time is counted (a kept pool's workers are not finished children)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    function()
    drop_pool()
    return time.perf_counter() - started, cpu_seconds() - cpu


def measure(repo: Path, repeat: int, cache_root: Path) -> dict:
    load_history(repo, cache=False)  # imports and page cache warmed before anything is timed
    runs: dict[str, list] = {"floor": [], "cold": [], "warm": []}
    for run in range(repeat):
        os.environ["EXPLORER_CACHE_DIR"] = str(cache_root / f"run-{run}")
        runs["floor"].append(timed(lambda: floor(repo)))
        runs["cold"].append(timed(lambda: load_history(repo)))
        runs["warm"].append(timed(lambda: load_history(repo)))
    frame = load_history(repo)
    result = {name: statistics.median(wall for wall, _ in times) for name, times in runs.items()}
    result.update({f"{name}_cpu": statistics.median(cpu for _, cpu in times)
                   for name, times in runs.items()})
    sizes = frame.drop_duplicates("blob")["size_bytes"].sum()
    return {**result, "rows": len(frame), "commits": frame["commit"].nunique(),
            "versions": frame.attrs["versions"], "megabytes": int(sizes) / 1e6}


def measure_shared(repo: Path, repeat: int, cache_root: Path) -> dict:
    """Cold `index --git` against a cold history plus a cold index, on the checked-out tree."""
    subprocess.run(["git", "-C", str(repo), "reset", "--quiet", "--hard"], check=True)
    # A work tree as it usually is: checked out a while ago. Files written in the same second
    # as git's index are "racily clean", and `git diff-files` would re-hash them on every call.
    time.sleep(1.1)
    subprocess.run(["git", "-C", str(repo), "update-index", "-q", "--refresh"], check=True)
    load_index(repo, cache=False)  # imports and page cache warmed
    runs: dict[str, list] = {"shared": [], "history": [], "index": []}
    steps = {"shared": lambda: explorer.load_index(repo, git=True).frame,
             "history": lambda: load_history(repo), "index": lambda: load_index(repo)}
    for run in range(repeat):
        for name, step in steps.items():
            os.environ["EXPLORER_CACHE_DIR"] = str(cache_root / f"{name}-{run}")
            runs[name].append(timed(step))
    os.environ["EXPLORER_CACHE_DIR"] = str(cache_root / "counts")
    frame = explorer.load_index(repo, git=True).frame
    result = {name: statistics.median(wall for wall, _ in times) for name, times in runs.items()}
    result.update({f"{name}_cpu": statistics.median(cpu for _, cpu in times)
                   for name, times in runs.items()})
    return {**result, "files": len(frame), "parsed": frame.attrs["parsed"],
            "reused": frame.attrs["reused"]}


def report_shared(result: dict) -> None:
    apart = result["history"] + result["index"]
    apart_cpu = result["history_cpu"] + result["index_cpu"]
    print(f"index --git on the work tree ({result['files']} recordings: {result['reused']} rows "
          f"from the history's versions, {result['parsed']} files parsed); load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"  index --git {result['shared']:.3f} s   history {result['history']:.3f} s   "
          f"index {result['index']:.3f} s   (wall, median, every cache cold)")
    print(f"  index --git / (history + index) = {result['shared'] / apart:.2f}   "
          f"index --git / history = {result['shared'] / result['history']:.2f}  "
          f"(about 1: each version described once)")
    print(f"  CPU: index --git {result['shared_cpu']:.3f} s, history + index {apart_cpu:.3f} s "
          f"({result['shared_cpu'] / apart_cpu:.2f}), history {result['history_cpu']:.3f} s")


def report(label: str, result: dict) -> None:
    print(f"{label}: {result['rows']} changes, {result['commits']} commits, "
          f"{result['versions']} distinct versions ({result['megabytes']:.0f} MB)")
    print(f"  floor {result['floor']:.3f} s   cold {result['cold']:.3f} s   "
          f"warm {result['warm']:.3f} s   (wall, median)")
    print(f"  floor {result['floor_cpu']:.3f} s   cold {result['cold_cpu']:.3f} s   "
          f"warm {result['warm_cpu']:.3f} s   (CPU, all processes)")
    print(f"  cold / floor = {result['cold'] / result['floor']:.2f}  (target <= 2)")
    print(f"  warm / cold  = {result['warm'] / result['cold']:.3f}  (target <= 0.2)")
    print(f"  CPU: cold / floor = {result['cold_cpu'] / result['floor_cpu']:.2f}, "
          f"warm / cold = {result['warm_cpu'] / result['cold_cpu']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10, help="0 skips the longer history")
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help="the shared real recordings (default: ../shared/recordings)")
    args = parser.parse_args()
    if not args.shared.is_dir():
        sys.exit(f"{args.shared}: not found; give --shared the folder of the real recordings")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp, "base")
        build_history(base, args.shared, args.commits)
        small = measure(base, args.repeat, Path(tmp, "cache-base"))
        report(f"{args.commits} commits", small)
        report_shared(measure_shared(base, args.repeat, Path(tmp, "cache-shared")))
        if args.scale:
            long = Path(tmp, "long")
            build_history(long, args.shared, args.commits * args.scale, copies=args.scale)
            large = measure(long, 1, Path(tmp, "cache-long"))
            report(f"{args.commits * args.scale} commits", large)
            ratio = large["cold"] / small["cold"]
            print(f"{args.scale}x longer history: cold {ratio:.2f}x  (target <= "
                  f"{1.2 * args.scale:.0f}x), CPU {large['cold_cpu'] / small['cold_cpu']:.2f}x, "
                  f"floor {large['floor'] / small['floor']:.2f}x; distinct versions "
                  f"{large['versions'] / small['versions']:.2f}x, bytes "
                  f"{large['megabytes'] / small['megabytes']:.2f}x")


if __name__ == "__main__":
    main()
