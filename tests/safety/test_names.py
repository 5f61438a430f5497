"""File names that are not UTF-8 cost one problem row each, in the library and in every
command (index, show, diff, check, cost, report), shown with escapes; every good recording is
kept."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import orjson
import pytest
from support.good_recording import GOOD, explorer, good_recordings

from explorer.table.index import index_tree as load_index

BAD_FILE = b"bad\xff name.json"
BAD_FOLDER = b"dir\xfe"


def non_utf8_tree(root: Path, text: str = "hello") -> Path:
    folder = good_recordings(root)
    doc = copy.deepcopy(GOOD)
    doc["response"]["body"]["__data__"]["response"] = text
    raw = os.fsencode(folder)
    Path(os.fsdecode(raw + b"/" + BAD_FILE)).write_bytes(orjson.dumps(doc))
    inner = Path(os.fsdecode(raw + b"/" + BAD_FOLDER))
    inner.mkdir()
    (inner / "hidden.json").write_bytes(orjson.dumps(doc))
    return root


@pytest.fixture
def named_badly(tmp_path) -> Path:
    return non_utf8_tree(tmp_path / "tree")


def _one_line_each(output: str) -> None:
    assert output.count("bad\\xff name.json") >= 1
    lines = [line for line in output.splitlines() if "bad\\xff name.json" in line]
    assert all("not valid UTF-8" in line for line in lines)
    assert any("dir\\xfe" in line and "not valid UTF-8" in line for line in output.splitlines())
    assert "\udcff" not in output and "Traceback" not in output


def test_non_utf8_names_are_problem_rows_in_the_library(named_badly):
    frame = load_index(named_badly)
    assert sorted(frame["path"].str.rsplit("/", n=1).str[-1]) == [
        "good0.json", "good1.json", "good2.json"]
    problems = {p.path.rsplit("/", 1)[-1]: p.reason for p in frame.attrs["problems"]}
    assert set(problems) == {"bad\\xff name.json", "dir\\xfe"}
    assert "rename" in problems["bad\\xff name.json"]
    again = load_index(named_badly)  # warm: the same rows and problems from the cache
    assert again.equals(frame) and again.attrs["problems"] == frame.attrs["problems"]


@pytest.mark.parametrize("command", [
    ["index", "{root}"], ["index", "{root}", "--out", "{out}/rows.parquet"],
    ["index", "{root}", "--out", "{out}/rows.jsonl"], ["index", "{root}", "--out", "{out}/r.csv"],
    ["cost", "{root}"], ["cost", "{root}", "--format", "json"],
    ["export", "{root}", "--to", "{out}/sel"], ["report", "{root}", "--out", "{out}/r.html"],
])
def test_non_utf8_names_in_every_command(named_badly, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(root=named_badly, out=out) for a in command]
    done = explorer(*args)
    text = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, text
    _one_line_each(text)
    if "--out" in args and args[-1].endswith((".parquet", ".jsonl", ".csv")):
        import pandas as pd

        written = Path(args[-1])
        rows = {".parquet": pd.read_parquet, ".csv": pd.read_csv,
                ".jsonl": lambda p: pd.read_json(p, lines=True)}[written.suffix](written)
        assert len(rows) == 3
    if command[0] == "export":
        copied = sorted(p.name for p in (out / "sel").rglob("*.json"))
        assert copied == ["good0.json", "good1.json", "good2.json"]


@pytest.mark.parametrize("output_format", ["table", "json", "markdown"])
def test_non_utf8_names_in_diff(tmp_path, output_format):
    base = non_utf8_tree(tmp_path / "base")
    head = non_utf8_tree(tmp_path / "head", text="changed")
    (head / "tests/integration/inference/recordings/good1.json").write_bytes(
        orjson.dumps({**GOOD, "test_id": "tests/integration/inference/test_x.py::test_new"}))
    done = explorer("diff", str(base), str(head), "--format", output_format)
    text = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, text
    # the good change is still reported (the comment counts noise per folder, no file list)
    assert "good1.json" in text or (output_format == "markdown" and "1 noise" in text)
    if output_format != "json":
        _one_line_each(text)
        return
    result = json.loads(done.stdout)
    assert result["changed"] == ["tests/integration/inference/recordings/good1.json"]
    shown = sorted((p["side"], p["path"].rsplit("/", 1)[-1]) for p in result["problems"])
    assert shown == [("base", "bad\\xff name.json"), ("base", "dir\\xfe"),
                     ("head", "bad\\xff name.json"), ("head", "dir\\xfe")]


def test_show_prints_a_non_utf8_path_with_escapes(named_badly):
    folder = os.fsencode(named_badly / "tests/integration/inference/recordings")
    done = explorer("show", os.fsdecode(folder + b"/" + BAD_FILE))
    assert done.returncode == 0
    assert "bad\\xff name.json" in done.stdout.decode()
