"""explorer report: one self-contained HTML file with summary, charts, costs and the diff."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from support.review_trees import ADDED, NEW_MODEL, make_pair

from explorer.cli.main import main
from explorer.present.report import ReportError, write_report
from explorer.table.index import index_tree as load_index

EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)
EXTERNAL_LINK = re.compile(r"<link[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)
PLOTLY_JS = re.compile(r"<script[^>]*>/\*\*\s*\n\* plotly\.js v.*?</script>", re.DOTALL)
NEW_PLOT = re.compile(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", re.DOTALL)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("report")
    pair = make_pair(tmp)
    out = CliRunner().invoke(main, ["report", str(pair.head), "--against", str(pair.base),
                                    "--out", str(tmp / "report.html"), "--no-cache"])
    assert out.exit_code == 0, out.output
    return (tmp / "report.html").read_text(encoding="utf-8")


def test_report_is_self_contained(report_html):
    assert not EXTERNAL_SCRIPT.search(report_html)
    assert not EXTERNAL_LINK.search(report_html)
    # plotly.js itself is embedded exactly once...
    assert len(PLOTLY_JS.findall(report_html)) == 1
    assert report_html.count("Plotly.newPlot") >= 3
    # ...and outside that library (whose map defaults name tile servers) there is no URL at all
    page = PLOTLY_JS.sub("", report_html)
    assert re.findall(r"https?://", page) == []


def test_report_carries_the_chart_data(report_html):
    traces = [json.loads(match) for match in NEW_PLOT.findall(report_html)]
    assert len(traces) >= 3
    names_on_axes = {v for figure in traces for trace in figure for axis in ("x", "y")
                     if isinstance(trace.get(axis), list)  # numbers are base64 typed arrays
                     for v in trace[axis] if isinstance(v, str)}
    assert {"o3-mini", NEW_MODEL, "chat", "embedding", "get_weather"} <= names_on_axes


def test_report_has_summary_costs_and_the_diff(report_html):
    assert "<h2>Summary</h2>" in report_html and "<h2>Costs</h2>" in report_html
    assert "1 added, 1 removed, 3 changed (1 of them only normalized fields)" in report_html
    assert f"<code>{ADDED}</code>" in report_html
    assert NEW_MODEL in report_html
    assert "only normalized fields changed" in report_html


def test_report_without_base_has_no_diff_section(tmp_path):
    pair = make_pair(tmp_path)
    out = write_report(pair.head, tmp_path / "plain.html", cache=False)
    html = out.read_text(encoding="utf-8")
    assert "Changes against the base" not in html and "Plotly.newPlot" in html
    assert f"{len(load_index(pair.head, cache=False))} recordings" in html


def test_report_is_never_written_into_a_tree_it_reads(tmp_path):
    pair = make_pair(tmp_path)
    with pytest.raises(ReportError, match="inside the recordings tree"):
        write_report(pair.head, pair.base / "report.html", against=pair.base, cache=False)
    assert not (pair.base / "report.html").exists()
    out = CliRunner().invoke(main, ["report", str(pair.head), "--out",
                                    str(pair.head / "r.html")])
    assert out.exit_code != 0 and "inside the recordings tree" in out.output
    assert "Traceback" not in out.output and not (pair.head / "r.html").exists()
