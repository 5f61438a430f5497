"""Index time, memory and cache size as the tree grows: 3,000 / 30,000 / 100,000 recordings.

    python benchmarks/bench_scale.py [--sizes 3000 30000 100000] [--workdir DIR]

Trees are copies of ../shared/recordings under new names in a temporary folder. Each size is
indexed cold in a fresh process (peak resident memory of that process and of its workers), then
re-opened warm in another fresh process. Targets: time per 1,000 files at the largest size
<= 1.2x the figure at the smallest (linear); peak memory < 1.5 GB at 100k; warm < 2 s at 100k.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import build_tree

from explorer.table import cache

MEASURE = """
import json, resource, sys, time
import psutil
from explorer.table.index import index_tree as load_index
started = time.perf_counter()
frame = load_index(sys.argv[1], cache=sys.argv[2] == "cache")
elapsed = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb(pid):  # the kept pool's workers are alive: their own high-water mark
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


workers = [peak_mb(child.pid) for child in psutil.Process().children()]
print(json.dumps({"seconds": elapsed, "rows": len(frame), "problems": len(frame.attrs["problems"]),
                  "rss_mb": own, "worker_rss_mb": max(workers, default=0.0),
                  "total_mb": own + sum(workers)}))
"""


def measure(root: Path, use_cache: bool) -> dict:
    run = subprocess.run([sys.executable, "-c", MEASURE, str(root),
                          "cache" if use_cache else "none"],
                         capture_output=True, text=True, check=True, env=os.environ.copy())
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000, 100000])
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to build the trees (default: a temporary folder)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        os.environ["EXPLORER_CACHE_DIR"] = str(Path(tmp, "cache"))
        for size in args.sizes:
            root = Path(tmp, f"tree{size}")
            _, n_bytes = build_tree(root, size)
            cold = measure(root, use_cache=True)  # cold: no cache exists yet; it writes one
            warm = measure(root, use_cache=True)
            assert cold["rows"] == warm["rows"] == size, (cold, warm)
            cache_mb = cache.cache_path(root).stat().st_size / 1e6
            results.append((size, n_bytes, cold, warm, cache_mb))
            print(f"{size:>7} files {n_bytes / 1e9:5.2f} GB | cold {cold['seconds']:7.2f} s "
                  f"= {cold['seconds'] / size * 1000:.3f} s per 1,000 | warm "
                  f"{warm['seconds']:5.2f} s | peak RSS {cold['rss_mb']:6.0f} MB, each worker "
                  f"{cold['worker_rss_mb']:4.0f} MB, all {cold['total_mb']:5.0f} MB | cache "
                  f"{cache_mb:5.1f} MB",
                  flush=True)
            subprocess.run(["rm", "-rf", str(root)], check=True)
    first, last = results[0], results[-1]
    per_first = first[2]["seconds"] / first[0]
    per_last = last[2]["seconds"] / last[0]
    print(f"time per 1,000 files at {last[0]:,} / at {first[0]:,} = "
          f"{per_last / per_first:.2f}  (target <= 1.2)")
    print(f"peak memory at {last[0]:,}: {last[2]['total_mb']:.0f} MB, the process and its workers "
          f"(target < 1500)")
    print(f"warm re-open at {last[0]:,}: {last[3]['seconds']:.2f} s (target < 2)")


if __name__ == "__main__":
    main()
