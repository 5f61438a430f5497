"""JSON nested 1,000 deep costs one unreadable file in diff, and is read by index and show;
normalize and differing_paths walk it without recursion."""

from __future__ import annotations

import copy

import orjson
from support.good_recording import GOOD, explorer, good_recordings

from explorer.review.diff import diff_trees
from explorer.review.normalize import differing_paths, normalize
from explorer.table.index import index_tree as load_index

DEEP = 1000


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _deep_doc(text: str, depth: int = DEEP) -> bytes:
    doc = copy.deepcopy(GOOD)
    doc["response"]["body"]["__data__"]["response"] = text
    doc["request"]["body"]["extra"] = "@@"
    data = orjson.dumps(doc).replace(b'"@@"', _deep(depth))
    orjson.loads(data)  # orjson reads it: the explorer must cope
    return data


def test_deep_json_in_diff_is_one_unreadable_file(tmp_path):
    sides = {}
    for side, text in (("base", "old"), ("head", "new")):
        folder = good_recordings(tmp_path / side)
        (folder / "deep.json").write_bytes(_deep_doc(text))
        (folder / "good2.json").write_bytes(orjson.dumps({**GOOD, "test_id": side}))
        sides[side] = tmp_path / side
    result = diff_trees(str(sides["base"]), str(sides["head"]))
    assert result.changed == ["tests/integration/inference/recordings/deep.json",
                              "tests/integration/inference/recordings/good2.json"]
    deep = result.details["tests/integration/inference/recordings/deep.json"]
    assert deep["changed"] == ["readable"] and "nested more than" in deep["readable"]["base"]
    for output_format in ("table", "json", "markdown"):
        done = explorer("diff", str(sides["base"]), str(sides["head"]), "--format",
                        output_format)
        assert done.returncode == 0 and b"nested more than" in done.stdout


def test_deep_json_in_index_and_show(tmp_path):
    folder = good_recordings(tmp_path / "tree")
    (folder / "deep.json").write_bytes(_deep_doc("still here"))
    frame = load_index(tmp_path / "tree", cache=False)
    assert len(frame) == 4
    done = explorer("show", str(folder / "deep.json"))
    assert done.returncode == 0 and b"still here" in done.stdout


def test_normalize_and_differing_paths_are_iterative():
    deep = orjson.loads(b'{"created": 1, "a": ' + _deep(DEEP) + b', "id": "chatcmpl-abc123x"}')
    normalized = normalize(deep)
    assert "created" not in normalized and normalized["id"] == "<id>"
    node, depth = normalized["a"], 1
    while node:
        node, depth = node[0], depth + 1
    assert depth == DEEP
    base = {"a": [1, 2, {"c": 3}], "b": 1}
    head = {"a": [1, 5, {"c": 4}, 7], "c": 2}
    assert list(differing_paths(base, head)) == [
        "$.a[1]", "$.a[2].c", "$.a[3:] (length 3 → 4)", "$.b", "$.c"]
