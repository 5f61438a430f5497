"""Why a replay misses: the name the recorder looks for, whether that file exists, and the
nearest recordings of the same test with the request fields that differ (before → after).

Two inputs: a request as recorded (`url`, `method`, `body`, or a whole recording file) with
its test id, or CI log text with "Recording not found for request hash: …" lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd

from explorer.health import rules
from explorer.health.placement import is_looked_up, lookup_folders
from explorer.health.scan import first_match, node_ids
from explorer.record.classify import NOT_HASHED, TOOL, hashed_shape, model_of
from explorer.record.recording import RecordingError, read_document

NEAREST = 5
MAX_DIFFS = 12
VALUE_WIDTH = 80
_MISS = re.compile(r"Recording not found for request hash: ([0-9a-f]{64})")
_MODEL_LINE = re.compile(r"Model: (.*?) \| Request: (\w+) (\S+)")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colours in CI logs


@dataclass
class Nearest:
    path: str
    differences: list[tuple[str, str, str]]  # (field, before, after)


@dataclass
class Miss:
    """One replay miss: the name looked for, where, what exists, and what is near."""

    request_hash: str
    test_id: str | None
    expected_name: str | None
    folders: list[str]
    found: list[str] = field(default_factory=list)  # files with that name, where the recorder looks
    elsewhere: list[str] = field(default_factory=list)  # with that name, in other folders
    nearest: list[Nearest] = field(default_factory=list)
    model: str | None = None
    endpoint: str | None = None

    def as_json(self) -> dict:
        return {"request_hash": self.request_hash, "test_id": self.test_id,
                "expected_name": self.expected_name, "folders": self.folders,
                "found": self.found, "elsewhere": self.elsewhere,
                "model": self.model, "endpoint": self.endpoint,
                "nearest": [{"path": n.path, "differences": [
                    {"field": f, "before": b, "after": a} for f, b, a in n.differences]}
                    for n in self.nearest]}


def load_request(path: str | Path) -> tuple[dict, str | None]:
    """(request, test_id from the file if it is a whole recording) from a JSON file."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read a JSON request ({exc}); give a file holding "
                         f"the request object (url, method, body) or a whole recording") from None
    if isinstance(doc, dict) and isinstance(doc.get("request"), dict):
        test_id = doc.get("test_id")
        return doc["request"], test_id if isinstance(test_id, str) else None
    if isinstance(doc, dict) and hashed_shape(doc) != NOT_HASHED:
        return doc, None
    raise ValueError(f"{path}: not a request (needs url, method and body or payload, or "
                     f"provider, tool_name and kwargs)")


def explain_request(frame: pd.DataFrame, root: str | Path, request: dict,
                    test_id: str | None) -> Miss:
    """Compute the name the recorder will look for, say whether it exists, and if not list
    the nearest recordings of the same test, endpoint and model."""
    digest = rules.request_hash(request, test_id)
    if digest is None:
        raise ValueError("the recorder does not name this request by hash (not an inference, "
                         "raw HTTP or tool-runtime request)")
    endpoint = _endpoint(request)
    miss = Miss(digest, test_id, rules.expected_name(request, test_id), _folders(test_id),
                model=model_of(request), endpoint=endpoint)
    _locate(miss, frame, root, models=rules.is_model_list(request))
    if not miss.found:
        miss.nearest = nearest(frame, root, request, test_id, endpoint, miss.model)
    return miss


def explain_log(frame: pd.DataFrame, root: str | Path, text: str) -> list[Miss]:
    """One Miss per "Recording not found for request hash" line of a CI log."""
    misses, last_node = [], None
    lines = _ANSI.sub("", text).splitlines()
    for number, line in enumerate(lines):
        nodes = node_ids(line)
        found = _MISS.search(line)
        if found:
            test_id = nodes[-1] if nodes else last_node
            miss = Miss(found.group(1), test_id, f"{found.group(1)}.json", _folders(test_id))
            _model_line(miss, lines[number:number + 3])
            _locate(miss, frame, root, models=False)
            if not miss.found and test_id:
                miss.nearest = [Nearest(path, []) for path in
                                _candidates(frame, test_id, miss.endpoint, miss.model)]
            misses.append(miss)
        if nodes:
            last_node = nodes[-1]
    return misses


def _model_line(miss: Miss, lines: list[str]) -> None:
    for line in lines:
        match = first_match(_MODEL_LINE, line, "Model: ")
        if match:
            miss.model = None if match.group(1) == "unknown" else match.group(1)
            miss.endpoint = urlparse(match.group(3)).path or None
            return


def _endpoint(request: dict) -> str | None:
    endpoint = request.get("endpoint")
    if isinstance(endpoint, str):
        return endpoint
    if isinstance(request.get("tool_name"), str):
        return f"tool_runtime/{request['tool_name']}"
    url = request.get("url")
    return urlparse(url).path if isinstance(url, str) else None


def _folders(test_id: str | None) -> list[str]:
    return ["/".join(folder) for folder in lookup_folders(test_id)]


def _locate(miss: Miss, frame: pd.DataFrame, root: str | Path, models: bool) -> None:
    names = frame["path"].str.rsplit("/", n=1).str[-1]
    if models:
        hits = frame["path"][names.str.startswith(f"models-{miss.request_hash}-")]
    else:
        hits = frame["path"][names == f"{miss.request_hash}.json"]
    root_parts = tuple(Path(root).resolve().parts)
    for rel in hits.tolist():
        placed = is_looked_up(root_parts, rel, miss.test_id)
        (miss.found if placed else miss.elsewhere).append(rel)


def _candidates(frame: pd.DataFrame, test_id: str | None, endpoint: str | None,
                model: str | None) -> list[str]:
    """Recordings of the same test, endpoint and model; relaxed step by step when none."""
    same_test = frame["test_id"] == test_id if test_id else frame["test_id"].isna()
    steps = [same_test]
    if endpoint:
        steps.insert(0, same_test & (frame["endpoint"] == endpoint))
        if model:
            steps.insert(0, steps[0] & (frame["model"] == model))
    for mask in steps:
        paths = frame["path"][mask.fillna(False)].tolist()
        if paths:
            return paths
    return []


def nearest(frame: pd.DataFrame, root: str | Path, request: dict, test_id: str | None,
            endpoint: str | None, model: str | None) -> list[Nearest]:
    """The closest recordings (fewest differing fields first), with their differences."""
    after = _hashed_fields(request, test_id)
    scored = []
    for rel in _candidates(frame, test_id, endpoint, model)[:200]:
        try:
            doc, _ = read_document(Path(root, rel))
        except RecordingError:
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("request"), dict):
            continue
        before = _hashed_fields(doc["request"], doc.get("test_id"))
        diffs = differences(before, after)
        scored.append((len(diffs), rel, diffs))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [Nearest(rel, diffs[:MAX_DIFFS]) for _, rel, diffs in scored[:NEAREST]]


def _hashed_fields(request: dict, test_id: str | None) -> dict[str, Any]:
    """What today's hash covers, so every difference shown is one that changes the name."""
    if hashed_shape(request) == TOOL:
        return {key: request.get(key) for key in ("provider", "tool_name", "kwargs")}
    payload = "payload" if "payload" in request else "body"
    url = request.get("url") if isinstance(request.get("url"), str) else ""
    out = {"method": str(request.get("method", "")).upper(), payload: rules.normalize(
        request.get(payload)), "test_id": test_id}
    out["url" if payload == "payload" else "endpoint"] = url if payload == "payload" else \
        urlparse(url).path
    return out


def differences(before: Any, after: Any, prefix: str = "") -> list[tuple[str, str, str]]:
    """Leaf fields that differ, as (dotted path, before, after); `(absent)` for a missing one."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in before or key not in after:
                out.append((path, _show(before.get(key), key in before),
                            _show(after.get(key), key in after)))
            else:
                out += differences(before[key], after[key], path)
        return out
    if isinstance(before, list) and isinstance(after, list):
        out = []
        for index, (old, new) in enumerate(zip(before, after)):
            out += differences(old, new, f"{prefix}[{index}]")
        longer, present_before = (before, True) if len(before) > len(after) else (after, False)
        for index in range(min(len(before), len(after)), len(longer)):
            shown = _show(longer[index])
            out.append((f"{prefix}[{index}]", shown if present_before else "(absent)",
                        "(absent)" if present_before else shown))
        return out
    if before == after and type(before) is type(after):
        return []
    return [(prefix or "(request)", _show(before), _show(after))]


def _show(value: Any, present: bool = True) -> str:
    if not present:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= VALUE_WIDTH else text[:VALUE_WIDTH - 1] + "…"
