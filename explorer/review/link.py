"""The link from a pull request to its comparison: `?repo=URL&base=REF&head=REF` on the
dashboard's address (mybinder.org's Voila, or a local `explorer open --app`).

The query string is untrusted (anyone can craft a link), so a ref or URL that could be read as
a git option (leading `-`), a remote helper (`ext::…`) or anything but a plain ref is refused.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlencode

from explorer.sources import SourceError

NOTEBOOK = "notebooks/explore.ipynb"
BINDER = "https://mybinder.org/v2/gh"
_REF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/+@-]{0,199}")
_BINDER_SPEC = re.compile(r"([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)(?:@([A-Za-z0-9_][A-Za-z0-9._/-]*))?")
_URL_SCHEMES = ("https://", "http://", "git://", "ssh://", "file://")


def check_ref(ref: str, what: str = "ref") -> str:
    if (not _REF.fullmatch(ref) or ".." in ref or ref.endswith((".", "/", ".lock"))
            or "@{" in ref):
        raise SourceError(f"{what} {ref[:80]!r} refused: give a branch, tag or commit name "
                          f"(letters, digits, . _ / - @ +; not starting with -)")
    return ref


def check_repo(url: str) -> str:
    """A repository URL, or an absolute local path, that git cannot read as an option."""
    refused = (url.startswith("-") or "::" in url or any(c.isspace() or not c.isprintable()
                                                         for c in url))
    if refused or not (url.startswith(_URL_SCHEMES) or url.startswith("/")):
        raise SourceError(f"repo {url[:80]!r} refused: give the repository's https:// URL "
                          f"(or an absolute path to a local clone)")
    return url


def query_string(repo: str, base: str, head: str) -> str:
    """`repo=…&base=…&head=…`, each value checked first."""
    return urlencode({"repo": check_repo(repo), "base": check_ref(base, "base"),
                      "head": check_ref(head, "head")})


def comparison_from_query(query: str | None) -> tuple[str, str, str] | None:
    """(repo, base, head) from a page's query string (Voila puts it in QUERY_STRING); None
    when it names no comparison; SourceError when a value is refused or one is missing."""
    values = parse_qs(query or "", keep_blank_values=True)
    wanted = {key: values.get(key, [""])[-1] for key in ("repo", "base", "head")}
    if not any(wanted.values()):
        return None
    missing = [key for key, value in wanted.items() if not value]
    if missing:
        raise SourceError(f"the link gives no {', '.join(missing)}: it needs "
                          f"?repo=URL&base=REF&head=REF")
    return (check_repo(wanted["repo"]), check_ref(wanted["base"], "base"),
            check_ref(wanted["head"], "head"))


def binder_url(spec: str, repo: str, base: str, head: str) -> str:
    """The mybinder.org address that opens the Voila app of `spec` (OWNER/REPO[@REF], where
    explorer is published) on `repo` at `base` → `head`."""
    found = _BINDER_SPEC.fullmatch(spec)
    if not found:
        raise SourceError(f"--binder {spec[:80]!r}: give OWNER/REPO or OWNER/REPO@REF of the "
                          f"GitHub repository that publishes explorer")
    owner, name, ref = found.groups()
    page = f"voila/render/{NOTEBOOK}?{query_string(repo, base, head)}"
    return f"{BINDER}/{owner}/{name}/{ref or 'HEAD'}?urlpath={quote(page, safe='')}"
