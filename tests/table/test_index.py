"""Damaged trees: every good recording indexed, every bad file named with a reason, nothing
changed in the tree, no traceback for the user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from support.good_recording import GOOD

import explorer.record.recording as recording_module
import explorer.table.index as index_module
from explorer.cli.main import main
from explorer.table import cache
from explorer.table.index import index_tree as load_index

CHUNK = {"__type__": "openai.types.chat.chat_completion_chunk.ChatCompletionChunk",
         "__data__": {"model": "gpt-4o", "choices": [{"index": 0, "delta": {"content": "ab"}}]}}
BAD = {  # file name -> bytes; each must be reported as a problem
    "truncated.json": orjson.dumps(GOOD)[:40],
    "garbage.json": bytes(range(256)) * 4,
    "empty.json": b"",
    "latin1.json": '{"request": "caf\u00e9"}'.encode("latin-1"),
    "top_list.json": b"[1, 2, 3]",
    "top_string.json": b'"just a string"',
}
ODD = {  # readable, unexpected shape: a row with what could be read, and a problem
    "request_string.json": {**GOOD, "request": "not an object"},
    "no_response.json": {"request": GOOD["request"]},
    "null_chunks.json": {**GOOD, "response": {"is_streaming": True,
                                              "body": [CHUNK, None, 7, CHUNK]}},
    "unknown_type.json": {**GOOD, "response": {"is_streaming": False, "body": {
        "__type__": "some.future.Type", "__data__": {"x": 1}}}},
}


def build_tree(root: Path) -> Path:
    folder = root / "tests" / "integration" / "inference" / "recordings"
    folder.mkdir(parents=True)
    for number in range(3):
        (folder / f"good{number}.json").write_bytes(orjson.dumps(GOOD))
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    for name, doc in ODD.items():
        (folder / name).write_bytes(orjson.dumps(doc))
    os.symlink("loop_b.json", folder / "loop_a.json")
    os.symlink("loop_a.json", folder / "loop_b.json")
    os.symlink("..", folder / "up")  # a folder symlink: not followed, reported
    (root / "tests" / "integration" / "config.json").write_bytes(b'{"not": "a recording"}')
    return root / "tests" / "integration"


def snapshot(root: Path) -> dict[str, tuple]:
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in root.rglob("*")}


@pytest.fixture
def damaged(tmp_path) -> Path:
    return build_tree(tmp_path)


def test_good_recordings_indexed_and_bad_files_named(damaged):
    before = snapshot(damaged)
    frame = load_index(damaged)
    problems = {p.path.rsplit("/", 1)[-1]: p.reason for p in frame.attrs["problems"]}
    names = set(frame["path"].str.rsplit("/", n=1).str[-1])
    assert {"good0.json", "good1.json", "good2.json"} <= names
    assert set(ODD) <= names, "readable files keep a row"
    assert set(BAD) | set(ODD) | {"loop_a.json", "loop_b.json", "up"} == set(problems)
    assert "config.json" not in names | set(problems), "non-recordings outside recordings/"
    assert "truncated" in problems["truncated.json"] or "invalid JSON" in problems[
        "truncated.json"]
    assert "empty file" in problems["empty.json"]
    assert "UTF-8" in problems["latin1.json"] or "invalid JSON" in problems["latin1.json"]
    assert "not an object" in problems["top_list.json"]
    assert "symlink loop" in problems["loop_a.json"]
    assert "not JSON objects" in problems["null_chunks.json"]
    assert snapshot(damaged) == before, "indexing changed the tree"


def test_readable_odd_shapes_keep_what_could_be_read(damaged):
    frame = load_index(damaged).set_index("path")
    row = frame.loc["inference/recordings/null_chunks.json"]
    assert row["n_chunks"] == 4 and row["streaming"]
    unknown = frame.loc["inference/recordings/unknown_type.json"]
    assert unknown["test_id"] == GOOD["test_id"] and unknown["model"] == "llama3.2:3b"


def test_unreadable_file_is_a_problem(damaged, monkeypatch):
    target = damaged / "inference" / "recordings" / "good1.json"
    original = recording_module.read_bytes

    def refuse(path, *args):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args)

    monkeypatch.setattr(recording_module, "read_bytes", refuse)
    problems = {p.path: p.reason for p in load_index(damaged, cache=False).attrs[
        "problems"]}
    assert "permissions" in problems["inference/recordings/good1.json"]


def test_file_disappearing_during_the_run(damaged, monkeypatch):
    victim = damaged / "inference" / "recordings" / "good2.json"
    original = index_module.read_document

    def vanish_then_read(path, *args, **kwargs):
        if Path(path) == victim:
            victim.unlink()
        return original(path, *args, **kwargs)

    monkeypatch.setattr(index_module, "read_document", vanish_then_read)
    frame = load_index(damaged, cache=False)
    problems = {p.path: p.reason for p in frame.attrs["problems"]}
    assert "disappeared" in problems["inference/recordings/good2.json"]
    assert "inference/recordings/good0.json" in set(frame["path"])


def test_cli_prints_one_line_per_problem_and_strict_fails(damaged):
    runner = CliRunner()
    result = runner.invoke(main, ["index", str(damaged), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for name in BAD:
        lines = [line for line in result.output.splitlines() if name in line]
        assert len(lines) == 1, (name, result.output)
    strict = runner.invoke(main, ["index", str(damaged), "--no-cache", "--strict"])
    assert strict.exit_code == 1


def test_cli_cannot_run_is_one_line_nonzero(tmp_path):
    result = CliRunner().invoke(main, ["index", str(tmp_path / "missing")])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "no such directory" in result.output


def test_very_large_file_is_indexed(tmp_path, monkeypatch):
    """Hundreds of MB of chunks in one recording: a problem row under the default size budget;
    with the budget raised, indexed, counted, nothing dropped."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    chunk = orjson.dumps(CHUNK)
    count = 200_000_000 // len(chunk)
    head = orjson.dumps({**GOOD, "response": {"is_streaming": True, "body": []}})
    head = head[: head.rindex(b"[]")] + b"["
    with open(folder / "huge.json", "wb") as handle:
        handle.write(head)
        handle.write(b",".join([chunk] * count))
        handle.write(b"]}}")
    (problem,) = load_index(tmp_path, cache=False).attrs["problems"]
    assert "above the size limit" in problem.reason
    monkeypatch.setenv("EXPLORER_MAX_FILE_MB", "400")
    frame = load_index(tmp_path, cache=False)
    assert frame.attrs["problems"] == []
    assert frame.loc[0, "n_chunks"] == count
    assert frame.loc[0, "size_bytes"] > 200_000_000


def test_two_processes_indexing_at_once_leave_a_valid_cache(tmp_path):
    root = tmp_path / "tree" / "recordings"
    root.mkdir(parents=True)
    for number in range(400):  # enough for the parallel path
        (root / f"r{number}.json").write_bytes(orjson.dumps(GOOD))
    script = ("import sys, explorer; df = explorer.load_index(sys.argv[1]).frame; "
              "assert len(df) == 400, len(df)")
    env = {**os.environ}
    runs = [subprocess.Popen([sys.executable, "-c", script, str(root.parent)], env=env)
            for _ in range(2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    payload = cache.load(root.parent)
    assert payload is not None and len(payload["frame"]) == 400
    assert not list(cache.cache_path(root.parent).parent.glob("*.tmp"))


@pytest.mark.parametrize("command", [
    ["cost", "{root}"], ["cost", "{root}", "--format", "json"],
    ["export", "{root}", "--to", "{out}/sel.zip"], ["report", "{root}", "--out", "{out}/r.html"],
])
def test_every_command_keeps_going_and_names_each_problem(damaged, tmp_path, command):
    before = snapshot(damaged)
    args = [part.format(root=damaged, out=tmp_path) for part in command]
    runner = CliRunner()
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    problem_lines = [line for line in result.stderr.splitlines() if line.startswith("problem:")]
    assert len(problem_lines) == len(BAD) + len(ODD) + 3  # + two symlinks and the folder link
    if "json" in command:
        orjson.loads(result.stdout)  # problems do not spoil machine-readable output
    strict = runner.invoke(main, [*args[:1], "--strict", *args[1:]] if args[0] != "export"
                           else [*args, "--force", "--strict"])
    assert strict.exit_code == 1
    assert snapshot(damaged) == before


def test_diff_of_damaged_trees_keeps_going(damaged, tmp_path):
    head = tmp_path / "head"
    subprocess.run(["cp", "-a", str(damaged), str(head)], check=True)
    (head / "inference" / "recordings" / "good0.json").write_bytes(b"{broken")
    result = CliRunner().invoke(main, ["diff", str(damaged), str(head), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "inference/recordings/good0.json" in orjson.loads(result.stdout)["changed"]


def test_the_walk_without_stats_finds_what_the_walk_with_stats_finds(tmp_path):
    """`cache=False` walks by the folder listing's file types alone; links, loops, FIFOs,
    hidden folders and names no row can hold come out exactly as from the stat walk."""
    from support.hostile_corpus import name_tree, symlink_tree

    root, _, _ = symlink_tree(tmp_path / "links")
    (root / "inference" / "recordings" / "bad\udcff.json").write_bytes(b"{}")
    for tree_root in (root, name_tree(tmp_path / "names")):
        with_stats = index_module.walk(tree_root)
        without = index_module.walk(tree_root, stats=False)
        assert set(without.files) == set(with_stats.files)
        assert without.expected == with_stats.expected
        assert without.problems == with_stats.problems
        assert without.links == with_stats.links
        assert without.sqlite == with_stats.sqlite
        frame = load_index(tree_root, cache=False)
        assert sorted(frame["path"]) == sorted(load_index(tree_root, cache=True)["path"])


@pytest.mark.parametrize("files", [0, 1, 49, 50, 201, 3200, 10_007])
@pytest.mark.parametrize("workers", [2, 4])
def test_batches_hand_out_every_file_once_in_runs_of_neighbours(files, workers):
    todo = [(f"f{number:05d}.json", number % 3 == 0) for number in range(files)]
    parts = index_module._parts(todo, workers)
    handed = [item for part in parts for item in part]
    assert sorted(handed) == todo  # every file once, none lost, none twice
    assert all(index_module.MIN_BATCH <= len(part) <= index_module.FILES_PER_BATCH
               for part in parts[:-1])
    assert [len(part) for part in parts] == sorted((len(part) for part in parts), reverse=True)
    if files >= 3200:  # the first batch samples the whole tree, a run of neighbours at a time
        first = [todo.index(item) for item in parts[0]]
        assert max(first) > files * 3 // 4 and min(first) == 0
        assert first[:index_module.RUN] == list(range(index_module.RUN))
