"""The compare view without a browser: two trees made here from the fixture tree (one file
changed, one added, one removed), the table of what changed, and the changed recording's base
and head streams stepped together; where the trees come from; `explorer open --against`."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.compare_trees import (
    ADDED,
    CHANGED,
    N_FIXTURES,
    NOISE,
    REMOVED,
    SUMMARY,
    make_trees,
    read,
    write,
)

from explorer.cli import open as cli_open
from explorer.cli.main import main
from explorer.dashboard import CompareDashboard
from explorer.dashboard.state import compare as cs
from explorer.review.pair import resolve_pair
from explorer.sources import SourceError


@pytest.fixture
def trees(tmp_path) -> tuple[Path, Path]:
    return make_trees(tmp_path)


@pytest.fixture
def compare(trees) -> CompareDashboard:
    return CompareDashboard(*trees, labels=("main", "pr-branch"))


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&gt;", ">")


def test_the_table_lists_exactly_what_changed(compare):
    rows = {r["path"]: r for r in compare.table.table.rows}
    assert set(rows) == {CHANGED, ADDED, REMOVED}
    assert {p: r["status"] for p, r in rows.items()} == {
        CHANGED: "response", ADDED: "added", REMOVED: "removed"}
    assert rows[CHANGED]["summary"] == SUMMARY
    assert (rows[CHANGED]["tokens"], rows[CHANGED]["delta"]) == ("27 → 31", "+4")
    assert rows[CHANGED]["chunks"] == "6 → 5"
    assert (rows[ADDED]["summary"], rows[ADDED]["tokens"]) == (
        "new recording: /v1/chat/completions gpt-4o-mini", "— → 27")
    assert rows[REMOVED]["tokens"] == "9 → —"
    header = plain(compare.header.value)
    assert "main" in header and "pr-branch" in header
    assert f"{N_FIXTURES} recordings" in header and "1 added, 1 removed, 1 changed" in header


def test_selecting_the_changed_one_steps_both_streams(compare):
    compare.table.click_row(CHANGED)
    state, detail = compare.state, compare.detail
    assert (state.n_base, state.n_head, state.n_steps, state.step) == (6, 5, 6, 6)
    assert "step 6 of 6" in detail.base.value and "step 5 of 5" in detail.head.value
    assert "Sol**." in detail.base.value and "as in solar." in detail.head.value
    assert SUMMARY in html.unescape(plain(detail.title.value))
    details = plain(detail.details.value)
    assert "completion tokens" in details and "+4" in details and "as in solar" in details
    detail.stepper.slider.value = 2  # one step index drives both sides
    assert "step 2 of 6" in detail.base.value and "step 2 of 5" in detail.head.value
    assert "The Latin name for the Sun is" not in plain(detail.base.value)
    assert "The Latin name for the Sun is" in plain(detail.head.value)
    detail.stepper.previous.click()
    assert compare.state.step == 1
    assert "step 1 of 6" in detail.base.value and "step 1 of 5" in detail.head.value
    compare.step_to(6)
    assert "step 6 of 6" in detail.base.value and "step 5 of 5" in detail.head.value
    assert detail.stepper.next.disabled and compare.table.table.selected == CHANGED
    detail.stepper.play.playing = True  # at the end: plays from the start
    assert (compare.state.playing, compare.state.step) == (True, 0)
    assert "step 0 of 6" in detail.base.value and "step 0 of 5" in detail.head.value


def test_added_and_removed_show_the_side_they_have(compare):
    compare.open_pair(ADDED)
    assert (compare.state.n_base, compare.state.n_head) == (0, 6)
    assert "Not in base" in compare.detail.base.value
    assert "step 6 of 6" in compare.detail.head.value
    assert "Only in head" in compare.detail.details.value
    compare.open_pair(REMOVED)
    assert "Not in head" in compare.detail.head.value
    assert "step 1 of 1" in compare.detail.base.value
    compare.detail.close.click()
    assert compare.state.selected is None
    assert compare.detail.widget.children == (compare.detail.empty,)
    assert compare.errors.last is None


def test_status_buttons_search_and_sorting(compare):
    compare.status.value = "added"
    assert [r["path"] for r in compare.table.table.rows] == [ADDED]
    assert "1 of 3 changes shown" in plain(compare.shown.value)
    compare.status.value = "all"
    compare.search.value = "vector_io"
    assert [r["path"] for r in compare.table.table.rows] == [REMOVED]
    compare.search.value = ""
    compare.table.click_header("token_delta")  # the largest change first
    assert compare.table.table.rows[0]["path"] == CHANGED
    with pytest.raises(ValueError, match="sortable"):
        cs.sort(compare.state, "chunks")


def test_files_where_only_normalized_fields_changed_can_be_hidden(trees, tmp_path):
    base, head = trees
    document = read(head / NOISE)
    for chunk in document["response"]["body"]:  # a re-recording with other ids and times
        chunk["__data__"]["id"] = "chatcmpl-Zq81bX0new"
        chunk["__data__"]["created"] = 1767225600
    document["id_normalization_mapping"] = {"chatcmpl-Zq81bX0new": "rec-0123456789ab"}
    write(head / NOISE, document)
    compare = CompareDashboard(base, head)
    rows = {r["path"]: r for r in compare.table.table.rows}
    assert rows[NOISE]["summary"].startswith("only normalized fields changed")
    assert "(1)" in compare.hide_noise.description
    compare.hide_noise.value = True
    assert {r["path"] for r in compare.table.table.rows} == {CHANGED, ADDED, REMOVED}
    compare.hide_noise.value = False
    compare.open_pair(NOISE)
    assert "only normalized fields changed" in compare.detail.details.value
    assert "step 9 of 9" in compare.detail.base.value and "step 9 of 9" in compare.detail.head.value


def test_side_steps_are_clamped_to_each_side():
    state = cs.select(cs.CompareState(), "a.json", n_base=3, n_head=7)
    assert (state.n_steps, cs.side_steps(state)) == (7, (3, 7))
    assert cs.side_steps(cs.replace(state, playback=cs.replace(state.playback, step=2))) == (2, 2)
    assert cs.set_view(state, status="added").page == 0
    with pytest.raises(ValueError, match="status"):
        cs.set_view(state, status="modified")


# where the trees come from ------------------------------------------------------------------

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e",
                    *args], check=True, capture_output=True)


def test_base_may_be_a_folder_or_a_ref_of_the_head_repository(trees, tmp_path):
    base, head = trees
    pair = resolve_pair(str(base), str(head))
    assert (pair.base, pair.head) == (base, head)
    repo = tmp_path / "repo"
    shutil.copytree(base / "tests", repo / "tests")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / "tests")
    shutil.copytree(head / "tests", repo / "tests")
    git(repo, "checkout", "-q", "-b", "rerecord")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    pair = resolve_pair("main", str(repo), "rerecord")
    assert pair.base_label.endswith("@main") and pair.head_label.endswith("@rerecord")
    compare = CompareDashboard(pair.base, pair.head, labels=(pair.base_label, pair.head_label))
    assert {r["path"] for r in compare.table.table.rows} == {
        p.removeprefix("tests/integration/") for p in (CHANGED, ADDED, REMOVED)}
    working = resolve_pair("main", str(repo))  # no ref: the working tree is the head
    assert working.head == repo / "tests" / "integration"
    with pytest.raises(SourceError, match="no such folder"):
        resolve_pair(str(tmp_path / "nope"), str(head))
    with pytest.raises(SourceError, match="no head"):
        resolve_pair(str(base), None)


def test_notebook_settings_build_the_compare_view(trees, tmp_path):
    compare = CompareDashboard.from_sources(str(trees[0]), str(trees[1]))
    assert len(compare.changes) == 3 and compare.labels == (str(trees[0]), str(trees[1]))


# explorer open --against --------------------------------------------------------------------

@pytest.fixture
def launched(monkeypatch) -> list:
    calls: list = []
    monkeypatch.setattr(cli_open, "launch", lambda command, cwd, env, **_: calls.append(env) or 0)
    monkeypatch.setenv("EXPLORER_BASE", "/stale/value")
    return calls


def test_open_against_a_folder_sets_the_base(launched, trees):
    base, head = trees
    result = CliRunner().invoke(main, ["open", str(head), "--against", str(base), "--app"])
    assert result.exit_code == 0, result.output
    env = launched[0]
    assert env["EXPLORER_BASE"] == str(base.resolve())
    assert env["EXPLORER_RECORDINGS"] == str(head.resolve())
    assert "compared with" in result.output


def test_open_against_a_ref_needs_a_repository(launched, trees, tmp_path):
    base, head = trees
    url = "https://example.invalid/org/repo.git"
    result = CliRunner().invoke(main, ["open", url, "--ref", "pr-7", "--against", "main"])
    assert result.exit_code == 0, result.output
    assert (launched[0]["EXPLORER_BASE"], launched[0]["EXPLORER_GIT_REF"]) == ("main", "pr-7")
    result = CliRunner().invoke(main, ["open", str(head), "--against", "main"])
    assert result.exit_code == 2 and "no such folder" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["open", "--against", str(base)])
    assert result.exit_code == 2 and "needs ROOT" in result.output
    assert len(launched) == 1


def test_open_without_against_clears_a_stale_base(launched, trees):
    result = CliRunner().invoke(main, ["open", str(trees[1])])
    assert result.exit_code == 0 and "EXPLORER_BASE" not in launched[0]
