"""`explorer show PATH [--step N] [--json]`: one recording, its response at a step."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.cli.errors import InputError
from explorer.safety import jsontext
from explorer.safety.names import shown
from explorer.safety.text import echo


@click.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--step", type=int, default=None, help="Show the response after N chunks "
              "(default: the final state).")
@click.option("--json", "as_json", is_flag=True, help="Print the state as one JSON object.")
def show(path: Path, step: int | None, as_json: bool) -> None:
    """Show one recording: its conversation, then the response at a step of its stream."""
    from explorer.api import open_recording
    from explorer.present.terminal import render_recording

    if not path.is_file():
        raise InputError(f"{shown(str(path))}: no such file (give the path of one recording "
                         f".json)")
    opened = open_recording(path)
    if opened.recording is None:
        raise InputError(opened.problems[0].reason)
    recording = opened.recording
    step = recording.n_chunks if step is None else step
    if not 0 <= step <= recording.n_chunks:
        raise InputError(f"--step {step} is out of range: {shown(str(path))} has "
                         f"{recording.n_chunks} chunks (use 0..{recording.n_chunks})")
    state = recording.state_at(step)
    if as_json:
        echo(jsontext.dumps(state.as_dict()))
    else:
        echo(render_recording(recording, state))
