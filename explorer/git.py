"""Running git on a repository: one runner and one blob reader, shared by every caller.

A repository handed to explorer may carry its own `.git/config` (a pull request's tree, a
fetched clone): every call overrides the settings through which git runs a program
(`SAFE_CONFIG`), turns off diff drivers on the commands that could use them, and keeps the
environment's pager and external diff out. Callers refuse refs that start with `-` before
they get here, and pass the error class (with its own words) that their readers expect.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from explorer.errors import ExplorerError
from explorer.safety.size import digest_of, stand_in, too_large_reason


class GitError(ExplorerError):
    """git failed; the message is git's last line of complaint."""


# Every setting through which a read (or our own fetch) could start a program named by the
# repository's config; command-line settings win over the repository's.
SAFE_CONFIG = (
    "core.fsmonitor=false", "core.hooksPath=/dev/null", "core.sshCommand=ssh",
    "core.pager=cat", "core.editor=true", "core.gitProxy=", "diff.external=", "protocol.ext.allow=never", "pager.log=false",
    "pager.show=false", "pager.diff=false", "gpg.program=false", "core.untrackedCache=false",
)
# commands that could run a diff driver (textconv, external diff) for a path's attributes
DIFFING = {"log", "show", "diff", "diff-files", "diff-index", "diff-tree"}
UNSAFE_ENV = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_EDITOR", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_DIR",
              "GIT_WORK_TREE", "GIT_INDEX_FILE")


def git_command(repo: Path | str | None, *args: str) -> list[str]:
    """The argv that runs `git args` in `repo` (None: the current folder) with SAFE_CONFIG."""
    command = ["git", "--no-pager"]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    if repo is not None:
        command += ["-C", str(repo)]
    if args and args[0] in DIFFING:
        return [*command, args[0], "--no-ext-diff", "--no-textconv", *args[1:]]
    return [*command, *args]


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for git: without the variables that name a program or another
    repository, without prompts."""
    env = {key: value for key, value in os.environ.items() if key not in UNSAFE_ENV}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", **(extra or {}))
    return env


def run_git(repo: Path, *args: str, stdin: bytes | None = None,
            error: type[ExplorerError] = GitError,
            not_a_repo: str = "give the folder of a clone or a bare mirror",
            env: dict[str, str] | None = None, timeout: float | None = None) -> bytes:
    """git's output for `args` run in `repo`; a failure raises `error` with git's reason."""
    try:
        done = subprocess.run(git_command(repo, *args), input=stdin, env=git_env(env),
                              capture_output=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise error(f"git {args[0]} did not finish in {timeout:.0f} s",
                    "check the repository's URL and the network") from None
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
        process = subprocess.Popen(git_command(repo, "cat-file", "--batch"), env=git_env(),
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
        size = int(parts[2])
        if too_large_reason(size):  # over the size budget: skipped a chunk at a time
            digest_of(stdout, size)
            data = stand_in(size, blob)
        else:
            data = stdout.read(size)
        stdout.read(1)  # the newline after the contents
        yield blob, data if parts[1] == b"blob" else None
