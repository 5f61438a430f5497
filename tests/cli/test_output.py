"""`explorer open` prints its address last and alone on stdout: the server's messages (its
banner, a masked `/lab?token=...`, warnings) go to a log file, shown only when it fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from explorer.cli import open as cli_open
from explorer.cli.main import main

TREE = Path(__file__).parents[1] / "fixtures" / "tree"


def test_stdout_is_the_address_alone(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path))
    port = cli_open.free_port()

    def noisy_server(command, cwd, env, log=None):
        log.write_text("[I ServerApp] http://localhost:1/lab?token=...\nDeprecationWarning\n")
        with socket.socket() as server:
            server.bind(("127.0.0.1", port))
            server.listen()
            time.sleep(1.0)
        return 0

    monkeypatch.setattr(cli_open, "launch", noisy_server)
    result = CliRunner().invoke(main, ["open", "--port", str(port), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith(f"dashboard: http://localhost:{port}/lab/tree/")
    assert "ServerApp" not in result.output and "Warning" not in result.output
    assert f"server log: {tmp_path / 'logs'}" in result.stderr


def test_a_server_that_fails_shows_its_log(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path))

    def failing(command, cwd, env, log=None):
        log.write_text("Traceback: the port is taken\n")
        return 1

    monkeypatch.setattr(cli_open, "launch", failing)
    result = CliRunner().invoke(main, ["open", "--no-browser"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "the server did not start" in result.stderr and "port is taken" in result.stderr


def test_the_real_app_prints_one_line_on_stdout(tmp_path):
    env = {**os.environ, "EXPLORER_CACHE_DIR": str(tmp_path / "cache"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "explorer", "open", str(TREE),
                                    "--app", "--no-browser"], env=env, stdout=stdout,
                                   stderr=stderr, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not out.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, err.read_text()
            time.sleep(0.2)
        time.sleep(3)  # the server goes on logging after it listens
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dashboard: http://127.0.0.1:"), lines
    assert "[I " not in err.read_text() and "Voila" not in err.read_text().split("\n", 1)[1]
