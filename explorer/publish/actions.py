"""GitHub Actions' side channels: a `::warning::` line the run's page shows, and the job
summary (`$GITHUB_STEP_SUMMARY`), where the review stays readable whatever the token may do."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def warning_line(message: str, title: str = "recordings-explorer") -> str:
    """A `::warning::` workflow command; the message cannot end the line or start another
    command (newlines and `%` are escaped as the runner expects)."""
    return f"::warning title={_escape(title, property_value=True)}::{_escape(message)}"


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def append_summary(markdown: str, env: Mapping[str, str] | None = None) -> Path | None:
    """Append `markdown` to the job summary file when `GITHUB_STEP_SUMMARY` names one; the
    path written, or None outside Actions."""
    name = (os.environ if env is None else env).get("GITHUB_STEP_SUMMARY")
    if not name:
        return None
    path = Path(name)
    with path.open("a", encoding="utf-8") as summary:
        summary.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return path
