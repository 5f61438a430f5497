"""Numbers the engine reads from the environment: a value it cannot use is refused by name
(`SettingError`), never silently replaced by the default."""

from __future__ import annotations

from explorer.errors import ExplorerError
from explorer.ground.settings import Settings, megabytes, whole_number

SHOWN = 40  # characters of a wrong value quoted in the message


class SettingError(ExplorerError):
    """An environment variable whose value cannot be used."""


def require_usable(settings: Settings | None = None) -> Settings:
    """The settings (read from the environment when not given), once the numbers the engine
    reads from them are usable.

    Raises:
        SettingError: EXPLORER_WORKERS or EXPLORER_MAX_FILE_MB is set to something else than
            the number it must be; the message names the variable, its value and what to give.
    """
    settings = settings or Settings.from_environment()
    if settings.workers is not None and whole_number(settings.workers) is None:
        raise SettingError(f"EXPLORER_WORKERS={_quoted(settings.workers)} is not a number of "
                           f"processes", "give a whole number, 1 or more (1 parses in this "
                           "process), or unset it")
    if settings.max_file_mb is not None and megabytes(settings.max_file_mb) is None:
        raise SettingError(f"EXPLORER_MAX_FILE_MB={_quoted(settings.max_file_mb)} is not a "
                           f"size in megabytes", "give a number above 0 (the default is 64), "
                           "or unset it")
    return settings


def _quoted(value: str) -> str:
    return repr(value if len(value) <= SHOWN else value[:SHOWN] + "…")
