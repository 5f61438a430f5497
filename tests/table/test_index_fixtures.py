"""Unit tier: the project's own fixtures, one per body shape, against an oracle written by hand
(tests/fixtures/expected.json; see tests/fixtures/README.md for what each file guards)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from support.paths import FIXTURES

from explorer import load_recording
from explorer.table.index import index_tree as load_index

EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
ROW_KEYS = ("area", "test_id", "test_file", "test_name", "test_params", "endpoint", "method",
            "provider", "model", "response_model", "kind", "streaming", "n_chunks",
            "prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
            "reasoning_tokens", "tools_declared", "tools_called", "finish_reason", "is_error",
            "status")
CASES = [(tree, path) for tree in ("tree", "tree_old") for path in EXPECTED[tree]]


@pytest.fixture(scope="module")
def frames():
    return {tree: load_index(FIXTURES / tree, cache=False).set_index("path")
            for tree in ("tree", "tree_old")}


def _value(value):
    if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) == 1:
        return list(value)
    if hasattr(value, "item"):
        value = value.item()
    return None if value is pd.NA or value is None or (
        isinstance(value, float) and pd.isna(value)) else value


def test_every_fixture_has_a_row_and_no_problem(frames):
    for tree, frame in frames.items():
        assert frame.attrs["problems"] == [], tree
        assert sorted(frame.index) == sorted(EXPECTED[tree]), tree


@pytest.mark.parametrize(("tree", "path"), CASES, ids=[p.rsplit("/", 1)[-1] for _, p in CASES])
def test_row_matches_the_oracle(frames, tree, path):
    expected = EXPECTED[tree][path]
    row = frames[tree].loc[path]
    mismatches = {key: (_value(row[key]), expected[key]) for key in ROW_KEYS
                  if key in expected and _value(row[key]) != expected[key]}
    assert mismatches == {}


@pytest.mark.parametrize(("tree", "path"), CASES, ids=[p.rsplit("/", 1)[-1] for _, p in CASES])
def test_final_state_matches_the_oracle(tree, path):
    expected = EXPECTED[tree][path]
    final = load_recording(FIXTURES / tree / path).final
    if "final_text" in expected:
        assert final.text == expected["final_text"]
    if "final_reasoning" in expected:
        assert final.reasoning == expected["final_reasoning"]
    if "final_tool_calls" in expected:
        assert [c.as_dict() for c in final.tool_calls] == expected["final_tool_calls"]


def test_old_tree_gets_recorded_at_from_index_sqlite(frames):
    assert frames["tree_old"]["recorded_at"].notna().any()


def test_broken_files_are_problems_and_nothing_else_is(tmp_path):
    frame = load_index(FIXTURES / "broken", cache=False)
    reported = sorted(p.path for p in frame.attrs["problems"])
    assert reported == sorted(EXPECTED["broken"]["problems"])
    for problem in frame.attrs["problems"]:
        assert len(problem.reason) > 10


@pytest.mark.parametrize(("tree", "below"), [
    ("tree", "tests"), ("tree", "tests/integration"), ("tree", "tests/integration/common"),
    ("tree", "tests/integration/openresponses/recordings"),
    ("tree_old", "tests/integration"), ("tree_old", "tests/integration/recordings")])
def test_area_is_the_same_whichever_folder_is_indexed(tree, below):
    frame = load_index(FIXTURES / tree / below, cache=False)
    areas = {f"{below}/{path}": _value(area) for path, area in zip(frame["path"], frame["area"])}
    expected = {path: row["area"] for path, row in EXPECTED[tree].items()
                if path.startswith(below + "/")}
    assert expected and areas == expected
