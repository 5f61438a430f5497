"""`explorer check` cold against a cold `load_index` of the same tree, in one process.

    python benchmarks/bench_check.py [--copies 9] [--repeat 5]

The tree holds copies of ../shared/recordings, each under its own folder with the real
layout and file names (so the status mix is the real one: reachable, stale, misplaced,
unexplained), about 3,200 files. "Cold" means an empty index cache for both. Target:
check <= 1.3x load_index. Also printed: what the name recomputation adds to load_index
itself (load_index with the health fields left out).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import SHARED, source_files

import explorer.table.rows as describe_module
from explorer.cli.main import main as cli_main
from explorer.table.index import index_tree as load_index


def build(root: Path, copies: int) -> int:
    files = source_files()
    for number in range(copies):
        for source in files:
            out = root / f"copy-{number}" / source.relative_to(SHARED)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out)
    return copies * len(files)


def cold(function, tmp: Path, repeat: int) -> float:
    """Median time of `function` with a fresh, empty cache directory each run."""
    times = []
    for number in range(repeat):
        cache = tmp / f"cache-{function.__name__}-{number}"
        os.environ["EXPLORER_CACHE_DIR"] = str(cache)
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
        shutil.rmtree(cache, ignore_errors=True)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "tree"
        n_files = build(root, args.copies)
        print(f"tree: {n_files} files ({args.copies} copies of ../shared/recordings)")

        def index() -> None:
            load_index(root)

        def check() -> None:
            result = CliRunner().invoke(cli_main, ["check", str(root), "--format", "json"])
            assert result.exit_code == 0, result.output

        index()  # page cache, imports
        load = cold(index, tmp, args.repeat)
        checked = cold(check, tmp, args.repeat)
        real_row_health = describe_module.row_health
        describe_module.row_health = lambda *a, **k: {}
        try:
            bare = cold(index, tmp, args.repeat)
        finally:
            describe_module.row_health = real_row_health
    print(f"load_index cold                  : {load:7.3f} s")
    print(f"explorer check cold (json)       : {checked:7.3f} s")
    print(f"load_index cold, no health fields: {bare:7.3f} s")
    print(f"check / load_index = {checked / load:.2f}  (target <= 1.30)")
    print(f"load_index / load_index without names = {load / bare:.2f}")


if __name__ == "__main__":
    main()
