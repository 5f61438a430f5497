"""An invalid where expression empties nothing and hides nothing: after a valid one, a bad one
is left out (not the old one kept), the count and the table say which expression the rows
follow, and the box sits with the search at the top of the filters."""

from __future__ import annotations

import re

import pytest
from support.rough_tree import make_tree

from explorer.dashboard import Dashboard
from explorer.table.index import index_tree as load_index


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return make_tree(tmp_path_factory.mktemp("where"))


@pytest.fixture(scope="module")
def frame(tree):
    return load_index(tree, cache=False)


@pytest.fixture
def dash(frame, tree) -> Dashboard:
    return Dashboard(frame, root=tree, label="where")


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&gt;", ">")


def rows(dash: Dashboard) -> int:
    return len(dash.filtered)


def test_a_bad_expression_after_a_good_one_keeps_nothing_hidden(dash, frame):
    dash.filters.where.value = "prompt_tokens > 100"
    narrowed = int((frame["prompt_tokens"] > 100).sum())
    assert 0 < rows(dash) == narrowed < len(frame)
    assert "where prompt_tokens > 100 applied" in text(dash.filters.summary.value)
    assert "where prompt_tokens > 100" in text(dash.table.applied.value)
    dash.filters.where.value = "bogus((("
    assert rows(dash) == len(frame)  # the old expression is not kept
    assert f"{len(frame)} of {len(frame)} recordings match" in text(dash.filters.summary.value)
    assert "where bogus((( is not applied" in text(dash.filters.summary.value)
    assert "where bogus((( not applied" in text(dash.table.applied.value)
    assert "prompt_tokens > 100" not in text(dash.table.applied.value)
    assert dash.filters.where.value == "bogus((("  # kept, to be corrected
    assert dash.filters.notes["where"].value  # its error beside the box


def test_the_error_stays_while_other_filters_change_and_goes_with_the_box(dash, frame):
    dash.filters.where.value = "bogus((("
    dash.filters.streaming.value = "streamed"
    assert dash.filters.where.value == "bogus((("
    assert "not applied" in text(dash.table.applied.value)
    dash.filters.where.value = ""
    assert "not applied" not in text(dash.table.applied.value)
    assert dash.filters.notes["where"].value == ""


def test_the_where_box_sits_with_the_search(dash):
    children = list(dash.filters.widget.children)
    search, where, model = (children.index(dash.filters.search),
                            children.index(dash.filters.where),
                            children.index(dash.filters.facets["model"]))
    assert search < where < model


def test_the_export_panel_names_filters_in_words(dash):
    dash.filters.facets["model"].value = ("gpt-4o",)
    dash.filters.calls.value = "get_weather"
    shown = text(dash.export_panel.selection.value)
    assert "model gpt-4o · calls tool get_weather" in shown
    assert "('gpt-4o',)" not in shown and "=" not in shown
