"""One error language: every error the library raises on purpose is an `ExplorerError`.

It carries what went wrong (`message`) and, where there is one, what to do about it (`hint`),
both in the library's own words. The command line turns it into a one-line message and an exit
code in one place (`explorer.cli.errors`); the dashboard shows it beside the control that caused
it. Callers catch `ExplorerError` rather than one class per module. A file that cannot be read
is not an error but a `Problem`: one row's worth of trouble, collected and shown, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass


class ExplorerError(Exception):
    """Something the explorer cannot do, said so that a person can act on it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why: it costs one row, never the run.

    Every reader collects these the same way (the index in `df.attrs["problems"]`, the history,
    each side of a diff) and every view prints `str(problem)`: `path: reason[; hint]`.
    """

    path: str
    reason: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}: {self.reason}"
        return f"{text}; {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, str]:
        found = {"path": self.path, "reason": self.reason}
        return {**found, "hint": self.hint} if self.hint else found

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(str(data["path"]), str(data["reason"]), data.get("hint"))
