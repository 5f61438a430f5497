"""Binder reads only binder/: its requirements must install into a fresh venv, and the
notebook must run from there — on the demo and on a git repository at a ref (the way a reviewer
opens a pull request's recordings)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _paths import FIXTURES, REPO

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
    venv = tmp_path_factory.mktemp("binder") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--progress-bar", "off", "-q", "-r",
         "binder/requirements.txt"], cwd=REPO, capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    return python


def run_in(python: Path, env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EXPLORER_", "PYTHON"))}
    clean["PATH"] = f"{python.parent}:{clean['PATH']}"
    run = subprocess.run([str(python), "-c", RUN_NOTEBOOK,
                          str(REPO / "notebooks" / "explore.ipynb")],
                         env={**clean, **env}, cwd=REPO / "notebooks", capture_output=True,
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
