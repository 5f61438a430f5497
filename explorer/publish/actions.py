"""GitHub Actions' side channels: a `::warning::` line the run's page shows, and the job
summary (`$GITHUB_STEP_SUMMARY`), where the review stays readable whatever the token may do."""

from __future__ import annotations

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


def append_summary(markdown: str, path: Path | None) -> Path | None:
    """Append `markdown` to the job summary file (`$GITHUB_STEP_SUMMARY`, from the settings).

    Args:
        markdown: the text to add.
        path: the summary file; None outside Actions.

    Returns:
        The path written, or None when there is no summary file.
    """
    if path is None:
        return None
    with path.open("a", encoding="utf-8") as summary:
        summary.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return path
