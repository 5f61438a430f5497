"""One request-shape vocabulary: the row's `shape` column (`request_shape`, read leniently)
and the shape the recorder hashes a request by (`hashed_shape`, read strictly, which the
health check uses) are the same words, from `record/classify.py`; wherever both name a shape
on a real file they agree."""

from __future__ import annotations

import ast

import orjson
import pytest
from support.paths import FIXTURES, REPO, shared_files

from explorer.record.classify import NOT_HASHED, SHAPES, hashed_shape, request_shape


@pytest.mark.parametrize(("request_", "lenient", "strict"), [
    ({"url": "http://h/v1/chat/completions", "method": "POST", "body": {}}, "inference",
     "inference"),
    ({"url": "http://h/x", "method": "GET", "payload": {}}, "http", "http"),
    ({"provider": "p", "tool_name": "search", "kwargs": {}}, "tool", "tool"),
    ({"tool_name": "search"}, "tool", NOT_HASHED),  # lacks what a tool's hash reads
    ({"api": "file_processors", "file_id": "f"}, "file", NOT_HASHED),
    ({"endpoint": "/v1/embeddings", "body": {}}, "inference", NOT_HASHED),  # no url, method
])
def test_the_two_readings_use_one_vocabulary(request_, lenient, strict):
    assert request_shape(request_) == lenient
    assert hashed_shape(request_) == strict
    assert {request_shape(request_), hashed_shape(request_)} <= {*SHAPES, NOT_HASHED}


def requests_of(paths) -> list[dict]:
    found = []
    for path in paths:
        try:
            document = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            continue
        if isinstance(document, dict) and isinstance(document.get("request"), dict):
            found.append(document["request"])
    return found


def assert_agree(requests: list[dict]) -> None:
    assert requests
    differ = [(request_shape(r), hashed_shape(r)) for r in requests
              if hashed_shape(r) != NOT_HASHED and hashed_shape(r) != request_shape(r)]
    assert differ == []


def test_both_readings_agree_on_the_fixture_tree():
    assert_agree(requests_of(sorted((FIXTURES / "tree").rglob("*.json"))))


@pytest.mark.real
def test_both_readings_agree_on_the_real_recordings(shared_recordings):
    assert_agree(requests_of(shared_files()))


def test_health_defines_no_shape_of_its_own():
    """The health check classifies requests with `record.classify`, not a second function."""
    defined = [f"{path.name}: {node.name}"
               for path in sorted((REPO / "explorer" / "health").glob("*.py"))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.FunctionDef) and node.name.endswith("_shape")]
    assert defined == []
