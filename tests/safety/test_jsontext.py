"""Integers beyond 64 bits in a recording are values to show: every command, the index and the
replay read them (orjson alone refuses to write them and to read the largest)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from explorer.cli.main import main
from explorer.record.recording import load_recording
from explorer.safety.jsontext import dumps, loads
from explorer.table.index import index_tree as load_index

HUGE = "1" + "0" * 400  # beyond a double: orjson cannot even parse it
CHUNK = ('{"__type__": "openai.types.chat.chat_completion_chunk.ChatCompletionChunk", '
         '"__data__": {"model": "gpt-4o", "choices": [{"index": 0, "delta": {"content": "hi", '
         '"tool_calls": [{"index": 0, "id": "c1", "function": {"name": "f", '
         '"arguments": {"n": %s}}}]}}], "usage": {"prompt_tokens": %s, '
         '"completion_tokens": 2}}}')
DOCUMENT = ('{"test_id": "tests/integration/x/test_big.py::test_big", "request": {"method": '
            '"POST", "url": "http://localhost/v1/chat/completions", "endpoint": '
            '"/v1/chat/completions", "model": "gpt-4o", "body": {"model": "gpt-4o", '
            '"seed": %s, "messages": [{"role": "user", "content": [{"type": "text", '
            '"text": "hi"}, {"type": "input_audio", "input_audio": {"n": %s}}]}], '
            '"stream": true}}, "response": {"is_streaming": true, "body": [%s]}}')


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "tree" / "tests" / "integration" / "x" / "recordings"
    folder.mkdir(parents=True)
    big = str(2**64)
    (folder / "big.json").write_text(DOCUMENT % (HUGE, big, CHUNK % (big, HUGE)))
    return tmp_path / "tree"


def test_dumps_and_loads_keep_any_integer():
    value = {"a": [2**64, -(2**70)], "b": int(HUGE), "text": "é"}
    assert json.loads(dumps(value)) == value and json.loads(dumps(value, indent=True)) == value
    assert loads(dumps(value))["b"] == int(HUGE)


def test_index_reads_the_recording(tree):
    frame = load_index(tree)
    assert len(frame) == 1 and pd.isna(frame["prompt_tokens"][0])
    (problem,) = frame.attrs["problems"]  # the count beyond 64 bits: unknown, with a note
    assert "prompt_tokens 100000" in problem.reason and "401 digits" in problem.reason
    assert "not a token count" in problem.reason and len(problem.reason) < 200


def test_replay_shows_the_big_arguments(tree):
    recording = load_recording(next(tree.rglob("big.json")))
    final = recording.state_at(recording.n_chunks)
    assert str(2**64) in final.tool_calls[0].arguments
    assert recording.messages and isinstance(recording.checks, list)


@pytest.mark.parametrize("command", [
    ["index", "{tree}", "--out", "{out}.csv"],
    ["index", "{tree}", "--out", "{out}.jsonl"],
    ["index", "{tree}", "--out", "{out}.parquet"],
    ["diff", "{tree}", "{tree}", "--format", "json"],
    ["show", "{file}", "--json"],
    ["show", "{file}", "--step", "1"],
    ["export", "{tree}", "--to", "{out}.zip"],
    ["cost", "{tree}"],
    ["report", "{tree}", "--out", "{out}.html"],
])
def test_no_command_crashes(tree, tmp_path, command):
    file = next(tree.rglob("big.json"))
    args = [part.format(tree=tree, file=file, out=tmp_path / "out") for part in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    if "--json" in command:
        assert str(2**64) in result.output
