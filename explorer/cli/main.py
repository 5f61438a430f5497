"""Command line: `explorer COMMAND ...`, a thin layer over the library functions.

Each command's module is imported when that command runs (or when help lists them all), so
`explorer open` starts its server without loading pandas or the price table first.
"""

from __future__ import annotations

import importlib

import click

from explorer.cli.errors import ExplorerGroup
from explorer.ground.version import __version__

# command name: (module in explorer.cli, the click command in it)
COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("index", "index"), "show": ("show", "show"), "cost": ("cost", "cost"),
    "export": ("export", "export"), "diff": ("diff", "diff"), "history": ("history", "history"),
    "report": ("report", "report"), "open": ("open", "open_command"), "check": ("check", "check"),
    "comment": ("comment", "comment"),
}


class LazyGroup(ExplorerGroup):
    """The commands of COMMANDS, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        return getattr(importlib.import_module(f"explorer.cli.{module}"), name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="explorer")
def main() -> None:
    """Explore recorded LLM API traffic (llama-stack / ogx test recordings).

    Index a recordings tree into one table, replay a stream chunk by chunk,
    price the token usage, export a selection, diff two trees, and open the
    dashboard. Every command takes --help.
    """
