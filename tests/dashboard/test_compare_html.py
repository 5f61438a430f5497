"""The compare view speaks the diff's classes: buttons with counts, behaviour first grouped by
test file, requests before → after, texts marked character by character, a moved pair stepped
side by side; every recorded value escaped."""

from __future__ import annotations

import re

import pytest
from support.review_classes import (
    MOVED_TO,
    NEW_COMPLETION,
    REMOVED_FOR_MOVE,
    REQUEST,
    RERECORDED_TO,
    make_class_pair,
)
from support.review_trees import read, write

from explorer.dashboard import CompareDashboard
from explorer.dashboard.views.compare_html import text_diff_html


@pytest.fixture
def compare(tmp_path):
    pair = make_class_pair(tmp_path)
    return CompareDashboard(pair.base, pair.head)


def test_buttons_count_each_class(compare):
    labels = [label for label, _ in compare.status.options]
    assert labels == ["all (8)", "request (1)", "response (1)", "moved (2)", "environment (1)",
                      "noise (1)", "added (1)", "removed (1)"]
    compare.status.value = "moved"
    assert {r["path"] for r in compare.table.table.rows} == {MOVED_TO, RERECORDED_TO}


def test_what_matters_first_and_bookkeeping_can_be_hidden(compare):
    order = [r["status"] for r in compare.table.table.rows]
    assert order[:3] == ["request", "response", "moved"]
    assert order[-1] == "moved"  # the unchanged move, after noise and environment
    compare.hide_noise.value = True
    assert [r["status"] for r in compare.table.table.rows] == [
        "request", "response", "moved", "added", "removed"]


def test_request_change_shows_each_field_before_and_after(compare):
    compare.open_pair(REQUEST)
    details = compare.detail.details.value
    assert "request body.dimensions" in details and ">none<" in details and ">4<" in details
    assert "embedding lengths" in details


def test_moved_pair_steps_old_and_new_side_by_side(compare):
    compare.open_pair(RERECORDED_TO)
    assert compare.detail.recordings["base"].path.as_posix().endswith(REMOVED_FOR_MOVE)
    assert compare.detail.recordings["head"].path.as_posix().endswith(RERECORDED_TO)
    assert "lazy dog" in compare.detail.base.value
    assert NEW_COMPLETION in compare.detail.head.value
    assert f"from {REMOVED_FOR_MOVE}" in compare.detail.title.value
    assert "data-diff='ins'" in compare.detail.details.value


def test_changed_text_is_marked_character_by_character():
    left, right = text_diff_html("The trip takes 3 hours.", "The trip took 3 <b>hours</b>.")
    assert re.findall(r"data-diff='del'[^>]*>([^<]*)<", left) == ["a", "es"]
    assert re.findall(r"data-diff='ins'[^>]*>([^<]*)<", right) == [
        "oo", "&lt;b&gt;", "&lt;/b&gt;"]
    assert "<b>" not in right
    assert re.sub(r"<[^>]+>", "", left) == "The trip takes 3 hours."


def test_recorded_html_is_escaped_in_the_view(tmp_path):
    pair = make_class_pair(tmp_path)
    document = read(pair.head / REQUEST)
    document["test_id"] = "tests/x.py::test_<img src=x onerror=alert(1)>"
    document["request"]["body"]["input"][0] = "<script>alert(1)</script>"
    write(pair.head / REQUEST, document)
    compare = CompareDashboard(pair.base, pair.head)
    compare.open_pair(REQUEST)
    shown = compare.detail.title.value + compare.detail.details.value
    assert "<img" not in shown and "<script>" not in shown
    assert "&lt;script&gt;" in shown
