"""A number set in the environment that the engine cannot use stops the work with a message that
names the variable, its value and what to give, instead of quietly becoming the default."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES

from explorer.api import load_index
from explorer.cli.main import main
from explorer.ground.settings import Settings
from explorer.safety.environment import SettingError, require_usable


@pytest.mark.parametrize("variable, value", [("EXPLORER_WORKERS", "abc"),
                                             ("EXPLORER_WORKERS", "0"),
                                             ("EXPLORER_WORKERS", "²"),
                                             ("EXPLORER_MAX_FILE_MB", "0"),
                                             ("EXPLORER_MAX_FILE_MB", "inf"),
                                             ("EXPLORER_MAX_FILE_MB", "64MB")])
def test_an_unusable_number_is_refused_by_name(variable, value):
    with pytest.raises(SettingError) as caught:
        require_usable(Settings.from_environment({variable: value}))
    message = str(caught.value)
    assert message.startswith(f"{variable}={value!r} is not a")
    assert "unset it" in message


def test_usable_or_unset_numbers_pass():
    for environ in ({}, {"EXPLORER_WORKERS": "2", "EXPLORER_MAX_FILE_MB": "0.5"},
                    {"EXPLORER_WORKERS": "", "EXPLORER_MAX_FILE_MB": ""}):
        settings = Settings.from_environment(environ)
        assert require_usable(settings) is settings


def test_a_long_value_is_shortened_in_the_message():
    with pytest.raises(SettingError) as caught:
        require_usable(Settings.from_environment({"EXPLORER_WORKERS": "x" * 500}))
    assert len(str(caught.value)) < 200 and "xxx…" in str(caught.value)


def test_the_front_door_refuses_before_reading_anything(monkeypatch):
    monkeypatch.setenv("EXPLORER_WORKERS", "many")
    with pytest.raises(SettingError, match="EXPLORER_WORKERS='many'"):
        load_index(FIXTURES / "tree", cache=False)


def test_the_command_line_says_it_in_one_line(tmp_path):
    runner = CliRunner()
    for variable, value in (("EXPLORER_WORKERS", "abc"), ("EXPLORER_MAX_FILE_MB", "-1")):
        result = runner.invoke(main, ["index", str(FIXTURES / "tree")],
                               env={variable: value, "EXPLORER_CACHE_DIR": str(tmp_path)})
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {variable}=")
        assert "unset it" in lines[0]
    result = runner.invoke(main, ["index", str(FIXTURES / "tree")],
                           env={"EXPLORER_WORKERS": "1", "EXPLORER_CACHE_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
