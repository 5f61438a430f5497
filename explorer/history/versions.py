"""Describe each distinct version (blob) once, with the index's own row builder.

A version's row does not depend on where the file sat, except `path`, `area` and the health
a file name gives it, which the table fills in per change (the row keeps the naming key that
answers for any name); so rows are keyed by blob id alone and can be cached as such, and the
index reuses them for work-tree files that hold the same blob.
Two workers each run their own `git cat-file --batch` over half of the blobs.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from explorer.git import read_blobs
from explorer.history.gitlog import HistoryError
from explorer.record.recording import RecordingError, parse_bytes, parse_document
from explorer.table.rows import describe
from explorer.table.workers import shared_pool
from explorer.wire.base import as_dict

Progress = Callable[[int, int], None]
PARALLEL_MIN_BLOBS = 200
BATCHES_PER_WORKER = 8
PLACEHOLDER_PATH = "tests/integration/_/recordings/_.json"  # area and path are set per change


def describe_blob(blob: str, data: bytes | None) -> dict[str, Any]:
    """The row of one version; a version that cannot be read gets a `problem` instead."""
    if data is None:
        return {"blob": blob, "problem": f"git object {blob} is missing or not a file; the "
                                         f"clone may be partial, run `git fetch` or `git fsck`"}
    try:
        doc = parse_bytes(data)
        parsed = parse_document(doc)
        row = describe(parsed, PLACEHOLDER_PATH, len(data), naming=True)
    except RecordingError as exc:
        return {"blob": blob, "size_bytes": len(data), "problem": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a parser bug must not lose the rest of the history
        return {"blob": blob, "size_bytes": len(data),
                "problem": f"could not be described ({type(exc).__name__}: {exc})"}
    row["blob"] = blob
    row["http_status"] = row.pop("status")  # `status` is the change's A/M/D in the history
    row["client"] = client_of(doc)
    row["issues"] = "; ".join(parsed.issues) or None
    return row


def client_of(doc: dict) -> str | None:
    """`openai_sdk 2.5.0; vllm_server 0.18.1` from request.provider_metadata's *_version keys."""
    metadata = as_dict(as_dict(doc.get("request")).get("provider_metadata"))
    versions = [f"{key.removesuffix('_version')} {value}"
                for key, value in sorted(metadata.items())
                if key.endswith("_version") and isinstance(value, str)
                and value and value != "unknown"]
    return "; ".join(versions) or None


def describe_blobs(repo: Path, blobs: list[str], progress: Progress | None = None) -> list[dict]:
    """Rows for `blobs`, in parallel when there are many."""
    workers = _spare_cores()
    enabled = gc.isenabled()
    gc.disable()  # parsed documents are acyclic; the collector would rescan every kept row
    try:
        if len(blobs) < PARALLEL_MIN_BLOBS or workers < 2:
            return _serial(repo, blobs, progress)
        return _parallel(repo, blobs, workers, progress)
    finally:
        if enabled:
            gc.enable()


def _spare_cores() -> int:
    """Two workers when the machine has a core to spare; on a busy one the second worker only
    adds its start-up and its own git process to the bill."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return min(2, cores) if busy <= cores - 1 else 1


def _serial(repo: Path, blobs: list[str], progress: Progress | None) -> list[dict]:
    rows, total = [], len(blobs)
    for number, (blob, data) in enumerate(read_blobs(repo, blobs, HistoryError), 1):
        rows.append(describe_blob(blob, data))
        if progress and (number % 100 == 0 or number == total):
            progress(number, total)
    return rows


def _batch(repo: str, blobs: list[str]) -> list[dict]:
    gc.disable()
    return [describe_blob(blob, data)
            for blob, data in read_blobs(Path(repo), blobs, HistoryError)]


def _parallel(repo: Path, blobs: list[str], workers: int, progress: Progress | None) -> list:
    total = len(blobs)
    size = max(1, total // (workers * BATCHES_PER_WORKER))
    batches = [blobs[i:i + size] for i in range(0, total, size)]
    rows: list[dict] = []
    pool = shared_pool(workers)  # the index's kept pool: started once, forked only when safe
    for batch_rows in pool.map(_batch, [str(repo)] * len(batches), batches):
        rows.extend(batch_rows)
        if progress:
            progress(len(rows), total)
    return rows
