"""The notebook's one call, `dashboard_for_page`: the environment's tree, and a review link
read only after the visitor arrives (a Voila kernel prepared ahead learns it late)."""

from __future__ import annotations

from explorer.dashboard import Dashboard
from explorer.dashboard.launch import dashboard_for_page


def test_the_demo_when_nothing_is_asked(monkeypatch):
    for name in ("EXPLORER_RECORDINGS", "EXPLORER_GIT_REF", "EXPLORER_BASE", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(dashboard_for_page(), Dashboard)


def test_a_hostile_link_is_refused_in_words_after_the_wait(monkeypatch):
    monkeypatch.delenv("EXPLORER_BASE", raising=False)
    monkeypatch.delenv("EXPLORER_RECORDINGS", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    seen = []

    def visitor_arrives(settings) -> dict[str, str]:  # as Voila sends a visitor's request
        seen.append("waited")
        return {"QUERY_STRING": "repo=/tmp/x&base=--upload-pack=<b>x</b>&head=pr"}

    widget = dashboard_for_page(wait=visitor_arrives)
    assert seen == ["waited"]
    assert "refused" in widget.value and "<b>x</b>" not in widget.value  # text, not HTML


def test_a_query_string_outside_voila_is_no_review_link(monkeypatch):
    for name in ("EXPLORER_RECORDINGS", "EXPLORER_GIT_REF", "EXPLORER_BASE", "VOILA_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUERY_STRING", "repo=x&base=a&head=b")  # left in a shell, say
    assert isinstance(dashboard_for_page(), Dashboard)


def test_what_keeps_the_dashboard_closed_is_said_in_words(monkeypatch, tmp_path):
    for name in ("EXPLORER_GIT_REF", "EXPLORER_BASE", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("EXPLORER_RECORDINGS", raising=False)
    monkeypatch.setenv("EXPLORER_WORKERS", "<b>two</b>")
    widget = dashboard_for_page(wait=lambda settings: None)
    assert "could not open" in widget.value and "EXPLORER_WORKERS" in widget.value
    assert "<b>two</b>" not in widget.value  # the value is text, not HTML
    monkeypatch.delenv("EXPLORER_WORKERS")
    monkeypatch.setenv("EXPLORER_RECORDINGS", str(tmp_path / "missing"))
    widget = dashboard_for_page(wait=lambda settings: None)
    assert "could not open" in widget.value and "missing" in widget.value
