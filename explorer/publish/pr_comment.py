"""One review comment per pull request, kept current.

The comment starts with `MARKER`; each run lists the pull request's comments (every page),
edits the marked one in place or, when there is none, creates it. When no recording changed, an
existing comment is edited to say so and nothing new is posted. A token that may not write
(403 or 404, as on a fork's pull request) is an outcome, not an error: the caller warns and
keeps the comment in the job summary. The body never exceeds one GitHub comment (65,536
characters).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from explorer.ground.version import __version__
from explorer.health.pr import health_flags
from explorer.publish.github import GitHub, GitHubError, request_headers
from explorer.review.diff import TreeDiff
from explorer.review.markdown import LIMIT, markdown
from explorer.review.markdown_tables import listed
from explorer.review.md_escape import code

MARKER = "<!-- recordings-explorer -->"
HEALTH_BUDGET = 6_000  # the health section may not crowd out the changes themselves
REFUSED = (403, 404)  # what GitHub answers a token that may not write here


@dataclass(frozen=True)
class Outcome:
    action: str  # created, updated, unchanged, nothing (no change, no comment), refused
    url: str | None = None
    reason: str = ""


def has_changes(diff: TreeDiff) -> bool:
    return bool(diff.changes or diff.problems)


def review_body(diff: TreeDiff, link_base: str = "", binder_url: str | None = None) -> str:
    """The whole comment: marker, the diff's markdown, the health flags and a footer."""
    footer = _footer(diff)
    _short_labels(diff)
    if not has_changes(diff):
        title = f"## Recordings review: {code(diff.base.label)} → {code(diff.head.label)}"
        return fit(f"{MARKER}\n{title}\n\nNo recording changed between these two commits.\n\n"
                   f"{footer}\n")
    health = health_section(health_flags(diff), HEALTH_BUDGET)
    room = LIMIT - len(MARKER) - len(health) - len(footer) - 4
    text = markdown(diff, link_base=link_base, binder_url=binder_url, limit=room)
    return fit(f"{MARKER}\n{text}{health}\n{footer}\n")


def fit(body: str, limit: int = LIMIT) -> str:
    """`body` cut to `limit` characters with a note, should the parts have overrun it."""
    if len(body) <= limit:
        return body
    note = "\n\n… cut to fit one GitHub comment; `explorer diff --format json` lists everything.\n"
    return body[: limit - len(note)] + note


def health_section(flags: list[dict], budget: int) -> str:
    """Added or changed recordings today's recorder cannot read, every value in a code span."""
    if not flags:
        return ""
    head = (f"{len(flags):,} added or changed recording(s) that today's recorder will never "
            f"read:")
    lines = ["", "### ⚠ Recording health", "", head, ""]
    rendered = [f"- {code(flag['path'])} ({flag['change']}): {code(_why(flag))}"
                for flag in flags]
    return "\n".join(listed(lines, rendered, budget, 79, lambda left: (
        f"- … {left:,} more: `explorer check` lists them."))) + "\n"


def _why(flag: dict) -> str:
    if flag["status"] == "stale":
        return f"stale, named by the {flag['rule']} rule; today's name is {flag['expected_name']}"
    return "misplaced, in a folder the recorder never reads"


def _short_labels(diff: TreeDiff) -> None:
    """A side named by its full commit id (as a workflow names it) is labelled by 12 digits,
    not `SHA (SHA[:12])`."""
    for side in (diff.base, diff.head):
        commit = getattr(side, "commit", None)
        if commit and side.label.startswith(f"{commit} "):
            side.label = commit[:12]


def _footer(diff: TreeDiff) -> str:
    commits = [getattr(side, "commit", None) for side in (diff.base, diff.head)]
    span = " → ".join(code(c[:12]) for c in commits if c)
    return (f"<sub>{span} · recordings-explorer {__version__} · this comment is updated in place "
            f"on every run</sub>")


def find_marked(comments: Iterable[dict]) -> dict | None:
    """The comment that starts with MARKER: a bot's first (reading stops there), else the
    first of anyone's."""
    first = None
    for comment in comments:
        body = comment.get("body")
        if not isinstance(body, str) or not body.lstrip().startswith(MARKER):
            continue
        if not isinstance(comment.get("id"), int):
            continue
        if (comment.get("user") or {}).get("type") == "Bot":
            return comment
        first = first or comment
    return first


def keep_one(client: GitHub, number: int, body: str, post_new: bool = True) -> Outcome:
    """Edit the marked comment of pull request `number` to `body`, or create it (when
    `post_new`). A write GitHub refuses with 403/404 is `Outcome("refused", reason=...)`."""
    existing = find_marked(client.issue_comments(number))
    try:
        if existing and existing.get("body") == body:
            return Outcome("unchanged", _url(existing))
        if existing:
            return Outcome("updated", _url(client.update_comment(existing["id"], body)))
        if not post_new:
            return Outcome("nothing")
        return Outcome("created", _url(client.create_comment(number, body)))
    except GitHubError as error:
        if error.status in REFUSED and not error.rate_limited:
            return Outcome("refused", reason=str(error))
        raise


def _url(comment: object) -> str | None:
    url = comment.get("html_url") if isinstance(comment, dict) else None
    return url if isinstance(url, str) else None


def planned_requests(client: GitHub, number: int, body: str, post_new: bool) -> str:
    """What `keep_one` would send, for --dry-run: no request is made, no token needed."""
    token = "Bearer *** (GITHUB_TOKEN)" if client.token else "Bearer $GITHUB_TOKEN (not set)"
    headers = {**request_headers(), "Authorization": token}
    create = (f"POST {client.url(f'/issues/{number}/comments')}    (otherwise)" if post_new else
              "no POST: no recording changed, so no new comment is created")
    listing = client.url(f"/issues/{number}/comments?per_page=100")
    edit = client.url("/issues/comments/ID")
    lines = [f'GET {listing}    (and each Link rel="next" page)',
             f"PATCH {edit}    (ID: the comment starting with {MARKER}, if there is one)",
             create, "", "headers:", *(f"  {name}: {value}" for name, value in headers.items()),
             "", f"JSON body ({len(body):,} characters in `body`):",
             _preview(json.dumps({"body": body}, ensure_ascii=False)), "",
             "body as GitHub renders it:", "", body]
    return "\n".join(lines)


def _preview(text: str, size: int = 300) -> str:
    return text if len(text) <= size else text[:size] + " …"
