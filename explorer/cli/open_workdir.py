"""The notebook `explorer open` serves: a working copy in a temporary folder, so using the
dashboard never writes outputs into the clone (or into an installed package)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

LAB_ONLY = "lab-only"  # cell tag: developer notes, shown in JupyterLab, left out of the app


def make_working_copy(notebook: Path, app: bool, voila_config: dict | None = None) -> Path:
    """A fresh folder holding `notebook` (for the app, without its lab-only cells) and, when
    given, the `voila.json` Voila reads from the folder it runs in."""
    folder = Path(tempfile.mkdtemp(prefix="explorer-open-"))
    if voila_config is not None:
        (folder / "voila.json").write_text(json.dumps(voila_config, indent=1) + "\n")
    target = folder / notebook.name
    document = json.loads(notebook.read_text("utf-8"))
    document = app_notebook(document) if app else lab_notebook(document)
    target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    return target


def lab_notebook(notebook: dict) -> dict:
    """The notebook with the kernel metadata JupyterLab writes once the kernel has started
    (its full language_info, the kernel's display name): written before, so opening it
    changes nothing and the tab is not marked modified."""
    metadata = dict(notebook.get("metadata", {}))
    metadata["kernelspec"] = {**metadata.get("kernelspec", {}), **_kernelspec("python3")}
    metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
        "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3", "version": platform.python_version()}
    return {**notebook, "metadata": metadata}


def _kernelspec(name: str) -> dict:
    """The display name and language of kernel `name` as the server will report them."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        spec = KernelSpecManager().get_kernel_spec(name)
    except (ImportError, NoSuchKernel, OSError, ValueError):  # keep the notebook's own
        return {}
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


# JupyterLab asks "Would you like to get notified about official Jupyter news?" whenever its
# fetchNews setting is unanswered, as in every fresh profile, news URL or not: the plugin that
# asks (and fetches news and update notes) is left out of the page this server gives
LAB_PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
LAB_CONFIG_DIR = ".jupyter-config"  # hidden: JupyterLab's file browser does not list it


def lab_config_path(folder: Path, env: dict[str, str]) -> str:
    """A JUPYTER_CONFIG_PATH whose first folder, in `folder`, holds LAB_PAGE_CONFIG."""
    config = folder / LAB_CONFIG_DIR
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(LAB_PAGE_CONFIG))
    return os.pathsep.join([str(config), *filter(None, [env.get("JUPYTER_CONFIG_PATH")])])


def app_notebook(notebook: dict) -> dict:
    """The notebook as the app shows it: cells tagged lab-only removed."""
    cells = [cell for cell in notebook.get("cells", [])
             if LAB_ONLY not in cell.get("metadata", {}).get("tags", [])]
    return {**notebook, "cells": cells}


def remove_working_copy(notebook: Path) -> None:
    shutil.rmtree(notebook.parent, ignore_errors=True)
