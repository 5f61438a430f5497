"""explorer check: names under every rule, placement, duplicates, gone tests, the explainer."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support.health_trees import (
    CHAT_TEST,
    GONE_FILE_TEST,
    GONE_TEST,
    RESP_TEST,
    chat_body,
    inference,
    make_repo,
)

from explorer.cli.main import main
from explorer.health import rules
from explorer.health.check import check_frame
from explorer.health.explain import differences, explain_log, explain_request
from explorer.table.index import index_tree as load_index

URL_LOG = "http://localhost:8000/v1/chat/completions"


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)


def run(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == expect, result.output
    return result.output


def statuses(output: str) -> dict[str, tuple[str, str | None]]:
    return {e["path"]: (e["status"], e["rule"]) for e in json.loads(output)["recordings"]}


def test_every_fixture_gets_its_status_and_rule(repo):
    """Each file's name was computed under a known rule; check must say which."""
    output = run("check", str(repo.root), "--format", "json")
    assert statuses(output) == repo.expected


@pytest.mark.parametrize("sub", ["", "tests/integration", "tests/integration/inference/recordings"])
def test_root_may_be_repo_tests_or_a_recordings_folder(repo, sub):
    """Placement is judged from the file's real folder, whatever folder is indexed."""
    output = run("check", str(repo.root / sub) if sub else str(repo.root), "--format", "json")
    prefix = f"{sub}/" if sub else ""
    expected = {rel[len(prefix):]: value for rel, value in repo.expected.items()
                if rel.startswith(prefix)}
    assert statuses(output) == expected


def test_json_shape_paths_and_summary(repo):
    output = run("check", str(repo.root), "--format", "json")
    data = json.loads(output)
    assert set(data) == {"recordings", "summary"}
    for entry in data["recordings"]:
        assert set(entry) == {"path", "status", "rule", "test_id", "bytes", "expected_name"}
        assert "\\" not in entry["path"] and not entry["path"].startswith("/")
        assert entry["bytes"] == (repo.root / entry["path"]).stat().st_size
    summary = data["summary"]
    for status in ("reachable", "stale", "misplaced", "unexplained", "not-hashed"):
        mine = [e for e in data["recordings"] if e["status"] == status]
        assert summary[status] == {"files": len(mine), "bytes": sum(e["bytes"] for e in mine)}
    assert summary["stale_by_rule"] == {"no-file-search": 1, "raw-body": 1, "short-no-test-id": 1}


def test_stale_recording_names_todays_file(repo):
    """expected_name is what today's recorder would look for."""
    output = run("check", str(repo.root), "--format", "json")
    entry = next(e for e in json.loads(output)["recordings"] if e["rule"] == "no-file-search")
    assert entry["expected_name"] == repo.current_of_stale


def test_paths_strict_and_nothing_deleted(repo):
    before = sorted(p for p in repo.root.rglob("*") if p.is_file())
    output = run("check", str(repo.root), "--paths", "stale")
    assert sorted(output.split()) == sorted(p for p, (s, _) in repo.expected.items() if s == "stale")
    output = run("check", str(repo.root), "--strict", expect=1)
    assert "stale or misplaced" in output
    assert sorted(p for p in repo.root.rglob("*") if p.is_file()) == before


def test_strict_passes_on_a_clean_tree(repo):
    for rel, (status, _) in repo.expected.items():
        if status in ("stale", "misplaced"):
            (repo.root / rel).unlink()
    run("check", str(repo.root), "--strict")


def test_duplicates_say_which_copy_is_read(repo):
    report = check_frame(load_index(repo.root), repo.root)
    read, other = repo.duplicate
    group = next(g for g in report.duplicates if read in g["copies"])
    assert group["read"] == read and sorted(group["copies"]) == sorted([read, other])


def test_gone_tests_by_static_check(repo):
    report = check_frame(load_index(repo.root), repo.root)
    gone = {g["test_id"]: g["reason"] for g in report.gone_tests}
    assert set(gone) == {GONE_TEST, GONE_FILE_TEST}
    assert "test_removed_long_ago is no longer in" in gone[GONE_TEST]
    assert "test_old.py is gone" in gone[GONE_FILE_TEST]


def test_gone_tests_from_collected_node_ids(repo, tmp_path):
    collected = tmp_path / "collected.txt"
    collected.write_text(f"{CHAT_TEST}\n{RESP_TEST}\n\n3 tests collected in 0.5s\n")
    output = run("check", str(repo.root), "--format", "json", "--collected", str(collected))
    gone = {g["test_id"] for g in json.loads(output)["summary"]["gone_tests"]}
    assert gone == {GONE_TEST, GONE_FILE_TEST,
                    "tests/integration/inference/test_chat.py::TestChat::test_stream"}


def test_table_lists_statuses_and_escapes_control_characters(repo):
    rel = next(p for p, (s, _) in repo.expected.items() if s == "misplaced")
    doc = json.loads((repo.root / rel).read_text())
    output = run("check", str(repo.root))
    assert "misplaced" in output and "raw-body" in output
    assert "Nothing was deleted" in output and "\x1b" not in output
    assert doc["test_id"] in output


def test_explain_request_lists_the_nearest_with_differences(repo, tmp_path):
    request = inference(chat_body("pi is 3.14159265", temperature=0.9))
    miss = explain_request(load_index(repo.root), repo.root, request, CHAT_TEST)
    assert not miss.found and miss.folders[0] == "tests/integration/inference/recordings"
    fields = {f: (b, a) for f, b, a in miss.nearest[0].differences}
    assert fields == {"body.temperature": ("0.12346", "0.9")}


def test_explain_request_finds_an_existing_recording(repo, tmp_path):
    rel = next(p for p, (s, r) in repo.expected.items() if s == "reachable" and "common" not in p
               and "/inference/" in p)
    doc = json.loads((repo.root / rel).read_text())
    request_file = tmp_path / "request.json"
    request_file.write_text(json.dumps(doc["request"]))
    output = run("check", str(repo.root), "--request", str(request_file), "--test-id",
                       doc["test_id"])
    assert "found: " in output


def test_explain_log_picks_hashes_and_test_ids(repo):
    body = chat_body("never recorded")
    digest = rules.request_hash(inference(body), CHAT_TEST)
    log = (f"FAILED {CHAT_TEST} - RuntimeError: Recording not found for request hash: {digest}\n"
           f"Model: gpt-4o | Request: POST http://localhost:8000/v1/chat/completions\n")
    misses = explain_log(load_index(repo.root), repo.root, log)
    assert [(m.request_hash, m.test_id, m.model) for m in misses] == [(digest, CHAT_TEST, "gpt-4o")]
    assert misses[0].nearest and not misses[0].found


def test_differences_reports_added_and_removed_fields():
    diffs = differences({"a": 1, "b": [1, 2]}, {"a": 2, "b": [1], "c": "x"})
    assert diffs == [("a", "1", "2"), ("b[1]", "2", "(absent)"), ("c", "(absent)", '"x"')]


def test_health_column_is_cached(repo, monkeypatch):
    """A warm open reads health from the cache: no row is described again."""
    first = load_index(repo.root)
    import explorer.table.index as index_module

    monkeypatch.setattr(index_module, "describe", lambda *a, **k: pytest.fail("re-described"))
    second = load_index(repo.root)
    assert second["health"].tolist() == first["health"].tolist()
    assert "misplaced" in set(second["health"])


def test_dashboard_filters_on_health_and_shows_removable_bytes(repo):
    from explorer.dashboard import Dashboard

    dash = Dashboard(repo.root)
    dash.set_filters(health=("stale",))
    stale = sorted(p for p, (s, _) in repo.expected.items() if s == "stale")
    assert sorted(dash.filtered["path"]) == stale
    options = {value: label for label, value in dash.filters.facets["health"].options}
    assert options["stale"].startswith("stale  (3)")
    dash.clear_filters()
    dash.show_tab("health")
    table = dash.health.removable.set_index("test_file")
    sizes = {p: (repo.root / p).stat().st_size for p in repo.expected}
    chat = "tests/integration/inference/test_chat.py"
    raw = next(p for p, (_, r) in repo.expected.items() if r == "raw-body")
    misplaced = next(p for p, (s, _) in repo.expected.items() if s == "misplaced")
    assert table.loc[chat, "removable_bytes"] == sizes[raw] + sizes[misplaced]
    assert table.loc["(no test id)", "stale_files"] == 1
    assert "bytes could be removed" in dash.health.table.value


def test_diff_flags_added_stale_and_misplaced_files(repo, tmp_path):
    import shutil

    base = tmp_path / "base"
    base.mkdir()
    (base / "tests").mkdir()
    flagged = {p: s for p, (s, _) in repo.expected.items() if s in ("stale", "misplaced")}
    output = run("diff", str(base), str(repo.root), "--format", "json")
    health = json.loads(output)["health"]
    assert {f["path"]: f["status"] for f in health} == flagged
    assert all(f["change"] == "added" for f in health)
    text = run("diff", str(base), str(repo.root))
    assert "today's recorder will never read" in text
    markdown = run("diff", str(base), str(repo.root), "--format", "markdown")
    assert "Recording health" in markdown
    shutil.rmtree(base)
    shutil.copytree(repo.root, base)
    assert json.loads(run("diff", str(base), str(repo.root), "--format", "json"))["health"] == []


def test_explain_log_with_colours_and_the_test_id_on_an_earlier_line(repo, tmp_path):
    """CI logs are coloured, and pytest may print the node id before the traceback."""
    digest = "f" * 64
    log = tmp_path / "ci.log"
    log.write_text(f"\x1b[1m{RESP_TEST} \x1b[31mFAILED\x1b[0m\n"
                   f"E   RuntimeError: Recording not found for request hash: {digest}\n"
                   f"E   Model: gpt-4o | Request: POST {URL_LOG}\n")
    data = json.loads(run("check", str(repo.root), "--log", str(log), "--format", "json"))
    assert [(m["request_hash"], m["test_id"], m["endpoint"]) for m in data] == [
        (digest, RESP_TEST, "/v1/chat/completions")]
    assert data[0]["folders"] == ["tests/integration/responses/recordings",
                                  "tests/integration/common/recordings"]
    assert data[0]["nearest"], "the stale recording of that test is the nearest"
    text = run("check", str(repo.root), "--log", str(log))
    assert "no such file where the recorder looks" in text and "nearest:" in text


def test_explain_points_at_a_misplaced_copy(repo, tmp_path):
    rel = next(p for p, (s, _) in repo.expected.items() if s == "misplaced")
    doc = json.loads((repo.root / rel).read_text())
    request_file = tmp_path / "recording.json"
    request_file.write_text(json.dumps(doc))  # a whole recording: its test id is used
    text = run("check", str(repo.root), "--request", str(request_file))
    assert "sits elsewhere (misplaced)" in text and rel in text


def test_bad_request_file_is_one_clear_line(repo, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    output = run("check", str(repo.root), "--request", str(bad), expect=1)
    assert "bad.json" in output and "cannot read a JSON request" in output


def test_index_filter_on_health(repo, tmp_path):
    out = tmp_path / "stale.csv"
    run("index", str(repo.root), "--health", "stale", "--out", str(out))
    import pandas as pd

    assert sorted(pd.read_csv(out)["path"]) == sorted(
        p for p, (s, _) in repo.expected.items() if s == "stale")
