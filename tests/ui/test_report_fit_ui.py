"""The report's tables fit their boxes in Chromium at 1,400 and 900 px: ogx-length test ids
in "Failed calls", "Longest streams", "Most expensive tests" and "Tests with the largest
changes" never run across the next column, the full id is there on hover, and no number is
broken over two lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.compare_trees import make_trees
from support.paths import SHARED

from explorer.present.report import write_report

pytestmark = pytest.mark.browser

REAL_TREE = SHARED / "ogx-2026-05"
WIDTHS = (1400, 900)
LONG_ID = ("tests/integration/inference/test_openai_completion.py::"
           "test_openai_chat_completion_streaming_with_tools_and_structured_output[{client}-"
           "txt=ollama/llama3.2:3b-instruct-fp16-inference:chat_completion:{stem}]")

# Every table cell whose text (or an inline child) reaches outside the cell's box.
OVERFLOWING = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('table.data th, table.data td')) {
    const box = cell.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(cell);
    for (const r of range.getClientRects()) {
      if (r.width && (r.right > box.right + 0.5 || r.left < box.left - 0.5)) {
        out.push({text: cell.textContent.slice(0, 80), cell: box.width, text_w: r.width});
        break;
      }
    }
  }
  const wrapped = [...document.querySelectorAll('table.data td.num')].filter(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
  }).map(cell => cell.textContent);
  const page = document.documentElement;
  return {cells: out, wrapped, tables: document.querySelectorAll('table.data').length,
          page_scrolls: page.scrollWidth > page.clientWidth + 1};
}"""


def _long_ids(tree: Path) -> None:
    """Give every recording an ogx-length test id; the two client variants of one test differ
    only in the middle."""
    for number, path in enumerate(sorted(tree.rglob("*.json"))):
        document = json.loads(path.read_text())
        client = "openai_client" if number % 2 else "client_with_models"
        document["test_id"] = LONG_ID.format(client=client, stem=path.stem)
        path.write_text(json.dumps(document))


def _fits(page, url: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.wait_for_load_state("load")
        result = page.evaluate(OVERFLOWING)
        assert result["tables"] >= 5
        assert result["cells"] == [], (width, result["cells"][:5])
        assert result["wrapped"] == [], (width, result["wrapped"][:5])  # a number on one line
        assert not result["page_scrolls"], width


def test_report_tables_fit_with_long_test_ids(served, page, tmp_path):
    site, url = served
    base, head = make_trees(tmp_path / "trees")
    _long_ids(base)
    _long_ids(head)
    write_report(head, site / "report.html", against=base, cache=False)
    html = (site / "report.html").read_text()
    assert "<h3>Tests with the largest changes</h3>" in html
    _fits(page, url + "report.html")
    shortened = page.locator("td[title*='openai_client-txt=ollama']").first
    assert "…" in shortened.inner_text()
    assert shortened.get_attribute("title").startswith("tests/integration/inference/test_openai")
    numbers = page.locator("td.num").first
    assert numbers.evaluate("cell => getComputedStyle(cell).textAlign") == "right"


@pytest.mark.real
def test_report_tables_fit_on_real_recordings(served, page):
    if not REAL_TREE.is_dir():
        pytest.skip(f"{REAL_TREE} is absent")
    site, url = served
    write_report(REAL_TREE / "tests" / "integration", site / "report.html")
    _fits(page, url + "report.html")
