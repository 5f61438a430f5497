"""Cold and warm `load_index` against two baselines on the same files, in one process.

    python benchmarks/bench_index.py [--files 3200] [--repeat 5]

Baselines: DuckDB `read_json` building a 5-column index (file name, test_id, endpoint, model,
is_streaming), and a bare loop of `orjson.loads` over every file. Targets: cold <= 0.5x DuckDB,
warm <= 0.05x cold. Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import build_tree

from explorer.table.index import index_tree as load_index


def median_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def orjson_loop(files: list[Path]) -> None:
    for path in files:
        orjson.loads(path.read_bytes())


def duckdb_index(root: Path) -> int:
    import duckdb

    query = f"""
        select filename, test_id,
               json_extract_string(request, '$.endpoint') as endpoint,
               json_extract_string(request, '$.model') as model,
               json_extract(response, '$.is_streaming')::boolean as is_streaming
        from read_json('{root}/**/*.json', filename = true, format = 'auto',
                       columns = {{test_id: 'VARCHAR', request: 'JSON', response: 'JSON'}},
                       maximum_object_size = 1000000000)
    """
    with duckdb.connect() as db:
        return len(db.execute(query).fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "tree")
        os.environ["EXPLORER_CACHE_DIR"] = str(Path(tmp, "cache"))
        n_files, n_bytes = build_tree(root, args.files)
        files = sorted(root.rglob("*.json"))
        print(f"tree: {n_files} files, {n_bytes / 1e6:.0f} MB (copies of ../shared/recordings)")
        orjson_loop(files)  # warm the page cache for everyone
        rows = len(load_index(root, cache=False))
        assert rows == n_files, f"indexed {rows} of {n_files}"
        duck = median_time(lambda: duckdb_index(root), args.repeat)
        loop = median_time(lambda: orjson_loop(files), args.repeat)
        cold = median_time(lambda: load_index(root, cache=False), args.repeat)
        load_index(root)  # prime the cache
        warm = median_time(lambda: load_index(root), args.repeat)
    print(f"duckdb read_json 5-column index : {duck:7.3f} s")
    print(f"bare orjson.loads loop          : {loop:7.3f} s")
    print(f"load_index cold (no cache)      : {cold:7.3f} s")
    print(f"load_index warm (cached)        : {warm:7.3f} s")
    print(f"cold / duckdb  = {cold / duck:.2f}   (target <= 0.50)")
    print(f"cold / orjson  = {cold / loop:.2f}")
    print(f"warm / cold    = {warm / cold:.3f}  (target <= 0.05)")


if __name__ == "__main__":
    main()
