"""The where language: comparisons, `in`, `.str` and `.isna` on columns, and nothing else;
an expression that would run code (in the CLI, the API or the dashboard) is refused with one
line, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support.hostile_tree import MARKER, RUNNING, hostile_tree, outside_cache

from explorer.cli.main import main
from explorer.dashboard import Dashboard
from explorer.table.filters import FilterError, Filters, apply
from explorer.table.index import index_tree as load_index
from explorer.table.schema import frame_from_records


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return hostile_tree(tmp_path)


# nothing runs: the where language ---------------------------------------------------------

@pytest.mark.parametrize("expression", RUNNING)
def test_where_never_runs_code_in_the_cli(tree, tmp_path, expression):
    before = outside_cache(tmp_path)
    result = CliRunner().invoke(main, ["index", str(tree), "--no-cache", "--where", expression])
    assert outside_cache(tmp_path) == before  # nothing written
    assert result.exit_code == 2, result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(error) == 1 and "allowed" in error[0]
    assert "--where" not in error[0] and "pandas" not in error[0]  # library words
    assert not (tmp_path / MARKER).exists()


@pytest.mark.parametrize("expression", RUNNING[:4])
def test_where_never_runs_code_in_the_api_and_the_dashboard(tree, tmp_path, expression):
    frame = load_index(tree)
    with pytest.raises(FilterError, match="allowed"):
        apply(frame, Filters(where=expression))
    dash = Dashboard(frame, root=tree)
    dash.filters.where.value = expression
    assert "allowed" in dash.filters.notes["where"].value  # beside the box
    assert dash.state.filters.where == ""
    assert not (tmp_path / MARKER).exists()


ROWS = frame_from_records([
    {"path": "a", "provider": "openai", "model": "gpt-4o", "prompt_tokens": 5},
    {"path": "b", "provider": "ollama", "model": "llama3", "prompt_tokens": None},
    {"path": "c", "provider": None, "model": None, "prompt_tokens": 2000},
])


@pytest.mark.parametrize(("expression", "paths"), [
    ("prompt_tokens > 1000", ["c"]),
    ("1 < prompt_tokens <= 10", ["a"]),
    ("provider in ['openai', 'ollama'] and not prompt_tokens.isna()", ["a"]),
    ("provider not in ('openai',)", ["b", "c"]),
    ("model.str.contains('gpt') or model.str.startswith('ll')", ["a", "b"]),
    ("model.str.endswith('3') or provider.isna()", ["b", "c"]),
    ("prompt_tokens.notna() and provider == None", ["c"]),
    ("prompt_tokens > -1", ["a", "c"]),
])
def test_the_where_language(expression, paths):
    assert list(apply(ROWS, Filters(where=expression))["path"]) == paths


def test_unknown_column_names_the_nearest(tree):
    with pytest.raises(FilterError, match="did you mean prompt_tokens"):
        apply(load_index(tree), Filters(where="promt_tokens > 3"))
