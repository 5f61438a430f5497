"""`--out FILE`: checked before any work, written through the library's atomic `save_frame`."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pandas as pd

from explorer.present.export import save_frame
from explorer.safety.text import echo

OUTPUT_FORMATS = (".parquet", ".csv", ".jsonl")


def check_output(out: Path, root: str | None = None, force: bool = False) -> None:
    """Fail before any work when --out cannot be written: an unknown suffix, a missing folder,
    a file inside the tree being read, or an existing file without --force."""
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise click.UsageError(f"--out {out}: unknown format; use a name ending in "
                               f"{', '.join(OUTPUT_FORMATS)}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise click.ClickException(f"cannot write {out}: the folder {folder} does not exist "
                                   f"or is not writable; create it or choose another --out")
    real_root = Path(root).resolve() if root else None
    if real_root is not None and Path(os.path.realpath(out)).is_relative_to(real_root):
        raise click.ClickException(f"--out {out} is inside the recordings tree {root}, which is "
                                   f"never written; choose a file outside it")
    if (out.exists() or out.is_symlink()) and not force:
        raise click.ClickException(f"--out {out} already exists; choose another name or pass "
                                   f"--force to replace it")


def write_output(frame: pd.DataFrame, out: Path) -> None:
    """Write the frame (CSV cells that a spreadsheet would run are kept as text) and say so."""
    save_frame(frame, out)
    echo(f"wrote {len(frame):,} rows to {out}")
