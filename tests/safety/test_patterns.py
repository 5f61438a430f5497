"""Every pattern the package applies to recorded text runs in linear time.

Each case is a run of a pattern's own alphabet without the character it looks for (the input
that makes a backtracking pattern quadratic). The budget asked for by issue #23: a 1 MB
string may cost at most 8x a 256 KB one (linear is 4x, quadratic 16x), or one second
(a quadratic pattern takes minutes on 1 MB; the floor absorbs a busy machine).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from explorer.health.explain import _MODEL_LINE
from explorer.health.rules import _normalized_text
from explorer.health.scan import drop_attributes, first_match, node_ids
from explorer.history.gitlog import is_recording
from explorer.record.classify import _provider_from_params
from explorer.review.md_escape import code
from explorer.review.normalize import RECORDER_ID, normalize_text
from explorer.safety.text import for_csv_cell, for_terminal

BIG = 1 << 20


def _rules(text: str) -> str:
    return _normalized_text(text, True, [False, False])


CASES: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "ids: rec- without a digit": (normalize_text, lambda n: "rec-" * (n // 4)),
    "ids: run_- without a digit": (normalize_text, lambda n: "run_-" * (n // 5)),
    "ids: msg- letters": (normalize_text, lambda n: "msg-" + "a" * n),
    "ids: call_ lower case": (normalize_text, lambda n: "call_" + "a" * n),
    "ids: fc_ words": (normalize_text, lambda n: "fc_abcdefgh " * (n // 12)),
    "ids: dates without time": (normalize_text, lambda n: "2024-01-01T-" * (n // 12)),
    "ids: call_ upper case": (normalize_text, lambda n: "call_" + "A" * n),
    "ids: file- repeated": (normalize_text, lambda n: "file-" * (n // 5)),
    "recorder id: letters": (lambda t: RECORDER_ID.search(t), lambda n: "vs_" + "a" * n),
    "recorder id: uuid heads": (lambda t: RECORDER_ID.search(t), lambda n: "0123abcd-" * (n // 9)),
    "attributes: spaces": (_rules, lambda n: "attributes: " + " " * n + "x}"),
    "attributes: commas": (_rules, lambda n: ", " * (n // 2) + "attributes: x}"),
    "attributes: repeated": (_rules, lambda n: "attributes:" * (n // 11) + "}"),
    "attributes: open brace": (drop_attributes, lambda n: "attributes:{" * (n // 12)),
    "score: spaces": (_rules, lambda n: "score:" + " " * n),
    "score: repeated": (_rules, lambda n: "score:" * (n // 6)),
    "document id": (_rules, lambda n: "document_id: " * (n // 13)),
    "citation": (_rules, lambda n: "<|" + "a" * n),
    "float: digits, the point elsewhere": (_rules, lambda n: "1" * n + "x.12345"),
    "float: minus digits": (_rules, lambda n: "-1" * (n // 2) + "x.12345"),
    "log: tests/ repeated": (node_ids, lambda n: "tests/" * (n // 6)),
    "log: path without ::": (node_ids, lambda n: "tests/a.py" * (n // 10)),
    "log: colons": (node_ids, lambda n: "a::" * (n // 3)),
    "log: Model: repeated": (lambda t: first_match(_MODEL_LINE, t, "Model: "),
                             lambda n: "Model: " * (n // 7) + " | Request: !"),
    "test params": (lambda t: _provider_from_params(t, "chat"),
                    lambda n: "-txt=" + "a" * n),
    "test params repeated": (lambda t: _provider_from_params(t, "chat"),
                             lambda n: "[txt=a" * (n // 6)),
    "git paths: recordings/ repeated": (is_recording,
                                        lambda n: ("a/recordings/" * (n // 13)).encode()),
    "terminal: separators": (for_terminal, lambda n: "\u2028\u200b" * (n // 2)),
    "markdown: backticks": (code, lambda n: "`" * n),
    "csv: formula after spaces": (for_csv_cell, lambda n: " " * n + "=1"),
}


def _seconds(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("name", sorted(CASES))
def test_pattern_time_grows_linearly(name):
    function, build = CASES[name]
    small, big = _seconds(function, build(BIG // 4)), _seconds(function, build(BIG))
    assert big <= max(8 * small, 1.0), f"{name}: 256 KB {small:.3f} s, 1 MB {big:.3f} s"
