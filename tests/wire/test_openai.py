"""The index's skip over text-only OpenAI chunks stops exactly where a plain reading stops,
whatever keys the chunks lack and whatever types their values have."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.wire.openai import text_run_end


def plain_end(chunks: list, start: int) -> int:
    """The first chunk from `start` that may add more than text: read with every default."""
    for position in range(start, len(chunks)):
        obj = chunks[position]
        if type(obj) is not dict:
            return position
        choices = obj.get("choices")
        if obj.get("usage") is not None or type(choices) is not list or len(choices) != 1:
            return position
        choice = choices[0]
        if type(choice) is not dict or choice.get("index", 0) != 0 \
                or choice.get("finish_reason"):
            return position
        delta = choice.get("delta")
        if type(delta) is not dict or delta.get("tool_calls"):
            return position
    return len(chunks)


ODD = st.one_of(st.none(), st.booleans(), st.integers(-1, 2), st.just(0.0), st.text(max_size=2),
                st.just([]), st.just({}), st.just([{}]))


def keyed(draw, keys: dict[str, Any]) -> dict:
    """A dict holding each key with its usual value, an odd value, or not at all."""
    out = {}
    for key, usual in keys.items():
        choice = draw(st.sampled_from(["usual", "usual", "usual", "odd", "absent"]))
        if choice == "usual":
            out[key] = usual
        elif choice == "odd":
            out[key] = draw(ODD)
    return out


@st.composite
def chunks(draw) -> list:
    items = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 9)) == 0:
            items.append(draw(ODD))
            continue
        delta = keyed(draw, {"content": "hi", "tool_calls": None, "role": "assistant"})
        choice = keyed(draw, {"index": 0, "finish_reason": None, "delta": delta})
        many = draw(st.integers(0, 9)) == 0
        items.append(keyed(draw, {"usage": None, "model": "m",
                                  "choices": [choice, choice] if many else [choice]}))
    return items


@settings(max_examples=800, deadline=None)
@given(items=chunks(), start=st.integers(0, 3))
def test_the_skip_stops_where_a_plain_reading_stops(items, start):
    assert text_run_end(items, start) == plain_end(items, start)


def test_a_text_run_ends_at_the_chunk_with_a_finish_reason():
    text = {"usage": None, "model": "m", "choices": [
        {"index": 0, "finish_reason": None, "delta": {"content": "a", "tool_calls": None}}]}
    last = {"usage": None, "model": "m", "choices": [
        {"index": 0, "finish_reason": "stop", "delta": {"content": "", "tool_calls": None}}]}
    assert text_run_end([text, text, text, last], 1) == 3
    assert text_run_end([text, {"choices": text["choices"]}, last], 0) == 2  # no usage key
