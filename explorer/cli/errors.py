"""The command line's one error handler: library errors become one line and an exit code.

Every message is made safe for the terminal first: it may quote a file name or a recording.

Commands call the library and let its `ExplorerError`s through; this group catches them (and
`OSError`s, which name a file the system could not read or write) and prints `Error: message;
hint` with exit code 1, never a traceback. `InputError` is for what a command was given: exit 2.
"""

from __future__ import annotations

import click

from explorer.errors import ExplorerError
from explorer.safety.text import for_terminal


class InputError(click.ClickException):
    """A one-line error about the command's input (a path, a step, a flag's value): exit code 2."""

    exit_code = 2


def os_error_message(exc: OSError) -> str:
    """`cannot use PATH: reason; check ...` for an OSError that escaped a command."""
    where = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or str(exc)
    return f"cannot use {where}: {reason}; check that it exists and that you may read or write it"


class ExplorerGroup(click.Group):
    """A click group whose commands report `ExplorerError` and `OSError` as one line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ExplorerError as exc:
            raise click.ClickException(for_terminal(str(exc))) from None
        except OSError as exc:
            raise click.ClickException(for_terminal(os_error_message(exc))) from None
        except click.ClickException as exc:
            exc.message = for_terminal(exc.message)  # it may quote a recording
            raise
