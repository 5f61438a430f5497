"""The recorder's names computed the fast way equal the plain computation, byte for byte.

`rules.Hashes` shares work between rules (one normalized body text per distinct result, a
hashed prefix copied per rule) and skips regexes whose literal part is absent. The plain way
below normalizes a full copy of the body with every substitution, builds the dict and hashes
`json.dumps(d, sort_keys=True)`, as the recorder does; the two must never disagree.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from typing import Any
from urllib.parse import urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.health import rules
from explorer.health.rules import RULES, Hashes, Rule
from explorer.record.classify import hashed_shape
from explorer.record.recording import RecordingError, parse_document, read_document

UUID = "123e4567-e89b-12d3-a456-426614174000"


def plain_text(text: str, rule: Rule) -> str:
    if rule.placeholders:
        text = rules._SCORE.sub("score: __NORMALIZED__", text)
        text = rules._ATTRIBUTES.sub("", text)
        text = rules._DOCUMENT_ID.sub("document_id: __NORMALIZED__", text)
        text = rules._CITATION.sub("<|__NORMALIZED__|>", text)
    return rules._FLOAT_IN_STRING.sub(lambda m: f"{float(m.group(0)):.5f}", text)


def plain_normalize(value: Any, rule: Rule, root: bool = True) -> Any:
    """A full copy, every node visited, every substitution tried."""
    kind = type(value)
    if kind is float:
        return round(value, 5)
    if kind is str:
        return plain_text(value, rule)
    if kind is list:
        return [plain_normalize(item, rule, True) for item in value]
    if kind is not dict:
        return value
    out = {key: plain_normalize(item, rule, False) for key, item in value.items()}
    if root and rule.placeholders:
        for key in ("extra_body", "extra_query"):
            if type(out.get(key)) is dict:
                out[key] = {k: v for k, v in out[key].items() if k != "project_id"}
    return out


def plain_hash(request: dict, test_id: Any, rule: Rule) -> str | None:
    def sha(data: dict) -> str:
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    shape = hashed_shape(request)
    if shape == "tool":
        return sha({k: request[k] for k in ("provider", "tool_name", "kwargs")})
    if not isinstance(request.get("method"), str) or not isinstance(request.get("url"), str):
        return None
    if shape == "http":
        if rule.short:
            return None
        payload = request["payload"]
        return sha({"test_id": test_id, "url": request["url"],
                    "method": request["method"].upper(),
                    "payload": plain_normalize(payload, rule) if rule.rounding else payload})
    if shape != "inference":
        return None
    parsed = urlparse(request["url"])
    body = request["body"]
    if rule.rounding:
        body = plain_normalize(body, rule)
        if "bedrock" in parsed.netloc and type(body) is dict:
            body = {k: v for k, v in body.items() if k != "stream_options"}
    data = {"method": request["method"].upper(), "endpoint": parsed.path, "body": body}
    if rule.with_test_id and parsed.path not in rule.model_list_paths:
        data["test_id"] = test_id
    return sha(data)


def assert_same_names(request: dict, test_id: Any) -> None:
    """Every rule, asked in every order from one shared Hashes, and alone."""
    expected = {rule.name: plain_hash(request, test_id, rule) for rule in RULES}
    for order in itertools.permutations(RULES):
        hashes = Hashes(request, test_id)
        assert {rule.name: hashes.digest(rule) for rule in order} == expected
    for rule in RULES:
        assert rules.request_hash(request, test_id, rule) == expected[rule.name]


def shared_requests(root) -> list[tuple[str, dict, Any]]:
    out = []
    for path in sorted(root.rglob("*.json")):
        try:
            parsed = parse_document(read_document(path)[0])
        except RecordingError:
            continue
        out.append((str(path.relative_to(root)), parsed.request, parsed.test_id))
    return out


@pytest.mark.real
def test_every_shared_recording_gets_the_plain_names(shared_recordings):
    requests = shared_requests(shared_recordings)
    assert len(requests) >= 300
    for _rel, request, test_id in requests:
        assert_same_names(request, test_id)


def test_a_removal_that_brings_a_literal_together_is_still_substituted():
    """`, attributes: {…}` goes first; what it leaves may spell `document_id:` or `<|`."""
    text = f"document_, attributes: {{a: 1}}id: {UUID} <, attributes: {{}}|{UUID}|>"
    request = {"method": "post", "url": "http://x/v1/chat/completions",
               "body": {"messages": [{"content": text}], "temperature": 0.123456789}}
    assert_same_names(request, "tests/integration/a/test_a.py::test_a")
    body = rules.normalize(request["body"])
    assert body["messages"][0]["content"] == (
        "document_id: __NORMALIZED__ <|__NORMALIZED__|>")


FRAGMENTS = ["plain", " ", ".", ":", "|", "<|", "score: 0.8123", "score:7", ", attributes: {k: v}",
             "attributes: {}", "document_", "id: ", f"document_id: {UUID}", UUID, f"<|{UUID}|>",
             "<|begin_of_text|>", "3.14159265", "-2.50000001", "1.2345", "10.5", "é", "\u2028",
             "project_id", "e-7", "NaN"]
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.1234567, 1e-07, 5e-05, 12345678901.123456, 2.5, -0.0,
                                    68719476736.00001, 4503599627370497.0, 1e16, math.pi]))
TEXTS = st.one_of(st.sampled_from(FRAGMENTS),
                  st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join))
KEYS = st.sampled_from(["model", "messages", "content", "extra_body", "extra_query", "project_id",
                        "stream_options", "temperature", "input", "x"])
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), FLOATS, TEXTS)
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)
URLS = st.sampled_from(["http://localhost:8000/v1/chat/completions",
                        "https://bedrock-runtime.us-east-1.amazonaws.com/v1/chat/completions",
                        "http://localhost:11434/api/tags", "http://localhost/v1/models",
                        "http://localhost/v1/openai/v1/models", "http://h/v1/embeddings?x=1"])
TEST_IDS = st.one_of(st.none(), st.sampled_from(
    ["tests/integration/inference/test_chat.py::test_chat[a-b]", "tests/x.py::test_é"]))


@st.composite
def requests(draw) -> dict:
    shape = draw(st.sampled_from(["inference", "inference", "inference", "http", "tool", "none"]))
    if shape == "tool":
        return {"provider": draw(TEXTS), "tool_name": draw(TEXTS), "kwargs": draw(VALUES)}
    request = {"method": draw(st.sampled_from(["post", "GET", 3])), "url": draw(URLS)}
    if shape == "inference":
        request["body"] = draw(st.one_of(VALUES, st.dictionaries(KEYS, VALUES, max_size=5)))
    elif shape == "http":
        request["payload"] = draw(VALUES)
    return request


@settings(max_examples=600, deadline=None)
@given(request=requests(), test_id=TEST_IDS)
def test_generated_requests_get_the_plain_names(request, test_id):
    assert_same_names(request, test_id)


SCAN_FRAGMENTS = ["a", ":", ".", "score", "attributes", "document_id", "score:", "1", "1234",
                  ".123", ".1234", "٣٣٣٣", "²²²²", ": ", "document", "_id:", "x:" * 20, "." * 20]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(SCAN_FRAGMENTS), max_size=60).map("".join))
def test_the_label_and_decimal_looks_find_what_a_scan_finds(text):
    """`_normalized_text` asks two questions by looking at each `:` or `.` (then, past a few
    of them, by a scan): they must answer as the plain scans do, to the last character."""
    assert rules._labelled(text) == any(
        label in text for label in ("score:", "attributes:", "document_id:"))
    assert rules._long_decimal(text) == (rules._DECIMAL_HINT.search(text) is not None)


def plain_models_digest(endpoint: str, items: list) -> str | None:
    key = "model" if endpoint == "/api/tags" else "id"
    idents = []
    for item in items:
        data = item.get("__data__", item) if isinstance(item, dict) else item
        ident = data.get(key) if isinstance(data, dict) else None
        if not isinstance(ident, str):
            return None
        idents.append(ident)
    return hashlib.sha256("|".join(sorted(set(idents))).encode()).hexdigest()[:8]


MODEL_ITEMS = st.one_of(
    st.fixed_dictionaries({"id": st.sampled_from(["a", "b", "m:1"])}),
    st.fixed_dictionaries({"model": st.sampled_from(["a", "llama3.2:3b"])}),
    st.fixed_dictionaries({"__type__": st.just("openai.types.model.Model"),
                           "__data__": st.one_of(st.fixed_dictionaries({"id": st.just("w")}),
                                                 st.just([]), st.just("x"), st.just({}))}),
    st.sampled_from(["c", 3, None, [], {"id": 3}, {"id": None}, {"other": "a"}]))


@settings(max_examples=300, deadline=None)
@given(items=st.lists(MODEL_ITEMS, max_size=6),
       endpoint=st.sampled_from(["/v1/models", "/api/tags"]))
def test_the_model_list_digest_reads_every_entry_as_a_plain_loop_does(items, endpoint):
    """The digest of a model list's names, or None as soon as one entry has no name."""
    body = {"models": items} if endpoint == "/api/tags" else items
    assert rules.models_digest(endpoint, {"body": body}) == plain_models_digest(endpoint, items)
