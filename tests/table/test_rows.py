"""Columns say exactly what the recording holds: `first_user` only from a user message,
`tools_called` only for tools a model called, `total_tokens` stated per family, `area` for
the old shared folder. Each case is a recording of the real shape, built here."""

from __future__ import annotations

import json

import pytest
from support.review_shapes import chat_completion, chat_request, recording

from explorer.record.recording import parse_document
from explorer.table.rows import describe
from explorer.table.schema import COLUMNS

TEST = "tests/integration/responses/test_tool_responses.py::test_file_search[txt=azure/gpt-4o]"
PATH = "tests/integration/responses/recordings/{}.json".format("ab" * 32)


def _row(document: dict, path: str = PATH) -> dict:
    return describe(parse_document(document), path, len(json.dumps(document)))


def test_a_file_processor_has_no_user_message():
    document = {"test_id": TEST, "request": {"test_id": TEST, "provider": "pypdf",
                                             "api": "file_processors",
                                             "file_id": "file-371170885258"},
                "response": {"body": {
                    "__type__": "llama_stack_api.file_processors.models.ProcessFileResponse",
                    "__data__": {"chunks": [{"content": "Llama Stack\nOverview"}]}},
                    "is_streaming": False}, "id_normalization_mapping": {}}
    row = _row(document)
    assert row["first_user"] is None and row["tools_called"] == []


def _embedding_request(model: str, endpoint: str, body: dict) -> dict:
    return {"method": "POST", "url": "http://localhost:11434" + endpoint, "headers": {},
            "body": body, "endpoint": endpoint, "model": model}


def test_an_ollama_embedding_states_its_total_and_has_no_user_message():
    response = {"body": {"__type__": "ollama._types.EmbedResponse", "__data__": {
        "model": "all-minilm:l6-v2", "created_at": None, "done": None, "done_reason": None,
        "total_duration": 18669659, "load_duration": 7831248, "prompt_eval_count": 6,
        "prompt_eval_duration": None, "eval_count": None, "eval_duration": None,
        "embeddings": [[-0.021797279, 0.08814402, -0.10868957]]}}, "is_streaming": False}
    request = _embedding_request("all-minilm:l6-v2", "/api/embeddings",
                                 {"model": "all-minilm:l6-v2", "input": ["This is a test file 0"]})
    row = _row({"request": request, "response": response},
               "tests/integration/recordings/responses/0b3f2e4c8a1d.json")
    assert (row["prompt_tokens"], row["total_tokens"], row["completion_tokens"]) == (6, 6, None)
    assert row["first_user"] is None


def test_the_old_shared_folder_is_an_area():
    request = chat_request([{"role": "user", "content": "hi"}])
    row = _row({"request": request, "response": chat_completion("hello")},
               "tests/integration/recordings/responses/0b3f2e4c8a1d.json")
    assert row["area"] == "recordings"
    assert _row(recording(TEST, request, chat_completion("x")))["area"] == "responses"


def test_a_completion_prompt_is_not_a_user_message():
    request = {"method": "POST", "url": "http://0.0.0.0:11434/v1/v1/completions", "headers": {},
               "body": {"model": "llama3.2:3b", "prompt": "Complete: the quick", "stream": False},
               "endpoint": "/v1/completions", "model": "llama3.2:3b"}
    response = {"body": {"__type__": "openai.types.completion.Completion", "__data__": {
        "id": "rec-1", "choices": [{"finish_reason": "stop", "index": 0, "logprobs": None,
                                    "text": " brown fox"}], "created": 0,
        "model": "llama3.2:3b", "object": "text_completion", "system_fingerprint": "fp_ollama",
        "usage": {"completion_tokens": 3, "prompt_tokens": 5, "total_tokens": 8}}},
        "is_streaming": False}
    assert _row(recording(TEST, request, response))["first_user"] is None


def test_an_image_only_first_user_message_gives_na_not_the_next_message():
    messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {
                    "url": "data:image/png;base64,iVBORw0KGgo="}}]},
                {"role": "assistant", "content": "A cat."},
                {"role": "user", "content": "What colour is it?"}]
    row = _row(recording(TEST, chat_request(messages), chat_completion("Grey.")))
    assert row["first_user"] is None


def test_first_user_is_the_first_user_message_text():
    messages = [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "Describe this"},
                                             {"type": "image_url", "image_url": {"url": "x"}}]}]
    row = _row(recording(TEST, chat_request(messages), chat_completion("A cat.")))
    assert row["first_user"] == "Describe this"


def test_a_tool_runtime_call_is_no_model_calling_a_tool():
    document = {"test_id": TEST, "request": {"test_id": TEST, "provider": "tavily",
                                             "tool_name": "web_search",
                                             "kwargs": {"query": "Llama 4 release"}},
                "response": {"body": {"__type__": "llama_stack.apis.tools.tools.ToolInvocationResult",
                                      "__data__": {"content": "{\"query\": \"Llama 4\"}",
                                                   "error_message": None, "error_code": None,
                                                   "metadata": None}},
                             "is_streaming": False}, "id_normalization_mapping": {}}
    row = _row(document)
    assert row["tools_called"] == [] and row["endpoint"] == "tool_runtime/web_search"
    assert row["first_user"] is None


def test_interaction_finish_reason_is_documented_as_its_status():
    described = {c.name: c.meaning for c in COLUMNS}
    assert "interaction" in described["finish_reason"] and "status" in described["finish_reason"]


@pytest.mark.real
def test_first_user_on_real_recordings_is_the_raw_first_user_message(shared_recordings):
    """An audit against the raw JSON: first_user is the first user message's text or NA."""
    from explorer.table.index import index_tree as load_index

    frame = load_index(shared_recordings, cache=False).set_index("path")
    checked = 0
    for path, row in frame.iterrows():
        raw = json.loads((shared_recordings / path).read_text(encoding="utf-8"))
        body = raw.get("request", {}).get("body")
        messages = body.get("messages") if isinstance(body, dict) else None
        first = next((m for m in messages or [] if isinstance(m, dict)
                      and m.get("role") == "user"), None)
        value = row["first_user"]
        if first is None:
            assert value is None or value is pd_na() or row["kind"] in ("interaction", "chat",
                                                                         "message"), path
            continue
        content = first.get("content")
        if isinstance(content, str):
            expected = content[:300] or None
        else:
            texts = [p.get("text", "") for p in content or [] if isinstance(p, dict)
                     and p.get("type") in ("text", "input_text")]
            expected = "".join(texts)[:300] or None
        got = None if _is_na(value) else value
        assert got == expected or (got and expected and expected.startswith(got[:200])), path
        checked += 1
    assert checked > 50
    for kind in ("embedding", "completion", "file_processor", "tool"):
        assert frame.loc[frame["kind"] == kind, "first_user"].isna().all(), kind


def pd_na():
    import pandas as pd

    return pd.NA


def _is_na(value) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))
