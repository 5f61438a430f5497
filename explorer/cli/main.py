"""Command line: `explorer COMMAND ...`, a thin layer over the library functions."""

from __future__ import annotations

import click

from explorer import __version__
from explorer.cli.check import check
from explorer.cli.cost import cost
from explorer.cli.diff import diff
from explorer.cli.errors import ExplorerGroup
from explorer.cli.export import export
from explorer.cli.history import history
from explorer.cli.index import index
from explorer.cli.open import open_command
from explorer.cli.report import report
from explorer.cli.show import show


@click.group(cls=ExplorerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="explorer")
def main() -> None:
    """Explore recorded LLM API traffic (llama-stack / ogx test recordings).

    Index a recordings tree into one table, replay a stream chunk by chunk,
    price the token usage, export a selection, diff two trees, and open the
    dashboard. Every command takes --help.
    """


for command in (index, show, cost, export, diff, history, report, open_command, check):
    main.add_command(command)
