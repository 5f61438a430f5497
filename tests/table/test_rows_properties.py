"""Property tests: any JSON value in any field yields a row or a problem, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from explorer.record.recording import Recording, RecordingError, parse_document
from explorer.table.rows import describe
from explorer.table.schema import NAMES, frame_from_records
from explorer.wire import FAMILIES, stream_chunks

KEYS = ["choices", "delta", "message", "content", "text", "tool_calls", "function", "name",
        "arguments", "index", "id", "usage", "prompt_tokens", "completion_tokens",
        "total_tokens", "finish_reason", "model", "response", "done", "done_reason",
        "prompt_eval_count", "eval_count", "candidates", "parts", "thought", "function_call",
        "usage_metadata", "candidates_token_count", "type", "input_tokens", "output_tokens",
        "content_block", "partial_json", "event_type", "interaction", "outputs", "role",
        "reasoning_content", "__type__", "__data__", "messages", "tools", "images",
        "image_url", "url", "contents", "config", "system", "input", "prompt",
        "prompt_tokens_details", "cached_tokens", "function_response", "inline_data", "data"]
scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8)
           | st.sampled_from(["stop", "tool_calls", "data: {}", "event: x", "openai.types.x",
                              "ollama._types.ChatResponse", "data: [DONE]"]))
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), children, max_size=5),
    max_leaves=25,
)
requests = st.fixed_dictionaries({}, optional={
    key: json_values | st.text(max_size=30) for key in
    ["method", "url", "endpoint", "model", "body", "payload", "provider", "tool_name",
     "kwargs", "api", "file_id", "provider_metadata", "test_id"]})
requests = requests | st.sampled_from([
    {"url": "http://0.0.0.0:11434/v1/messages", "payload": {}},
    {"url": "https://generativelanguage.googleapis.com/v1beta/interactions", "payload": {}},
    {"endpoint": "/generate_content_stream", "body": {}},
    {"endpoint": "/api/chat", "body": {}}, {"tool_name": "web_search", "kwargs": {}},
])
responses = st.fixed_dictionaries({}, optional={
    "body": json_values | st.lists(json_values, max_size=6)
    | st.lists(st.sampled_from(["event: x", 'data: {"type": "message_delta"}', "", "data: ["]),
               max_size=6),
    "is_streaming": st.booleans() | json_values,
    "status": json_values, "is_exception": json_values, "exception_data": json_values,
    "exception_message": json_values})
documents = (st.fixed_dictionaries({"request": requests | json_values,
                                    "response": responses | json_values},
                                   optional={"test_id": json_values | st.text(max_size=40)})
             | json_values)
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
BIG = 2**64  # one past orjson's range: such integers once crashed the format functions
BIG_VALUES = [{"kwargs": {"x": BIG}}, {"content": BIG}, {"content": [-BIG]},
              {"tool_name": "a", "kwargs": {"a": 2**70}}]
BIG_DOCUMENTS = [
    {"request": {"tool_name": "x", "kwargs": {"a": BIG}}, "response": {"body": {}}},
    {"request": {"body": {"input": [BIG]}}, "response": {}},
    {"request": {"body": {"messages": [{"tool_calls": [
        {"function": {"name": "f", "arguments": {"a": BIG}}}]}]}}, "response": {}},
    {"request": {}, "response": {"body": {"choices": [{"message": {"tool_calls": [
        {"function": {"name": "f", "arguments": {"a": -BIG}}}]}}]}}},
]


def with_examples(name: str, values: list):
    """Keep inputs that once failed as explicit cases, run before the generated ones."""
    def decorate(test):
        for value in reversed(values):
            test = example(**{name: value})(test)
        return test
    return decorate


@pytest.mark.parametrize("family", sorted(FAMILIES))
@SETTINGS
@given(value=json_values)
@with_examples("value", BIG_VALUES)
def test_format_functions_accept_any_json(family, value):
    module = FAMILIES[family]
    for delta in (module.chunk(value), module.whole(value)):
        assert isinstance(delta.text, str) and isinstance(delta.reasoning, str)
    assert isinstance(module.conversation(value), list)
    assert isinstance(module.tools(value), list)


@SETTINGS
@given(body=st.lists(json_values | st.text(max_size=20), max_size=8))
def test_stream_chunks_keep_every_chunk(body):
    chunks = stream_chunks(body)
    if not body or not all(isinstance(item, str) for item in body):
        assert len(chunks) == len(body)


HUGE = {"request": {"endpoint": "/v1/chat/completions", "body": {}},
        "response": {"status": 2**70, "body": {"usage": {"prompt_tokens": 2**70,
                                                         "completion_tokens": 1e300}}}}


@SETTINGS
@given(doc=documents)
@with_examples("doc", [*BIG_DOCUMENTS, HUGE])
def test_any_document_is_a_row_or_a_problem(doc):
    try:
        parsed = parse_document(doc)
    except RecordingError as exc:
        assert str(exc)
        return
    row = describe(parsed, "tests/integration/x/recordings/a.json", 10)
    assert set(row) <= set(NAMES)
    frame = frame_from_records([row])
    assert len(frame) == 1


@SETTINGS
@given(doc=documents)
@with_examples("doc", [*BIG_DOCUMENTS, HUGE])
def test_any_document_replays(doc):
    try:
        recording = Recording(Path("a.json"), doc)
    except RecordingError:
        return
    for step in range(recording.n_chunks + 1):
        state = recording.state_at(step)
        assert state.step == step
        assert recording.final.text.startswith(state.text)
    assert isinstance(recording.messages, list) and isinstance(recording.tools, list)
    assert isinstance(recording.checks, list)
    recording.error  # noqa: B018 - must not raise
