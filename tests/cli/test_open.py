"""`explorer open`: which server it starts, on which notebook, with which recordings."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import open as cli_open
from explorer.cli.main import main

REPO = Path(__file__).resolve().parents[2]
TREE = REPO / "tests" / "fixtures" / "tree"


@pytest.fixture
def launched(monkeypatch) -> list[tuple[list[str], Path, dict]]:
    calls: list = []

    def fake_launch(command, cwd, env, **_):
        served = Path(cwd) / command[4]
        calls.append((command, cwd, env, served.read_bytes() if served.is_file() else None))
        return 0
    monkeypatch.setattr(cli_open, "launch", fake_launch)
    monkeypatch.setenv("EXPLORER_RECORDINGS", "/stale/value")
    return calls


def test_open_a_folder_in_jupyterlab(launched):
    result = CliRunner().invoke(main, ["open", str(TREE), "--port", "8899", "--no-browser"])
    assert result.exit_code == 0, result.output
    command, cwd, env, served = launched[0]
    assert command[1:5] == ["-m", "explorer.cli.server_main", "jupyterlab", "explore.ipynb"]
    assert "--port=8899" in command and "--no-browser" in command
    assert env["EXPLORER_RECORDINGS"] == str(TREE.resolve())
    # a working copy outside the clone, the notebook's cells (its kernel metadata as the
    # kernel will report it, so opening it marks nothing modified), removed afterwards
    assert not Path(cwd).resolve().is_relative_to(REPO)
    source = json.loads((REPO / "notebooks" / "explore.ipynb").read_text())
    assert json.loads(served)["cells"] == source["cells"]
    assert not Path(cwd).exists()


def test_the_app_leaves_out_the_developer_notes(launched):
    result = CliRunner().invoke(main, ["open", "--app"])
    assert result.exit_code == 0, result.output
    notebook = json.loads(launched[0][3])
    text = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "# Recordings explorer" in text and "EXPLORER_RECORDINGS" in text  # title, code
    assert "Shift+Enter" not in text and "In code" not in text and "How to run" not in text
    source = json.loads((REPO / "notebooks" / "explore.ipynb").read_text())
    lab_text = "".join("".join(cell["source"]) for cell in source["cells"])
    assert "Shift+Enter" in lab_text and "## In code" in lab_text


def test_exports_default_to_the_folder_open_was_run_from(launched, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EXPLORER_OUTPUT_DIR", raising=False)
    assert CliRunner().invoke(main, ["open", "--app"]).exit_code == 0
    assert launched[0][2]["EXPLORER_OUTPUT_DIR"] == str(tmp_path)


def test_open_without_root_shows_the_demo_with_voila(launched):
    result = CliRunner().invoke(main, ["open", "--app"])
    assert result.exit_code == 0, result.output
    command, _, env, _ = launched[0]
    assert command[1:5] == ["-m", "explorer.cli.server_main", "voila", "explore.ipynb"]
    assert "--no-browser" not in command
    assert "--preheat_kernel=True" in command
    assert "EXPLORER_RECORDINGS" not in env  # the notebook falls back to the demo


def test_git_url_and_ref_are_passed_on(launched):
    url = "https://example.invalid/org/repo.git"
    result = CliRunner().invoke(main, ["open", url, "--ref", "pr-42"])
    assert result.exit_code == 0, result.output
    env = launched[0][2]
    assert (env["EXPLORER_RECORDINGS"], env["EXPLORER_GIT_REF"]) == (url, "pr-42")


def test_a_missing_folder_is_a_one_line_error(launched):
    result = CliRunner().invoke(main, ["open", "/no/such/folder"])
    assert result.exit_code == 2 and not launched
    assert result.output.count("\n") == 1 and "no such folder" in result.output


def test_a_setting_that_is_no_number_stops_it_before_any_server(launched, monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_FILE_MB", "64MB")
    result = CliRunner().invoke(main, ["open", str(TREE)])
    assert result.exit_code == 1 and not launched
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: EXPLORER_MAX_FILE_MB='64MB' is not a size")


def test_a_missing_notebook_says_what_to_do(launched, monkeypatch, tmp_path):
    monkeypatch.setattr(cli_open, "repository_root", lambda: tmp_path)
    monkeypatch.setattr(cli_open, "SHIPPED", tmp_path / "explorer" / "notebooks" / "x.ipynb")
    result = CliRunner().invoke(main, ["open"])
    assert result.exit_code == 2 and not launched
    assert "explore.ipynb is missing" in result.output and "pip install ." in result.output
    assert "Traceback" not in result.output


def test_app_mode_really_serves_the_notebook(tmp_path):
    """Starts Voila through the command and fetches the page; the browser tier checks more."""
    port = cli_open.free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    log = (tmp_path / "voila.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "open", str(TREE), "--app", "--no-browser",
         "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        url = _printed_url(tmp_path / "voila.log", process)
        page = _fetch(url, process, timeout=90)
        assert "Recordings explorer" in page  # the notebook's markdown, rendered
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        assert _status(f"http://127.0.0.1:{port}/") in (302, 403)  # no token: login, not the page
        assert _status(url, host=f"attacker.example:{port}") == 403  # DNS rebinding
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    printed = (tmp_path / "voila.log").read_text()
    assert "no such folder" not in printed and "Warning" not in printed


def _printed_url(log: Path, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("dashboard: "):
                return line.split(" ", 1)[1].strip()
        time.sleep(0.2)
    pytest.fail("explorer open printed no dashboard address")


def _status(url: str, host: str | None = None) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _fetch(url: str, process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"explorer open exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read().decode(errors="replace")
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"nothing served at {url} after {timeout:.0f}s")


def test_jupyterlab_is_allowed_to_run_as_root(monkeypatch):
    """In a container the user is often root; JupyterLab exits unless told that is fine."""
    from explorer.cli.open import notebook_path, server_command

    monkeypatch.setattr("os.geteuid", lambda: 0)
    assert "--allow-root" in server_command(notebook_path(), False, None, False)
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert "--allow-root" not in server_command(notebook_path(), False, None, False)


def until(condition, seconds: float = 30.0) -> None:
    """Wait for `condition()` to hold (polled), failing after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_the_address_is_printed_once_the_server_answers(monkeypatch):
    """JupyterLab's banner names only its start page; the command prints the notebook's URL,
    and only when it can be opened (printed earlier, a browser gets "connection refused")."""
    port, seen, attempts = cli_open.free_port(), [], []
    connect = socket.create_connection

    def watched_connect(address, *args, **kwargs):
        attempts.append(address)
        return connect(address, *args, **kwargs)

    def fake_launch(command, cwd, env, **_):
        seen.append(command)
        until(lambda: len(attempts) >= 2)  # the command has found nothing listening yet
        assert "dashboard:" not in result_so_far()
        with socket.socket() as server:
            server.bind(("127.0.0.1", port))
            server.listen()
            until(lambda: "dashboard:" in result_so_far())
        return 0

    monkeypatch.setattr(cli_open.socket, "create_connection", watched_connect)

    runner = CliRunner()
    monkeypatch.setattr(cli_open, "launch", fake_launch)
    output = []
    monkeypatch.setattr(cli_open.click, "echo", lambda message, err=False: output.append(message))

    def result_so_far() -> str:
        return "\n".join(output)
    result = runner.invoke(main, ["open", "--port", str(port), "--no-browser"])
    assert result.exit_code == 0, result.output
    token = next(arg.split("=", 1)[1] for arg in seen[0]
                 if arg.startswith("--IdentityProvider.token="))
    assert (f"dashboard: http://localhost:{port}/lab/tree/explore.ipynb?token={token}"
            in result_so_far())


def test_servers_start_without_the_parsers_no_schema_of_theirs_uses():
    """The server's process loads jsonschema's format checkers but not rfc3987_syntax (1.3-1.8 s
    of parser building at import); `voila --version` imports Voila's whole server first."""
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print(sorted(m for m in ('jsonschema._format', "
             "'rfc3987_syntax', 'jupyter_server.serverapp') if sys.modules.get(m))))\n"
             "from explorer.cli.server_main import main\n"
             "main(['voila', '--version'])\n")
    out = subprocess.run([sys.executable, "-c", probe], check=False, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "['jsonschema._format', 'jupyter_server.serverapp']"


def test_server_main_names_the_servers_it_runs():
    out = subprocess.run([sys.executable, "-m", "explorer.cli.server_main", "bash"],
                         check=False, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "voila|jupyterlab" in out.stderr
