"""Recording times from an old tree's `index.sqlite`, read as untrusted input.

Only a real table named `recordings` with `response_file` and `timestamp` columns is read
(never a view, a virtual table or a trigger's work), with a row budget and a time budget, so a
crafted database costs one problem row and a bounded amount of time and memory.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

MAX_ROWS = 200_000  # old trees hold a few thousand recordings
MAX_SECONDS = 5.0
PROGRESS_OPS = 10_000  # sqlite virtual-machine instructions between budget checks
FETCH = 4096


class StampsError(Exception):
    """The database was not read; the message says why and what to do."""


def read_stamps(path: Path, folder: str, max_rows: int | None = None,
                max_seconds: float | None = None) -> dict[str, str]:
    """`{folder}responses/<file>` → timestamp text; raises StampsError for anything odd.
    Budgets default to MAX_ROWS and MAX_SECONDS."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    max_seconds = MAX_SECONDS if max_seconds is None else max_seconds
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    deadline = time.monotonic() + max_seconds
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise StampsError(f"cannot open ({exc}); delete it if it is not needed") from None
    try:
        db.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_OPS)
        _check_table(db)
        return _rows(db, folder, max_rows)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise StampsError(f"took longer than {max_seconds:g} s to read; recording times "
                              f"were not taken from it") from None
        raise StampsError(f"cannot read ({exc}); recording times were not taken from it") \
            from None
    except sqlite3.Error as exc:
        raise StampsError(f"cannot read ({exc}); recording times were not taken from it") \
            from None
    finally:
        db.close()


def _check_table(db: sqlite3.Connection) -> None:
    found = db.execute("select type, sql from sqlite_master where name = 'recordings'"
                       ).fetchall()
    if not found:
        raise StampsError("has no `recordings` table; recording times were not taken from it")
    kind, sql = found[0]
    if kind != "table" or str(sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
        raise StampsError(f"`recordings` is a {kind if kind != 'table' else 'virtual table'}, "
                          f"not a table; it was not read (delete the file if it is not needed)")
    columns = {row[1] for row in db.execute("select * from pragma_table_info('recordings')")}
    missing = {"response_file", "timestamp"} - columns
    if missing:
        raise StampsError(f"`recordings` has no {', '.join(sorted(missing))} column; recording "
                          f"times were not taken from it")


def _rows(db: sqlite3.Connection, folder: str, max_rows: int) -> dict[str, str]:
    cursor = db.execute("select response_file, timestamp from recordings limit ?",
                        (max_rows + 1,))
    stamps: dict[str, str] = {}
    read = 0
    while rows := cursor.fetchmany(FETCH):
        read += len(rows)
        if read > max_rows:
            raise StampsError(f"has more than {max_rows:,} rows; recording times were not "
                              f"taken from it")
        for name, stamp in rows:
            if isinstance(name, str) and name and isinstance(stamp, (str, int, float)):
                stamps[f"{folder}responses/{name}"] = str(stamp)[:64]
    return stamps
