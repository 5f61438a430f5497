"""Blob contents by id from one long-lived `git cat-file --batch` process.

A thread feeds the ids while the caller reads the answers, so neither pipe can fill up and
stall the other; each blob is yielded as it arrives and can be dropped before the next.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from explorer.history.gitlog import HistoryError


def read_blobs(repo: Path, blobs: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
    """(blob id, bytes) in the order asked; None when the object is missing or not a blob."""
    ids = list(blobs)
    if not ids:
        return
    try:
        process = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, bufsize=1 << 20)
    except FileNotFoundError:
        raise HistoryError("git is not installed; install git to read a history") from None
    feeder = threading.Thread(target=_feed, args=(process, ids), daemon=True)
    feeder.start()
    try:
        yield from _answers(process, ids)
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


def _answers(process: subprocess.Popen, ids: list[str]) -> Iterator[tuple[str, bytes | None]]:
    stdout = process.stdout
    for blob in ids:
        header = stdout.readline()
        if not header:
            raise HistoryError(f"git cat-file stopped before {blob}; run `git fsck` in the "
                               f"repository")
        parts = header.split()
        if len(parts) != 3:  # "<id> missing" (or ambiguous)
            yield blob, None
            continue
        data = stdout.read(int(parts[2]))
        stdout.read(1)  # the newline after the contents
        yield blob, data if parts[1] == b"blob" else None
