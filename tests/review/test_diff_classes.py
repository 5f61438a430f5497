"""Every change of a diff in exactly one class, with the summary a reviewer reads; on trees
built here (one change of each class) and on the real recordings."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from support.review_classes import (
    EMBEDDING,
    ENVIRONMENT,
    MOVED_FROM,
    MOVED_TO,
    NOISE,
    REMOVED_FOR_MOVE,
    REQUEST,
    RERECORDED_TO,
    make_class_pair,
)
from support.review_trees import read, write

from explorer.cli.main import main
from explorer.review.diff import CLASSES, diff_trees
from explorer.review.markdown import LIMIT, change_line, markdown
from explorer.review.normalize import normalize, same_modulo_noise


@pytest.fixture
def pair(tmp_path):
    return make_class_pair(tmp_path)


@pytest.fixture
def diff(pair):
    return diff_trees(pair.base, pair.head)


def test_each_change_is_in_the_expected_class(pair, diff):
    assert {c.path: c.kind for c in diff.changes} == pair.expected
    assert [c.kind for c in diff.changes] == sorted(
        (c.kind for c in diff.changes), key=CLASSES.index)


def test_a_move_is_one_change_with_its_source(diff):
    moves = {c.path: c for c in diff.of("moved")}
    assert moves[MOVED_TO].source == MOVED_FROM
    assert moves[MOVED_TO].response_changed is False
    assert moves[MOVED_TO].summary.endswith("response unchanged")
    rerecorded = moves[RERECORDED_TO]
    assert rerecorded.source == REMOVED_FOR_MOVE and rerecorded.response_changed is True
    assert 'text 25 → 23 chars, first difference at 0: " jumps over' in rerecorded.summary
    # the files themselves are still listed as added and removed, as git sees them
    assert MOVED_FROM in diff.removed and MOVED_TO in diff.added


def test_digit_less_provider_ids_and_test_id_are_noise(diff):
    noise = {c.path: c for c in diff.of("noise")}
    assert noise[NOISE].summary.startswith("only normalized fields changed (ids")
    assert normalize({"tool_call_id": "call_gefseirj"}) == normalize(
        {"tool_call_id": "call_A1"})
    assert normalize({"name": "call_output"}) == {"name": "call_output"}  # a word, not an id


def test_machine_endpoint_with_same_request_is_environment(diff):
    change = next(c for c in diff.changes if c.path == ENVIRONMENT)
    assert change.kind == "environment" and change.endpoint == "/api/ps"
    assert 'body.models[0].model "llama3.2:3b-instruct-fp16" → "llama3.2:1b"' in change.summary


def test_a_request_change_lists_each_field_before_and_after(diff):
    change = next(c for c in diff.changes if c.path == REQUEST)
    assert change.fields == [{"field": "body.dimensions", "before": "none", "after": "4"}]
    assert change.summary == "request body.dimensions none → 4; embedding 0 length 8 → 4"


def test_same_request_shorter_embedding_is_a_response_change(diff):
    change = next(c for c in diff.changes if c.path == EMBEDDING)
    assert (change.kind, change.summary) == ("response", "embedding length 6 → 3")


def test_request_values_are_clipped(pair):
    document = read(pair.head / REQUEST)
    document["request"]["body"]["input"][0] = "x" * 500
    write(pair.head / REQUEST, document)
    change = next(c for c in diff_trees(pair.base, pair.head).changes if c.path == REQUEST)
    after = next(f["after"] for f in change.fields if f["field"] == "body.input[0]")
    assert len(after) < 100 and "…" in after  # the changed part shortened, not 500 x


def test_json_keeps_its_keys_and_adds_changes(pair):
    out = CliRunner().invoke(main, ["diff", str(pair.base), str(pair.head), "--format", "json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert {"added", "removed", "changed", "details", "changes"} <= set(result)
    by_path = {c["path"]: c for c in result["changes"]}
    assert {p: c["class"] for p, c in by_path.items()} == pair.expected
    moved = by_path[RERECORDED_TO]
    assert moved["from"] == REMOVED_FOR_MOVE and moved["response_changed"] is True
    request = by_path[REQUEST]
    assert request["endpoint"] == "/v1/embeddings" and request["model"] == "text-embedding-3-small"
    assert request["base_tokens"] == request["head_tokens"] and request["base_tokens"] > 0
    assert request["flags"] == []
    assert "from" not in by_path[NOISE]


def test_table_shows_the_classes(pair):
    out = CliRunner().invoke(main, ["diff", str(pair.base), str(pair.head)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert ("1 request, 1 response, 2 moved (1 re-recorded), 1 environment, 1 noise, 1 added, "
            "1 removed") in lines
    assert any(line.startswith("environment") and ENVIRONMENT in line for line in lines)


def _normalize_like_a_recorder(tree) -> int:
    """Rewrite every recording the way a normalizing pass does: other ids (digit-less
    provider ids included), zeroed times, a test_id suffix, another indentation."""
    count = 0
    for path in sorted(tree.rglob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(document, dict) or "request" not in document:
            continue
        text = json.dumps(document, indent=1)
        text = text.replace('"rec-', '"rec-x').replace('"call_', '"call_zz')
        document = json.loads(text)
        document["id_normalization_mapping"] = {"chatcmpl-abcdefgh": "rec-abcdefgh"}
        if document.get("test_id"):
            document["test_id"] += "[renormalized]"
        path.write_text(json.dumps(document, indent=4), encoding="utf-8")
        count += 1
    return count


@pytest.mark.real
def test_real_normalize_only_change_is_all_noise(shared_recordings, tmp_path):
    base = shared_recordings / "ogx-2026-05"
    head = shutil.copytree(base, tmp_path / "head")
    rewritten = _normalize_like_a_recorder(head)
    result = diff_trees(base, head)
    assert rewritten > 100
    assert {c.kind for c in result.changes} == {"noise"}
    assert len(result.changes) == rewritten


@pytest.mark.real
def test_real_recordings_moved_to_another_folder_are_moves(shared_recordings, tmp_path):
    base = shared_recordings / "ogx-2026-05"
    head = shutil.copytree(base, tmp_path / "head")
    folder = head / "tests" / "integration" / "safety" / "recordings"
    moved = sorted(folder.glob("*.json"))
    target = head / "tests" / "integration" / "guards" / "recordings"
    target.mkdir(parents=True)
    for number, path in enumerate(moved):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["test_id"] = f"tests/integration/guards/test_guard.py::test_{number}"
        (target / f"moved_{number}.json").write_text(json.dumps(document), encoding="utf-8")
        path.unlink()
    result = diff_trees(base, head)
    assert moved and len(result.of("moved")) == len(moved)
    assert all(not c.response_changed for c in result.of("moved"))
    assert result.of("added") == [] and result.of("removed") == []


@pytest.mark.real
def test_real_era_pair_classes_every_file_once(shared_recordings):
    """The 2025-08 tree against the 2026-05 sample: layouts differ, so nearly every file is
    added or removed; each appears in exactly one change."""
    old, new = shared_recordings / "llama-stack-2025-08", shared_recordings / "ogx-2026-05"
    result = diff_trees(old, new)
    moved = result.of("moved")
    listed = [c.path for c in result.changes] + [c.source for c in moved]
    assert sorted(listed) == sorted(set(result.added) | set(result.removed) | set(result.changed))
    assert all(c.kind in CLASSES and c.summary for c in result.changes)


def test_noise_is_judged_in_place_as_normalize_would(pair):
    """The diff compares without copying; it must agree with comparing normalized copies."""
    checked = 0
    for path in sorted(pair.head.rglob("*.json")):
        rel = path.relative_to(pair.head)
        if not (pair.base / rel).is_file():
            continue
        old, new = read(pair.base / rel), read(path)
        assert same_modulo_noise(old, new) == (normalize(old) == normalize(new)), rel
        checked += 1
    assert checked > 30


@pytest.mark.real
def test_real_era_pair_comment_fits_and_names_every_behaviour_change(shared_recordings):
    result = diff_trees(shared_recordings / "llama-stack-2025-08",
                        shared_recordings / "ogx-2026-05")
    text = markdown(result)
    assert len(text) <= LIMIT
    behaviour = [c for c in result.changes if c.matters]
    assert behaviour and "not shown" not in text
    for change in behaviour:
        assert change_line(change, "") in text
