"""The bundled demo tree: deterministic, committed as generated, and shaped like a real tree."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from explorer.demo.build import demo_root, main, write_demo


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.json")}


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = write_demo(tmp_path / "a")
    second = write_demo(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == \
        [p.relative_to(tmp_path / "b") for p in second]
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_committed_demo_data_equals_a_fresh_generation(tmp_path: Path) -> None:
    """Fails when the generator changed and `python -m explorer.demo` was not re-run."""
    write_demo(tmp_path)
    committed, fresh = _tree(demo_root()), _tree(tmp_path)
    assert sorted(committed) == sorted(fresh)
    changed = [rel for rel in fresh if committed[rel] != fresh[rel]]
    assert changed == []


def test_layout_names_and_test_ids_follow_the_current_tree() -> None:
    files = sorted(demo_root().rglob("*.json"))
    assert 60 <= len(files) <= 120
    areas = Counter()
    for path in files:
        rel = path.relative_to(demo_root()).parts
        assert rel[:2] == ("tests", "integration") and rel[3] == "recordings", rel
        areas[rel[2]] += 1
        stem = path.stem.removeprefix("models-").split("-")[0]
        assert len(stem) == 64 and int(stem, 16) >= 0, path.name
        doc = json.loads(path.read_bytes())
        assert {"test_id", "request", "response"} <= set(doc)
        test_id = doc["test_id"]
        assert test_id is None or test_id.startswith(f"tests/integration/{rel[2]}/test_")
        assert "::" in (test_id or "::")
    assert len(areas) >= 8
    assert sum(1 for p in files if json.loads(p.read_bytes())["test_id"] is None) <= 3


def test_file_names_are_the_request_hash() -> None:
    for path in demo_root().rglob("*.json"):
        doc = json.loads(path.read_bytes())
        canonical = json.dumps({"test_id": doc["test_id"], "request": doc["request"]},
                               sort_keys=True)
        assert hashlib.sha256(canonical.encode()).hexdigest() in path.name


def _shapes() -> Counter:
    seen = Counter()
    for path in demo_root().rglob("*.json"):
        doc = json.loads(path.read_bytes())
        request, response = doc["request"], doc["response"]
        body = response["body"]
        endpoint = request.get("endpoint") or request.get("tool_name") or request.get("url")
        seen[endpoint] += 1
        seen["stream" if response["is_streaming"] else "whole"] += 1
        if response.get("is_exception") or response.get("status", 200) >= 400:
            seen["error"] += 1
        text = json.dumps(body)
        for marker in ("tool_calls\": [{", "\"reasoning\": \"",
                       "\"thought\": true", "event: message_start", "tool_use"):
            seen[marker] += marker in text
        if any(m.get("role") == "tool" for m in request.get("body", {}).get("messages", [])):
            seen["tool outputs in request"] += 1
    return seen


def test_covers_the_shapes_a_demo_should_show() -> None:
    seen = _shapes()
    for endpoint in ("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models",
                     "/api/generate", "/api/chat", "/api/ps", "/api/tags", "/generate_content",
                     "/generate_content_stream", "web_search",
                     "http://0.0.0.0:11434/v1/messages"):
        assert seen[endpoint] >= 1, endpoint
    assert seen["error"] >= 2
    assert seen["tool outputs in request"] >= 4
    for marker in ("tool_calls\": [{", "\"reasoning\": \"", "\"thought\": true",
                   "event: message_start", "tool_use"):
        assert seen[marker] >= 1, marker


def test_module_main_writes_to_a_target(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == 0
    assert "demo recordings" in capsys.readouterr().out
    assert _tree(tmp_path) == _tree(demo_root())
    assert main(["--help"]) == 2
