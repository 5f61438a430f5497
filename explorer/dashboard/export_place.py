"""Where the dashboard may write when it is served as an app (Voila) to whoever opens it.

A visitor is not the owner of the machine: exports go to one folder the app owns
(`EXPLORER_EXPORT_DIR`, else `exports/` in the explorer's cache folder), by file name only,
never replacing anything; a small result is also offered as a browser download.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from explorer.api import Settings, cache_dir
from explorer.present.export import ExportError

DOWNLOAD_LIMIT = 25_000_000  # bytes; larger results stay in the export folder only
_MIME = {".zip": "application/zip", ".csv": "text/csv", ".parquet": "application/octet-stream"}


def served_as_app(environ: dict[str, str] | None = None) -> bool:
    """Whether this kernel runs behind Voila (which sets these variables for its kernels)."""
    return Settings.from_environment(environ).served_as_app


def export_folder(settings: Settings | None = None) -> Path:
    """The one folder a served app writes to.

    Args:
        settings: where `EXPLORER_EXPORT_DIR` was read; None reads the environment now.

    Returns:
        `EXPLORER_EXPORT_DIR`, else `exports/` in the cache folder (created when missing).
    """
    settings = settings if settings is not None else Settings.from_environment()
    folder = settings.export_dir or cache_dir(settings) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def confined_target(name: str, suffix: str | None = None) -> Path:
    """`name` (a file name, no folder) inside the export folder; refused when it names a
    folder, a hidden file, or something that already exists."""
    name = name.strip()
    folder = export_folder()
    if not name or "/" in name or "\\" in name or name.startswith(".") or \
            any(ord(c) < 32 for c in name):
        raise ExportError(f"give a file name only (letters, digits, - _ .), e.g. "
                          f"recordings-selection.zip: this app writes only into its export "
                          f"folder {folder}")
    target = folder / name
    if suffix is not None:
        target = target.with_suffix(suffix)
    if target.exists() or target.is_symlink():
        raise ExportError(f"{target.name} already exists in the export folder {folder}; "
                          f"choose another name")
    return target


def download_link(path: Path) -> str:
    """An HTML link that downloads `path` in the browser ("" when it is a folder or large)."""
    if not path.is_file() or path.stat().st_size > DOWNLOAD_LIMIT:
        return ""
    data = base64.b64encode(path.read_bytes()).decode()
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return (f" <a download='{escape(path.name)}' href='data:{mime};base64,{data}' "
            f"data-field='download'>download {escape(path.name)}</a>")
