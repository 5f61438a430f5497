"""The front door: what the command line and the dashboard use of the engine, in one place.

`cli/` and `dashboard/` import the engine only from here (and draw with `explorer.present`);
`tests/test_layers.py` holds them to it. The seven functions return a small frozen result
whose `problems` field lists the files (or inputs) that could not be used, each one a
`Problem`; the frames they return keep a copy in `attrs["problems"]` for pandas users.

The other names are the engine's own, re-exported on first use (`NAMES` says from where), so
importing this module loads neither pandas nor the price table nor the history.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

    from explorer.health.check import CheckReport
    from explorer.present.export import ExportResult
    from explorer.record.recording import Recording
    from explorer.review.diff import TreeDiff

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Index:
    """The index of a tree: one row per recording, and the files that could not be read."""

    frame: pd.DataFrame
    problems: tuple[Problem, ...]
    parsed: int  # files parsed in this run (0 when the cache answered)
    reused: int  # rows taken from versions described before (git's unchanged files)


@dataclass(frozen=True)
class History:
    """Every version of every recording reachable from a ref, one row per change."""

    frame: pd.DataFrame
    problems: tuple[Problem, ...]  # versions that could not be described
    shallow: tuple[dict, ...]  # where a shallow clone's history stops; empty for a full one


@dataclass(frozen=True)
class Checked:
    """What the recorder can still reach, and the files the check could not read."""

    report: CheckReport
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Diff:
    """Two trees compared; a file a side could not read is a problem named `side:path`."""

    diff: TreeDiff
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Priced:
    """The frame with `cost_usd` and `price_source`, and the line saying what stayed unpriced."""

    frame: pd.DataFrame
    summary: str
    problems: tuple[Problem, ...]  # the priced frame's own (files its index could not read)


@dataclass(frozen=True)
class Opened:
    """One recording ready to replay, or None with the problem that kept it closed."""

    recording: Recording | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    result: ExportResult
    problems: tuple[Problem, ...]


def load_index(root: str | os.PathLike, *, git: bool = False, cache: bool = True,
               progress: Progress | None = None) -> Index:
    """Index every recording below `root`, one row per recording.

    With `cache`, an unchanged tree is re-opened without parsing anything and a changed one
    re-parses only what changed. With `git`, `root` must lie in a git work tree: the
    `GIT_COLUMNS` (age, churn, client versions) are added from the history of HEAD, which is
    read first so that the files git has unchanged take their rows from its versions.

    Args:
        root: the folder that holds the recordings, e.g. `tests/integration`.
        git: add the git columns.
        cache: use (and update) the index cache in the user cache folder.
        progress: called as `progress(done, total)` while files are parsed.

    Returns:
        An `Index`: the frame, and the files that could not be read (never dropped silently).

    Raises:
        FileNotFoundError: `root` is not a folder.
        HistoryError: with `git`, `root` lies in no git work tree.
        SettingError: EXPLORER_WORKERS or EXPLORER_MAX_FILE_MB is not a usable number.
    """
    from explorer.safety.environment import require_usable
    from explorer.table.index import index_tree

    require_usable()
    root = Path(root).expanduser()
    if git and root.is_dir():  # a missing folder: the index says so
        from explorer.history.index_columns import add_git_columns, work_tree_history

        history, versions = work_tree_history(root, cache=cache, progress=progress)
        frame = add_git_columns(index_tree(root, cache=cache, progress=progress,
                                           versions=versions), history)
    else:
        frame = index_tree(root, cache=cache, progress=progress)
    return Index(frame, tuple(frame.attrs.get("problems", ())),
                 frame.attrs.get("parsed", 0), frame.attrs.get("reused", 0))


def load_history(repo: str | os.PathLike, *, ref: str = "HEAD", cache: bool = True,
                 progress: Progress | None = None) -> History:
    """One row per change to a `*/recordings/*.json` file reachable from `ref`.

    Args:
        repo: a clone or a bare mirror (nothing is checked out).
        ref: the branch, tag or commit whose history is read.
        cache: reuse the versions and logs earlier runs described.
        progress: called as `progress(done, total)` while new versions are described.

    Returns:
        A `History`: the frame (its `attrs` as `explorer.history.load_history` sets them),
        the versions that could not be described, and where a shallow clone stops.

    Raises:
        HistoryError: `repo` is no git repository, or `ref` is unknown there.
        SettingError: EXPLORER_WORKERS or EXPLORER_MAX_FILE_MB is not a usable number.
    """
    from explorer.history.load import read_history
    from explorer.safety.environment import require_usable

    require_usable()
    frame = read_history(repo, ref=ref, cache=cache, progress=progress)
    return History(frame, tuple(frame.attrs.get("problems", ())),
                   tuple(frame.attrs.get("shallow", ())))


def check(frame: pd.DataFrame, root: str | os.PathLike,
          collected: str | os.PathLike | None = None, *,
          storage_dirs: list | None = None) -> Checked:
    """Give every recording of an index one health status (reachable, stale, misplaced, ...).

    Args:
        frame: the index of `root` (`load_index(root).frame`).
        root: the repository, its `tests/integration` or one `recordings` folder.
        collected: the output of `pytest --collect-only -q`; a recording whose test id it does
            not list is reported as gone (instead of the static check of the test files).
        storage_dirs: storage folders named on the command line (`--storage-dir`), besides
            those the repository's own workflows, scripts and pytest configuration set.

    Returns:
        A `Checked`: the `CheckReport`, and the index's problems (files it could not judge).

    Raises:
        OSError: `collected` cannot be read.
    """
    from explorer.health.check import check_frame, read_collected

    report = check_frame(frame, root, read_collected(collected) if collected else None,
                         storage_dirs=storage_dirs)
    return Checked(report, tuple(frame.attrs.get("problems", ())))


def diff(base: str | os.PathLike, head: str | os.PathLike, *,
         repo: str | os.PathLike | None = None, prefix: str | None = None,
         cache: bool = True) -> Diff:
    """Compare two trees of recordings, each change in exactly one class.

    Args:
        base: a folder, or with `repo` a revision of that repository.
        head: the same for the other side.
        repo: the git repository whose revisions `base` and `head` name (no checkout).
        prefix: the folder inside the repository that holds the recordings.
        cache: use the index cache for folders.

    Returns:
        A `Diff`: the `TreeDiff`, and the files a side could not read.

    Raises:
        SourceError, HistoryError: a revision or repository that cannot be read.
        FileNotFoundError: a folder that does not exist.
        SettingError: EXPLORER_WORKERS or EXPLORER_MAX_FILE_MB is not a usable number.
    """
    from explorer.review.diff import diff_trees
    from explorer.safety.environment import require_usable

    require_usable()

    tree_diff = diff_trees(base, head, repo=repo, prefix=prefix, cache=cache)
    return Diff(tree_diff, tuple(Problem(f"{item['side']}:{item['path']}", item["reason"])
                                 for item in tree_diff.problems))


def price(frame: pd.DataFrame, *, prices: Any = None, as_model: str | None = None) -> Priced:
    """Price every row's token usage; unknown stays unknown (NA), never $0.

    Args:
        frame: an index (or history) frame.
        prices: a `PriceList` or a TOML/CSV prices file overriding the database.
        as_model: price all usage as if sent to this model (what-if).

    Returns:
        A `Priced`: a copy of the frame with `cost_usd` and `price_source`, the one-line
        unpriced summary, and the frame's problems.

    Raises:
        LookupError: nothing prices `as_model`.
        PricesFileError: the prices file cannot be used (the message says what to fix).
    """
    from explorer.pricing.cost import price_frame, unpriced_summary

    priced = price_frame(frame, prices, as_model)
    return Priced(priced, unpriced_summary(priced), tuple(frame.attrs.get("problems", ())))


def open_recording(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Opened:
    """Open one recording for replay.

    Args:
        path: the recording file; with `root`, a path relative to it.
        root: the tree `path` must stay inside (a link out of it is refused).

    Returns:
        An `Opened`: the `Recording`, or None and the one problem that kept it closed (not a
        recording, unreadable, outside the tree).

    Raises:
        SettingError: EXPLORER_WORKERS or EXPLORER_MAX_FILE_MB is not a usable number.
    """
    from explorer.record.recording import RecordingError, load_recording
    from explorer.safety.environment import require_usable
    from explorer.safety.paths import OutsideTree, inside

    require_usable()
    try:
        recording = load_recording(inside(root, path) if root is not None else path)
    except (RecordingError, OSError, OutsideTree) as exc:
        return Opened(None, (Problem(str(path), str(exc)),))
    return Opened(recording, ())


def export(root: str | os.PathLike, frame: pd.DataFrame, target: str | os.PathLike, *,
           force: bool = False) -> Exported:
    """Copy the recordings named by `frame["path"]` to a folder or a `.zip`, with a manifest.

    Args:
        root: the folder the paths are relative to.
        frame: the selection (its rows become `manifest.csv`).
        target: a folder, or a file name ending in `.zip`.
        force: replace an existing target.

    Returns:
        An `Exported`: what was written; the frame's problems travel along.

    Raises:
        ExportError: the target exists (without `force`), lies inside `root`, or cannot be
            written; a path that leads out of `root`.
    """
    from explorer.present.export import export_selection

    result = export_selection(root, frame, target, force=force)
    return Exported(result, tuple(frame.attrs.get("problems", ())))


NAMES = {  # the engine's names the front ends use besides the seven above -> where they live
    # ("module:attribute" where the engine calls it otherwise)
    # ground floor
    "Settings": "explorer.ground.settings",
    "cache_dir": "explorer.ground.folders",
    "write_atomically": "explorer.ground.files",
    "__version__": "explorer.ground.version",
    "whole_number": "explorer.ground.settings",
    # settings the engine cannot use
    "SettingError": "explorer.safety.environment",
    "require_usable": "explorer.safety.environment",
    # git, the one runner
    "GitError": "explorer.git",
    "run_git": "explorer.git",
    # sources
    "SourceError": "explorer.sources",
    "checked_ref": "explorer.sources",
    "is_git_source": "explorer.sources",
    "recordings_root": "explorer.sources",
    "resolve_source": "explorer.sources",
    # one recording
    "Recording": "explorer.record.recording",
    "RecordingError": "explorer.record.recording",
    "load_recording": "explorer.record.recording",
    "State": "explorer.record.replay",
    "ToolCall": "explorer.record.replay",
    "Attachment": "explorer.wire.base",
    "Tool": "explorer.wire.base",
    "Turn": "explorer.wire.base",
    # recording health
    "STATUSES": "explorer.health.status",
    "CheckReport": "explorer.health.check",
    "explain_log": "explorer.health.explain",
    "explain_request": "explorer.health.explain",
    "load_request": "explorer.health.explain",
    "miss_text": "explorer.health.text",
    "report_text": "explorer.health.text",
    "flags_text": "explorer.health.pr",
    "health_flags": "explorer.health.pr",
    "removable_by_test_file": "explorer.health.removable",
    "storage_from_option": "explorer.health.storage",
    # the frame
    "COLUMNS": "explorer.table.schema",
    "empty_frame": "explorer.table.schema",
    "FilterError": "explorer.table.filters",
    "Filters": "explorer.table.filters",
    "apply": "explorer.table.filters",
    "mask": "explorer.table.filters",
    "total_tokens": "explorer.table.tokens",
    # prices
    "cost_table": "explorer.pricing.cost",
    "price_frame": "explorer.pricing.cost",
    "unpriced_summary": "explorer.pricing.cost",
    "load_prices": "explorer.pricing.user_prices",
    # two trees
    "CLASSES": "explorer.review.diff",
    "NORMALIZED_ONLY": "explorer.review.diff",
    "TreeDiff": "explorer.review.diff",
    "TreePair": "explorer.review.pair",
    "resolve_pair": "explorer.review.pair",
    "binder_url": "explorer.review.link",
    "outer_span": "explorer.review.excerpt",
    "EXCERPT_CHANGE": "explorer.review.excerpt:CHANGE",
    "EXCERPT_CONTEXT": "explorer.review.excerpt:CONTEXT",
    "excerpt_spans": "explorer.review.excerpt:spans",
    "comparison_from_query": "explorer.review.link",
    "markdown": "explorer.review.markdown",
    "classes_line": "explorer.review.summary",
    "counts_line": "explorer.review.summary",
    "text_listing": "explorer.review.summary",
    # the review on the pull request
    "DEFAULT_API": "explorer.publish.github",
    "DEFAULT_MAX_WAIT_S": "explorer.publish.github",
    "GitHub": "explorer.publish.github",
    "checked_repo": "explorer.publish.github",
    "append_summary": "explorer.publish.actions",
    "warning_line": "explorer.publish.actions",
    "Outcome": "explorer.publish.pr_comment",
    "has_changes": "explorer.publish.pr_comment",
    "keep_one": "explorer.publish.pr_comment",
    "planned_requests": "explorer.publish.pr_comment",
    "review_body": "explorer.publish.pr_comment",
    # git history
    "HistoryError": "explorer.history.gitlog",
    "shallow_message": "explorer.history.load",
    "history_text": "explorer.history.summary",
    "age_text": "explorer.history.summary",
    "history_figures": "explorer.history.figures",
    "versions_of": "explorer.history.recordings",
    "load_version": "explorer.history.recordings",
    "version_trees": "explorer.history.recordings",
}

__all__ = ["Checked", "Diff", "Exported", "History", "Index", "Opened", "Priced", "Problem",
           "check", "diff", "export", "load_history", "load_index", "open_recording", "price"]
# (the names of NAMES are reached through __getattr__ and listed by dir())


def __getattr__(name: str) -> Any:
    target = NAMES.get(name)
    if target is None:
        raise AttributeError(f"module 'explorer.api' has no attribute {name!r}")
    module, _, attribute = target.partition(":")  # "module:attribute" where the names differ
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *NAMES])
