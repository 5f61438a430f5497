"""Copy a selection of recordings out of a tree (folder or zip), and save a frame to a file.

Exports never write into the tree they read, never replace a non-empty target unless asked,
and are written under a temporary name beside the target, renamed into place only when
complete: an interrupted export leaves the target as it was and no half-written copy.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from explorer.errors import ExplorerError
from explorer.ground.files import write_atomically
from explorer.safety import jsontext
from explorer.safety.paths import leads_inside
from explorer.safety.text import for_csv_cell

MANIFEST = "manifest.csv"
LIST_COLUMNS = ("tools_declared", "tools_called")


class ExportError(ExplorerError):
    """An export that cannot be done; the message names the thing and the fix."""


class TargetExists(ExportError):
    """The export's target is already there; whoever asked says how to replace it (the CLI's
    --force, the dashboard's "replace" box)."""


@dataclass(frozen=True)
class ExportResult:
    target: Path
    files: int  # recordings copied (the manifest not counted)
    bytes: int  # bytes of recordings copied
    manifest: str  # the manifest's name inside the target


def export_selection(root: str | os.PathLike, frame: pd.DataFrame, target: str | os.PathLike,
                     force: bool = False) -> ExportResult:
    """Copy the recordings named by `frame["path"]` (relative to `root`) to `target`.

    `target` ending in `.zip` makes a zip archive, anything else a folder. The files keep their
    relative paths and bytes; `manifest.csv` (the frame's rows) sits beside them.
    """
    root = Path(root).expanduser().resolve()
    target = Path(target).expanduser().absolute()
    if not root.is_dir():
        raise ExportError(f"{root}: no such directory; give the recordings tree that was indexed")
    check_target(root, target, force)
    paths = _relative_paths(root, frame)
    manifest = frame_csv_bytes(frame)
    if target.suffix.lower() == ".zip":
        total = _write_zip(root, paths, manifest, target)
    else:
        total = _write_tree(root, paths, manifest, target)
    return ExportResult(target, len(paths), total, MANIFEST)


def check_target(root: Path, target: Path, force: bool) -> None:
    """Refuse a target inside the tree (or holding it), and a non-empty one without force."""
    resolved = target.resolve()
    if resolved == root or resolved.is_relative_to(root):
        raise ExportError(f"{target} is inside the recordings tree {root}; export to a folder "
                          f"outside it")
    if root.is_relative_to(resolved):
        raise ExportError(f"{target} contains the recordings tree {root}; export to a folder "
                          f"outside it")
    if not resolved.parent.is_dir():
        raise ExportError(f"{target.parent}: no such directory; create it first")
    if _occupied(target) and not force:
        raise TargetExists(f"{target} already exists and is not empty",
                           "choose another target, or replace it")


def _occupied(target: Path) -> bool:
    if target.is_dir() and not target.is_symlink():
        return any(target.iterdir())
    return target.exists() or target.is_symlink()


def _relative_paths(root: Path, frame: pd.DataFrame) -> list[str]:
    """The selection's paths, checked: relative, inside root, present, each once."""
    if "path" not in frame.columns:
        raise ExportError("the frame has no `path` column; pass a frame from explorer.load_index")
    paths = list(dict.fromkeys(str(p) for p in frame["path"].dropna()))
    for rel in paths:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise ExportError(f"{rel}: not a path relative to {root}; pass the frame of that tree")
        if not leads_inside(root, root / rel):
            raise ExportError(f"{rel}: a symlink to a file outside {root}, not copied; re-run "
                              f"explorer index {root} (it lists such links as problems)")
        if not (root / rel).is_file():
            raise ExportError(f"{root / rel}: no such file; the index is out of date, re-run "
                              f"explorer index {root}")
    return paths


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_file(target: Path) -> Path:
    """An empty file beside `target` (same file system, so renaming it there is atomic), with
    the permissions a plain new file would get (mkstemp's are owner-only)."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.partial-", dir=target.parent)
    os.close(handle)
    os.chmod(name, 0o666 & ~_umask())
    return Path(name)



def _write_tree(root: Path, paths: list[str], manifest: bytes, target: Path) -> int:
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    os.chmod(temporary, 0o777 & ~_umask())
    try:
        total = 0
        for rel in paths:
            destination = temporary / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            total += copy_file(root / rel, destination)
        (temporary / MANIFEST).write_bytes(manifest)
        _move_into_place(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return total


def copy_file(source: Path, destination: Path) -> int:
    """Copy bytes and modification time; return the size copied."""
    shutil.copy2(source, destination)
    return destination.stat().st_size


def _write_zip(root: Path, paths: list[str], manifest: bytes, target: Path) -> int:
    temporary = temporary_file(target)
    try:
        total = 0
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for rel in paths:
                archive.write(root / rel, arcname=rel)
                total += (root / rel).stat().st_size
            archive.writestr(MANIFEST, manifest)
        _move_into_place(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return total


def _move_into_place(temporary: Path, target: Path) -> None:
    """Rename the finished copy to the target, setting any previous target aside first."""
    if not (target.exists() or target.is_symlink()):
        os.replace(temporary, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent)) / "old"
    os.replace(target, old)
    try:
        os.replace(temporary, target)
    except BaseException:
        os.replace(old, target)
        raise
    finally:
        _remove(old.parent)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with list columns as JSON text, so CSV readers see `["a", "b"]`, not a repr."""
    out = frame.copy()
    for column in out.columns:
        if column in LIST_COLUMNS or out[column].dtype == object and _holds_lists(out[column]):
            out[column] = [jsontext.dumps(list(v)) if _listlike(v) else v
                           for v in out[column]]
    out.attrs = {}
    return out


def _holds_lists(column: pd.Series) -> bool:
    return any(_listlike(v) for v in column.head(50))


def _listlike(value: object) -> bool:
    return isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(
        value, str)


def frame_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV; a text cell a spreadsheet would run as a formula is kept as text."""
    return csv_text(plain_frame(frame)).encode("utf-8")


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV through the `csv` module: every text cell quoted (so a CR, LF or comma
    in it never starts a row or a cell) and passed through `for_csv_cell`; numbers bare;
    unknown values empty."""
    buffer = io.StringIO()
    header = [for_csv_cell(str(column)) for column in frame.columns]
    plain = not any(char in name for name in header for char in "\r\n\",")
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL if plain else csv.QUOTE_ALL,
               lineterminator="\n").writerow(header)
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerows(zip(*(_csv_cells(frame[column]) for column in frame.columns)))
    return buffer.getvalue()


def _csv_cells(column: pd.Series) -> list:
    """Python values for the csv module: None for NA, text for dates, numbers as numbers."""
    cells = []
    for value in column.astype(object).tolist():
        if value is None or (not _listlike(value) and pd.isna(value)):
            cells.append(None)
        elif isinstance(value, (bool, int, float)):
            cells.append(value)
        elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
            cells.append(value.item())
        else:
            cells.append(for_csv_cell(str(value)))
    return cells


def save_frame(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write the frame to `.csv`, `.parquet` or `.jsonl`, through a temporary name."""
    path = Path(path).expanduser().absolute()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".jsonl"):
        raise ExportError(f"{path}: unknown format {suffix or '(no suffix)'}; name the file "
                          f".csv, .parquet or .jsonl")
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such directory; create it first")
    return write_atomically(path, lambda temporary: _write_frame(frame, temporary, suffix))


def _write_frame(frame: pd.DataFrame, path: Path, suffix: str) -> None:
    if suffix == ".csv":
        path.write_bytes(frame_csv_bytes(frame))
    elif suffix == ".parquet":
        out = frame.copy()
        out.attrs = {}  # the problems list is not Parquet metadata
        out.to_parquet(path, index=False)
    else:
        out = frame.copy()
        out.attrs = {}
        out.to_json(path, orient="records", lines=True, date_format="iso")
