"""Every real recording, re-recorded with nothing new (ids of other shapes, other times, tool
calls renamed consistently), is noise; the same with one result answering another call is
not."""

from __future__ import annotations

import json
import uuid

import pytest
from support.paths import shared_files

from explorer.review.classify import compare, load_side
from explorer.review.normalize import call_order, key_meaning

pytestmark = pytest.mark.real
SHAPES = ("cmpl-{n}", "{uuid}", "", "chatcmpl-{hex}", "resp_{hex}")


def _rerecorded(document: dict, number: int) -> dict:
    """Call ids renamed consistently; every other per-call id and time given a new value of
    another shape."""
    text = json.dumps(document)
    for old in call_order(document):
        if isinstance(old, str) and len(old) > 3:
            text = text.replace(json.dumps(old), json.dumps(f"call_{uuid.uuid4().hex[:8]}"))
    copy = json.loads(text)
    stack = [copy]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                meaning = key_meaning(key, item, value)
                if meaning == "ids":
                    shape = SHAPES[number % len(SHAPES)]
                    value[key] = shape.format(n=number + 70, uuid=uuid.uuid4(),
                                              hex=uuid.uuid4().hex[:12])
                elif meaning == "times" and isinstance(item, (int, float)) and item is not True:
                    value[key] = item + 1_000
                elif isinstance(item, (dict, list)):
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, (dict, list)))
    return copy


def test_every_real_recording_rerecorded_with_nothing_new_is_noise(shared_recordings):
    classes: dict[str, list[str]] = {}
    ids = 0
    for number, path in enumerate(shared_files()):
        data = path.read_bytes()
        try:
            document = json.loads(data)
        except ValueError:
            continue
        if not isinstance(document, dict):
            continue
        head = json.dumps(_rerecorded(document, number)).encode()
        kind, details = compare(load_side(path.name, data), load_side(path.name, head))
        classes.setdefault(kind, []).append(path.name)
        ids += "(ids" in str(details)
    assert set(classes) == {"noise"}, {k: v[:3] for k, v in classes.items() if k != "noise"}
    assert len(classes["noise"]) > 300 and ids > 150  # most carried ids that were changed
