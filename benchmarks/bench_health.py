"""What the health fields add to building index rows, in one process (less noisy than a load).

    python benchmarks/bench_health.py [--repeat 25]

Parses every file of ../shared/recordings once, then times `explorer.table.rows.describe` over
all of them with the health fields and with `row_health` left out, alternating the two, in
CPU time. Prints medians and the ratio (health on / off); issue 14 asks that the health column
keep cold indexing within noise of its cost without it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import SHARED, source_files

from explorer.record.recording import RecordingError, parse_document, read_document
from explorer.table import rows


def parsed_docs() -> list[tuple]:
    docs = []
    for path in source_files():
        try:
            doc, size = read_document(path)
            docs.append((parse_document(doc), str(path.relative_to(SHARED)), size, str(path)))
        except RecordingError:
            continue
    return docs


def describe_all(docs: list[tuple]) -> None:
    for parsed, rel, size, location in docs:
        rows.describe(parsed, rel, size, location)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    docs = parsed_docs()
    real = rows.row_health
    times: dict[str, list[float]] = {"on": [], "off": []}
    gc.disable()
    try:
        for _ in range(args.repeat):
            for mode in ("on", "off"):
                rows.row_health = real if mode == "on" else (lambda *a, **k: {})
                started = time.process_time()
                describe_all(docs)
                times[mode].append(time.process_time() - started)
    finally:
        rows.row_health = real
        gc.enable()
    on, off = (statistics.median(times[mode]) for mode in ("on", "off"))
    print(f"{len(docs)} recordings, describe x{args.repeat} (CPU time, medians)")
    print(f"describe with health fields   : {on * 1000:7.1f} ms")
    print(f"describe without health fields: {off * 1000:7.1f} ms")
    print(f"health on / off = {on / off:.2f}   (health adds {(on - off) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
