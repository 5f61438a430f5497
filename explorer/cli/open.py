"""`explorer open [ROOT]`: the dashboard notebook in JupyterLab, or as a page with Voila."""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import sys
import threading
import time
from pathlib import Path

import click

from explorer.api import (
    Settings,
    SourceError,
    cache_dir,
    checked_ref,
    is_git_source,
    require_usable,
    whole_number,
)
from explorer.cli.app_kernels import CULL_IDLE_S, culling_options
from explorer.cli.errors import InputError
from explorer.cli.open_process import run_group
from explorer.cli.open_workdir import lab_config_path, make_working_copy, remove_working_copy

NOTEBOOK = Path("notebooks") / "explore.ipynb"  # the source; wheels ship a copy (setup.py)
SHIPPED = Path(__file__).resolve().parents[1] / NOTEBOOK  # explorer/notebooks/


def repository_root() -> Path:
    """The clone this package was installed from (the folder holding `explorer/`)."""
    return Path(__file__).resolve().parents[2]


def notebook_path() -> Path:
    """The dashboard notebook: shipped in the package, else the clone's (editable install)."""
    for notebook in (SHIPPED, repository_root() / NOTEBOOK):
        if notebook.is_file():
            return notebook
    raise InputError(f"{NOTEBOOK.name} is missing from this installation of explorer "
                    f"(looked for {SHIPPED}); reinstall it with `pip install .` in a clone, "
                    f"or run `jupyter lab` on a copy of {NOTEBOOK.as_posix()}")


def recordings_spec(root: str | None) -> str | None:
    """What the notebook is told to open: an absolute folder, a git URL, or None (the demo)."""
    if root is None:
        return None
    folder = Path(root).expanduser()
    if folder.is_dir():
        return str(folder.resolve())
    if is_git_source(root):
        return root
    raise InputError(f"{root}: no such folder; give the folder that holds the recordings "
                    f"(e.g. ~/src/ogx/tests/integration) or a git URL")


def base_spec(against: str, root_spec: str | None) -> str:
    """What the notebook compares against: an absolute folder, or a git ref of ROOT."""
    if root_spec is None:
        raise InputError("--against needs ROOT: the recordings to compare with the base")
    folder = Path(against).expanduser()
    if folder.is_dir():
        return str(folder.resolve())
    if is_git_source(root_spec):
        return against
    raise InputError(f"--against {against}: no such folder; give the base recordings folder, "
                    f"or a git ref when ROOT is a git repository")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dashboard_url(notebook: Path, app: bool, port: int, token: str | None) -> str:
    """Where the dashboard itself is (JupyterLab's own banner only names its start page).

    `notebook` is the working copy; the server's root is its folder."""
    if app:
        return f"http://127.0.0.1:{port}/?token={token}"
    return f"http://localhost:{port}/lab/tree/{notebook.name}?token={token}"


# JupyterLab neither fetches news nor checks for a newer version: no requests leave the machine
# and no "official Jupyter news?" prompt covers the dashboard on a first start
LAB_QUIET = ["--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]


def server_command(notebook: Path, app: bool, port: int | None, browser: bool,
                   token: str | None = None) -> list[str]:
    """The server to run in the notebook's folder (its working directory)."""
    module = "voila" if app else "jupyterlab"
    if importlib.util.find_spec(module) is None:
        raise InputError(f"{module} is not installed in this Python; install it with "
                        f"`pip install {module}`")
    command = [sys.executable, "-m", "explorer.cli.server_main", module, notebook.name]
    if port is not None:
        command.append(f"--port={port}")
    if not browser:
        command.append("--no-browser")
    if app:
        return command + voila_options() + app_guard(token)
    command += LAB_QUIET
    if token:
        command.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers run as root; JupyterLab refuses otherwise
    return command


def app_guard(token: str | None) -> list[str]:
    """Voila's own server trusts any Host header; the app listens on 127.0.0.1 only, asks for
    the token, and (APP_CONFIG) answers only requests addressed to this machine (a page
    elsewhere cannot reach it by DNS rebinding; websockets must come from the same origin)."""
    return ["--Voila.ip=127.0.0.1", *([f"--Voila.token={token}"] if token else [])]


# Voila reads voila.json from its working directory (the working copy's folder); a dict
# setting has no command-line form that traitlets keeps supporting. The page asks for its
# kernel's shutdown when it unloads, sending the `_xsrf` cookie that Voila's page never sets
# (a 403 that left every visitor's kernel running): that request is checked by origin instead,
# as every Jupyter API request is (a page elsewhere gets a 404), and by the token.
APP_CONFIG = {"Voila": {"tornado_settings": {"allow_remote_access": False,
                                             "local_hostnames": ["localhost"],
                                             "disable_check_xsrf": True}}}


# the page's front-end extensions: widgets and anywidget, nothing else installed alongside (the
# plotly extension alone is 4.8 MB of script that every visit would load and never use)
APP_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                  "anywidget")


def voila_options() -> list[str]:
    """Kernels run the notebook before anyone asks: a visitor or a reload gets a dashboard that
    is already built. EXPLORER_APP_POOL (default 1) is how many are kept ready, each holding
    the index in memory; 2 also serves a reload made right after the first visit at once.
    A visitor's kernel is shut down when the page unloads, or culled once nobody has been
    connected for EXPLORER_APP_IDLE_SECONDS (default: CULL_IDLE_S in explorer.cli.app_kernels).
    The page loads only the front-end extensions the dashboard uses."""
    settings = Settings.from_environment()
    pool, idle = settings.app_pool, settings.app_idle_seconds or str(CULL_IDLE_S)
    pool_size = whole_number(pool) if pool.isdecimal() else None  # no spaces around it
    if pool_size is None:
        raise InputError(f"EXPLORER_APP_POOL={pool}: give how many dashboards to keep ready "
                        f"(1 or more)")
    idle_s = whole_number(idle) if idle.isascii() and idle.isdecimal() else None
    if idle_s is None:
        raise InputError(f"EXPLORER_APP_IDLE_SECONDS={idle}: give how many seconds a kernel "
                         f"nobody is connected to is kept (1 or more; default {CULL_IDLE_S})")
    return ["--preheat_kernel=True", f"--pool_size={pool_size}", *culling_options(idle_s),
            *(f"--VoilaConfiguration.extension_allowlist={name}" for name in APP_EXTENSIONS)]


def launch(command: list[str], cwd: Path, env: dict[str, str], log: Path | None = None) -> int:
    """Run the server until it stops; Ctrl-C, SIGTERM or SIGHUP end it and its kernels."""
    return run_group(command, cwd, env, log)


def server_log(port: int) -> Path:
    """Where the server's own messages go (the terminal keeps only the address): the cache
    folder's logs/, one file per port, replaced at each start."""
    folder = cache_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"open-{port}.log"
    log.write_bytes(b"")
    return log


def serve(notebook: Path, app: bool, port: int, browser: bool, token: str | None,
          env: dict[str, str]) -> int:
    """Serve a working copy of `notebook`; it is removed when the server ends. The address is
    printed on stdout once the server answers, so it can be opened as soon as it shows; the
    server's messages go to a log file (shown here only if the server fails)."""
    working = make_working_copy(notebook, app, APP_CONFIG if app else None)
    env = {**env, "EXPLORER_OUTPUT_DIR": env.get("EXPLORER_OUTPUT_DIR", os.getcwd())}
    if not app:
        env["JUPYTER_CONFIG_PATH"] = lab_config_path(working.parent, env)
    log = server_log(port)
    click.echo(f"server log: {log}", err=True)
    address = f"dashboard: {dashboard_url(working, app, port, token)}"
    ended, announced = threading.Event(), threading.Event()
    threading.Thread(target=announce_when_listening, args=(port, address, ended, announced),
                     daemon=True).start()
    try:
        code = launch(server_command(working, app, port, browser, token), working.parent, env,
                      log=log)
    finally:
        ended.set()
        remove_working_copy(working)
    if code and not announced.is_set():
        tail = log.read_text(errors="replace").splitlines()[-20:]
        click.echo("the server did not start; the end of its log:\n" + "\n".join(tail),
                   err=True)
    return code


def announce_when_listening(port: int, message: str, ended: threading.Event,
                            announced: threading.Event | None = None,
                            timeout: float = 300.0) -> None:
    """Print `message` on stdout once something accepts connections on the local `port`;
    give up when the server has `ended` (or after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not ended.is_set():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            ended.wait(0.05)
            continue
        click.echo(message)
        if announced is not None:
            announced.set()
        return


def notebook_env(spec: str | None, ref: str | None, base: str | None,
                 history: bool = True) -> dict[str, str]:
    """This process's environment with the notebook's settings replaced."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("EXPLORER_RECORDINGS", "EXPLORER_GIT_REF", "EXPLORER_BASE",
                          "EXPLORER_HISTORY")}
    for key, value in (("EXPLORER_RECORDINGS", spec), ("EXPLORER_GIT_REF", ref),
                       ("EXPLORER_BASE", base), ("EXPLORER_HISTORY", None if history else "0")):
        if value is not None:
            env[key] = value
    return env


@click.command("open")
@click.argument("root", required=False)
@click.option("--ref", help="Git ref (branch, tag, commit) when ROOT is a git repository.")
@click.option("--against", metavar="BASE",
              help="Compare ROOT with BASE (a recordings folder, or a git ref of ROOT's "
                   "repository): the dashboard shows what changed.")
@click.option("--app", is_flag=True, help="Serve the dashboard as a standalone page (Voila) "
                                          "instead of the notebook in JupyterLab.")
@click.option("--history/--no-history", default=True, show_default=True,
              help="Fill the History tab from git when ROOT lies in a git work tree.")
@click.option("--port", type=click.IntRange(1, 65535), help="Port of the server.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; print the URL.")
def open_command(root: str | None, ref: str | None, against: str | None, app: bool,
                 history: bool, port: int | None, no_browser: bool) -> None:
    """Open the dashboard on the recordings under ROOT (default: the bundled demo).

    ROOT is a recordings folder such as ~/src/ogx/tests/integration, or a git URL or
    repository path (with --ref for a branch). With --against BASE the dashboard compares
    the two trees instead. Starts JupyterLab on a working copy of notebooks/explore.ipynb
    (the clone stays clean), or Voila with --app; stop it with Ctrl-C. The --app page also
    opens a review link's comparison: http://localhost:PORT/?repo=URL&base=REF&head=REF (as
    `explorer diff --binder` writes).
    """
    require_usable()  # the dashboard would say it in the page; say it here, before starting
    notebook = notebook_path()
    spec = recordings_spec(root)
    if ref and spec is None:
        raise InputError("--ref needs ROOT: a git URL or repository path")
    if ref:
        try:
            ref = checked_ref(ref)
        except SourceError as exc:
            raise InputError(str(exc)) from None
    base = base_spec(against, spec) if against is not None else None
    env = notebook_env(spec, ref, base, history)
    port = port or free_port()
    token = secrets.token_hex(16)
    compared = f", compared with {base}" if base else ""
    click.echo(f"opening {spec or 'the demo recordings'}{compared} with "
               f"{'Voila' if app else 'JupyterLab'} (Ctrl-C stops it); the address follows "
               f"when the server is up", err=True)
    sys.exit(serve(notebook, app, port, not no_browser, token, env))
