"""The committed fixture trees are exactly what tests/fixtures/make_fixtures.py writes."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GENERATED = ("tree", "tree_old", "broken")


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures",
                                                  FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for name in GENERATED
            for p in (root / name).rglob("*") if p.is_file()}


def _rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT * FROM recordings ORDER BY request_hash").fetchall()
    db.close()
    return rows


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fixtures")
    _make_fixtures().write_all(out)
    return out


def test_committed_fixtures_match_a_fresh_generation(fresh: Path) -> None:
    """Guards against hand edits or a changed generator that was not re-run."""
    assert _files(fresh) == _files(FIXTURES)
    for rel in sorted(_files(fresh)):
        if rel.endswith(".sqlite"):  # file bytes depend on the SQLite version
            assert _rows(fresh / rel) == _rows(FIXTURES / rel), rel
        else:
            assert (fresh / rel).read_bytes() == (FIXTURES / rel).read_bytes(), rel
    assert (fresh / "expected.json").read_bytes() == (FIXTURES / "expected.json").read_bytes()


def test_generation_is_deterministic(fresh: Path, tmp_path: Path) -> None:
    _make_fixtures().write_all(tmp_path)
    for rel in sorted(_files(fresh)):
        if not rel.endswith(".sqlite"):
            assert (fresh / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_oracle_covers_every_recording_and_nothing_else() -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    for tree in ("tree", "tree_old"):
        on_disk = {p.relative_to(FIXTURES / tree).as_posix()
                   for p in (FIXTURES / tree).rglob("*.json")}
        assert on_disk == set(expected[tree]), tree
    broken = expected["broken"]
    on_disk = {p.relative_to(FIXTURES / "broken").as_posix()
               for p in (FIXTURES / "broken").rglob("*.json")}
    named = set(broken["problems"]) | set(broken["rows"]) | set(broken["ignored"])
    assert on_disk == named
    assert set(broken["no_row"]) <= set(broken["problems"])


def test_every_body_shape_of_the_format_readme_has_a_fixture() -> None:
    """A shape dropped from the generator would silently shrink the parser's test surface."""
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    rows = list(expected["tree"].values()) + list(expected["tree_old"].values())
    kinds = {row["kind"] for row in rows}
    assert kinds == {"chat", "completion", "embedding", "models", "tool", "rerank",
                     "file_processor", "interaction", "message", "other"}
    endpoints = {row["endpoint"] for row in rows}
    assert {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models",
            "/api/generate", "/api/chat", "/api/embeddings", "/api/tags", "/api/ps",
            "/api/pull", "/generate_content", "/generate_content_stream",
            "/v1/messages", "/v1beta/interactions"} <= endpoints
    assert any(row["is_error"] and row["n_chunks"] == 0 for row in rows)  # exception
    assert any(row["is_error"] and row["status"] == 400 and row["n_chunks"] == 1
               for row in rows)  # raw HTTP error
