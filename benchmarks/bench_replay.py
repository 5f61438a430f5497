"""Stepping through the largest stream in ../shared/recordings, relative to loading it.

    python benchmarks/bench_replay.py [--repeat 5]

After `load_recording`, `state_at(n)` should cost about the same for any n (states are
precomputed at load). Prints the time to visit every step in order and in random order as a
ratio to the load time, and the per-step cost at n = 1 against the last step.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _trees import source_files

from explorer import load_recording


def largest_stream() -> Path:
    def chunks(path: Path) -> int:
        body = orjson.loads(path.read_bytes())["response"].get("body")
        return len(body) if isinstance(body, list) else 0
    return max(source_files(), key=chunks)


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = largest_stream()
    recording = load_recording(path)
    n = recording.n_chunks
    order = list(range(n + 1))
    shuffled = random.Random(0).sample(order, len(order))
    load = timed(lambda: load_recording(path), args.repeat)
    in_order = timed(lambda: [recording.state_at(i) for i in order], args.repeat)
    at_random = timed(lambda: [recording.state_at(i) for i in shuffled], args.repeat)
    first = timed(lambda: [recording.state_at(1) for _ in range(1000)], args.repeat) / 1000
    last = timed(lambda: [recording.state_at(n) for _ in range(1000)], args.repeat) / 1000
    print(f"largest stream: {path.name} ({n} chunks, {path.stat().st_size / 1e6:.1f} MB)")
    print(f"load_recording                 : {load * 1e3:8.2f} ms")
    print(f"every step in order            : {in_order * 1e3:8.2f} ms  "
          f"= {in_order / load:.2f}x load")
    print(f"every step in random order     : {at_random * 1e3:8.2f} ms  "
          f"= {at_random / load:.2f}x load")
    print(f"one step: n=1 {first * 1e6:.1f} us, n={n} {last * 1e6:.1f} us  "
          f"(ratio {last / first:.2f})")


if __name__ == "__main__":
    main()
