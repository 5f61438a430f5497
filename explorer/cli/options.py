"""Options shared by several commands: the filter flags and the cache switch."""

from __future__ import annotations

from collections.abc import Callable

import click
import pandas as pd

from explorer.api import FilterError, Filters, apply
from explorer.safety.text import echo, for_terminal

FILTER_OPTIONS = (
    click.option("--model", multiple=True, help="Only this model (repeatable)."),
    click.option("--provider", multiple=True, help="Only this provider (repeatable)."),
    click.option("--endpoint", multiple=True, help="Only this endpoint, e.g. /v1/chat/completions."),
    click.option("--kind", multiple=True, help="Only this kind: chat, completion, embedding, ..."),
    click.option("--test", default="", help="test_id contains this text, or matches this glob."),
    click.option("--tool", default="", help="Only recordings that declare or call this tool."),
    click.option("--declares", default="", help="Only requests that declare this tool."),
    click.option("--calls", default="", help="Only responses that call this tool."),
    click.option("--streaming/--non-streaming", default=None,
                 help="Only streamed (or only non-streamed) responses."),
    click.option("--errors", is_flag=True, help="Only failed calls."),
    click.option("--health", multiple=True,
                 type=click.Choice(("reachable", "stale", "misplaced", "unexplained",
                                    "not-hashed")),
                 help="Only recordings with this health (repeatable); see `explorer check`."),
    click.option("--where", default="",
                 help="A condition on the index columns, e.g. \"prompt_tokens > 1000 and "
                      "provider == 'openai'\": columns, literals, lists, comparisons, in, "
                      "and/or/not, .str.contains(), .isna(); never run as code."),
)
FILTER_NAMES = ("model", "provider", "endpoint", "kind", "test", "tool", "declares", "calls",
                "streaming", "errors", "where", "health")


def filter_options(command: Callable) -> Callable:
    """Decorate a click command with the shared filter flags."""
    for option in reversed(FILTER_OPTIONS):
        command = option(command)
    return command


def no_cache_option(command: Callable) -> Callable:
    return click.option("--no-cache", is_flag=True,
                        help="Parse every file; neither read nor write the index cache.")(command)


def strict_option(command: Callable) -> Callable:
    return click.option("--strict", is_flag=True,
                        help="Exit 1 if any file could not be indexed.")(command)


def report_problems(frame: pd.DataFrame, strict: bool) -> None:
    """One line per file that could not be indexed, on stderr (stdout stays machine-readable);
    with --strict, any problem makes the command fail."""
    problems = frame.attrs.get("problems", [])
    for problem in problems:
        echo(for_terminal(f"problem: {problem}", one_line=True),
             err=True)
    if strict and problems:
        raise click.ClickException(f"{len(problems)} file(s) could not be indexed (--strict)")


def pop_filters(options: dict) -> Filters:
    """Take the filter flags out of a command's keyword arguments."""
    values = {name: options.pop(name) for name in FILTER_NAMES}
    return Filters(model=tuple(values["model"]), provider=tuple(values["provider"]),
                   endpoint=tuple(values["endpoint"]), kind=tuple(values["kind"]),
                   test=values["test"], tool=values["tool"], declares=values["declares"],
                   calls=values["calls"], streaming=values["streaming"],
                   errors_only=values["errors"], where=values["where"],
                   health=tuple(values["health"]))


def select(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Apply filters, turning a bad expression into a one-line CLI error."""
    try:
        return apply(frame, filters)
    except FilterError as exc:
        raise click.UsageError(str(exc)) from None
