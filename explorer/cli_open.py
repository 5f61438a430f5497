"""`explorer open [ROOT]`: the dashboard notebook in JupyterLab, or as a page with Voila."""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import click

from explorer.sources import is_git_source

NOTEBOOK = Path("notebooks") / "explore.ipynb"


class OpenError(click.ClickException):
    """A one-line error about what `explorer open` was given; exit code 2."""

    exit_code = 2


def repository_root() -> Path:
    """The clone this package was installed from (the folder holding `explorer/`)."""
    return Path(__file__).resolve().parents[1]


def notebook_path() -> Path:
    notebook = repository_root() / NOTEBOOK
    if not notebook.is_file():
        raise OpenError(f"{notebook} not found: `explorer open` needs the repository's "
                        f"notebooks/ folder; install the package from a clone "
                        f"(`pip install -e .` in it) or run `jupyter lab` on a copy of "
                        f"{NOTEBOOK.as_posix()}")
    return notebook


def recordings_spec(root: str | None) -> str | None:
    """What the notebook is told to open: an absolute folder, a git URL, or None (the demo)."""
    if root is None:
        return None
    folder = Path(root).expanduser()
    if folder.is_dir():
        return str(folder.resolve())
    if is_git_source(root):
        return root
    raise OpenError(f"{root}: no such folder; give the folder that holds the recordings "
                    f"(e.g. ~/src/ogx/tests/integration) or a git URL")


def base_spec(against: str, root_spec: str | None) -> str:
    """What the notebook compares against: an absolute folder, or a git ref of ROOT."""
    if root_spec is None:
        raise OpenError("--against needs ROOT: the recordings to compare with the base")
    folder = Path(against).expanduser()
    if folder.is_dir():
        return str(folder.resolve())
    if is_git_source(root_spec):
        return against
    raise OpenError(f"--against {against}: no such folder; give the base recordings folder, "
                    f"or a git ref when ROOT is a git repository")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dashboard_url(notebook: Path, app: bool, port: int, token: str | None) -> str:
    """Where the dashboard itself is (JupyterLab's own banner only names its start page)."""
    if app:
        return f"http://localhost:{port}/"
    relative = notebook.relative_to(repository_root()).as_posix()
    return f"http://localhost:{port}/lab/tree/{relative}?token={token}"


def server_command(notebook: Path, app: bool, port: int | None, browser: bool,
                   token: str | None = None) -> list[str]:
    module = "voila" if app else "jupyterlab"
    if importlib.util.find_spec(module) is None:
        raise OpenError(f"{module} is not installed in this Python; install it with "
                        f"`pip install {module}`")
    relative = notebook.relative_to(repository_root()).as_posix()
    command = [sys.executable, "-m", module, relative]
    if port is not None:
        command.append(f"--port={port}")
    if not browser:
        command.append("--no-browser")
    if token and not app:
        command.append(f"--IdentityProvider.token={token}")
    if not app and hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers run as root; JupyterLab refuses otherwise
    return command


def launch(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run the server in the foreground until it stops (Ctrl-C stops it)."""
    try:
        return subprocess.call(command, cwd=cwd, env=env)
    except KeyboardInterrupt:
        return 0


@click.command("open")
@click.argument("root", required=False)
@click.option("--ref", help="Git ref (branch, tag, commit) when ROOT is a git repository.")
@click.option("--against", metavar="BASE",
              help="Compare ROOT with BASE (a recordings folder, or a git ref of ROOT's "
                   "repository): the dashboard shows what changed.")
@click.option("--app", is_flag=True, help="Serve the dashboard as a standalone page (Voila) "
                                          "instead of the notebook in JupyterLab.")
@click.option("--port", type=click.IntRange(1, 65535), help="Port of the server.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; print the URL.")
def open_command(root: str | None, ref: str | None, against: str | None, app: bool,
                 port: int | None, no_browser: bool) -> None:
    """Open the dashboard on the recordings under ROOT (default: the bundled demo).

    ROOT is a recordings folder such as ~/src/ogx/tests/integration, or a git URL or
    repository path (with --ref for a branch). With --against BASE the dashboard compares
    the two trees instead. Starts JupyterLab on notebooks/explore.ipynb, or Voila with --app;
    stop it with Ctrl-C. The --app page also opens a review link's comparison:
    http://localhost:PORT/?repo=URL&base=REF&head=REF (as `explorer diff --binder` writes).
    """
    notebook = notebook_path()
    env = dict(os.environ)
    env.pop("EXPLORER_RECORDINGS", None)
    env.pop("EXPLORER_GIT_REF", None)
    env.pop("EXPLORER_BASE", None)
    spec = recordings_spec(root)
    if spec is not None:
        env["EXPLORER_RECORDINGS"] = spec
    if ref:
        if spec is None:
            raise OpenError("--ref needs ROOT: a git URL or repository path")
        env["EXPLORER_GIT_REF"] = ref
    base = base_spec(against, spec) if against is not None else None
    if base is not None:
        env["EXPLORER_BASE"] = base
    port = port or free_port()
    token = None if app else secrets.token_hex(16)
    command = server_command(notebook, app, port, not no_browser, token)
    compared = f", compared with {base}" if base else ""
    click.echo(f"opening {spec or 'the demo recordings'}{compared} with "
               f"{'Voila' if app else 'JupyterLab'} (Ctrl-C stops it)\n"
               f"dashboard: {dashboard_url(notebook, app, port, token)}", err=True)
    sys.exit(launch(command, repository_root(), env))
