"""The compare view's request tab: both requests side by side, the changed span highlighted
(a one-character change included), long messages folded, a superseded pair opened against
the kept file."""

from __future__ import annotations

import html
import re

from support.review_shapes import (
    chat_completion,
    chat_request,
    recording,
    sha_name,
    write_recording,
)

from explorer.dashboard import CompareDashboard

TEST = "tests/integration/safety/test_safety.py::test_unsafe_examples[txt=ollama/llama-guard3:1b]"
GUARD = ("Task: Check if there is unsafe content in 'Assistant' messages in conversations "
         "according our safety policy with the below categories.\n\n") * 6 + \
    "Provide your safety assessment for ONLY THE LAST Agent message: please answer safe."


def _trees(tmp_path, before: str, after: str):
    for side, prompt in (("base", before), ("head", after)):
        document = recording(TEST, chat_request([{"role": "system", "content": "Be safe."},
                                                 {"role": "user", "content": prompt}],
                                                model="llama-guard3:1b"),
                             chat_completion("safe", model="llama-guard3:1b"))
        write_recording(tmp_path / side, "safety", sha_name(1), document)
    return CompareDashboard(tmp_path / "base", tmp_path / "head")


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_a_one_character_change_deep_in_a_long_prompt_is_highlighted(tmp_path):
    compare = _trees(tmp_path, GUARD, GUARD.replace("please answer", "Please answer"))
    path = f"tests/integration/safety/recordings/{sha_name(1)}.json"
    compare.table.click_row(path)
    detail = compare.detail
    assert detail.tabs.selected_index == 1  # a request change opens on its request
    page = detail.request.value
    assert "data-field='request'" in page
    assert "<span data-diff='del' class='x-del'>p</span>lease answer" in page
    assert "<span data-diff='ins' class='x-ins'>P</span>lease answer" in page
    assert "<details>" in page  # the long message is folded, its summary the change
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", page, re.DOTALL).group(1)
    assert "please answer" in _plain(summary)
    assert "message 1 (system)" in page and "message 2 (user)" in page
    assert "parameters" in page and "temperature" in page
    what_changed = _plain(detail.details.value)
    assert "please answer" in what_changed and "Please answer" in what_changed


def test_recorded_text_in_the_request_tab_is_escaped(tmp_path):
    compare = _trees(tmp_path, "<script>alert(1)</script> a", "<script>alert(1)</script> b")
    compare.table.click_row(f"tests/integration/safety/recordings/{sha_name(1)}.json")
    page = compare.detail.request.value
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_superseded_recording_opens_against_the_kept_file(tmp_path):
    def call(system: str) -> dict:
        return recording(TEST, chat_request([{"role": "system", "content": system},
                                             {"role": "user", "content": "Is this safe?"}]),
                         chat_completion("safe"))
    old, new = call("You are a guard."), call("You are a guard. Answer in one word.")
    write_recording(tmp_path / "base", "safety", sha_name(1), old)
    write_recording(tmp_path / "head", "safety", sha_name(1), old)
    added = write_recording(tmp_path / "head", "safety", sha_name(2), new)
    compare = CompareDashboard(tmp_path / "base", tmp_path / "head")
    rows = {r["path"]: r for r in compare.table.table.rows}
    assert rows[added]["status"] == "request"
    assert rows[added]["summary"].startswith("old file kept")
    compare.table.click_row(added)
    page = compare.detail.request.value
    assert re.search(r"data-diff='ins' class='x-ins'>[^<]*Answer in one word", page)
    assert "Not in base" not in compare.detail.base.value
