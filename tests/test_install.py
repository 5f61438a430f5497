"""A normal (non-editable) install: the wheel ships notebooks/explore.ipynb unchanged, and
`explorer open` works from a fresh virtualenv outside the clone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from support.paths import REPO, clean_copy
from support.pip import NO_COMPILE

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = clean_copy(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(out), str(source)],
                           capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    return next(out.glob("*.whl"))


def test_the_wheel_ships_the_notebook_unchanged(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("explorer/notebooks/explore.ipynb")
    assert shipped == NOTEBOOK.read_bytes()


@pytest.mark.install
def test_explorer_open_works_from_a_fresh_virtualenv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--progress-bar",
                              "off", *NO_COMPILE, str(clean_copy(tmp_path / "clone"))],
                             capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "EXPLORER_", "VIRTUAL_ENV"))}
    env |= {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    for app in (False, True):
        page = serve_and_fetch(venv / "bin" / "explorer", app, elsewhere, env)
        assert "Recordings explorer" in page


def serve_and_fetch(explorer: Path, app: bool, cwd: Path, env: dict[str, str]) -> str:
    """Start `explorer open`, fetch the notebook at the printed address, stop it."""
    log = cwd / f"open-{app}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(explorer), "open", "--no-browser",
                                    *(["--app"] if app else [])], cwd=cwd, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            found = re.search(r"dashboard: (\S+)", log.read_text())
            if found:
                page = _fetch(_content_url(found.group(1), app))
                if page is not None:
                    return page
            time.sleep(0.5)
        pytest.fail(f"nothing served:\n{log.read_text()}")
    finally:
        process.terminate()
        process.wait(30)


def _content_url(address: str, app: bool) -> str:
    """Voila renders the page itself; for JupyterLab, the notebook behind the printed page."""
    if app:
        return address
    return address.replace("/lab/tree/", "/api/contents/")


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode(errors="replace")
    except OSError:
        return None
