"""explorer check on ../shared/recordings: each era is explained by the rule of its era."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from explorer.cli.main import main

pytestmark = pytest.mark.real


def check(root) -> dict:
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_2025_08_tree_is_all_short_hash_stale(shared_recordings):
    """The summer 2025 recorder named files by 12 hex digits without test ids: today's
    recorder reaches none of them, and every one is explained by that rule."""
    data = check(shared_recordings / "llama-stack-2025-08")
    rules = {e["rule"] for e in data["recordings"]}
    assert data["summary"]["stale"]["files"] == len(data["recordings"]) >= 100
    assert rules == {"short-no-test-id"}


def test_2025_10_files_use_todays_rule(shared_recordings):
    data = check(shared_recordings / "llama-stack-2025-10")
    assert {(e["status"], e["rule"]) for e in data["recordings"]} == {("reachable", "current")}


def test_2026_tree_is_mostly_reachable_and_nothing_unexplained_is_reachable(shared_recordings):
    data = check(shared_recordings / "ogx-2026-05")
    summary, entries = data["summary"], data["recordings"]
    assert summary["reachable"]["files"] >= 0.8 * len(entries)
    assert summary["stale_by_rule"].get("no-file-search", 0) >= 1
    for entry in entries:
        assert (entry["status"] == "reachable") == (entry["rule"] == "current" and
                                                   entry["status"] != "misplaced")
        if entry["status"] in ("unexplained", "not-hashed"):
            assert entry["rule"] is None
    # the common fallback holds model lists of every test: all of them reachable
    common = [e for e in entries if "/common/recordings/models-" in e["path"]]
    assert common and all(e["status"] == "reachable" for e in common)


def test_reachable_files_are_named_by_their_expected_name(shared_recordings):
    data = check(shared_recordings / "ogx-2026-05")
    for entry in data["recordings"]:
        name = entry["path"].rsplit("/", 1)[-1]
        if entry["status"] == "reachable" and not name.startswith("models-"):
            assert name == entry["expected_name"]


def test_2026_tree_duplicates_name_the_copy_read(shared_recordings):
    """The sample holds one request recorded both in a test folder and in the fallback."""
    data = check(shared_recordings / "ogx-2026-05")
    status = {e["path"]: e["status"] for e in data["recordings"]}
    groups = data["summary"]["duplicates"]
    assert groups
    for group in groups:
        assert len(group["copies"]) >= 2
        assert group["read"] is None or status[group["read"]] == "reachable"
