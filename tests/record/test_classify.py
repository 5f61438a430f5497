"""One request-shape vocabulary: the row's `shape` column (`request_shape`, read leniently)
and the shape the recorder hashes a request by (`hashed_shape`, read strictly, which the
health check uses) are the same words, from `record/classify.py`; wherever both name a shape
on a real file they agree."""

from __future__ import annotations

import ast

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import FIXTURES, REPO, shared_files

from explorer.record.classify import NOT_HASHED, SHAPES, area_of, hashed_shape, request_shape


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


def plain_area(path: str, test_file: str | None) -> str | None:
    """The area as the rule says it, by reading every part of both paths: the folder right
    below the innermost `tests/integration` of the path, else of the test file."""
    shared = False
    for source, is_path in ((path, True), (test_file or "", False)):
        parts = source.replace("\\", "/").split("/")
        for i in range(len(parts) - 3, -1, -1):
            if parts[i] == "tests" and parts[i + 1] == "integration":
                area = parts[i + 2]
                shared = shared or (area == "recordings" and is_path)
                if area != "recordings" and not area.endswith((".json", ".py")):
                    return area
                break
    return "recordings" if shared else None


SEGMENTS = ["tests", "integration", "recordings", "agents", "a.json", "b.py", "x", "",
            "tests\\integration", "my-integration"]


@settings(max_examples=1500, deadline=None)
@given(folders=st.lists(st.sampled_from(SEGMENTS), max_size=7),
       name=st.sampled_from(["f.json", "agents", "recordings", "b.py"]),
       test_file=st.sampled_from([None, "", "tests/integration/agents/test_a.py",
                                  "tests/integration/recordings/x.py", "x/test.py"]))
def test_the_area_kept_per_folder_is_the_area_of_each_file(folders, name, test_file):
    path = "/".join([*folders, name])
    assert area_of(path, test_file) == plain_area(path, test_file)
    assert area_of(path, test_file) == plain_area(path, test_file)  # asked again: the kept one
