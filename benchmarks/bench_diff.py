"""`explorer diff` of two ~3,000-recording trees with a warm index cache, against a cold
`load_index` of one tree, in one process.

    python benchmarks/bench_diff.py [--files 3000] [--repeat 3]

Base: copies of the ogx-2026-05 recordings under fresh names. Head: the base with what a large
pull request does: responses re-recorded (text changed), requests changed, files moved to
another folder (some re-recorded), noise-only rewrites, files added and removed. Target: the
warm diff takes <= 1.0x the cold index of one tree. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import SHARED

from explorer.review.diff import diff_trees
from explorer.table.index import index_tree as load_index

ERA = "ogx-2026-05"


def build_base(target: Path, n_files: int) -> list[Path]:
    sources = sorted((SHARED / ERA).rglob("*.json"))
    if not sources:
        sys.exit(f"{SHARED / ERA} is absent: the benchmark copies those recordings")
    made = []
    for number in range(n_files):
        source = sources[number % len(sources)]
        rel = source.relative_to(SHARED / ERA)
        name = hashlib.sha256(f"{rel}:{number}".encode()).hexdigest() + ".json"
        out = target / rel.parent / name
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
        made.append(out)
    return made


def edit_head(base: Path, head: Path, files: list[Path]) -> dict[str, int]:
    """Every 20th file re-recorded, every 50th request changed, every 40th moved (half of
    them re-recorded), every 30th noise only, every 60th removed, and 50 new files."""
    shutil.copytree(base, head)
    counts = dict.fromkeys(("response", "request", "moved", "noise", "removed", "added"), 0)
    for number, path in enumerate(files):
        target = head / path.relative_to(base)
        document = json.loads(target.read_text(encoding="utf-8"))
        if number % 60 == 7:
            target.unlink()
            counts["removed"] += 1
        elif number % 40 == 3:
            target.unlink()
            if number % 80 == 3:
                document["response"]["rerecorded"] = True
            moved = head / "tests" / "integration" / "moved" / "recordings" / target.name
            _write(moved, document)
            counts["moved"] += 1
        elif number % 50 == 1:
            document["request"]["bench_field"] = number
            _write(target, document)
            counts["request"] += 1
        elif number % 30 == 2:
            document["test_id"] = f"{document.get('test_id')}-renamed"
            target.write_text(json.dumps(document, indent=4), encoding="utf-8")
            counts["noise"] += 1
        elif number % 20 == 5:
            document["response"]["bench_note"] = f"re-recorded {number}"
            _write(target, document)
            counts["response"] += 1
    for number in range(50):
        source = files[number * 7 % len(files)]
        document = json.loads(source.read_text(encoding="utf-8"))
        document["request"]["bench_new"] = number
        _write(head / "tests" / "integration" / "new" / "recordings" / f"new_{number}.json",
               document)
        counts["added"] += 1
    return counts


def _write(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        work = Path(tmp)
        base, head = work / "base", work / "head"
        files = build_base(base, args.files)
        edits = edit_head(base, head, files)
        warm_cache = str(work / "warm-cache")
        os.environ["EXPLORER_CACHE_DIR"] = warm_cache
        load_index(base)
        load_index(head)  # both trees in the warm cache
        result = diff_trees(base, head)  # once untimed, so imports are not timed
        cold_times, warm_times = [], []
        for number in range(args.repeat):  # interleaved: both see the same machine load
            os.environ["EXPLORER_CACHE_DIR"] = str(work / f"cold-cache-{number}")
            started = time.perf_counter()
            load_index(base)
            cold_times.append(time.perf_counter() - started)
            os.environ["EXPLORER_CACHE_DIR"] = warm_cache
            started = time.perf_counter()
            result = diff_trees(base, head)
            warm_times.append(time.perf_counter() - started)
        cold, warm = statistics.median(cold_times), statistics.median(warm_times)
    counts = result.counts()
    print(f"trees: {len(files):,} base recordings; head edits {edits}")
    print(f"classes found: {counts}")
    print(f"cold load_index of one tree: {cold:.3f} s (median of {args.repeat})")
    print(f"warm diff of both trees:     {warm:.3f} s (median of {args.repeat})")
    print(f"ratio warm diff / cold index: {warm / cold:.2f}x (target <= 1.0x)")


if __name__ == "__main__":
    main()
