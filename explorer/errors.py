"""One error language: every error the library raises on purpose is an `ExplorerError`.

It carries what went wrong (`message`) and, where there is one, what to do about it (`hint`),
both in the library's own words. The command line turns it into a one-line message and an exit
code in one place (`explorer.cli.errors`); the dashboard shows it beside the control that caused
it. Callers catch `ExplorerError` rather than one class per module.
"""

from __future__ import annotations


class ExplorerError(Exception):
    """Something the explorer cannot do, said so that a person can act on it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message
