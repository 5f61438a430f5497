"""Where the recordings come from: the bundled demo, a local folder, or a git repository
(a URL or path plus a ref, e.g. a pull request's branch) cloned shallowly into the cache."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from explorer.errors import ExplorerError
from explorer.table.cache import cache_dir


class SourceError(ExplorerError):
    """The source cannot be opened; the message says why and what to do."""


def is_git_source(spec: str) -> bool:
    if spec.startswith(("http://", "https://", "git@", "ssh://", "file://", "git://")):
        return True
    return spec.endswith(".git") or (Path(spec).expanduser() / ".git").exists()


def resolve_source(spec: str | None = None, ref: str | None = None) -> tuple[Path, str]:
    """(folder to index, label): None → the demo tree; a folder; or a git repo at `ref`."""
    if not spec:
        from explorer.demo.build import demo_root

        return demo_root(), "demo"
    if ref or (is_git_source(spec) and not Path(spec).expanduser().is_dir()):
        checkout = clone(spec, ref or "HEAD")
        return recordings_root(checkout), f"{spec}@{ref or 'HEAD'}"
    folder = Path(spec).expanduser()
    if not folder.is_dir():
        raise SourceError(f"{spec}: no such folder; set EXPLORER_RECORDINGS to a recordings "
                          f"tree such as ~/src/ogx/tests/integration, or to a git URL")
    return folder, str(folder)


def recordings_root(checkout: Path) -> Path:
    """The repository's tests/integration when it has one, else the checkout itself."""
    candidate = checkout / "tests" / "integration"
    return candidate if candidate.is_dir() else checkout


def clone(url: str, ref: str) -> Path:
    """Fetch `ref` of `url` at depth 1 into the cache (reused when already there)."""
    if Path(url).expanduser().exists():
        url = Path(url).expanduser().resolve().as_uri()
    key = hashlib.sha256(f"{url}\n{ref}".encode()).hexdigest()[:16]
    target = cache_dir() / "clones" / key
    if (target / ".git").is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f"{key}-"))
    try:
        _git(staging, "init", "--quiet")
        _git(staging, "fetch", "--quiet", "--depth", "1", url, ref)
        _git(staging, "checkout", "--quiet", "--detach", "FETCH_HEAD")
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _git(cwd: Path, *args: str) -> None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                timeout=600, check=False)
    except FileNotFoundError:
        raise SourceError("git is not installed; install git to open a repository") from None
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise SourceError(f"git {' '.join(args[:2])} failed: {detail}")
