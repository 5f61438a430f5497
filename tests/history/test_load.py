"""load_history / explorer history / load_index(git=True) on small repositories built here."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from support.history_repos import AREA, A, B, C, D, Repo, chat, small_repo

from explorer.api import load_index
from explorer.cli.main import main
from explorer.errors import Problem
from explorer.history import HistoryError, shallow_message
from explorer.history import read_history as load_history
from explorer.history import versions as versions_module
from explorer.table.schema import GIT_COLUMNS, HISTORY_COLUMNS, HISTORY_NAMES, markdown_table


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return small_repo(tmp_path / "repo")


def rows(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(frame["subject"], frame["path"], frame["status"]))


def test_one_row_per_change_as_git_log_lists_them(repo):
    frame = load_history(repo.path)
    assert list(frame.columns) == list(HISTORY_NAMES)
    assert rows(frame) == [
        ("Add two recordings", A, "A"), ("Add two recordings", B, "A"),
        ("Re-record a, add c", A, "M"), ("Re-record a, add c", C, "A"),
        ("Remove b", B, "D"),
        ("Move c", D, "A"), ("Move c", C, "D"),
    ]
    log = repo.git("log", "--reverse", "--format=%H").split()
    assert frame["commit"].unique().tolist() == log
    assert frame.attrs["versions"] == 4  # c moved unchanged: one blob, two paths


def test_commit_dates_are_tz_aware_and_equal_git_log(repo):
    frame = load_history(repo.path)
    assert str(frame["committed_at"].dtype) == "datetime64[us, UTC]"
    for path in (A, B, C, D):
        dates = [pd.Timestamp(date) for _, date in repo.log_of(path)]
        mine = frame.loc[frame["path"] == path, "committed_at"]
        assert sorted(mine.tolist()) == sorted(dates)
    first = frame["committed_at"].iloc[0]
    assert first == pd.Timestamp("2025-03-01T08:00:00Z")


def test_versions_carry_the_index_columns_and_deletions_are_na(repo):
    frame = load_history(repo.path)
    added_a, modified_a = frame[frame["path"] == A].itertuples(index=False)
    assert (added_a.model, added_a.prompt_tokens, added_a.completion_tokens) == ("gpt-4o", 10, 2)
    assert (modified_a.prompt_tokens, modified_a.completion_tokens) == (12, 3)
    assert added_a.client == "openai_sdk 2.5.0" and modified_a.client == "openai_sdk 2.30.0"
    assert added_a.test_name == "test_a" and added_a.area == "inference"
    blob = repo.git("rev-parse", f"HEAD~3:{A}").strip()
    assert added_a.blob == blob
    moved = frame[frame["path"] == D].iloc[0]
    assert moved["area"] == "agents" and moved["test_name"] == "test_c"
    deleted = frame[frame["status"] == "D"]
    assert len(deleted) == 2
    for column in ("blob", "model", "prompt_tokens", "test_id", "size_bytes", "client",
                   "streaming"):
        assert deleted[column].isna().all(), column
    assert frame["problem"].isna().all()


def test_merge_commits_contribute_no_rows(tmp_path):
    repo = Repo(tmp_path / "repo")
    base = repo.commit("Base", "2025-01-01T00:00:00+00:00",
                {A: chat("test_a", "m", 1, 1), B: chat("test_b", "m", 1, 1)})
    repo.git("checkout", "--quiet", "-b", "side")
    side = repo.commit("Side re-records a", "2025-01-02T00:00:00+00:00",
                       {A: chat("test_a", "m", 2, 2)})
    repo.git("checkout", "--quiet", "main")
    main_commit = repo.commit("Main re-records b", "2025-01-03T00:00:00+00:00",
                              {B: chat("test_b", "m", 3, 3)})
    repo.git("merge", "--quiet", "--no-ff", "-m", "Merge side", "side",
             date="2025-01-04T00:00:00+00:00")
    merge = repo.head()
    frame = load_history(repo.path)
    assert merge not in set(frame["commit"])
    assert set(frame["commit"]) == {base, side, main_commit}
    assert len(frame) == 4  # two additions and one change on each side
    assert sorted(frame.loc[frame["status"] == "M", "commit"]) == sorted([side, main_commit])


def test_shallow_clone_says_where_history_stops(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "2", repo.path.as_uri(), str(clone)],
                   check=True)
    frame = load_history(clone)
    boundary = repo.git("rev-parse", "HEAD~1").strip()
    assert [stop["commit"] for stop in frame.attrs["shallow"]] == [boundary]
    message = shallow_message(frame)
    assert message.startswith(f"shallow clone: history stops at {boundary[:12]}")
    assert "git fetch --unshallow" in message
    result = CliRunner().invoke(main, ["history", str(clone)])
    assert result.exit_code == 0 and "shallow clone: history stops at" in result.output
    assert load_history(repo.path).attrs["shallow"] == []


def test_unknown_ref_and_option_like_ref_are_one_line_errors(repo):
    with pytest.raises(HistoryError, match="unknown ref 'nope'"):
        load_history(repo.path, ref="nope")
    with pytest.raises(HistoryError, match="never start with '-'"):
        load_history(repo.path, ref="--output=/tmp/x")
    for ref in ("nope", "--all"):
        result = CliRunner().invoke(main, ["history", str(repo.path), "--ref", ref])
        assert result.exit_code == 1
        assert len(result.output.strip().splitlines()) == 1 and ref in result.output


def test_not_a_repository_and_no_recordings(tmp_path):
    with pytest.raises(HistoryError, match="not a git repository"):
        load_history(tmp_path)
    repo = Repo(tmp_path / "empty")
    repo.commit("Docs only", "2025-01-01T00:00:00+00:00", {"README.md": b"x\n"})
    frame = load_history(repo.path)
    assert len(frame) == 0 and list(frame.columns) == list(HISTORY_NAMES)
    assert "no recordings" in frame.attrs["empty_reason"]
    result = CliRunner().invoke(main, ["history", str(repo.path)])
    assert result.exit_code == 0 and "no recordings in" in result.output


def test_unreadable_version_is_a_problem_row(repo):
    repo.commit("Truncated", "2025-05-01T00:00:00+00:00", {A: b'{"request": {'})
    frame = load_history(repo.path)
    bad = frame[frame["subject"] == "Truncated"].iloc[0]
    assert bad["status"] == "M" and "invalid JSON" in bad["problem"]
    assert pd.isna(bad["model"])
    assert frame.attrs["problems"] == [Problem(f"{A}@{repo.head()[:12]}", bad["problem"])]
    result = CliRunner().invoke(main, ["history", str(repo.path)])
    assert "1 version(s) could not be described" in result.output


def test_missing_object_is_a_problem_row(repo):
    """A partial or damaged clone: the log lists a version whose blob is not there."""
    blob = repo.git("rev-parse", f"HEAD:{A}").strip()
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # commits left it loose
    frame = load_history(repo.path)
    bad = frame[frame["blob"] == blob].iloc[0]
    assert f"git object {blob} is missing" in bad["problem"] and pd.isna(bad["model"])
    assert frame["problem"].notna().sum() == 1 and len(frame) == 7


def test_second_run_and_later_ref_describe_only_new_versions(repo):
    cold = load_history(repo.path)
    assert cold.attrs["described"] == 4
    warm = load_history(repo.path)
    assert warm.attrs["described"] == 0
    pd.testing.assert_frame_equal(cold, warm)
    repo.commit("Re-record a again", "2025-06-01T00:00:00+00:00",
                {A: chat("test_a", "gpt-4o", 99, 1)})
    later = load_history(repo.path)
    assert later.attrs["described"] == 1 and len(later) == len(cold) + 1
    older = load_history(repo.path, ref="HEAD~1")
    assert older.attrs["described"] == 0
    pd.testing.assert_frame_equal(older, cold)
    assert load_history(repo.path, cache=False).attrs["described"] == 5


def test_parallel_description_equals_serial(repo, monkeypatch):
    frame = load_history(repo.path, cache=False)
    blobs = frame["blob"].dropna().unique().tolist()
    serial = versions_module.describe_blobs(repo.path, blobs)
    monkeypatch.setattr(versions_module, "PARALLEL_MIN_BLOBS", 1)
    monkeypatch.setattr(versions_module, "_spare_cores", lambda: 2)
    parallel = versions_module.describe_blobs(repo.path, blobs)
    assert parallel == serial and len(serial) == 4


def test_odd_paths_and_subjects_survive_the_log(tmp_path):
    repo = Repo(tmp_path / "repo")
    odd = f"{AREA}/ünï côde ; x.json"
    repo.commit(":starts with a colon — and ünicode", "2025-01-01T00:00:00+00:00",
                {odd: chat("test_odd", "m", 1, 1)})
    frame = load_history(repo.path)
    assert rows(frame) == [(":starts with a colon — and ünicode", odd, "A")]


def test_index_git_columns_equal_git_log(repo):
    repo.git("checkout", "--quiet", "--", ".")
    (repo.path / AREA / "untracked.json").write_text(json.dumps(chat("test_u", "m", 1, 1)))
    frame = load_index(repo.path / "tests" / "integration", git=True).frame
    by_path = frame.set_index("path")
    for rel in (A, D):
        log = repo.log_of(rel)
        row = by_path.loc[rel.removeprefix("tests/integration/")]
        assert row["times_changed"] == len(log)
        assert row["first_recorded_at"] == min(pd.Timestamp(d) for _, d in log)
        assert row["last_changed_at"] == max(pd.Timestamp(d) for _, d in log)
    assert by_path.loc["inference/recordings/a.json", "client"] == "openai_sdk 2.30.0"
    untracked = by_path.loc["inference/recordings/untracked.json"]
    assert pd.isna(untracked["times_changed"]) and pd.isna(untracked["first_recorded_at"])
    assert str(frame["first_recorded_at"].dtype) == "datetime64[us, UTC]"
    assert str(frame["times_changed"].dtype) == "Int64"
    result = CliRunner().invoke(main, ["index", str(repo.path / "tests" / "integration"),
                                       "--git"])
    assert result.exit_code == 0 and "git: 2 of 3 recordings have a history" in result.output


def test_index_git_outside_a_work_tree_is_a_clear_error(tmp_path):
    folder = tmp_path / "plain" / "recordings"
    folder.mkdir(parents=True)
    with pytest.raises(HistoryError, match="not inside a git work tree"):
        load_index(folder.parent, git=True)
    result = CliRunner().invoke(main, ["index", str(folder.parent), "--git"])
    assert result.exit_code == 1 and "not inside a git work tree" in result.output


def test_cli_writes_the_table_and_filters(repo, tmp_path):
    out = tmp_path / "history.parquet"
    result = CliRunner().invoke(main, ["history", str(repo.path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 recording changes in 4 commits, 4 distinct versions of 4 files" in result.output
    written = pd.read_parquet(out)
    assert len(written) == 7 and list(written.columns) == list(HISTORY_NAMES)
    result = CliRunner().invoke(main, ["history", str(repo.path), "--model", "gpt-4o"])
    assert "2 recording changes in 2 commits" in result.output


@pytest.mark.parametrize("name, columns", [("history-schema", HISTORY_COLUMNS),
                                           ("git-schema", GIT_COLUMNS)])
def test_readme_history_schemas_are_the_declared_ones(name, columns):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = re.search(rf"<!-- {name}:start.*?-->\n(.*?)\n<!-- {name}:end -->", readme, re.DOTALL)
    assert block and block.group(1) == markdown_table(columns)


def test_cached_log_extended_to_a_later_ref_equals_a_fresh_read(repo):
    load_history(repo.path)
    repo.commit("Re-record b back", "2025-06-01T00:00:00+00:00", {B: chat("test_b", "o3", 8, 1)})
    repo.commit("Re-record a", "2025-06-02T00:00:00+00:00", {A: chat("test_a", "gpt-4o", 1, 1)})
    extended = load_history(repo.path)  # the cached log of HEAD~2 plus HEAD~2..HEAD
    fresh = load_history(repo.path, cache=False)
    pd.testing.assert_frame_equal(extended, fresh)
    assert len(fresh) == 9


def test_rewritten_history_is_read_again(repo):
    load_history(repo.path)
    repo.git("reset", "--quiet", "--hard", "HEAD~2")  # the cached head is no ancestor now
    repo.commit("Other", "2025-07-01T00:00:00+00:00", {C: None})
    frame = load_history(repo.path)
    assert rows(frame)[-1] == ("Other", C, "D")
    assert "Remove b" not in set(frame["subject"]) and len(frame) == 5


def test_client_is_the_latest_versions_even_when_it_records_none(repo):
    repo.commit("Re-record a without metadata", "2025-06-01T00:00:00+00:00",
                {A: chat("test_a", "gpt-4o", 1, 1)})
    frame = load_index(repo.path / "tests" / "integration", git=True).frame.set_index("path")
    assert pd.isna(frame.loc["inference/recordings/a.json", "client"])
    assert frame.loc["inference/recordings/a.json", "times_changed"] == 3


def test_bare_mirror_reads_like_the_clone(repo, tmp_path):
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "--quiet", "--mirror", str(repo.path), str(mirror)],
                   check=True)
    pd.testing.assert_frame_equal(load_history(mirror), load_history(repo.path))


def test_a_path_that_is_not_utf8_is_shown_not_fatal(tmp_path):
    repo = Repo(tmp_path / "repo")
    folder = repo.path / AREA
    folder.mkdir(parents=True)
    name = os.fsencode(folder) + b"/bad-\xff.json"
    with open(name, "wb") as handle:
        handle.write(json.dumps(chat("test_x", "m", 1, 1)).encode())
    repo.git("add", "-A")
    repo.git("commit", "--quiet", "-m", "Odd name")
    frame = load_history(repo.path)
    assert frame["path"].tolist() == [f"{AREA}/bad-\ufffd.json"] and frame["model"].iloc[0] == "m"
