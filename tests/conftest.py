from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from support.paths import SHARED

# Property tests draw the same examples on every run (CI must not depend on luck); a wider
# random search is `HYPOTHESIS_PROFILE=explore python -m pytest tests/table/test_rows_properties.py`.
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
INSTALL_TIER = "install"
TESTS = Path(__file__).resolve().parent
# Tests that take a second or more on their own (servers and kernels started, a wheel built,
# hundreds of generated examples, trees of thousands of files): marked `slow`, so the
# development loop (`-m quick`) leaves them to the full run. By path under tests/, or
# path::function.
SLOW = {
    "table/test_rows_properties.py", "cli/test_open_process.py", "cli/test_open.py", "test_install.py",
    "test_notebook.py", "dashboard/test_page_request.py",
    "table/test_index.py::test_very_large_file_is_indexed",
    "table/test_index.py::test_two_processes_indexing_at_once_leave_a_valid_cache",
    "review/test_markdown.py::test_a_comment_too_long_says_how_many_are_not_shown",
    "safety/test_depth.py::test_deep_json_in_diff_is_one_unreadable_file",
    "safety/test_names.py::test_non_utf8_names_in_every_command",
    "safety/test_names.py::test_non_utf8_names_in_diff",
    "record/test_replay_fold.py::test_many_text_blocks_join_in_order",
    "cli/test_main.py::test_python_dash_m_explorer",
    "dashboard/test_compare.py::test_base_may_be_a_folder_or_a_ref_of_the_head_repository",
    "health/test_rules.py::test_generated_requests_get_the_plain_names",
    "health/test_canonical.py::test_generated_values_are_written_as_json_dumps_writes_them",
    "wire/test_openai.py::test_the_skip_stops_where_a_plain_reading_stops_and_skips_nothing_read",
    "cli/test_show.py::test_report_lists_failures_long_streams_and_costly_tests",
    "cli/test_output.py::test_the_real_app_prints_one_line_on_stdout",
    "safety/test_patterns.py", "safety/test_corpus.py", "publish/test_actions.py",
    "test_benchmarks.py",
}
TIERS = ("slow", "browser", "real", INSTALL_TIER)


def pytest_collection_modifyitems(config, items):
    """Marks the `slow` tests and the `quick` ones (all the rest of the unit tier); the
    install tier (fresh virtualenvs, minutes) runs only when asked: `-m install`."""
    for item in items:
        where = item.path.relative_to(TESTS).as_posix()
        name = f"{where}::{getattr(item, 'originalname', item.name)}"
        if where in SLOW or name in SLOW:
            item.add_marker(pytest.mark.slow)
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker(pytest.mark.quick)
    if INSTALL_TIER in (config.option.markexpr or ""):
        return
    slow = [item for item in items if item.get_closest_marker(INSTALL_TIER)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker(INSTALL_TIER)]


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own index cache directory, never the user's."""
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def shared_recordings() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/recordings is absent (real-data tier)")
    return SHARED


def pytest_report_header(config):
    return [f"shared recordings: {SHARED if SHARED.is_dir() else 'absent (real tier skipped)'}",
            f"CI: {os.environ.get('CI', 'unset')}"]
