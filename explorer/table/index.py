"""A recordings tree → one pandas frame (one row per recording), in parallel, with a cache."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from explorer.errors import Problem
from explorer.health.status import placed
from explorer.record.recording import LinkAtPath, RecordingError, parse_document, read_document
from explorer.safety.paths import leads_inside
from explorer.table import cache as index_cache
from explorer.table import listings as kept_listings
from explorer.table.batches import ISSUES, Batch, batch_of, frame_of
from explorer.table.blobrows import reusable_rows
from explorer.table.links import OUTSIDE
from explorer.table.rows import describe
from explorer.table.sqlite_stamps import StampsError, read_stamps
from explorer.table.walk import Tree, walk
from explorer.table.workers import process_pool, shared_pool, worker_count

Progress = Callable[[int, int], None]
PARALLEL_MIN_FILES = 200
MIN_BATCH = 50  # the last batches: small enough to even out, large enough to repay a batch
STRIDE = 64  # a batch takes every STRIDE-th run of the sorted list, then the next ones
RUN = 16  # files next to each other (a folder's) parsed in a row: 5% faster than one by one
SERIAL_BATCH = 500  # rows converted to columns at a time when parsing in this process
FILES_PER_BATCH = 1000  # large trees: more batches, so progress moves and memory stays flat
FILES_PER_WORKER = 100  # fewer files per worker do not repay its start
STORE = "store"  # reuse the blob store's version rows


def looks_like_recording(doc: object) -> bool:
    """A *.json outside a `recordings` folder is a recording when it has both halves."""
    return isinstance(doc, dict) and "request" in doc and "response" in doc


def _problem(path: str, reason: str) -> Problem:
    return Problem(path, reason)


def index_file(root: str, rel: str, expected: bool) -> tuple[str, str, object]:
    """(rel, status, value): status is row (value: dict), problem (value: reason), or skip.
    `root` is resolved: the file's place below `tests/integration` decides its area."""
    path = f"{root}/{rel}"
    try:
        try:
            doc, size = read_document(path, follow_link=False)
        except LinkAtPath:  # a linked file, or a file replaced by a link since the walk
            if not leads_inside(Path(root), path):
                return rel, "problem", OUTSIDE
            doc, size = read_document(path)
        if not expected and not looks_like_recording(doc):
            return rel, "skip", None
        parsed = parse_document(doc)
        row = describe(parsed, rel, size, path)
        row["health"] = placed(row["health"], path, parsed.test_id)  # where the recorder reads
    except RecordingError as exc:
        return (rel, "problem", str(exc)) if expected else (rel, "skip", None)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not lose the rest of the tree
        return rel, "problem", f"could not be indexed ({type(exc).__name__}: {exc})"
    if parsed.issues:
        row[ISSUES] = "; ".join(parsed.issues)
    return rel, "row", row


def _index_batch(root: str, batch: list[tuple[str, bool]]) -> Batch:
    with _collector_paused():
        return batch_of([index_file(root, rel, expected) for rel, expected in batch])


@contextmanager
def _collector_paused():
    """Parsed documents are acyclic and freed by reference counting; without this the cyclic
    collector rescans every row kept so far, and indexing time grows faster than the tree."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_all(root: Path, todo: list[tuple[str, bool]], progress: Progress | None
               ) -> list[Batch]:
    """Parse `todo` into batches; called with the collector paused (index_tree), workers
    pause their own. In parallel the batches shrink as the work runs out (see `_parts`), so
    a worker slowed by anything else on the machine takes fewer of the last ones."""
    total, anchor = len(todo), str(root.resolve())
    workers = worker_count(total, FILES_PER_WORKER)
    if total < PARALLEL_MIN_FILES or workers < 2:
        batches = []
        for start in range(0, total, SERIAL_BATCH):
            batches.append(_index_batch(anchor, todo[start:start + SERIAL_BATCH]))
            if progress:
                progress(min(start + SERIAL_BATCH, total), total)
        return batches
    parts = _parts(todo, workers)
    batches, done = [], 0
    for batch, part in zip(shared_pool(workers, process_pool).map(
            _index_batch, [anchor] * len(parts), parts), parts):
        batches.append(batch)
        done += len(part)
        if progress:
            progress(done, total)
    return batches


def _parts(todo: list, workers: int) -> list[list]:
    """`todo` in batches for `workers`, handed out in order: each batch a share of what is
    left (at most FILES_PER_BATCH, at least MIN_BATCH files), so the first ones are large and
    the last ones small, and the workers finish together. A batch takes every n-th run of
    RUN files of the tree (folders differ in file sizes), so equal counts cost about the same,
    and neighbours are still parsed together."""
    runs = [todo[start:start + RUN] for start in range(0, len(todo), RUN)]
    stride = max(1, min(STRIDE, len(runs) // max(1, MIN_BATCH // RUN)))
    mixed = [item for start in range(stride) for run in runs[start::stride] for item in run]
    parts, start = [], 0
    while start < len(mixed):
        size = max(MIN_BATCH, min(FILES_PER_BATCH, (len(mixed) - start) // (2 * workers)))
        parts.append(mixed[start:start + size])
        start += size
    return parts


def index_tree(root: str | os.PathLike, *, cache: bool = True,
               progress: Progress | None = None,
               versions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Index every recording below `root` into a frame, one row per recording (the engine of
    `explorer.api.load_index`, which adds the git columns and wraps the result).

    Args:
        root: the folder that holds the recordings.
        cache: re-open an unchanged tree without parsing anything, and re-parse only what
            changed in a changed one; files git has unchanged take their rows from the blob
            store when it knows their version.
        progress: called as `progress(done, total)` during parsing.
        versions: rows indexed by blob id, used instead of the blob store when given.

    Returns:
        The frame; `attrs` holds the `problems` (unreadable files, never dropped silently),
        how many files were `parsed` and how many rows `reused` from versions.

    Raises:
        FileNotFoundError: `root` is not a folder.
    """
    with _collector_paused():  # a warm re-open too: its walk and cache make many objects
        return _load_index(root, cache, progress, versions)


def _load_index(root: str | os.PathLike, cache: bool, progress: Progress | None,
                versions: pd.DataFrame | None = None) -> pd.DataFrame:
    root = Path(root).expanduser()
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such directory (give the folder that holds the "
                                f"recordings, e.g. tests/integration)")
    # without a cache or versions to reuse, nothing needs a file's size and time
    stats = cache or versions is not None
    before = kept_listings.load(root) if cache else {}
    tree = walk(root, stats=stats, listings=before)
    if cache and tree.listings != before:
        kept_listings.save(root, tree.listings)
    previous = index_cache.load(root, tree.files) if cache else None
    if previous and previous["files"] == tree.files:
        frame = previous["frame"]
        frame.attrs.update(problems=tree.problems + previous["problems"], parsed=0, reused=0)
        return frame
    known = versions if versions is not None else (STORE if cache else None)
    frame, problems, statuses, counts = _build(root, tree, previous, progress, known)
    if cache:  # a row's status is implied by the frame; keep only problems and skips
        index_cache.save(root, {"files": tree.files, "frame": frame, "problems": problems,
                                "statuses": {rel: status for rel, status in statuses.items()
                                             if status[0] != "row"}})
    frame.attrs.update(problems=tree.problems + problems, **counts)
    return frame


def _build(root: Path, tree: Tree, previous: dict | None, progress: Progress | None,
           known: pd.DataFrame | str | None):
    """Parse what changed; reuse the previous frame's rows for what did not, and the rows of
    `known` versions (a frame by blob id, or STORE: the blob store's) for files git has
    unchanged."""
    old_files = previous["files"] if previous else {}
    old_status = _all_statuses(previous) if previous else {}
    json_files = [rel for rel in tree.files if rel.endswith(".json")]
    unchanged = {rel for rel in json_files if old_files.get(rel) == tree.files[rel]
                 and rel in old_status}
    todo = [(rel, rel in tree.expected) for rel in sorted(json_files) if rel not in unchanged]
    reused = {} if known is None else reusable_rows(
        root, str(root.resolve()), todo, tree.files, None if known is STORE else known)
    todo = [item for item in todo if item[0] not in reused]
    batches = _parse_all(root, todo, progress)
    batches.append(batch_of([(rel, "row", row) for rel, row in sorted(reused.items())]))
    statuses = {rel: old_status[rel] for rel in unchanged}
    for batch in batches:
        statuses.update(dict.fromkeys(batch.paths, ("row", None)))
        statuses.update({rel: (status, value if status == "problem" else None)
                         for rel, status, value in batch.others})
    kept = pd.DataFrame()
    if previous is not None:
        old = previous["frame"]
        kept = old[old["path"].isin(unchanged)]
    frame = frame_of(batches)  # sorted by path
    if len(kept):
        frame = pd.concat([kept, frame], ignore_index=True).sort_values("path",
                                                                        ignore_index=True)
    frame, problems = _with_recorded_at(root, tree, frame)
    problems += [_problem(rel, reason) for rel, (status, reason) in statuses.items()
                 if status == "problem"]  # sorted with the rest below
    problems += [_problem(rel, issues) for batch in batches for rel, issues in batch.issues]
    problems += [p for p in (previous or {}).get("problems", [])
                 if p.path in unchanged and statuses[p.path][0] == "row"]
    counts = {"parsed": len(todo), "reused": len(reused)}
    return frame, sorted(problems, key=lambda p: p.path), statuses, counts


def _all_statuses(previous: dict) -> dict[str, tuple[str, str | None]]:
    statuses = dict.fromkeys(previous["frame"]["path"].tolist(), ("row", None))
    statuses.update(previous["statuses"])
    return statuses


def _with_recorded_at(root: Path, tree: Tree, frame: pd.DataFrame
                      ) -> tuple[pd.DataFrame, list[dict]]:
    """Fill recorded_at from old trees' index.sqlite files; each unreadable one is a problem."""
    stamps, problems = {}, []
    for rel in tree.sqlite:
        folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        try:
            stamps.update(read_stamps(Path(root, rel), folder))
        except StampsError as exc:
            problems.append(_problem(rel, str(exc)))
    if stamps:
        frame["recorded_at"] = pd.to_datetime(frame["path"].map(stamps), errors="coerce"
                                              ).astype("datetime64[us]")
    return frame, problems
