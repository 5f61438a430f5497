"""Browser tier: local JupyterLab and Voila servers driven by headless Chromium, offline.

Fixtures:
- ``jupyterlab_server(root=REPO_ROOT, env=None)`` / ``voila_server(...)``: start a server on
  127.0.0.1 serving ``root``; ``env`` is added to the server's (and so the kernel's) environment.
  Returns a ``Server``; ``server.url_for("lab/tree/x.ipynb")`` gives an authenticated URL.
  Servers live for the session: tests asking for the same root and environment share one.
- ``page``: a Chromium page whose context aborts every request that leaves the machine.
  ``blocked_requests`` lists them, except Voila's cosmetic CDN links (``COSMETIC_CDN_ASSETS``),
  which ``cosmetic_requests`` lists; ``page.console_errors`` keeps the page's errors.
- ``screenshot(suffix="")``: saves ``screenshots/<test name>[-suffix].png`` and returns its path.

The tier is skipped when /usr/bin/chromium is missing, unless CI is set: there it fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.ui_open import explorer_open  # noqa: F401  (fixture: `explorer open` as a subprocess)
from support.ui_served import served  # noqa: F401  (fixture: a static server on 127.0.0.1)

from explorer.cli.open import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Voila's page template links Font Awesome from a CDN and Jupyter Server points MathJax at one.
# Offline they only cost widget icons and LaTeX, so they are aborted but not counted as needed.
COSMETIC_CDN_ASSETS = ("/npm/@fortawesome/fontawesome-free@", "/ajax/libs/mathjax/")
STARTUP_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0
PAGE_TIMEOUT_MS = 60_000

# JupyterLab asks whether to fetch news from the internet; answer "no" up front.
LAB_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
LAB_CONFIG = "c.LabApp.news_url = None\n"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _skip_or_fail(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tier must run)", pytrace=False)
    pytest.skip(reason)


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return False
    return (parts.hostname or "") in LOOPBACK_HOSTS


@dataclass
class Server:
    """A Jupyter-family server process on 127.0.0.1, shared by the tests that need the same."""

    name: str
    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url_for(self, path: str) -> str:
        """Authenticated URL of ``path`` (relative to the server's base URL)."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path.lstrip('/')}{sep}token={self.token}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, probe: str, timeout: float = STARTUP_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.log()}"
                )
            if _http_ok(self.url_for(probe)):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            # The server runs in its own process group with its kernels: stop them together.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(STOP_TIMEOUT_S)
        _kill_group_leftovers(self.process.pid)


def _kill_group_leftovers(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _server_env(state: Path, env: Mapping[str, str] | None) -> dict[str, str]:
    """Server environment: the caller's, plus ``env``, with Jupyter state kept in ``state``."""
    merged = dict(os.environ)
    merged.update(env or {})
    bin_dir = str(Path(sys.executable).parent)
    merged["PATH"] = bin_dir + os.pathsep + merged.get("PATH", "")
    merged["JUPYTER_CONFIG_DIR"] = str(state / "config")
    merged["JUPYTER_RUNTIME_DIR"] = str(state / "runtime")
    merged["IPYTHONDIR"] = str(state / "ipython")
    merged["JUPYTER_PLATFORM_DIRS"] = "1"
    merged.pop("JUPYTER_TOKEN", None)
    return merged


def _write_lab_state(state: Path) -> Path:
    (state / "config").mkdir(parents=True, exist_ok=True)
    (state / "config" / "jupyter_lab_config.py").write_text(LAB_CONFIG)
    settings = state / "lab-settings"
    for rel, values in LAB_USER_SETTINGS.items():
        target = settings / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    return settings


def _lab_command(root: Path, port: int, token: str, state: Path) -> list[str]:
    settings = _write_lab_state(state)
    return [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip


def _voila_command(root: Path, port: int, token: str, state: Path) -> list[str]:
    (state / "config").mkdir(parents=True, exist_ok=True)
    return [
        sys.executable, "-m", "voila", str(root), "--no-browser",
        "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
        f"--Voila.token={token}", "--show_tracebacks=True",
    ]  # fmt: skip


SERVER_KINDS: dict[str, tuple[Callable[..., list[str]], str]] = {
    "jupyterlab": (_lab_command, "api/status"),
    "voila": (_voila_command, ""),
}


def _start_server(kind: str, root: Path, env: Mapping[str, str] | None, state: Path) -> Server:
    build_command, probe = SERVER_KINDS[kind]
    port, token = free_port(), secrets.token_hex(16)
    command = build_command(Path(root).resolve(), port, token, state)
    log_path = state / f"{kind}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=_server_env(state, env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(kind, Path(root), port, token, process, log_path)
    try:
        server.wait_ready(probe)
    except RuntimeError:
        server.stop()
        raise
    return server


ServerFactory = Callable[..., Server]
ServerKey = tuple[str, str, tuple[tuple[str, str], ...]]


@pytest.fixture(scope="session")
def _servers() -> Iterator[dict[ServerKey, Server]]:
    """Servers started in this session, by (kind, root, env): a test asking for one that is
    already running (same root and environment) shares it; all stop when the session ends.
    A server is a fresh kernel per page, so tests that share one see no state of another."""
    started: dict[ServerKey, Server] = {}
    yield started
    for server in started.values():
        server.stop()


def _server_factory(kind: str, tmp_path_factory: pytest.TempPathFactory,
                    started: dict[ServerKey, Server]) -> Iterator[ServerFactory]:
    """Yields the factory; afterwards stops the servers no later test can share (their root
    or environment names a test's own temporary folder)."""
    own: list[ServerKey] = []
    temporary = str(tmp_path_factory.getbasetemp())

    def start(root: Path = REPO_ROOT, env: Mapping[str, str] | None = None) -> Server:
        key = (kind, str(Path(root).resolve()), tuple(sorted((env or {}).items())))
        server = started.get(key)
        if server is None or server.process.poll() is not None:
            state = tmp_path_factory.mktemp(f"{kind}-state")
            server = started[key] = _start_server(kind, root, env, state)
        own.append(key)
        return server

    yield start
    for key in own:
        if temporary in repr(key[1:]) and key in started:
            started.pop(key).stop()


@pytest.fixture
def jupyterlab_server(tmp_path_factory: pytest.TempPathFactory,
                      _servers: dict[ServerKey, Server]) -> Iterator[ServerFactory]:
    """Factory: ``jupyterlab_server(root=REPO_ROOT, env=None) -> Server``, shared by the tests
    of the session that ask for the same root and environment."""
    yield from _server_factory("jupyterlab", tmp_path_factory, _servers)


@pytest.fixture
def voila_server(tmp_path_factory: pytest.TempPathFactory,
                 _servers: dict[ServerKey, Server]) -> Iterator[ServerFactory]:
    """Factory: ``voila_server(root=REPO_ROOT, env=None) -> Server``, shared by the tests of
    the session that ask for the same root and environment."""
    yield from _server_factory("voila", tmp_path_factory, _servers)


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright (it cannot download a browser here)."""
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed: `pip install -e '.[test]'`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def blocked_requests() -> list[str]:
    """URLs the browser tried to reach off the machine (all aborted), cosmetic ones aside."""
    return []


@pytest.fixture
def cosmetic_requests() -> list[str]:
    """Aborted off-machine URLs that are only cosmetic (see COSMETIC_CDN_ASSETS)."""
    return []


@pytest.fixture
def browser_context(chromium, blocked_requests: list[str], cosmetic_requests: list[str]):
    """A fresh context that aborts every request whose host is not loopback."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})

    def abort(route) -> None:
        url = route.request.url
        cosmetic = any(asset in url for asset in COSMETIC_CDN_ASSETS)
        (cosmetic_requests if cosmetic else blocked_requests).append(url)
        route.abort("blockedbyclient")

    def close_socket(socket_route) -> None:
        blocked_requests.append(socket_route.url)
        socket_route.close()

    context.route(lambda url: not _is_loopback(url), abort)
    if hasattr(context, "route_web_socket"):  # Playwright >= 1.48
        context.route_web_socket(lambda url: not _is_loopback(url), close_socket)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    yield context
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


CALL_FAILED = pytest.StashKey[bool]()


def _screenshot_path(node: pytest.Item, suffix: str) -> Path:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name).strip("_")
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / (f"{base}-{suffix}.png" if suffix else f"{base}.png")


@pytest.fixture
def page(request: pytest.FixtureRequest, browser_context):
    """A page in the offline context; console errors are kept in ``page.console_errors``.

    When the test fails, the page is saved to screenshots/<test>-failure.png.
    """
    failure_shot = _screenshot_path(request.node, "failure")
    failure_shot.unlink(missing_ok=True)  # a stale one from an earlier run would mislead
    new_page = browser_context.new_page()
    errors: list[str] = []
    new_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    new_page.on("pageerror", lambda exc: errors.append(str(exc)))
    new_page.console_errors = errors
    yield new_page
    if request.node.stash.get(CALL_FAILED, False):
        new_page.screenshot(path=str(failure_shot))


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, page) -> Callable[..., Path]:
    """``screenshot(suffix="", full_page=False)`` saves the page to screenshots/<test>.png."""

    def take(suffix: str = "", full_page: bool = False) -> Path:
        path = _screenshot_path(request.node, suffix)
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
