"""Version rows shared between the history's blob store and the index: each version described once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from support.history_repos import AREA, Repo, chat

from explorer.api import load_index
from explorer.health import rules
from explorer.history import read_history as load_history
from explorer.history import versions as versions_module
from explorer.history.index_columns import add_git_columns, work_tree_history
from explorer.table import blobrows
from explorer.table import cache as index_cache
from explorer.table import index as index_module
from explorer.table.index import index_tree

SAFETY = "tests/integration/safety/recordings"


def named(doc: dict, rule: rules.Rule = rules.CURRENT, test_id: bool = True) -> str:
    """The file name `rule` gives the recording `doc`."""
    digest = rules.request_hash(doc["request"], doc["test_id"] if test_id else None, rule)
    return f"{digest[:12] if rule.short else digest}.json"


SHORT = rules.RULES[-1]
REACHABLE = chat("test_r", "gpt-4o", 3, 1)
STALE = chat("test_s", "gpt-4o", 4, 1)
MISPLACED = chat("test_m", "gpt-4o", 5, 1)  # its test is in inference/, the file in safety/
ODD = {**chat("test_o", "gpt-4o", 6, 1), "response": {"body": {"x": 1}, "is_streaming": True}}
FILES = {
    f"{AREA}/{named(REACHABLE)}": REACHABLE,
    f"{AREA}/copy-of-reachable.json": REACHABLE,  # the same blob under a name no rule gives
    f"{AREA}/{named(STALE, SHORT, test_id=False)}": STALE,
    f"{SAFETY}/{named(MISPLACED)}": MISPLACED,
    f"{AREA}/odd.json": ODD,  # parses with an issue: a problem beside its row
    f"{AREA}/broken.json": b'{"request": ',  # cannot be described: a problem row
    f"{AREA}/modified.json": chat("test_x", "gpt-4o", 7, 1),
    f"{AREA}/modified-same-size.json": chat("test_y", "gpt-4o", 8, 1),
    "tests/integration/conf.json": {"x": 1},  # not a recording: skipped
}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit("Add recordings", "2025-03-01T10:00:00+00:00", FILES)
    repo.commit("Re-record one", "2025-03-02T10:00:00+00:00",
                {f"{AREA}/modified.json": chat("test_x", "gpt-4o", 70, 1)})
    link = repo.path / AREA / "link.json"
    os.symlink(named(REACHABLE), link)
    repo.git("add", "--", f"{AREA}/link.json")
    repo.git("commit", "--quiet", "-m", "A link")
    work = repo.path / AREA
    (work / "modified.json").write_text(json.dumps(chat("test_x", "gpt-4o", 71, 1)))
    same = work / "modified-same-size.json"
    same.write_text(same.read_text().replace('"prompt_tokens": 8', '"prompt_tokens": 9'))
    (work / "untracked.json").write_text(json.dumps(chat("test_u", "gpt-4o", 1, 1)))
    return repo


@pytest.fixture(autouse=True)
def store_for_any_count(monkeypatch):
    """These trees are small: let the index ask the store however few files it parses."""
    monkeypatch.setattr(blobrows, "STORE_MIN_FILES", 1)


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """The path of every `describe` call, in the history and in the index."""
    seen: list[str] = []
    for module in (versions_module, index_module):
        real = module.describe

        def counting(parsed, path, *args, _real=real, **kwargs):
            seen.append(path)
            return _real(parsed, path, *args, **kwargs)

        monkeypatch.setattr(module, "describe", counting)
    return seen


def parsed_frame(root: Path) -> pd.DataFrame:
    """What parsing every file gives (no cache, no reuse), with the git columns."""
    frame = index_tree(root, cache=False)
    assert frame.attrs["reused"] == 0
    history, _ = work_tree_history(root, cache=False)
    return add_git_columns(frame, history)


def test_cold_index_with_git_describes_each_version_once(repo, calls):
    root = repo.path / "tests" / "integration"
    frame = load_index(root, git=True).frame
    history_calls = [path for path in calls if path == versions_module.PLACEHOLDER_PATH]
    index_calls = sorted(path for path in calls if path != versions_module.PLACEHOLDER_PATH)
    # every readable version once (the link's and broken.json's blobs are no JSON)
    assert len(history_calls) == 7
    # the index only describes what git cannot vouch for: changed, untracked (the link's
    # target is listed by the walk, so the link is not read again)
    assert index_calls == sorted(f"inference/recordings/{name}.json" for name in
                                 ("modified", "modified-same-size", "untracked"))
    assert frame.attrs["reused"] == 5
    assert frame.attrs["parsed"] == 5  # those three, conf.json (skipped) and broken.json
    expected = parsed_frame(root)
    pd.testing.assert_frame_equal(frame, expected)
    uncached = load_index(root, git=True, cache=False).frame
    assert uncached.attrs["reused"] == 5
    pd.testing.assert_frame_equal(uncached, expected)
    assert [p.as_dict() for p in frame.attrs["problems"]] == \
        [p.as_dict() for p in expected.attrs["problems"]]
    assert frame["times_changed"].notna().sum() == 7  # all but the untracked file


def test_reused_rows_keep_the_health_of_their_own_names(repo):
    root = repo.path / "tests" / "integration"
    load_history(repo.path)
    frame = index_tree(root)
    assert frame.attrs["reused"] == 5
    health = dict(zip(frame["path"], zip(frame["health"], frame["health_rule"].fillna("-"))))
    assert health[f"inference/recordings/{named(REACHABLE)}"] == ("reachable", "current")
    assert health["inference/recordings/copy-of-reachable.json"] == ("unexplained", "-")
    assert health[f"inference/recordings/{named(STALE, SHORT, test_id=False)}"] == \
        ("stale", "short-no-test-id")
    assert health[f"safety/recordings/{named(MISPLACED)}"] == ("misplaced", "current")
    assert frame.set_index("path").loc["safety/recordings/" + named(MISPLACED), "area"] == \
        "safety"
    pd.testing.assert_frame_equal(frame, index_tree(root, cache=False))


def test_problems_and_issues_are_those_of_parsing(repo):
    root = repo.path / "tests" / "integration"
    load_history(repo.path)
    frame = index_tree(root)
    fresh = index_tree(root, cache=False)
    assert [p.as_dict() for p in frame.attrs["problems"]] == \
        [p.as_dict() for p in fresh.attrs["problems"]]
    reasons = {p.path: p.reason for p in frame.attrs["problems"]}
    assert "is_streaming" in reasons["inference/recordings/odd.json"]
    assert "invalid JSON" in reasons["inference/recordings/broken.json"]


def test_warm_open_after_reuse_parses_nothing_and_a_change_parses_one(repo):
    root = repo.path / "tests" / "integration"
    load_history(repo.path)
    cold = index_tree(root)
    warm = index_tree(root)
    assert (warm.attrs["parsed"], warm.attrs["reused"]) == (0, 0)
    pd.testing.assert_frame_equal(cold, warm)
    target = root / "inference" / "recordings" / "copy-of-reachable.json"
    target.write_text(json.dumps(chat("test_z", "gpt-4o", 1, 2)))
    again = index_tree(root)
    assert again.attrs["parsed"] == 1 and again.attrs["reused"] == 0
    pd.testing.assert_frame_equal(again, index_tree(root, cache=False))


def test_a_parser_change_invalidates_the_stored_versions(repo, monkeypatch):
    root = repo.path / "tests" / "integration"
    load_history(repo.path)
    monkeypatch.setattr(index_cache, "_KEY", "0.1.0:another-parser")
    frame = index_tree(root)
    assert frame.attrs["reused"] == 0 and frame.attrs["parsed"] == 10
    assert load_history(repo.path).attrs["described"] == 9


def test_an_empty_store_costs_no_git_call(repo, monkeypatch):
    def refuse(root):
        raise AssertionError("git was asked although no version is stored")

    monkeypatch.setattr(blobrows, "clean_blobs", refuse)
    frame = index_tree(repo.path / "tests" / "integration")
    assert frame.attrs["reused"] == 0 and frame.attrs["parsed"] == 10


def test_a_few_changed_files_are_parsed_without_asking_git(repo, monkeypatch):
    load_history(repo.path)
    monkeypatch.setattr(blobrows, "STORE_MIN_FILES", 12)
    monkeypatch.setattr(blobrows, "clean_blobs", lambda root: pytest.fail("git was asked"))
    assert index_tree(repo.path / "tests" / "integration").attrs["parsed"] == 10


def test_a_tree_outside_git_reuses_nothing(repo, tmp_path):
    load_history(repo.path)
    copy = tmp_path / "copy" / "recordings"
    copy.mkdir(parents=True)
    source = repo.path / AREA / named(REACHABLE)
    (copy / source.name).write_bytes(source.read_bytes())
    frame = index_tree(copy.parent)
    assert frame.attrs["reused"] == 0 and frame.attrs["parsed"] == 1


def test_naming_key_gives_matching_rule_for_every_name():
    docs = [REACHABLE, STALE, chat("test_t", "m", 1, 1)]
    models = {"test_id": None, "request": {"method": "GET", "url": "http://h/v1/models",
                                           "endpoint": "/v1/models", "body": {}}}
    for doc in [*docs, models]:
        request, test_id = doc["request"], doc["test_id"]
        key = rules.naming_key(request, rules.Hashes(request, test_id))
        names = [named(doc, rule, test_id=rule.with_test_id) for rule in rules.RULES]
        names += [f"models-{name.removesuffix('.json')}-0badf00d.json" for name in names]
        names += ["x.json", "0" * 64 + ".json", "0" * 12 + ".json"]
        for name in names:
            assert rules.rule_from_key(name, key) == rules.matching_rule(name, request, test_id)


def test_history_health_is_that_of_each_changes_own_name(repo):
    history = load_history(repo.path)
    latest = history[history["status"] != "D"].drop_duplicates("path", keep="last")
    index = index_tree(repo.path, cache=False)
    columns = ["health", "health_rule", "expected_name"]
    paths = [f"{AREA}/{named(REACHABLE)}", f"{AREA}/copy-of-reachable.json",
             f"{AREA}/{named(STALE, SHORT, test_id=False)}", f"{SAFETY}/{named(MISPLACED)}"]

    def health(frame: pd.DataFrame) -> list:
        return frame.set_index("path").loc[paths, columns].astype(object).fillna("-") \
            .values.tolist()

    assert health(latest) == health(index)
    assert [row[0] for row in health(latest)] == ["reachable", "unexplained", "stale",
                                                  "misplaced"]


def test_a_file_git_converts_on_checkout_is_parsed(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("Recordings, checked out with CRLF", "2025-03-01T10:00:00+00:00",
                {".gitattributes": b"*.json text eol=crlf\n",
                 f"{AREA}/{named(REACHABLE)}": REACHABLE})
    (repo.path / AREA / named(REACHABLE)).unlink()
    repo.git("checkout", "--", ".")  # written again, with CRLF line ends: other bytes, same blob
    assert repo.git("diff-files", "--name-only") == ""
    load_history(repo.path)
    frame = index_tree(repo.path)
    assert (frame.attrs["reused"], frame.attrs["parsed"]) == (0, 1)
    pd.testing.assert_frame_equal(frame, index_tree(repo.path, cache=False))
