"""Noise is decided by what a value means, not by its characters: every per-call id shape the
recorder or a provider writes is noise; tool-call ids stay tied to their results."""

from __future__ import annotations

import copy

from support.review_shapes import (
    chat_completion,
    chat_request,
    recording,
    two_tool_turn,
)

from explorer.review.classify import compare, load_side
from explorer.review.normalize import noise_changes, normalize

TEST = "tests/integration/inference/test_openai_completion.py::test_x[txt=ollama]"


def _classify(base: dict, head: dict) -> tuple[str, object]:
    import json

    rel = "tests/integration/inference/recordings/x.json"
    return compare(load_side(rel, json.dumps(base).encode()),
                   load_side(rel, json.dumps(head).encode()))


def _chat(response_id: str) -> dict:
    messages = [{"role": "user", "content": "Which planet has rings?"}]
    return recording(TEST, chat_request(messages), chat_completion("Saturn.", response_id))


def test_ids_of_every_shape_are_noise_and_the_summary_says_ids_only():
    """`cmpl-183` → `cmpl-253` (digits only, short), a UUID → `rec-…`, empty → `rec-…`,
    `chatcmpl-…` → `rec-…`: each is the response id the provider or recorder assigned."""
    shapes = [("cmpl-183", "cmpl-253"), ("0c9e5a62-8d4e-4b1e-9c1a-3f2b9d0e7a11", "rec-0c1f45455d3b"),
              ("", "rec-0c1f45455d3b"), ("chatcmpl-AbCdEf", "rec-0c1f45455d3b"),
              ("resp_67ccd2bed1ec8190", "resp_67ccd3a9da748190")]
    for before, after in shapes:
        kind, details = _classify(_chat(before), _chat(after))
        assert (kind, details) == ("noise", "only normalized fields changed (ids only)"), before


def test_file_vector_store_and_batch_ids_and_times_are_noise():
    base = _chat("rec-1")
    head = copy.deepcopy(base)
    for doc, suffix in ((base, "a1"), (head, "b2")):
        data = doc["response"]["body"]["__data__"]
        data.update({"file_id": f"file-{suffix}", "vector_store_id": f"vs_{suffix}",
                     "batch_id": f"batch_{suffix}"})
    head["response"]["body"]["__data__"]["created"] = 1767225600
    assert noise_changes(base, head) == {"ids", "times"}


def test_renaming_every_tool_call_id_consistently_is_noise():
    base = two_tool_turn("call_8rf1aax7", "call_k2m9x0qz")
    head = two_tool_turn("rec-0c1f45455d3b", "rec-9a8b7c6d5e4f")
    assert _classify(base, head)[0] == "noise"
    assert normalize(base) == normalize(head)


def test_a_result_answering_another_call_is_a_request_change():
    """The same ids, but the result -212 now answers the second call: not noise."""
    base = two_tool_turn("call_8rf1aax7", "call_k2m9x0qz", ("A", "B"))
    head = two_tool_turn("call_8rf1aax7", "call_k2m9x0qz", ("B", "A"))
    kind, details = _classify(base, head)
    assert kind == "request"
    assert any("tool_call_id" in f["field"] for f in details["request"])
    assert normalize(base) != normalize(head)


def test_a_model_listing_id_is_a_model_name_not_noise():
    def listing(name: str) -> dict:
        return recording(None, {"method": "GET", "url": "http://0.0.0.0:11434/v1/v1/models",
                                "headers": {}, "body": {}, "endpoint": "/v1/models",
                                "model": ""},
                         {"body": [{"__type__": "openai.types.model.Model",
                                    "__data__": {"id": name, "created": 0, "object": "model",
                                                 "owned_by": "library"}}],
                          "is_streaming": False})
    assert noise_changes(listing("llama3.2:3b"), listing("llama3.2:1b")) is None


def test_a_different_answer_is_still_a_response_change():
    base = _chat("cmpl-183")
    head = copy.deepcopy(base)
    head["response"]["body"]["__data__"]["choices"][0]["message"]["content"] = "Jupiter."
    assert _classify(base, head)[0] == "response"


def test_a_request_change_deep_in_a_long_prompt_shows_both_sides_differently():
    """A llama-guard prompt changed 600 characters in (one `p` → `P`): the excerpts are
    centred on the change, so before and after never read the same."""
    from explorer.review.fields import request_fields

    prompt = ("Task: Check if there is unsafe content in 'Assistant' messages in "
              "conversations according our safety policy with the below categories.\n") * 5
    before = prompt + "Provide your safety assessment: please answer safe or unsafe."
    after = before.replace("please answer", "Please answer")
    base = chat_request([{"role": "user", "content": before}])
    head = chat_request([{"role": "user", "content": after}])
    (field,) = request_fields(base, head)
    assert field["field"] == "body.messages[0].content"
    assert field["before"] != field["after"]
    assert "please answer" in field["before"] and "Please answer" in field["after"]
    assert len(field["after"]) < 120


def test_each_differing_span_gets_its_own_excerpt():
    from explorer.review.excerpt import excerpts

    filler = "lorem ipsum dolor sit amet " * 8
    before = "alpha " + filler + "omega"
    after = "ALPHA " + filler + "OMEGA"
    old, new = excerpts(before, after)
    assert "alpha" in old and "omega" in old and "ALPHA" in new and "OMEGA" in new
    assert new.index("ALPHA") < new.index("OMEGA") and "lorem ipsum dolor sit amet " * 8 not in new


def test_the_recorders_short_per_test_ids_in_text_are_noise():
    """`vs_12`, `file-183`, `batch_7` inside a tool result are counters the recorder derives
    from the test id; `batch_size` is a word."""
    def turn(store: str, file: str) -> dict:
        messages = [{"role": "user", "content": "Search my files"},
                    {"role": "tool", "tool_call_id": "call_1",
                     "content": f"store {store} holds {file}; batch_size 8"}]
        return recording(TEST, chat_request(messages), chat_completion("Found it."))
    assert _classify(turn("vs_12", "file-183"), turn("vs_97", "file-253"))[0] == "noise"
    base, head = turn("vs_12", "file-183"), turn("vs_12", "file-183")
    head["request"]["body"]["messages"][1]["content"] = "store vs_12 holds file-183; batch_size 9"
    assert _classify(base, head)[0] == "request"


def test_stream_obfuscation_and_document_uuids_are_noise():
    base, head = _chat("rec-1"), _chat("rec-1")
    base["response"]["body"]["__data__"]["obfuscation"] = "Xk3"
    head["response"]["body"]["__data__"]["obfuscation"] = "p0Qz9"
    for doc, uid in ((base, "3f2b9d0e-7a11-4b1e-9c1a-0c9e5a628d4e"),
                     (head, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")):
        doc["request"]["body"]["messages"].append(
            {"role": "tool", "tool_call_id": "call_1",
             "content": f"[1] document_id: {uid}, score: 0.82"})
    assert _classify(base, head) == ("noise", ("only normalized fields changed (ids, ids or "
                                              "times in text only)"))


def test_repetitive_requests_compare_in_bounded_work():
    """Word matching is quadratic: repeated tokens over a long middle once took minutes. Now
    the common start and end are set aside and a long differing middle is one span."""
    from explorer.review.excerpt import spans

    assert spans("a " * 1000, "b " * 1000) == [(0, 1999, 0, 1999)]
    assert spans("ab" * 100_000, "ba" * 100_000) == [(0, 200_000, 0, 200_000)]
    messages = [{"role": "user", "content": "a " * 5_000}] * 50
    head = [{"role": "user", "content": "b " * 5_000}] * 50
    kind, details = _classify(recording(TEST, chat_request(messages), chat_completion("x")),
                              recording(TEST, chat_request(head), chat_completion("x")))
    assert kind == "request" and len(details["request"]) == 50


def test_a_value_of_another_type_does_not_read_the_same():
    from explorer.review.fields import request_fields

    fields = request_fields({"body": {"n": 1, "seed": "7", "t": 1}},
                            {"body": {"n": 1.5, "seed": 7, "t": 1.0}})
    assert all(f["before"] != f["after"] for f in fields) and len(fields) == 2  # 1 == 1.0


def test_an_sdk_version_bump_in_provider_metadata_is_not_a_request_change():
    base, head = _chat("rec-1"), _chat("rec-1")
    base["request"]["provider_metadata"] = {"openai_sdk_version": "2.5.0"}
    head["request"]["provider_metadata"] = {"openai_sdk_version": "2.6.1"}
    assert _classify(base, head) == ("noise", "only normalized fields changed")
