"""Build step: the wheel ships notebooks/explore.ipynb (the one source copy) as package data,
so `explorer open` works from a normal install. Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

NOTEBOOK = Path("notebooks") / "explore.ipynb"


class BuildWithNotebook(build_py):
    """Copy the notebook to explorer/notebooks/ in the build (editable installs read the clone's)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "explorer" / NOTEBOOK
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NOTEBOOK, target)


setup(cmdclass={"build_py": BuildWithNotebook})
