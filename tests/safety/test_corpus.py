"""The standing hostile corpus (tests/support/hostile_corpus.py) through the commands a reviewer runs,
with the time and memory budgets issue #23 asks for: nothing runs, nothing outside the tree
is read, every good recording is kept, time stays linear."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from support.hostile_corpus import (
    AREA,
    CSV_VALUES,
    DECOY_FOLDER,
    LINKS_TO_FOLDERS,
    NUMBER_EDGES,
    PIPE_NAMES,
    big_tree,
    csv_tree,
    hostile_git_repo,
    linked_test_file_tree,
    name_tree,
    number_tree,
    regex_trees,
    symlink_tree,
    symlinked_root_repo,
    terminal_tree,
)

from explorer.cli.main import main
from explorer.present.export import frame_csv_bytes
from explorer.sources import SourceError, resolve_source
from explorer.table.index import index_file
from explorer.table.index import index_tree as load_index

REPO = Path(__file__).resolve().parents[2]
TIME_BUDGET = 30.0  # seconds per command (the attacks took minutes)
MEMORY_BUDGET_MB = 700  # peak RSS per command (the attacks reached 1-2 GB)
# The peak is VmHWM, this process's own high-water mark: getrusage's ru_maxrss survives exec, so
# a child of a test process that had grown large would report the parent's size.
WRAPPER = ("import re, sys\nfrom explorer.cli.main import main\ntry:\n"
           "    main(sys.argv[1:], prog_name='explorer')\nfinally:\n"
           "    status = open('/proc/self/status').read()\n"
           "    sys.stderr.write('\\nMAXRSS %s\\n' % "
           "re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n")


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))


def budgeted(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI in a process of its own, held to the time and memory budgets."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *map(str, args)], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=TIME_BUDGET * 4,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    seconds = time.perf_counter() - started
    peak = int(re.findall(r"MAXRSS (\d+)", done.stderr)[-1]) / 1024
    assert "Traceback" not in done.stderr, done.stderr
    assert seconds < TIME_BUDGET, f"{args[0]} took {seconds:.1f} s"
    assert peak < MEMORY_BUDGET_MB, f"{args[0]} peaked at {peak:.0f} MB"
    return done


def cli(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


# the walker ------------------------------------------------------------------------------

def test_links_are_looked_at_never_followed(tmp_path):
    root, _, good = symlink_tree(tmp_path)
    frame = load_index(root, cache=False)
    folder = "inference/recordings/"
    assert sorted(frame["path"]) == sorted(folder + name for name in good), \
        "every good recording once; a link to one is not a second row"
    assert "secret-model" not in set(frame["model"])
    problems = [p.path for p in frame.attrs["problems"]]
    assert len(problems) == len(set(problems)), "one row per link"
    linked = {folder + name for name in LINKS_TO_FOLDERS} | {
        folder + "leak.json", folder + "outside.json", folder + "outside_dir", folder + "env.json",
        folder + "hidden.json", folder + "fifo.json", folder + "zero.json", folder + "pipe.json",
        "nested/recordings"}
    assert linked == set(problems)


def test_a_link_retargeted_after_the_walk_is_not_followed(tmp_path):
    root, outside, _ = symlink_tree(tmp_path)
    link = root / "inference" / "recordings" / "alias.json"
    link.unlink()
    link.symlink_to(outside / "secret.json")  # as if changed between the walk and the read
    _, status, reason = index_file(str(root.resolve()), "inference/recordings/alias.json",
                                   True)
    assert status == "problem" and "outside the recordings tree" in reason


def test_link_loops_cost_one_row_within_budget(tmp_path):
    root, _, good = symlink_tree(tmp_path)
    done = budgeted("index", root, "--no-cache")
    assert done.returncode == 0 and f"{len(good)} recordings" in done.stdout


def test_a_fetched_clone_whose_recordings_root_is_a_link_is_refused(tmp_path):
    repo, _ = symlinked_root_repo(tmp_path)
    with pytest.raises(SourceError, match="symlink"):
        resolve_source(str(repo), "main")


def test_check_reads_no_test_file_through_a_link(tmp_path):
    repo, _ = linked_test_file_tree(tmp_path)
    done = budgeted("check", repo, "--no-cache")
    assert done.returncode == 0 and "gone tests: none" in done.stdout


# regexes -----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["index", "check", "diff"])
def test_adversarial_texts_stay_within_the_time_budget(tmp_path, command):
    base, head = regex_trees(tmp_path, 200_000)  # quadratic: minutes (62 s at 100 KB)
    args = ["diff", base, head, "--format", "json"] if command == "diff" else [
        command, head, "--no-cache"]
    done = budgeted(*args)
    assert done.returncode == 0, done.stderr


# git -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["index", "{root}", "--git"], ["index", "{root}"], ["history", "{repo}"],
    ["diff", "HEAD~1", "HEAD", "--repo", "{repo}"], ["check", "{root}"],
    ["index", "{root}", "--git", "--no-cache"],
])
def test_a_work_tree_config_runs_nothing(tmp_path, args):
    repo, markers = hostile_git_repo(tmp_path)
    root = repo / "tests" / "integration"
    cli("history", repo)  # after a history run the blob store knows every version
    result = cli(*(a.format(root=root, repo=repo) for a in args))
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(markers)) == []


def test_git_calls_are_routed_through_the_one_runner():
    sources = [p for p in (REPO / "explorer").rglob("*.py") if p.name != "git.py"]
    calls = [p for p in sources if re.search(r"""\[\s*["']git["']""", p.read_text())]
    assert calls == []


# numbers -----------------------------------------------------------------------------------

def test_numbers_at_the_edges_are_unknown_with_a_note(tmp_path):
    root, good = number_tree(tmp_path)
    frame = load_index(root, cache=False).set_index("path")
    assert len(frame) == len(good) + len(NUMBER_EDGES) + 1, "every file keeps its row"
    folder = "inference/recordings/"
    for name in ("max.json", "min.json", "over.json", "float.json", "negative.json", "huge.json"):
        assert pd.isna(frame.loc[folder + name, "prompt_tokens"]), name
    noted = {p.path for p in frame.attrs["problems"] if "not a token count" in p.reason}
    assert folder + "max.json" in noted and folder + "huge.json" in noted
    assert (frame["total_tokens"].dropna() >= 0).all()


@pytest.mark.parametrize("command", [
    ["index", "{root}"], ["check", "{root}"], ["cost", "{root}"], ["cost", "{root}", "--by",
                                                                   "provider"],
    ["export", "{root}", "--to", "{out}/x.zip"], ["report", "{root}", "--out", "{out}/r.html"],
    ["diff", "{root}", "{root}"], ["index", "{root}", "--out", "{out}/i.csv"],
])
def test_no_command_stops_on_numbers(tmp_path, command):
    root, _ = number_tree(tmp_path)
    result = cli(*(part.format(root=root, out=tmp_path) for part in command))
    assert result.exit_code == 0, result.output
    shown = [line for line in result.output.splitlines() if "not a token count" not in line]
    assert not re.search(r"(?<![\w.])-[\d,]{5,}", "\n".join(shown)), "a sum wrapped around"


@pytest.mark.parametrize("where", ["streaming < 99999999999999999999",
                                   "prompt_tokens > 1e400", "size_bytes in [1, -2**64]",
                                   "prompt_tokens == -99999999999999999999"])
def test_where_literals_out_of_range_are_one_line(tmp_path, where):
    root, _ = number_tree(tmp_path)
    result = cli("index", root, "--where", where)
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert result.exit_code == 2 and len(errors) == 1, result.output
    assert "Traceback" not in result.output


# CSV ---------------------------------------------------------------------------------------

def _formula(cell: str) -> bool:
    stripped = cell.lstrip(" \t\r\n\x00\u200b\u2028\ufeff")
    return not cell.startswith("'") and stripped[:1] in ("=", "+", "-", "@", "\uff1d")


def test_csv_rows_never_split_and_cells_never_run(tmp_path):
    root = csv_tree(tmp_path)
    frame = load_index(root, cache=False)
    assert len(frame) == len(CSV_VALUES)
    for text in (frame_csv_bytes(frame).decode(), _written(tmp_path, root)):
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == len(CSV_VALUES) + 1, "one line per recording"
        assert not [cell for row in rows for cell in row if _formula(cell)]
        parsed = pd.read_csv(io.StringIO(text))
        assert len(parsed) == len(CSV_VALUES)


def _written(tmp_path: Path, root: Path) -> str:
    out = tmp_path / "index.csv"
    assert cli("index", root, "--out", out).exit_code == 0
    manifest = tmp_path / "export"
    assert cli("export", root, "--to", manifest).exit_code == 0
    assert (manifest / "manifest.csv").read_bytes() == out.read_bytes()
    with open(out, encoding="utf-8", newline="") as handle:
        return handle.read()


# names in pipelines and comments -----------------------------------------------------------

def test_paths_for_xargs(tmp_path):
    root = name_tree(tmp_path)
    expected = {f"recordings_not/{name}" for name in PIPE_NAMES}
    nul = subprocess.run([sys.executable, "-c", WRAPPER, "check", str(root), "--paths",
                          "unexplained", "-z"], capture_output=True, cwd=REPO, check=False,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    names = {p.decode() for p in nul.stdout.split(b"\0") if p}
    assert expected <= names
    lines = cli("check", root, "--paths", "unexplained").output.splitlines()
    assert len(lines) == len(names), "a newline in a name never makes two lines"
    assert all(" " not in line or line.startswith('"') for line in lines)


def test_comment_holds_names_in_code_spans_only(tmp_path):
    root = name_tree(tmp_path)
    decoy = next(root.rglob("r.json"))
    row = load_index(decoy.parent, cache=False).iloc[0]
    decoy.rename(decoy.with_name(row["expected_name"]))  # correctly named, misplaced
    (tmp_path / "empty").mkdir()
    result = cli("diff", tmp_path / "empty", root, "--format", "markdown")
    assert result.exit_code == 0 and DECOY_FOLDER.split("`")[1].strip()[:6] in result.output
    outside_spans = re.sub(r"(`+)(?:(?!\1).)+?\1", "", result.output)
    for sign in ("@octocat", "<img", "](https:", "![i]"):
        assert sign not in outside_spans, sign


# terminal, --out, size -----------------------------------------------------------------------

INVISIBLE = "\u2028\u2029\u200b\ufeff\u202e"


@pytest.mark.parametrize("command", [["index", "{root}"], ["cost", "{root}"],
                                     ["show", "{file}"], ["check", "{root}"]])
def test_terminal_shows_format_characters_escaped(tmp_path, command):
    root = terminal_tree(tmp_path)
    file = next(root.rglob("t.json"))
    result = cli(*(part.format(root=root, file=file) for part in command))
    assert result.exit_code == 0, result.output
    assert not set(INVISIBLE) & set(result.output)


def test_report_out_is_not_replaced_without_force(tmp_path):
    root = terminal_tree(tmp_path)
    out = tmp_path / "r.html"
    out.write_text("mine")
    assert cli("report", root, "--out", out).exit_code != 0 and out.read_text() == "mine"
    assert cli("report", root, "--out", out, "--force").exit_code == 0
    assert out.read_text() != "mine"


def test_a_file_over_the_size_budget_is_a_problem_row(tmp_path):
    root, good = big_tree(tmp_path, 24)
    env = {"EXPLORER_MAX_FILE_MB": "8"}
    done = budgeted("index", root, "--no-cache", env=env)
    assert f"{len(good)} recordings" in done.stdout
    assert "huge.json" in done.stdout and "above the size limit of 8,000,000 bytes" in done.stdout
    twin = tmp_path / "twin"
    big_tree(twin, 24)
    budgeted("diff", root, twin / "big" / "tests" / "integration", env=env)


def test_good_recordings_of_every_tree_are_kept(tmp_path):
    for build in (symlink_tree, number_tree, big_tree):
        args = (tmp_path / build.__name__,) + ((1,) if build is big_tree else ())
        root, *_, good = build(*args)
        paths = set(load_index(root, cache=False)["path"])
        assert {f"{AREA.split('integration/')[1]}/{name}" for name in good} <= paths
