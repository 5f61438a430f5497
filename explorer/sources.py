"""Where the recordings come from: the bundled demo, a local folder, or a git repository
(a URL or path plus a ref, e.g. a pull request's branch) cloned shallowly into the cache."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from explorer.errors import ExplorerError
from explorer.git import run_git


class SourceError(ExplorerError):
    """The source cannot be opened; the message says why and what to do."""


def is_git_source(spec: str) -> bool:
    if spec.startswith(("http://", "https://", "ssh://", "file://", "git://")) or _SCP_LIKE.match(spec):
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
    """The repository's tests/integration when it has one, else the checkout itself. A
    checkout whose tests/integration (or tests) is a symlink is refused: its branch could
    point the reader at any folder on this machine."""
    candidate = checkout / "tests" / "integration"
    for part in (checkout / "tests", candidate):
        if part.is_symlink():
            raise SourceError(f"{part.relative_to(checkout)} in {checkout} is a symlink; "
                              f"refused: a recordings root must be a folder of the repository "
                              f"itself (replace the link with the folder in that branch)")
    return candidate if candidate.is_dir() else checkout


ALLOWED_TRANSPORTS = ("https://", "ssh://", "git://", "file://")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^\s]+$")  # git@github.com:org/repo


def checked_url(url: str) -> str:
    """`url` as git should fetch it: a local path becomes a file:// URL; only https, ssh, git
    and file transports are allowed, and nothing that git could read as an option."""
    if not url or url.startswith("-") or _has_control(url):
        raise SourceError(f"{url!r} is not a repository: a source may not start with '-' or "
                          f"hold control characters; give an https, ssh, git or file URL or a "
                          f"local path")
    local = Path(url).expanduser()
    if local.exists():
        return local.resolve().as_uri()
    if url.startswith(ALLOWED_TRANSPORTS) or _SCP_LIKE.match(url):
        return url
    raise SourceError(f"{url}: only https://, ssh://, git://, file:// URLs, user@host:path or a "
                      f"local path are allowed as a git source")


def checked_ref(ref: str) -> str:
    """`ref` when it names a branch, tag or commit; refuses anything git could read as an
    option (leading '-') or that holds spaces or control characters."""
    if not ref or ref.startswith("-") or _has_control(ref) or any(c.isspace() for c in ref):
        raise SourceError(f"{ref!r} is not a git ref: give a branch, tag or commit (it may not "
                          f"start with '-' or hold spaces or control characters)")
    return ref


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def clone(url: str, ref: str) -> Path:
    """Fetch `ref` of `url` at depth 1 into the cache; a clone already there is fetched again,
    so new pushes to a branch show."""
    from explorer.ground.folders import cache_dir

    url, ref = checked_url(url), checked_ref(ref)
    key = hashlib.sha256(f"{url}\n{ref}".encode()).hexdigest()[:16]
    target = cache_dir() / "clones" / key
    if (target / ".git").is_dir():
        _fetch(target, url, ref)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f"{key}-"))
    try:
        _git(staging, "init", "--quiet")
        _fetch(staging, url, ref)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _fetch(checkout: Path, url: str, ref: str) -> None:
    _git(checkout, "fetch", "--quiet", "--depth", "1", "--", url, ref)
    _git(checkout, "checkout", "--quiet", "--force", "--detach", "FETCH_HEAD", "--")


def _git(cwd: Path, *args: str) -> None:
    """Through the one runner (explorer.git): no program named by a config runs."""
    try:
        run_git(cwd, *args, error=SourceError, timeout=600,
                env={"GIT_ALLOW_PROTOCOL": "https:ssh:git:file"})
    except SourceError as exc:
        if exc.message.startswith("git is not installed"):
            raise SourceError("git is not installed; install git to open a repository") from None
        raise SourceError(f"git {' '.join(args[:2])} failed: {exc.message}") from None
