"""The numbers read from the environment: what counts as a whole number of processes and as a
size in megabytes (everything else is refused by `safety.environment`)."""

from __future__ import annotations

import pytest

from explorer.ground.settings import Settings, megabytes, whole_number


@pytest.mark.parametrize("text, expected", [("3", 3), (" 2 ", 2), ("٣", 3), ("12", 12)])
def test_whole_numbers_of_one_or_more_are_read(text, expected):
    assert whole_number(text) == expected


@pytest.mark.parametrize("text", [None, "", " ", "0", "-1", "1.5", "abc", "²", "3 4", "+2",
                                  "9" * 5000])
def test_anything_else_is_no_whole_number(text):
    assert whole_number(text) is None  # "²" is a digit to str.isdigit, and int() refuses it


@pytest.mark.parametrize("text, expected", [("64", 64.0), ("0.5", 0.5), ("1e3", 1000.0),
                                            (" 2 ", 2.0)])
def test_sizes_above_zero_are_read(text, expected):
    assert megabytes(text) == expected


@pytest.mark.parametrize("text", [None, "", "0", "-3", "nan", "inf", "-inf", "abc", "1e400"])
def test_anything_else_is_no_size(text):
    assert megabytes(text) is None


def test_the_raw_values_are_kept_for_the_check():
    settings = Settings.from_environment({"EXPLORER_WORKERS": "abc",
                                          "EXPLORER_MAX_FILE_MB": "0"})
    assert settings.workers == "abc" and settings.max_file_mb == "0"
