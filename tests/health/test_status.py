"""A row's health: the shortcut for a file named by today's rule (most files) gives exactly what
asking every rule and the expected name gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.health import rules
from explorer.health.status import _health_of, row_health

ENDPOINTS = st.sampled_from([None, "/v1/chat/completions", "/v1/models", "/api/tags",
                             "/v1/openai/v1/models", ["/v1/models"], 3])
URLS = st.sampled_from(["http://localhost:8000/v1/chat/completions", "http://localhost/v1/models",
                        "http://localhost:11434/api/tags", "http://h/v1/embeddings"])
BODIES = st.dictionaries(st.sampled_from(["model", "messages", "temperature", "x"]),
                         st.one_of(st.none(), st.integers(), st.floats(allow_nan=False),
                                   st.text(max_size=8)), max_size=3)
TEST_IDS = st.sampled_from([None, "tests/integration/a/test_a.py::test_a[x]"])


@st.composite
def requests(draw) -> dict:
    shape = draw(st.sampled_from(["inference", "inference", "tool", "http"]))
    if shape == "tool":
        request = {"provider": "p", "tool_name": draw(st.text(max_size=4)), "kwargs": {}}
    else:
        request = {"method": "POST", "url": draw(URLS)}
        request["body" if shape == "inference" else "payload"] = draw(BODIES)
    endpoint = draw(ENDPOINTS)
    if endpoint is not None:
        request["endpoint"] = endpoint
    return request


def looked_up(name: str, request: dict, test_id, response: dict) -> dict:
    """The health every rule gives, asked the long way."""
    rule = rules.matching_rule(name, request, test_id)
    return {**_health_of(rule),
            "expected_name": rules.expected_name(request, test_id, response)}


@settings(max_examples=400, deadline=None)
@given(request=requests(), test_id=TEST_IDS, form=st.sampled_from(["today", "models", "short",
                                                                  "other"]))
def test_todays_names_take_the_shortcut_to_the_same_health(request, test_id, form):
    digest = rules.request_hash(request, test_id) or "0" * 64
    name = {"today": f"{digest}.json", "models": f"models-{digest}-0123abcd.json",
            "short": f"{digest[:12]}.json", "other": "x.json"}[form]
    response = {"body": {"data": [{"id": "m1"}, {"id": "m2"}]}}
    row = row_health(f"a/recordings/{name}", request, response, test_id)
    assert row == looked_up(name, request, test_id, response)
