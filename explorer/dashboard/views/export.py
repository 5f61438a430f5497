"""The export tab: copy the filtered recordings to a folder or .zip, save the filtered table.

The view only collects a target and the "replace" choice and shows what happened; the copying
is `explorer.present.export` (via `Dashboard.export` / `Dashboard.save_table`). Default targets are
chosen outside the recordings tree, which exports never write into.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

import ipywidgets as w

from explorer.api import Settings
from explorer.dashboard.export_place import download_link, export_folder
from explorer.present.export import ExportResult

EXPORT_NAME = "recordings-selection"
HELP = ("<div class='x-help'>A folder keeps the "
        "recordings at their relative paths, byte for byte, with <code>manifest.csv</code> (the "
        "selection's rows) beside them; a name ending in <code>.zip</code> makes one archive. "
        "Nothing is ever written inside the recordings tree.</div>")


def _help(confined: bool) -> str:
    if not confined:
        return HELP
    return HELP.replace("</div>", f" This app writes only into its export folder "
                        f"<code>{escape(str(export_folder()))}</code>: give a file name, not "
                        f"a path; nothing is replaced.</div>")


def _inside(path: Path, root: Path | None) -> bool:
    if root is None:
        return False
    path, root = path.resolve(), root.resolve()
    return path == root or path.is_relative_to(root) or root.is_relative_to(path)


def _output_dir() -> list[Path]:
    folder = Settings.from_environment().output_dir
    return [folder] if folder else []


def default_target(root: Path | None, suffix: str, folders: list[Path] | None = None) -> Path:
    """A free `recordings-selection[-N]<suffix>` in the first writable folder outside `root`:
    the folder `explorer open` was run from (EXPLORER_OUTPUT_DIR; the notebook itself runs in
    a temporary working copy), else the working directory, the home folder, the temporary one."""
    folders = folders or [*_output_dir(), Path.cwd(), Path.home(), Path(tempfile.gettempdir())]
    usable = [f for f in folders if f.is_dir() and os.access(f, os.W_OK)
              and not _inside(f / (EXPORT_NAME + suffix), root)]
    folder = usable[0] if usable else Path(tempfile.gettempdir())
    candidate, number = folder / f"{EXPORT_NAME}{suffix}", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{EXPORT_NAME}-{number}{suffix}"
    return candidate


def size_text(n_bytes: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.1f} {unit}"
    return f"{n_bytes:,} bytes"


class ExportView:
    def __init__(self, on_export: Callable[[str, bool], None],
                 on_save: Callable[[str, str, bool], None], root: Path | None,
                 confined: bool = False) -> None:
        """`confined` (served as an app): file names only, into the app's export folder,
        never replacing; see `export_place`."""
        wide = w.Layout(width="100%", max_width="720px")
        self.confined = confined
        self.selection = w.HTML()
        zip_target, csv_target = (
            (default_target(None, ".zip", [export_folder()]).name,
             default_target(None, ".csv", [export_folder()]).name) if confined else
            (str(default_target(root, ".zip")), str(default_target(root, ".csv"))))
        self.target = w.Text(value=zip_target, description="to",
                             placeholder="a folder, or a file ending in .zip", layout=wide)
        self.force = w.Checkbox(description="replace the target if it exists", indent=False,
                                layout=w.Layout(width="auto",
                                                display="none" if confined else None))
        self.export = w.Button(description="export recordings", button_style="primary",
                               icon="download", layout=w.Layout(width="190px"))
        self.export.on_click(lambda _: on_export(self.target.value.strip(), self.force.value))
        self.table_path = w.Text(value=csv_target, description="table",
                                 placeholder="file name; the suffix follows the button", layout=wide)
        self.save_csv = w.Button(description="save table as CSV", layout=w.Layout(width="190px"))
        self.save_parquet = w.Button(description="save table as Parquet",
                                     layout=w.Layout(width="190px"))
        self.save_csv.on_click(lambda _: on_save(self.table_path.value.strip(), ".csv",
                                                 self.force.value))
        self.save_parquet.on_click(lambda _: on_save(self.table_path.value.strip(), ".parquet",
                                                     self.force.value))
        self.result = w.HTML()  # what the last export did, under its button
        self.table_result = w.HTML()  # what the last save did, under its buttons
        self.widget = w.VBox([
            self.selection, w.HTML(_help(confined)), self.target, self.force, self.export, self.result,
            w.HTML("<b class='x-medium'>The filtered table</b>",
                   layout=w.Layout(margin="14px 0 0 0")),
            self.table_path, w.HBox([self.save_csv, self.save_parquet]), self.table_result,
        ], layout=w.Layout(padding="4px", grid_gap="6px"))

    def show_selection(self, n_rows: int, filters: str) -> None:
        noun = "recording" if n_rows == 1 else "recordings"
        self.selection.value = (f"<div class='x-large'><b>{n_rows:,}</b> {noun} "
                                f"selected by the current filters "
                                f"<span class='x-grey'>({escape(filters)})</span></div>")
        self.export.disabled = n_rows == 0

    def show_exported(self, result: ExportResult) -> None:
        kind = "archive" if result.target.suffix.lower() == ".zip" else "folder"
        self.result.value = (f"<div class='x-ok' data-result='ok'>Exported <b>{result.files:,}"
                             f"</b> recordings ({size_text(result.bytes)}) to the {kind} "
                             f"<code>{escape(str(result.target))}</code>, with "
                             f"<code>{escape(result.manifest)}</code> listing them."
                             f"{self._download(result.target)}</div>")

    def show_saved(self, path: Path, n_rows: int) -> None:
        self.table_result.value = (
            f"<div class='x-ok' data-result='ok'>Saved the table (<b>{n_rows:,}</b> rows, "
            f"{size_text(path.stat().st_size)}) to <code>{escape(str(path))}</code>."
            f"{self._download(path)}</div>")

    def _download(self, path: Path) -> str:
        return download_link(path) if self.confined else ""

    def show_error(self, what: str, message: str, table: bool = False) -> None:
        """The refusal, under the export button (or under the save buttons for `table`)."""
        area = self.table_result if table else self.result
        area.value = (f"<div class='x-failed' data-result='error'><b>{escape(what)}:</b> "
                      f"{escape(message)}</div>")
