"""Running git on a repository: one runner and one blob reader, shared by the diff and the history.

Nothing is checked out. Callers refuse refs that start with `-` before they get here, and pass
the error class (with its own words) that their readers expect.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from explorer.errors import ExplorerError


class GitError(ExplorerError):
    """git failed; the message is git's last line of complaint."""


def run_git(repo: Path, *args: str, stdin: bytes | None = None,
            error: type[ExplorerError] = GitError,
            not_a_repo: str = "give the folder of a clone or a bare mirror") -> bytes:
    """git's output for `args` run in `repo`; a failure raises `error` with git's reason."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise error("git is not installed", "install git") from None
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[-1] if lines else f"git {args[0]} failed"
        if "not a git repository" in reason:
            reason = f"{repo} is not a git repository; {not_a_repo}"
        raise error(reason)
    return done.stdout


def read_blobs(repo: Path, blobs: Iterable[str], error: type[ExplorerError] = GitError
               ) -> Iterator[tuple[str, bytes | None]]:
    """(blob id, bytes) in the order asked, from one `git cat-file --batch`; None when the
    object is missing or not a blob. A thread feeds the ids while the caller reads, so neither
    pipe can fill up and stall the other; each blob can be dropped before the next arrives."""
    ids = list(blobs)
    if not ids:
        return
    try:
        process = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, bufsize=1 << 20)
    except FileNotFoundError:
        raise error("git is not installed", "install git") from None
    feeder = threading.Thread(target=_feed, args=(process, ids), daemon=True)
    feeder.start()
    try:
        yield from _answers(process, ids, error)
    finally:
        process.stdout.close()
        feeder.join()
        process.wait()


def _feed(process: subprocess.Popen, ids: list[str]) -> None:
    try:
        process.stdin.write("".join(f"{blob}\n" for blob in ids).encode())
    except (BrokenPipeError, ValueError):
        pass  # the reader stopped early; nothing more to ask
    finally:
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass


def _answers(process: subprocess.Popen, ids: list[str], error: type[ExplorerError]
             ) -> Iterator[tuple[str, bytes | None]]:
    stdout = process.stdout
    for blob in ids:
        header = stdout.readline()
        if not header:
            raise error(f"git cat-file stopped before {blob}", "run `git fsck` in the repository")
        parts = header.split()
        if len(parts) != 3:  # "<id> missing" (or ambiguous)
            yield blob, None
            continue
        data = stdout.read(int(parts[2]))
        stdout.read(1)  # the newline after the contents
        yield blob, data if parts[1] == b"blob" else None
