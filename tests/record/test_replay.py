"""Replay at several steps, asserted exactly, for every stream family (the fixtures' chunks are
listed in tests/fixtures/README.md; the expected states below are worked out by hand)."""

from __future__ import annotations

import pytest
from support.paths import FIXTURES

from explorer import load_recording


def replay(name: str):
    return load_recording(next(FIXTURES.glob(f"tree/**/recordings/{name}.json")))


def calls(state) -> list[tuple]:
    return [(c.index, c.id, c.name, c.arguments) for c in state.tool_calls]


def usage(state) -> tuple | None:
    if state.usage is None:
        return None
    return (state.usage["prompt_tokens"], state.usage["completion_tokens"],
            state.usage["total_tokens"])


def test_openai_parallel_tool_calls_grow_by_index():
    rec = replay("openai_chat_stream_parallel_tool_calls")
    assert rec.n_chunks == 9
    start = rec.state_at(0)
    assert (start.text, calls(start), start.finish_reason, start.usage) == ("", [], None, None)
    assert calls(rec.state_at(1)) == [(0, "call_Wx91fGq2LdP", "get_weather", "")]
    assert calls(rec.state_at(3)) == [(0, "call_Wx91fGq2LdP", "get_weather",
                                       '{"location": "Par')]
    assert calls(rec.state_at(4))[1] == (1, "call_Tz55kLm0QaR", "get_local_time", "")
    step5 = rec.state_at(5)
    assert calls(step5)[0][3] == '{"location": "Paris, France"}'
    assert [d.arguments for d in step5.delta.tool_calls] == ['is, France"}']
    step7 = rec.state_at(7)
    assert calls(step7)[1][3] == '{"timezone": "Europe/Paris"}'
    assert step7.finish_reason is None
    step8 = rec.state_at(8)
    assert (step8.finish_reason, step8.usage) == ("tool_calls", None)
    assert usage(rec.state_at(9)) == (148, 52, 200)
    assert rec.checks == []


def test_openai_reasoning_content_then_text():
    rec = replay("openai_chat_stream_reasoning_content")
    assert rec.state_at(2).reasoning == "The user wants the boiling point of water in Fahrenheit."
    step3 = rec.state_at(3)
    assert step3.reasoning == ("The user wants the boiling point of water in Fahrenheit."
                               " At sea level it is 212°F.")
    assert step3.text == ""
    assert rec.state_at(4).text == "Water boils at 212 °F"
    assert rec.state_at(4).delta.text == "Water boils at 212 °F"
    assert rec.state_at(5).text == "Water boils at 212 °F (100 °C) at sea level."
    assert (rec.state_at(6).finish_reason, rec.state_at(6).usage) == ("stop", None)
    assert usage(rec.final) == (24, 87, 111)


def test_completion_chunks():
    rec = replay("openai_completion_stream")
    assert rec.state_at(1).text == "1, 2,"
    step3 = rec.state_at(3)
    assert (step3.text, step3.finish_reason) == ("1, 2, 3, 4, 5", "stop")
    assert usage(rec.state_at(4)) == (9, 13, 22)


def test_ollama_generate_counts_arrive_with_done():
    rec = replay("ollama_generate_stream")
    assert rec.state_at(3).text == "Silver moon over"
    step5 = rec.state_at(5)
    assert (step5.text, step5.finish_reason, step5.usage) == (
        "Silver moon over quiet hills", None, None)
    assert (rec.final.finish_reason, usage(rec.final)) == ("stop", (38, 6, 44))


def test_ollama_chat_message_content():
    rec = replay("ollama_chat_stream")
    assert rec.state_at(4).text == "Red, yellow and blue."
    assert usage(rec.final) == (29, 8, 37)


def test_gemini_thought_parts_and_cumulative_usage():
    rec = replay("gemini_generate_content_stream")
    step1 = rec.state_at(1)
    assert step1.reasoning == ("The user wants a 3-day forecast for Lisbon; I should call "
                               "get_forecast.")
    assert (step1.text, step1.usage) == ("", None)
    step2 = rec.state_at(2)
    assert step2.text == "Let me check the forecast"
    assert usage(step2) == (58, 6 + 41, 105), "completion includes thoughts"
    final = rec.final
    assert final.text == "Let me check the forecast for Lisbon."
    assert calls(final) == [(0, None, "get_forecast", '{"city":"Lisbon","days":3}')]
    assert (final.finish_reason, usage(final)) == ("STOP", (58, 27 + 41, 126))


def test_anthropic_sse_events():
    rec = replay("anthropic_messages_stream")
    assert rec.n_chunks == 16, "data: events, blank and event: lines are not chunks"
    assert rec.state_at(5).reasoning == "User wants a greeting."
    assert rec.state_at(9).text == "Hello, Alice!"
    assert calls(rec.state_at(11)) == [(0, "call_9f3a", "get_time", "")]
    assert calls(rec.state_at(12))[0][3] == '{"timezone":'
    assert calls(rec.state_at(13))[0][3] == '{"timezone": "Europe/Berlin"}'
    assert rec.state_at(14).finish_reason is None
    assert (rec.final.finish_reason, usage(rec.final)) == ("tool_use", (96, 41, 137))


def test_gemini_interactions_sse_events():
    rec = replay("interactions_stream")
    assert rec.n_chunks == 10, "[DONE] is not a chunk"
    assert rec.state_at(7).text == "1, 2, "
    assert (rec.state_at(8).text, rec.state_at(8).finish_reason) == ("1, 2, 3, 4, 5", None)
    assert (rec.final.finish_reason, usage(rec.final)) == ("completed", (13, 12, 25))


def test_two_choices_follow_choice_zero_and_say_so():
    rec = replay("openai_chat_stream_two_choices")
    assert rec.state_at(2).other_choices == 1
    assert rec.final.text == "Smokey."
    assert rec.final.other_choices == 1


@pytest.mark.parametrize(("name", "check"), [
    ("openai_chat_stream_invalid_tool_arguments", "not valid JSON"),
    ("openai_chat_stream_no_usage", "no usage chunk"),
    ("openai_chat_stream_chunks_after_finish", "after finish_reason"),
    ("openai_chat_nonstream_total_mismatch", "is not prompt_tokens"),
])
def test_replay_checks_fire(name, check):
    assert any(check in line for line in replay(name).checks), replay(name).checks


def test_non_streamed_body_is_one_step():
    rec = replay("openai_chat_nonstream_reasoning_usage")
    assert rec.n_chunks == 1
    assert rec.state_at(0).text == "" and rec.final.text
    with pytest.raises(IndexError):
        rec.state_at(2)
