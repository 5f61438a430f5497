"""Crafted sizes against ordinary recordings of the same size, each command a subprocess.

    python benchmarks/bench_hostile.py [--calls 20000] [--blocks 100000]

Builds, in a temporary folder: a stream with `--calls` tool calls (one chunk each) and, as its
baseline, a text stream of as many chunks; a whole message with `--blocks` text blocks (in the
request and in the response) and, as its baseline, the same text in one block. Runs
`explorer show` and `explorer index --no-cache` on each, and prints wall time and peak RSS
(from the child's own rusage) with the ratio to the baseline. Targets: every crafted run
under 10 s and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _hostile_inputs import (
    many_blocks_message,
    one_block_message,
    text_stream,
    tool_call_stream,
    write,
)

TARGET_SECONDS = 10.0
TARGET_BYTES = 1 << 30


def run(args: list[str], env: dict) -> tuple[float, int]:
    """Wall seconds and peak RSS bytes of `python -m explorer ARGS` (output discarded)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "explorer", *args], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode not in (0, 1):
        sys.exit(f"explorer {' '.join(args)} failed ({child.returncode}): {error[-500:]}")
    return elapsed, usage.ru_maxrss * 1024


def build(folder: Path, calls: int, blocks: int) -> dict[str, tuple[list[str], list[str]]]:
    """name -> (crafted command, baseline command); each file alone in a recordings tree."""
    def tree(name: str) -> Path:
        return folder / name / "tests" / "integration" / "x" / "recordings"

    text = "".join(f"block {i} " for i in range(blocks))
    sizes = {"calls": write(tree("calls") / "calls.json", tool_call_stream(calls)),
             "text": write(tree("text") / "text.json", text_stream(calls, "word " * 20)),
             "blocks": write(tree("blocks") / "blocks.json", many_blocks_message(blocks)),
             "one_block": write(tree("one_block") / "one_block.json", one_block_message(text))}
    print(f"inputs: {calls:,}-call stream {sizes['calls'] / 1e6:.1f} MB (baseline: text "
          f"stream of {calls:,} chunks, {sizes['text'] / 1e6:.1f} MB); {blocks:,}-block message "
          f"{sizes['blocks'] / 1e6:.1f} MB (baseline: the same text in one block, "
          f"{sizes['one_block'] / 1e6:.1f} MB)")

    def show(name: str) -> list[str]:
        return ["show", str(tree(name) / f"{name}.json")]

    def index(name: str) -> list[str]:
        return ["index", "--no-cache", str(folder / name)]

    return {f"show {calls:,} tool calls": (show("calls"), show("text")),
            f"index {calls:,} tool calls": (index("calls"), index("text")),
            f"show {blocks:,} text blocks": (show("blocks"), show("one_block")),
            f"index {blocks:,} text blocks": (index("blocks"), index("one_block"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--blocks", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "EXPLORER_CACHE_DIR": str(folder / "cache")}
        cases = build(folder, args.calls, args.blocks)
        print(f"{'case':30} {'crafted':>9} {'baseline':>9} {'ratio':>6} "
              f"{'crafted RSS':>12} {'baseline RSS':>13}  target")
        failed = False
        for name, (crafted, baseline) in cases.items():
            seconds, peak = run(crafted, env)
            base_seconds, base_peak = run(baseline, env)
            ok = seconds < TARGET_SECONDS and peak < TARGET_BYTES
            failed |= not ok
            print(f"{name:30} {seconds:8.2f}s {base_seconds:8.2f}s {seconds / base_seconds:6.2f} "
                  f"{peak / 2**20:9.0f} MB {base_peak / 2**20:10.0f} MB  "
                  f"{'ok' if ok else 'MISSED'} (< {TARGET_SECONDS:g} s, < 1 GB)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
