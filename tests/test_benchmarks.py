"""The speed benchmarks run end to end and print the ratios their targets are about (on the
shipped demo recordings, small, so a benchmark that no longer runs is found here, not by a
reader)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
from support.paths import benchmark_helper

from explorer.demo.build import demo_root
from explorer.health.rules import request_hash
from explorer.table.index import index_tree

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
RATIO = r"=\s+\d+\.\d+"


def _run(tmp_path: Path, script: str, *args: str) -> str:
    env = {**os.environ, "EXPLORER_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("EXPLORER_WORKERS", None)
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], check=False,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_bench_index_prints_the_floor_and_every_ratio(tmp_path):
    out = _run(tmp_path, "bench_index.py", "--source", str(demo_root()), "--files", "300",
               "--repeat", "1", "--no-settle")
    assert "tree: 300 files" in out
    for name in ("floor, 1 process", "load_index cold, 1 worker", "load_index warm",
                 "stat every file"):
        assert re.search(rf"{re.escape(name)}\s+\d+\.\d{{3}}", out), (name, out)
    for ratio in ("cold / parallel floor", "workers' speed-up", "warm / cold"):
        assert re.search(rf"{re.escape(ratio)}\s+{RATIO}", out), (ratio, out)


def test_bench_history_prints_its_targets(tmp_path):
    out = _run(tmp_path, "bench_history.py", "--shared", str(demo_root()), "--commits", "12",
               "--repeat", "1", "--scale", "0")
    assert re.search(rf"cold / floor\s+{RATIO}", out), out
    assert re.search(rf"warm / cold\s+{RATIO}", out), out


def test_flat_copies_sit_beside_their_originals_and_stay_reachable(tmp_path):
    build_flat = benchmark_helper("_trees").build_flat
    source = tmp_path / "source" / "tests" / "integration" / "inference" / "recordings"
    source.mkdir(parents=True)
    demo = sorted(demo_root().rglob("*.json"))
    for number, path in enumerate(demo[:2]):
        doc = orjson.loads(path.read_bytes())
        doc["test_id"] = f"tests/integration/inference/test_chat.py::test_{number}[ollama]"
        name = request_hash(doc["request"], doc["test_id"])
        (source / f"{name}.json").write_bytes(orjson.dumps(doc))
    assert set(index_tree(tmp_path / "source", cache=False)["health"]) == {"reachable"}

    count, size = build_flat(tmp_path / "flat", 6, tmp_path / "source")

    frame = index_tree(tmp_path / "flat", cache=False)
    assert (count, len(frame)) == (6, 6) and size > 0
    assert set(frame["health"]) == {"reachable"}
    assert {path.rsplit("/", 1)[0] for path in frame["path"]} == {
        "tests/integration/inference/recordings"}
    assert frame["test_id"].nunique() == 6
