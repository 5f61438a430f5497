"""The notebook `explorer open` serves: a working copy in a temporary folder, so using the
dashboard never writes outputs into the clone (or into an installed package)."""

from __future__ import annotations

import json
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
    if app:
        target.write_text(json.dumps(app_notebook(json.loads(notebook.read_text("utf-8"))),
                                     indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        shutil.copyfile(notebook, target)
    return target


def app_notebook(notebook: dict) -> dict:
    """The notebook as the app shows it: cells tagged lab-only removed."""
    cells = [cell for cell in notebook.get("cells", [])
             if LAB_ONLY not in cell.get("metadata", {}).get("tags", [])]
    return {**notebook, "cells": cells}


def remove_working_copy(notebook: Path) -> None:
    shutil.rmtree(notebook.parent, ignore_errors=True)
