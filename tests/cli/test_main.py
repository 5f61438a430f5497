"""The CLI explains itself, and the README says what the code does."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import orjson
import pytest
from click.testing import CliRunner
from support.paths import FIXTURES, REPO

from explorer.cli.main import COMMANDS, main
from explorer.table.schema import markdown_table

README = (REPO / "README.md").read_text()


def test_readme_schema_is_the_declared_schema():
    block = re.search(r"<!-- schema:start.*?-->\n(.*?)\n<!-- schema:end -->", README, re.DOTALL)
    assert block, "README lost its schema block"
    assert block.group(1) == markdown_table()


def test_readme_test_command_is_what_ci_runs():
    assert "python -m pytest" in README
    assert "python -m pytest" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name):
    command = main.get_command(click.Context(main), name)
    assert command.help and len(command.help) > 40, name
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"{name} --{param.name} has no help text"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_python_dash_m_explorer():
    run = subprocess.run([sys.executable, "-m", "explorer", "--help"], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0 and "index" in run.stdout and "show" in run.stdout


def test_index_summary_and_outputs(tmp_path):
    tree = FIXTURES / "tree"
    runner = CliRunner()
    result = runner.invoke(main, ["index", str(tree), "--out", str(tmp_path / "i.jsonl")])
    assert result.exit_code == 0, result.output
    assert "by kind:" in result.output and "by provider:" in result.output
    assert "problems: 0" in result.output
    rows = [orjson.loads(line) for line in (tmp_path / "i.jsonl").read_text().splitlines()]
    assert len(rows) == len(list(tree.rglob("*.json")))
    for suffix in (".parquet", ".csv"):
        out = tmp_path / f"i{suffix}"
        assert runner.invoke(main, ["index", str(tree), "--out", str(out)]).exit_code == 0
        assert out.stat().st_size > 0


def test_index_output_it_cannot_write_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["index", str(FIXTURES / "tree"), "--out",
                                       str(tmp_path / "missing" / "x.parquet")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and "cannot write" in result.output


def test_index_filters_narrow_the_summary():
    result = CliRunner().invoke(main, ["index", str(FIXTURES / "tree"), "--kind", "embedding"])
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first.startswith("2 recordings") or first.split()[0].isdigit()
    assert "filtered: kind=('embedding',)" in first


def test_show_json_and_errors():
    stream = next(FIXTURES.glob("tree/**/openai_chat_stream_parallel_tool_calls*.json"))
    runner = CliRunner()
    state = orjson.loads(runner.invoke(main, ["show", str(stream), "--json"]).output)
    assert set(state) >= {"text", "reasoning", "tool_calls", "usage", "finish_reason", "step",
                          "n_chunks"}
    assert state["step"] == state["n_chunks"] and state["finish_reason"] == "tool_calls"
    step1 = orjson.loads(runner.invoke(main, ["show", str(stream), "--json", "--step", "1"])
                         .output)
    assert step1["step"] == 1
    text = runner.invoke(main, ["show", str(stream)]).output
    assert "conversation" in text and "tool call 0" in text
    for args in (["nope.json"], [str(stream), "--step", "999"], [str(stream), "--step", "-1"]):
        result = runner.invoke(main, ["show", *args])
        assert result.exit_code == 2, args
        assert len(result.output.strip().splitlines()) == 1
