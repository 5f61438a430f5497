"""The history's figures, its report section and the dashboard's History tab."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from support.history_repos import AREA, Repo, chat, small_repo

from explorer.cli.main import main
from explorer.history import read_history as load_history
from explorer.history.figures import ages_in_days, by_month, history_figures, most_rerecorded
from explorer.present.report import build_report
from explorer.table.index import index_tree as load_index


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return small_repo(tmp_path / "repo")


def test_by_month_counts_changes_and_tokens_of_new_versions(repo):
    months = by_month(load_history(repo.path))
    assert months.index.tolist() == ["2025-03", "2025-04"]
    assert months[["added", "re-recorded", "deleted"]].values.tolist() == [[3, 1, 0], [1, 0, 2]]
    # 12 + 8 (a), 8 (b), 15 (a again), 10 (c); then c moved: 10 again
    assert months["tokens"].tolist() == [12 + 8 + 15 + 10, 10]


def test_most_rerecorded_and_ages(repo):
    repo.commit("Re-record a", "2025-05-01T00:00:00+00:00", {f"{AREA}/a.json": chat(
        "test_a", "gpt-4o", 1, 1)})
    history = load_history(repo.path)
    top = most_rerecorded(history)
    assert top.index[0].endswith("::test_a[txt=openai/gpt-4o]") and top.iloc[0, 0] == 2
    ages = sorted(ages_in_days(history).round(2).tolist())
    # a changed at the newest commit; c (now d) moved 2025-04-02 06:30 UTC
    assert ages == [0.0, round((pd.Timestamp("2025-05-01T00:00Z")
                                - pd.Timestamp("2025-04-02T06:30Z")).total_seconds() / 86400, 2)]


def test_figures_and_report_section_escape_test_ids(repo):
    repo.commit("Hostile", "2025-05-01T00:00:00+00:00", {f"{AREA}/a.json": chat(
        "<img src=x onerror=alert(1)>", "gpt-4o", 1, 1)})
    history = load_history(repo.path)
    figures = history_figures(history)
    assert set(figures) == {"history_changes", "history_tokens", "history_churn", "history_age"}
    labels = figures["history_churn"].data[0].y
    assert all("<img" not in label for label in labels)
    html = build_report(load_index(repo.path / "tests" / "integration"), "t", history=history)
    assert "<h2>History</h2>" in html and "<img src=x" not in html
    assert "8 recording changes in 5 commits" in html


def test_report_history_option(repo, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(repo.path / "tests" / "integration"),
                                       "--history", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<h2>History</h2>" in html and "Most re-recorded tests" in html


def test_dashboard_history_tab_follows_filters(repo):
    from explorer import Dashboard

    root = repo.path / "tests" / "integration"
    dash = Dashboard(root, history=True)
    dash.show_tab("history")
    assert set(dash.history.figures) >= {"history_changes", "history_churn", "history_age"}
    assert "7 recording changes" in dash.history.summary.value
    dash.set_filters(model=("gpt-4o",))
    assert "2 recording changes" in dash.history.summary.value
    changes = dash.history.figures["history_changes"]
    assert sum(sum(trace.y) for trace in changes.data) == 2


def test_dashboard_without_history_says_how_to_get_it(repo):
    from explorer import Dashboard

    dash = Dashboard(repo.path / "tests" / "integration")
    dash.show_tab("history")
    assert "history=True" in dash.history.summary.value and dash.history.figures == {}


def test_versions_of_a_recording_and_loading_one(repo):
    from explorer.history.recordings import load_version, versions_of
    from explorer.record.recording import RecordingError

    history = load_history(repo.path)
    versions = versions_of(history, f"{AREA}/a.json")
    assert versions["status"].tolist() == ["A", "M"]
    first = load_version(repo.path, versions["blob"].iloc[0], f"{AREA}/a.json")
    assert first.final.usage["prompt_tokens"] == 10
    assert str(first.path).endswith(f"a.json@{versions['blob'].iloc[0][:12]}")
    with pytest.raises(RecordingError, match="not a blob id"):
        load_version(repo.path, "--output=x")
    with pytest.raises(RecordingError, match="missing"):
        load_version(repo.path, "f" * 40)


def test_dashboard_lists_versions_of_the_open_recording_and_steps_one(repo):
    from explorer import Dashboard

    dash = Dashboard(repo.path / "tests" / "integration", history=True)
    dash.open_recording("inference/recordings/a.json")
    dash.show_tab("history")
    labels = [label for label, _ in dash.history.versions.options]
    assert [label.split(" ")[1] for label in labels] == ["A", "M"]
    assert "12 tokens" in labels[0] and "15 tokens" in labels[1]
    dash.history.versions.value = dash.history.versions.options[0][1]
    dash.history.open_button.click()
    assert dash.state.tab == "recordings"
    assert dash.state.selected.path == "inference/recordings/a.json"
    assert dash.state.selected.key.startswith("inference/recordings/a.json@")
    assert len(dash.state.selected.blob) == 40
    assert dash.recording.final.usage["prompt_tokens"] == 10


def test_two_versions_of_a_recording_open_in_the_compare_view(repo, tmp_path, monkeypatch):
    from explorer import Dashboard

    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    dash = Dashboard(repo.path / "tests" / "integration", history=True)
    dash.open_recording("inference/recordings/a.json")
    dash.show_tab("history")
    first, second = (blob for _, blob in dash.history.versions.options)
    assert (dash.history.against.value, dash.history.versions.value) == (first, second)
    dash.history.compare_button.click()
    [view] = dash.history.compared.children
    [change] = view.diff.changes
    assert change.path == "tests/integration/inference/recordings/a.json"
    assert change.tokens == (12, 15)  # the two versions' totals, base then head
    assert view.labels[0].endswith(first[:12]) and view.labels[1].endswith(second[:12])
    assert not list((repo.path / "tests").rglob("base"))  # nothing written into the tree
