"""History wherever there is git: the page `explorer open` (and `--app`) serves fills the
History tab when the tree lies in a git work tree, says why not (and what to run) elsewhere,
and its charts have heights of their own and counts in the right number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.history_repos import Repo, small_repo

from explorer.cli.open import notebook_env
from explorer.dashboard.launch import dashboard_for_page
from explorer.history.figures import history_figures


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return small_repo(tmp_path / "repo")


def page_dashboard(monkeypatch, root: Path, history: str | None = None):
    monkeypatch.setenv("EXPLORER_RECORDINGS", str(root))
    for name in ("EXPLORER_GIT_REF", "EXPLORER_BASE", "VOILA_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    if history is None:
        monkeypatch.delenv("EXPLORER_HISTORY", raising=False)
    else:
        monkeypatch.setenv("EXPLORER_HISTORY", history)
    return dashboard_for_page(wait=lambda settings: None)


def test_the_page_on_a_git_tree_fills_the_history_tab(repo, monkeypatch):
    dash = page_dashboard(monkeypatch, repo.path / "tests" / "integration")
    dash.show_tab("history")
    assert "7 recording changes" in dash.history.summary.value
    assert set(dash.history.figures) >= {"history_changes", "history_churn", "history_age"}


def test_no_history_switch_and_a_tree_without_git_say_what_to_do(repo, monkeypatch, tmp_path):
    dash = page_dashboard(monkeypatch, repo.path / "tests" / "integration", history="0")
    dash.show_tab("history")
    assert "No history loaded" in dash.history.summary.value
    plain = tmp_path / "plain"
    shutil.copytree(repo.path / "tests", plain / "tests")
    dash = page_dashboard(monkeypatch, plain / "tests" / "integration")
    dash.show_tab("history")
    text = dash.history.summary.value
    assert "not inside a git work tree" in text
    assert "explorer open ROOT --app" in text and "--no-history" in text


def test_open_passes_the_switch_to_the_page():
    assert notebook_env("/x", None, None, history=False)["EXPLORER_HISTORY"] == "0"
    assert "EXPLORER_HISTORY" not in notebook_env("/x", None, None)


def test_counts_agree_with_their_number(repo, monkeypatch):
    dash = page_dashboard(monkeypatch, repo.path / "tests" / "integration")
    dash.set_filters(model=("o3",))
    dash.show_tab("history")
    summary = dash.history.summary.value  # its addition (a deletion passes no filter)
    assert "1 recording change</b> in 1 commit, 1 distinct version," in summary
    dash.set_filters(model=("gpt-4o",))
    assert "2 recording changes</b> in 2 commits, 2 distinct versions," in (
        dash.history.summary.value)


def test_history_charts_have_heights_of_their_own(repo):
    from explorer.history.load import read_history as load_history

    figures = history_figures(load_history(repo.path))
    for name, figure in figures.items():
        assert figure.layout.height >= 300, name
        assert figure.layout.margin.t >= 60, name  # the title above the legend and the plot


def test_the_first_page_does_not_wait_for_git(repo, monkeypatch):
    calls = []
    import explorer.present.history_section as section

    real = section.history_of_tree
    monkeypatch.setattr(section, "history_of_tree", lambda root: calls.append(root) or real(root))
    dash = page_dashboard(monkeypatch, repo.path / "tests" / "integration")
    assert calls == [] and "Reading the git history" in dash.history.summary.value
    dash.show_tab("history")
    dash.show_tab("recordings")
    dash.show_tab("history")
    assert len(calls) == 1 and "7 recording changes" in dash.history.summary.value


def test_a_preheated_app_kernel_reads_it_before_the_visitor(repo, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    dash = page_dashboard(monkeypatch, repo.path / "tests" / "integration")
    assert dash._history is not None and len(dash._history) == 7
