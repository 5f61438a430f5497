"""Every setting explorer takes from the environment, read in one place into one frozen value.

The front ends read it once (`Settings.from_environment()`) and pass it down; the engine never
reads `os.environ` itself. A function given no settings reads them here, at the call.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """What the environment asks for; None where a variable is unset or empty."""

    cache_dir: Path | None = None  # EXPLORER_CACHE_DIR: the cache folder (else the user's)
    export_dir: Path | None = None  # EXPLORER_EXPORT_DIR: where a served app may write
    output_dir: Path | None = None  # EXPLORER_OUTPUT_DIR: where `explorer open` was run from
    recordings: str | None = None  # EXPLORER_RECORDINGS: the tree the notebook opens
    git_ref: str | None = None  # EXPLORER_GIT_REF: its ref, when it is a git source
    base: str | None = None  # EXPLORER_BASE: the base tree of a compare view
    app_pool: str = "1"  # EXPLORER_APP_POOL: kernels Voila keeps ready
    app_idle_seconds: str | None = None  # EXPLORER_APP_IDLE_SECONDS: a left visitor's kernel
    # lives on this long (unset: explorer.cli.app_kernels.CULL_IDLE_S)
    max_file_mb: str | None = None  # EXPLORER_MAX_FILE_MB: the file size budget
    workers: str | None = None  # EXPLORER_WORKERS: at most this many processes parse
    history: bool = True  # EXPLORER_HISTORY (0: no History tab from git)
    served_as_app: bool = False  # the kernel runs behind Voila
    page_query: str | None = None  # the query string of the page Voila serves, else None
    voila: tuple[tuple[str, str], ...] = ()  # Voila's VOILA_* variables (where it answers)
    github_token: str | None = None  # GITHUB_TOKEN: may write the pull request's comment
    github_api_url: str | None = None  # GITHUB_API_URL: the REST API's root
    github_server_url: str | None = None  # GITHUB_SERVER_URL: where repositories are browsed
    github_step_summary: Path | None = None  # GITHUB_STEP_SUMMARY: the job summary file

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings in `environ` (default: this process's environment).

        Args:
            environ: the variables to read; None reads `os.environ`.

        Returns:
            A frozen `Settings`.
        """
        env = os.environ if environ is None else environ
        served = (env.get("SERVER_SOFTWARE", "").startswith("voila")
                  or any(name in env for name in ("VOILA_SERVER_URL", "VOILA_KERNEL_ID",
                                                  "VOILA_PREHEAT")))
        return cls(cache_dir=_path(env, "EXPLORER_CACHE_DIR"),
                   export_dir=_path(env, "EXPLORER_EXPORT_DIR"),
                   output_dir=_path(env, "EXPLORER_OUTPUT_DIR"),
                   recordings=env.get("EXPLORER_RECORDINGS") or None,
                   git_ref=env.get("EXPLORER_GIT_REF") or None,
                   base=env.get("EXPLORER_BASE") or None,
                   app_pool=env.get("EXPLORER_APP_POOL", "1"),
                   app_idle_seconds=env.get("EXPLORER_APP_IDLE_SECONDS") or None,
                   max_file_mb=max_file_mb(env),
                   workers=env.get("EXPLORER_WORKERS") or None,
                   history=env.get("EXPLORER_HISTORY") != "0",
                   served_as_app=served,
                   # a QUERY_STRING left in the shell that started JupyterLab is no review link
                   page_query=env.get("QUERY_STRING") if "VOILA_SERVER_URL" in env else None,
                   voila=tuple(sorted((name, value) for name, value in env.items()
                                      if name.startswith("VOILA_"))),
                   github_token=env.get("GITHUB_TOKEN") or None,
                   github_api_url=env.get("GITHUB_API_URL") or None,
                   github_server_url=env.get("GITHUB_SERVER_URL") or None,
                   github_step_summary=_path(env, "GITHUB_STEP_SUMMARY"))

    def with_page_request(self, details: Mapping[str, object] | None) -> Settings:
        """These settings once Voila sent a visitor's request: its query string (a string).

        Args:
            details: the request's details as Voila sends them; None when none came.

        Returns:
            New settings (the environment is never written).
        """
        query = (details or {}).get("QUERY_STRING")
        return replace(self, page_query=query) if isinstance(query, str) else self


def max_file_mb(environ: Mapping[str, str] | None = None) -> str | None:
    """EXPLORER_MAX_FILE_MB alone: the size budget is looked up for every file read, where
    building the whole `Settings` each time would cost more than reading the file's size.

    Args:
        environ: the variables to read; None reads `os.environ`.

    Returns:
        The raw value, or None when unset or empty.
    """
    return (os.environ if environ is None else environ).get("EXPLORER_MAX_FILE_MB") or None


def whole_number(text: str | None) -> int | None:
    """`text` as a whole number of 1 or more (spaces around it allowed), else None.

    Args:
        text: a setting's raw value (EXPLORER_WORKERS).

    Returns:
        The number, or None when `text` is unset or is not one.
    """
    value = (text or "").strip()
    if not value.isdecimal():
        return None
    try:
        number = int(value)
    except ValueError:  # more digits than Python reads into an int
        return None
    return number if number > 0 else None


def megabytes(text: str | None) -> float | None:
    """`text` as a finite number of megabytes above 0, else None.

    Args:
        text: a setting's raw value (EXPLORER_MAX_FILE_MB).

    Returns:
        The number, or None when `text` is unset or is not one.
    """
    try:
        value = float(text or "nan")
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def _path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name)
    return Path(value) if value else None
