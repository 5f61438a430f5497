"""Binder reads only binder/: its requirements must install into a fresh venv, and the
notebook must run from there — on the demo and on a git repository at a ref (the way a reviewer
opens a pull request's recordings); its postBuild keeps Voila pages to the dashboard's
front-end extensions."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.paths import FIXTURES, REPO, clean_copy
from support.pip import NO_COMPILE

RUN_NOTEBOOK = """
import os, sys, nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, timeout=300, kernel_name="python3").execute(env=dict(os.environ))
shown = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
         if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
          if o.get("output_type") == "error"]
assert shown and not errors, (shown, errors)
state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
print("\\n".join(str(m["state"].get("value", "")) for m in state.values()))
"""


def test_runtime_is_python_3_11():
    assert (REPO / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


@pytest.fixture(scope="module")
def binder_venv(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("binder")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # built from a copy: pip builds `.` in its folder, and the install tier's other builds
    # run at the same time (-n 2), each in its own copy
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--progress-bar", "off", "-q", *NO_COMPILE, "-r",
         "binder/requirements.txt"], cwd=clean_copy(base / "clone"), capture_output=True,
        text=True, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    return python


def venv_env(python: Path, env: dict[str, str],
             drop: tuple[str, ...] = ("EXPLORER_", "PYTHON")) -> dict[str, str]:
    """This environment without the variables named by `drop`, the venv first on PATH, and
    `env` on top."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    clean["PATH"] = f"{python.parent}:{clean['PATH']}"
    return {**clean, **env}


def run_in(python: Path, env: dict[str, str]) -> str:
    run = subprocess.run([str(python), "-c", RUN_NOTEBOOK,
                          str(REPO / "notebooks" / "explore.ipynb")],
                         env=venv_env(python, env), cwd=REPO / "notebooks", capture_output=True,
                         text=True, timeout=900, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


@pytest.mark.install
def test_notebook_runs_from_the_binder_environment_on_the_demo(binder_venv, tmp_path):
    shown = run_in(binder_venv, {"EXPLORER_CACHE_DIR": str(tmp_path)})
    assert "demo" in shown.lower()


@pytest.mark.install
def test_notebook_opens_a_git_repository_at_a_ref(binder_venv, tmp_path):
    """A pull request's branch of a repository, shallowly cloned (a local one: no network)."""
    repo = tmp_path / "ogx"
    tree = repo / "tests" / "integration"
    shutil.copytree(FIXTURES / "tree" / "tests" / "integration", tree)
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    subprocess.run([*git, "checkout", "-qb", "pr-branch"], check=True)
    for path in list(tree.rglob("ollama_*.json")):
        path.unlink()
    subprocess.run([*git, "commit", "-qam", "drop ollama recordings"], check=True)
    subprocess.run([*git, "checkout", "-q", "main"], check=True)
    expected = len(list((FIXTURES / "tree").rglob("*.json"))) - len(
        list((FIXTURES / "tree").rglob("ollama_*.json")))
    shown = run_in(binder_venv, {"EXPLORER_RECORDINGS": repo.as_uri(),
                                 "EXPLORER_GIT_REF": "pr-branch",
                                 "EXPLORER_CACHE_DIR": str(tmp_path / "cache")})
    assert f"{expected} of {expected}" in shown or f"{expected} recordings" in shown, shown[:2000]
    assert "pr-branch" in shown


def federated_extensions(python: Path, home: Path, cache: Path) -> set[str]:
    """The front-end extensions a Voila page of the Binder environment's server loads."""
    from explorer.cli.open import free_port

    log = cache.parent / "server.log"
    port = free_port()
    env = venv_env(python, {"HOME": str(home), "EXPLORER_CACHE_DIR": str(cache)},
                   drop=("EXPLORER_", "PYTHON", "JUPYTER_"))  # JUPYTER_CONFIG_DIR hides HOME's
    with log.open("wb") as out:
        server = subprocess.Popen([str(python), "-m", "jupyter_server", "--no-browser",
                                   f"--port={port}", "--ServerApp.ip=127.0.0.1",
                                   "--IdentityProvider.token=t", "--allow-root"], cwd=REPO,
                                  env=env, stdout=subprocess.DEVNULL, stderr=out)
    try:
        url = f"http://127.0.0.1:{port}/voila/render/notebooks/explore.ipynb?token=t"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=300) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(30)
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)'
                       r'</script>', page, re.DOTALL)
    assert config, page[:2000]
    extensions = json.loads(config.group(1))["federated_extensions"]
    return {extension["name"] for extension in extensions}


@pytest.mark.install
def test_binder_postbuild_keeps_voila_pages_to_the_dashboards_extensions(binder_venv, tmp_path):
    """Binder runs binder/postBuild after the install; a review link's Voila page then loads
    the widget extensions and not plotly's 4.8 MB JupyterLab extension."""
    from explorer.cli.open import APP_EXTENSIONS

    post_build = REPO / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK)
    home = tmp_path / "home"
    home.mkdir()
    before = federated_extensions(binder_venv, home, tmp_path / "cache")
    assert "jupyterlab-plotly" in before  # what the step is for
    (home / ".jupyter").mkdir()
    (home / ".jupyter" / "jupyter_server_config.json").write_text('{"ServerApp": {"x": 1}}')
    run = subprocess.run([str(binder_venv), str(post_build)],
                         env={**os.environ, "HOME": str(home)}, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    after = federated_extensions(binder_venv, home, tmp_path / "cache")
    assert after == set(APP_EXTENSIONS) & before
    assert {"anywidget", "@voila-dashboards/widgets-manager8"} <= after
    assert '"x": 1' in (home / ".jupyter" / "jupyter_server_config.json").read_text()  # kept
