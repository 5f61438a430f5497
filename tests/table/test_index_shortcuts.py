"""The index's shortcuts give what the general paths give: the first user message without
building every turn, model-list digests, non-object chunks, the size budget read per setting,
normalization of nested values, and a symlink retargeted after the walk."""

from __future__ import annotations

import copy
import hashlib
import os

import orjson
from support.good_recording import GOOD, good_recordings

from explorer.health import rules
from explorer.record.recording import RecordingError, parse_bytes, parse_document
from explorer.safety.size import max_file_bytes
from explorer.table.index import index_file
from explorer.table.index import index_tree as load_index
from explorer.table.rows import describe
from explorer.wire import openai


def _chat(messages: list) -> dict:
    doc = copy.deepcopy(GOOD)
    doc["request"].update(url="http://localhost:11434/v1/chat/completions",
                          endpoint="/v1/chat/completions")
    doc["request"]["body"] = {"model": "llama3.2:3b", "messages": messages}
    doc["response"]["body"] = {"__type__": "openai.types.chat.ChatCompletion", "__data__": {
        "model": "llama3.2:3b", "choices": [{"index": 0, "finish_reason": "stop",
                                             "message": {"role": "assistant", "content": "ok"}}]}}
    return doc


def test_first_user_is_the_first_user_turn_of_the_conversation():
    messages = [{"role": "system", "content": "be brief"},
                {"role": "assistant", "content": "earlier"},
                {"role": "user", "content": [{"type": "text", "text": "what is 2+2?"},
                                             {"type": "image_url",
                                              "image_url": {"url": "data:image/png;base64,AA"}}]},
                {"role": "user", "content": "second question"}]
    row = describe(parse_document(_chat(messages)), "a.json", 1)
    assert row["first_user"] == "what is 2+2?"
    turns = openai.conversation({"messages": messages})
    assert row["first_user"] == next(t.text for t in turns if t.role == "user")


def test_first_user_is_unknown_without_a_user_message_or_text():
    no_user = describe(parse_document(_chat([{"role": "system", "content": "x"}])), "a.json", 1)
    image_only = describe(parse_document(_chat([{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}}]}])), "b.json", 1)
    assert no_user["first_user"] is None and image_only["first_user"] is None
    assert openai.first_user_text({"prompt": "complete me"}) == "complete me"


def test_model_list_digest_needs_an_id_on_every_model():
    models = [{"__type__": "openai.types.model.Model", "__data__": {"id": name}}
              for name in ("b", "a", "b")]
    expected = hashlib.sha256(b"a|b").hexdigest()[:8]
    assert rules.models_digest("/v1/models", {"body": models}) == expected
    assert rules.models_digest("/v1/models", {"body": [*models, "c"]}) is None
    assert rules.models_digest("/v1/models", {"body": [*models, {"id": 3}]}) is None
    assert rules.models_digest("/api/tags", {"body": {"models": [{"model": "m"}]}}) == \
        hashlib.sha256(b"m").hexdigest()[:8]


def test_a_chunk_that_is_not_an_object_is_named_by_position():
    doc = copy.deepcopy(GOOD)
    doc["response"] = {"is_streaming": True, "body": [{"model": "m", "response": "a"}, 7,
                                                      {"model": "m", "done": True}, "x"]}
    parsed = parse_document(doc)
    assert parsed.issues == ["2 chunk(s) are not JSON objects (first at chunk 1)"]


def test_the_size_budget_follows_the_setting(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_FILE_MB", "0.000001")
    assert max_file_bytes() == 1
    try:
        parse_bytes(b"[1, 2]")
        raise AssertionError("a file above the budget was parsed")
    except RecordingError as exc:
        assert "EXPLORER_MAX_FILE_MB" in str(exc)
    monkeypatch.setenv("EXPLORER_MAX_FILE_MB", "2")
    assert max_file_bytes() == 2_000_000 and parse_bytes(b"[1, 2]") == [1, 2]
    monkeypatch.setenv("EXPLORER_MAX_FILE_MB", "nonsense")
    assert max_file_bytes() == 64_000_000


def test_nested_values_are_normalized_and_traced():
    body = {"messages": [{"content": "score: 0.91 found", "extra": {"t": 0.123456789}}],
            "options": {"deep": {"x": 1.5, "name": "plain"}}, "n": 3}
    trace = [False, False]
    out = rules.normalize(body, trace=trace)
    assert out["messages"][0]["content"] == "score: __NORMALIZED__ found"
    assert out["messages"][0]["extra"]["t"] == 0.12346
    assert out["options"] is body["options"] and trace == [True, True]
    assert body["messages"][0]["extra"]["t"] == 0.123456789  # never mutated


def test_a_file_retargeted_outside_after_the_walk_is_a_problem(tmp_path):
    tree = tmp_path / "tree"
    folder = good_recordings(tree)
    outside = tmp_path / "outside.json"
    outside.write_bytes(orjson.dumps(GOOD))
    victim = folder / "good1.json"
    victim.unlink()
    os.symlink(outside, victim)  # what the walk saw as a file is now a link out of the tree
    rel = str(victim.relative_to(tree.resolve()))
    status, reason = index_file(str(tree.resolve()), rel, True)[1:]
    assert status == "problem" and "outside" in reason
    inside = folder / "good0.json"
    (folder / "link.json").symlink_to(inside)
    assert index_file(str(tree.resolve()), str((folder / "link.json").relative_to(
        tree.resolve())), True)[1] == "row"
    frame = load_index(tree, cache=False)  # the link inside is its target's row, once
    assert len(frame) == 2 and rel in {p.path for p in frame.attrs["problems"]}
