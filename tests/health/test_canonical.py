"""`canonical.dumps_sorted` writes what `json.dumps(value, sort_keys=True)` writes, byte for
byte, for every value whose floats lie where orjson and Python write them alike."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.health.canonical import dumps_sorted

PLAIN_FLOATS = st.one_of(
    st.just(0.0), st.just(-0.0),
    st.floats(min_value=1e-4, max_value=1e16, exclude_max=True),
    st.floats(min_value=-1e16, max_value=-1e-4, exclude_min=True),
    st.floats(min_value=1e-4, max_value=1e16, exclude_max=True).map(lambda x: round(x, 5)).filter(
        lambda x: x == 0 or 1e-4 <= abs(x) < 1e16))
# every ASCII character (controls, quotes, backslashes, DEL), a newline-heavy mix, and
# characters Python escapes as \\uXXXX (written by the standard library)
TEXTS = st.one_of(st.text(alphabet=st.characters(max_codepoint=127)),
                  st.text(alphabet=",:\n \t\"\\{}[]e-0.1"),
                  st.text())
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), PLAIN_FLOATS, TEXTS)
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(TEXTS, inner, max_size=5)), max_leaves=40)


@settings(max_examples=1500, deadline=None)
@given(value=VALUES)
def test_generated_values_are_written_as_json_dumps_writes_them(value):
    assert dumps_sorted(value) == json.dumps(value, sort_keys=True)


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}, "b": [], "c": [[], {}]}, {"z": 1, "a": [1, 2, {"y": None, "b": True}]},
    {"text": "a,\nb: c", "k": ", : "}, {"del": "\x7f"}, {"é": "ü", "snow": "\u2603 \U0001F600"},
    {"big": 2**64, "small": -(2**63) - 1}, {"ctl": "\x00\x01\x08\x0c\x1f"},
    [0.0001, 1.5, 1e15, 9999999999999998.0, -0.0], "just a string", 12,
])
def test_edge_values(value):
    assert dumps_sorted(value) == json.dumps(value, sort_keys=True)


def test_nesting_beyond_orjson_is_written_by_the_standard_library():
    value: list = []
    for _ in range(300):
        value = [value]
    assert dumps_sorted(value) == json.dumps(value, sort_keys=True)
