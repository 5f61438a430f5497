"""The index's skip over OpenAI chunks that add only text (or argument text to a tool call
already begun) stops exactly where a plain reading stops, and never skips a chunk that would
change what the index reads, whatever keys the chunks lack and whatever their values are."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.wire.openai import chunk, text_run_end


def plain_end(chunks: list, start: int, calls: set[int]) -> int:
    """The first chunk from `start` that may add more: read with every default."""
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
        if type(delta) is not dict:
            return position
        if delta.get("tool_calls") and not arguments_only(delta["tool_calls"], calls):
            return position
    return len(chunks)


def arguments_only(tool_calls: Any, calls: set[int]) -> bool:
    if type(tool_calls) is not list:
        return False
    for call in tool_calls:
        if type(call) is not dict or call.get("id"):
            return False
        index, fn = call.get("index"), call.get("function")
        if type(index) is not int or index not in calls:
            return False
        if fn is not None and (type(fn) is not dict or fn.get("name")):
            return False
    return True


def adds_nothing_the_index_reads(obj: Any, calls: set[int]) -> bool:
    """What the fold would take from the chunk, read by the family's own parser."""
    delta = chunk(obj)
    return (delta.finish_reason is None and delta.usage is None and not delta.other_choices
            and delta.error is None
            and all(c.index in calls and not c.id and not c.name for c in delta.tool_calls))


ODD = st.one_of(st.none(), st.booleans(), st.integers(-1, 2), st.just(0.0), st.just(1.0),
                st.text(max_size=2), st.just([]), st.just({}), st.just([{}]))


def keyed(draw, keys: dict[str, Any]) -> dict:
    """A dict holding each key with its usual value, an odd value, or not at all."""
    out = {}
    for key, usual in keys.items():
        choice = draw(st.sampled_from(["usual"] * 8 + ["odd", "absent"]))
        if choice == "usual":
            out[key] = usual
        elif choice == "odd":
            out[key] = draw(ODD)
    return out


@st.composite
def tool_calls(draw) -> list:
    calls = []
    for _ in range(draw(st.integers(1, 2))):
        function = keyed(draw, {"arguments": '{"a', "name": draw(st.sampled_from([None, "f"]))})
        calls.append(keyed(draw, {"index": draw(st.integers(0, 2)), "function": function,
                                  "id": draw(st.sampled_from([None, "call_1"]))}))
    return calls


@st.composite
def chunks(draw) -> list:
    items = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 9)) == 0:
            items.append(draw(ODD))
            continue
        calls = draw(tool_calls()) if draw(st.booleans()) else None
        delta = keyed(draw, {"content": "hi", "tool_calls": calls, "role": "assistant"})
        choice = keyed(draw, {"index": 0, "finish_reason": None, "delta": delta})
        many = draw(st.integers(0, 9)) == 0
        items.append(keyed(draw, {"usage": None, "model": "m",
                                  "choices": [choice, choice] if many else [choice]}))
    return items


@settings(max_examples=1000, deadline=None)
@given(items=chunks(), start=st.integers(0, 3), calls=st.sets(st.integers(0, 2), max_size=2))
def test_the_skip_stops_where_a_plain_reading_stops_and_skips_nothing_read(items, start, calls):
    end = text_run_end(items, start, {index: None for index in calls})
    assert end == plain_end(items, start, calls)
    assert all(adds_nothing_the_index_reads(item, calls) for item in items[start:end])


def test_a_run_ends_at_a_new_call_and_at_the_finish_reason():
    def item(delta: dict, finish: str | None = None) -> dict:
        return {"usage": None, "model": "m", "choices": [
            {"index": 0, "finish_reason": finish,
             "delta": {"content": None, "tool_calls": None, **delta}}]}

    text = item({"content": "a"})
    begin = item({"tool_calls": [{"index": 0, "id": "c1",
                                  "function": {"name": "f", "arguments": ""}}]})
    more = item({"tool_calls": [{"index": 0, "function": {"arguments": '{"q'}}]})
    last = item({}, "tool_calls")
    stream = [text, text, begin, more, more, last]
    assert text_run_end(stream, 0) == 2  # the call begins
    assert text_run_end(stream, 3) == 3  # no call begun yet: its arguments are read
    assert text_run_end(stream, 3, {0: None}) == 5  # begun: only its arguments follow
    assert text_run_end([text, {"choices": text["choices"]}, last], 0) == 2  # no usage key
