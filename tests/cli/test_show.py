"""The command line on the first-session tree: listing recordings to show, the end of a long
stream at a step, and the report's lists of failures, long streams and costly tests."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from support.rough_tree import DECLARES, FAILED, LONG, N_LONG, TOOL_ONLY, make_tree, word

from explorer.cli.main import main


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return make_tree(tmp_path_factory.mktemp("rough-cli"))


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_index_paths_lists_the_matching_recordings_for_show(tree):
    listed = run("index", tree, "--declares", "get_weather", "--paths", "--no-cache")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [str(tree / DECLARES), str(tree / TOOL_ONLY)]
    calls = run("index", tree, "--calls", "get_weather", "--paths", "--no-cache")
    assert calls.output.splitlines() == [str(tree / TOOL_ONLY)]
    shown = run("show", calls.output.splitlines()[0])
    assert shown.exit_code == 0 and "get_weather" in shown.output


def test_show_at_a_step_ends_with_what_that_step_added(tree):
    out = run("show", tree / LONG, "--step", 700).output
    text = out.split("text:", 1)[1]
    assert word(699).strip() in text  # the newest delta is printed...
    assert word(0).strip() not in text  # ...not only the beginning
    assert re.search(r"\[… [\d,]+ earlier chars\]", text)
    final = run("show", tree / LONG).output
    assert word(N_LONG - 2).strip() in final


def test_report_lists_failures_long_streams_and_costly_tests(tree, tmp_path):
    out = tmp_path / "report.html"
    result = run("report", tree, "--out", out, "--no-cache")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    failed = page.split("<h2>Failed calls (1)</h2>", 1)[1].split("</section>", 1)[0]
    assert "test_failed" in failed and "context length exceeded" in failed
    streams = page.split("<h2>Longest streams (top 10)</h2>", 1)[1].split("</section>", 1)[0]
    assert streams.index("test_long") < streams.index("test_tool_only")  # longest first
    assert f'<td class="num">{N_LONG:,}</td>' in streams  # 1,399
    costly = page.split("<h2>Most expensive tests (top 10)</h2>", 1)[1].split("</section>")[0]
    assert costly.index("test_long") < costly.index("test_tool_only")
    assert FAILED.rsplit("/", 1)[-1] not in costly
