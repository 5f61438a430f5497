"""explorer diff: two folders or two git revisions, matched by path, noise set aside."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support.paths import REPO
from support.review_trees import (
    ADDED,
    EMBED,
    NEW_MODEL,
    NEW_TEXT,
    REASONING,
    TREE_OLD,
    copy_tree,
    files_of,
    git,
    make_pair,
    make_repo,
    read,
    write,
)

from explorer.cli.main import main
from explorer.review.diff import NORMALIZED_ONLY, diff_trees
from explorer.review.markdown import markdown


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_two_folders_list_exactly_what_was_added_removed_and_changed(tmp_path):
    pair = make_pair(tmp_path)
    result = diff_trees(str(pair.base), str(pair.head)).as_json()
    assert result["added"] == pair.added
    assert result["removed"] == pair.removed
    assert result["changed"] == pair.changed
    assert sorted(result["details"]) == pair.changed


def test_details_say_what_changed_with_token_deltas(tmp_path):
    pair = make_pair(tmp_path)
    details = diff_trees(str(pair.base), str(pair.head)).details
    semantic = details[pair.semantic]
    assert semantic["changed"] == ["text", "tokens"]
    assert semantic["text"] == {"base": "The trip takes 3 hours and 25 minutes.",
                                "head": NEW_TEXT}
    assert semantic["tokens"]["completion_tokens"] == {"base": 283, "head": 293, "delta": 10}
    assert semantic["tokens"]["total_tokens"]["delta"] == 10
    assert "prompt_tokens" not in semantic["tokens"]  # unchanged counts are not reported
    tool_change = details[pair.tool_change]
    assert tool_change["changed"] == ["tool_calls"]
    assert [c["arguments"] for c in tool_change["tool_calls"]["head"]] == [
        '{"location": "Paris, France"}', '{"timezone": "Europe/Lyon"}']


def test_only_ids_and_timestamps_changed_is_reported_as_such(tmp_path):
    pair = make_pair(tmp_path)
    assert (pair.base / pair.noise).read_bytes() != (pair.head / pair.noise).read_bytes()
    result = diff_trees(str(pair.base), str(pair.head)).as_json()
    assert result["details"][pair.noise].startswith(NORMALIZED_ONLY)
    assert NORMALIZED_ONLY == "only normalized fields changed"


def test_old_tree_times_and_durations_are_noise_but_token_counts_are_not(tmp_path):
    """Old Ollama recordings kept real `created_at` times and durations."""
    base = copy_tree(TREE_OLD, tmp_path / "base")
    head = copy_tree(TREE_OLD, tmp_path / "head")
    paths = sorted(p.relative_to(head).as_posix() for p in head.rglob("*.json"))
    noisy = [p for p in paths if "total_duration" in (head / p).read_text()]
    assert noisy, "the old fixture tree should hold an Ollama recording with durations"
    document = read(head / noisy[0])
    _walk_set(document, {"created_at": "2026-01-01T00:00:00.000000Z", "total_duration": 1,
                         "load_duration": 2, "eval_duration": 3})
    write(head / noisy[0], document)
    assert diff_trees(str(base), str(head)).details == {noisy[0]: NORMALIZED_ONLY}
    _walk_set(document, {"eval_count": 999})
    write(head / noisy[0], document)
    details = diff_trees(str(base), str(head)).details[noisy[0]]
    assert details["tokens"]["completion_tokens"]["head"] == 999


def _walk_set(value, changes: dict) -> None:
    if isinstance(value, dict):
        for key in value:
            if key in changes and value[key] is not None:
                value[key] = changes[key]
            else:
                _walk_set(value[key], changes)
    elif isinstance(value, list):
        for item in value:
            _walk_set(item, changes)


def test_error_state_and_request_changes_are_reported(tmp_path):
    pair = make_pair(tmp_path)
    document = read(pair.head / EMBED)
    document["response"].update({"body": None, "is_exception": True,
                                 "exception_message": "rate limited, retry later"})
    document["request"]["body"]["input"][0] = "another sentence"
    write(pair.head / EMBED, document)
    details = diff_trees(str(pair.base), str(pair.head)).details[EMBED]
    assert "error" in details["changed"] and "request" in details["changed"]
    assert (details["error"]["base"], details["error"]["head"]) == (
        None, "rate limited, retry later")
    assert details["request"] == [{"field": "body.input[0]",
                                   "before": '"How do I reset my router?"',
                                   "after": '"another sentence"'}]
    assert "error none → rate limited, retry later" in details["summary"]


def test_unreadable_head_file_is_a_change_not_a_crash(tmp_path):
    pair = make_pair(tmp_path)
    (pair.head / EMBED).write_text('{"request": {', encoding="utf-8")
    details = diff_trees(str(pair.base), str(pair.head)).details[EMBED]
    assert details["changed"] == ["readable"]
    assert "invalid JSON" in details["readable"]["head"]


def test_git_revisions_are_read_from_objects_without_touching_the_work_tree(tmp_path):
    pair, repo = make_repo(tmp_path)
    (repo / REASONING).write_text("uncommitted edit", encoding="utf-8")
    (repo / "tests/integration/inference/recordings/untracked.json").write_text("{}")
    before_files, before_status = files_of(repo / "tests"), git(repo, "status", "--porcelain")
    result = diff_trees("HEAD~1", "HEAD", repo=repo)
    assert result.as_json() == diff_trees(str(pair.base), str(pair.head)).as_json()
    assert files_of(repo / "tests") == before_files
    assert git(repo, "status", "--porcelain") == before_status
    assert "HEAD~1 (" in result.base.label


def test_git_path_prefix_limits_the_comparison(tmp_path):
    _, repo = make_repo(tmp_path)
    result = diff_trees("HEAD~1", "HEAD", repo=repo, prefix="tests/integration/vector_io")
    assert result.as_json()["removed"] == ["tests/integration/vector_io/recordings/ollama_embed.json"]
    assert result.added == [] and result.changed == []


def test_cli_json_and_one_line_errors(tmp_path):
    pair, repo = make_repo(tmp_path)
    out = run("diff", "HEAD~1", "main", "--repo", str(repo), "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["added"] == [ADDED]
    for args, expected in (
        (("diff", "HEAD~1", "no-such-branch", "--repo", str(repo)), "no-such-branch: not a revision"),
        (("diff", "a", "b", "--repo", str(tmp_path / "trees")), "is not a git repository"),
        (("diff", str(tmp_path / "missing"), str(pair.head)), "no such directory"),
    ):
        out = run(*args)
        assert out.exit_code != 0
        assert expected in out.output and "Traceback" not in out.output
        assert len(out.output.strip().splitlines()) == 1


def test_table_output_marks_each_file(tmp_path):
    pair = make_pair(tmp_path)
    out = run("diff", str(pair.base), str(pair.head))
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert "1 added, 1 removed, 3 changed (1 of them only normalized fields)" in lines
    assert f"added        {ADDED}  new recording: /v1/chat/completions {NEW_MODEL}" in lines
    assert any(line.startswith(f"noise        {pair.noise}  {NORMALIZED_ONLY}") for line in lines)
    assert (f"response     {pair.semantic}  text 38 → 29 chars, first difference at 4: "
            f'"The trip takes 3 hours and 25 minu" → "The journey lasts 3 h 25 min."; '
            f"tokens completion 283 → 293 (+10)") in lines


def test_markdown_comment_has_counts_deltas_new_model_and_links(tmp_path):
    pair = make_pair(tmp_path)
    text = markdown(diff_trees(str(pair.base), str(pair.head)),
                    link_base="https://example.com/blob/abc/")
    assert ("**0 request** · **2 response** · 0 moved · 0 environment · 1 noise · 1 added · "
            "1 removed") in text
    assert f"- models: `{NEW_MODEL}`" in text
    assert f"[`o4_mini_copy.json`](https://example.com/blob/abc/{ADDED})" in text
    assert (f"[`openai_chat_nonstream_reasoning_usage.json`](https://example.com/blob/abc/"
            f"{pair.semantic})") in text
    # o3-mini: one file changed (+10 total); the new model: one added file of 1,625 tokens
    assert "| `o3-mini` | +0 | +0 | +10 | +10 | +$" in text
    assert f"| `{NEW_MODEL}` | +1 | +1,342 | +283 | +1,625 |" in text
    assert "### Behaviour changes" in text


def test_markdown_says_cost_unavailable_without_pricing(tmp_path, monkeypatch):
    import explorer.review.markdown as module

    monkeypatch.setattr(module, "pricing_available", lambda: False)
    monkeypatch.setattr("explorer.review.summary.pricing_available", lambda: False)
    pair = make_pair(tmp_path)
    text = markdown(diff_trees(str(pair.base), str(pair.head)))
    assert "cost unavailable" in text
    assert "(`o4_mini_copy.json`)" in text  # file names without links by default


@pytest.mark.real
def test_real_tree_against_a_copy_with_one_file_changed(shared_recordings, tmp_path):
    base = shared_recordings / "ogx-2026-05"
    head = copy_tree(base, tmp_path / "head")
    target = min(head.rglob("*.json"))
    document = read(target)
    document["response"]["is_exception"] = True
    document["response"]["exception_message"] = "injected failure"
    write(target, document)
    rel = target.relative_to(head).as_posix()
    result = diff_trees(str(base), str(head))
    assert (result.added, result.removed, result.changed) == ([], [], [rel])
    assert result.details[rel]["error"]["head"] == "injected failure"
    assert len(result.unchanged) == len(list(base.rglob("*.json"))) - 1


def test_a_noise_key_present_on_one_side_only_is_noise(tmp_path):
    """The recorder adds `id_normalization_mapping` in newer trees; gaining it is not a change."""
    source = next((REPO / "tests" / "fixtures" / "tree").rglob("openai_chat_stream_text_usage.json"))
    for side in ("base", "head"):
        target = tmp_path / side / "recordings" / "r.json"
        target.parent.mkdir(parents=True)
        document = json.loads(source.read_text())
        document.pop("id_normalization_mapping", None)
        if side == "head":
            document["id_normalization_mapping"] = {"chatcmpl-abc123": "rec-000001"}
        target.write_text(json.dumps(document, indent=2 if side == "head" else None))
    result = diff_trees(tmp_path / "base", tmp_path / "head").as_json()
    assert result["changed"] == ["recordings/r.json"]
    assert result["details"]["recordings/r.json"].startswith("only normalized fields changed")
