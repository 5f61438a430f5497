"""A small client for GitHub's REST API, standard library only (urllib): what keeping one
comment on a pull request needs, and nothing else.

Every request sends `Authorization: Bearer TOKEN` (never forwarded on a redirect),
`Accept: application/vnd.github+json`, the API version and a `User-Agent`. A rate limit (429,
or 403 with `x-ratelimit-remaining: 0` or a `retry-after`) is waited out once per client, for
what GitHub asks (`retry-after`, else until `x-ratelimit-reset`) but never longer than
`max_wait` seconds. Any other answer of 400 or more is a `GitHubError` with the status and
GitHub's own message. Pages are followed through `Link: <…>; rel="next"`, only on the API's
own host (the token goes nowhere else).
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from explorer.errors import ExplorerError
from explorer.ground.version import __version__

DEFAULT_API = "https://api.github.com"
DEFAULT_MAX_WAIT_S = 120.0
FIRST_WAIT_S = 60.0  # GitHub's advice for a secondary rate limit that names no time
MAX_PAGES = 1_000  # 100,000 comments: no pull request has that many
TIMEOUT_S = 30
_NEXT = re.compile(r'<([^<>]+)>\s*;\s*rel="?next"?')
REPO_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


class GitHubError(ExplorerError):
    """GitHub answered a request with an error: `status` (0: no answer) and its message."""

    def __init__(self, status: int, message: str, method: str, path: str,
                 rate_limited: bool = False) -> None:
        self.status, self.method, self.path = status, method, path
        self.rate_limited = rate_limited
        where = f"{method} {path}"
        text = (f"GitHub API {where} → {status}: {message}" if status
                else f"GitHub API {where}: {message}")
        super().__init__(text)


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    data: Any


def checked_repo(name: str) -> str:
    """OWNER/NAME, or an ExplorerError that says what to give."""
    if not REPO_NAME.fullmatch(name or "") or ".." in name:
        raise ExplorerError(f"--github-repo {name[:80]!r} is not OWNER/NAME",
                            "give the pull request's repository, e.g. ogx-ai/ogx "
                            "(in GitHub Actions: ${{ github.repository }})")
    return name


def checked_api(url: str) -> str:
    """The API root without a trailing slash; only http(s)."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ExplorerError(f"GITHUB_API_URL {url[:80]!r} is not an http(s) address",
                            f"unset it for {DEFAULT_API}, or give your GitHub Enterprise API root")
    return url.rstrip("/")


def request_headers() -> dict[str, str]:
    """The headers every request sends, the token apart (see `GitHub._send`)."""
    return {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"recordings-explorer/{__version__}"}


class GitHub:
    """One repository's API. `sleep` and `max_wait` make the rate-limit wait testable."""

    def __init__(self, repo: str, token: str | None, api: str = DEFAULT_API,
                 max_wait: float = DEFAULT_MAX_WAIT_S, sleep: Callable[[float], None] = time.sleep,
                 notice: Callable[[str], None] = lambda text: None) -> None:
        self.repo, self.token, self.api = checked_repo(repo), token, checked_api(api)
        self.max_wait, self.sleep, self.notice = max(0.0, max_wait), sleep, notice
        self.waited = False

    def url(self, path: str) -> str:
        return f"{self.api}/repos/{self.repo}{path}"

    # the three calls a pull-request comment needs --------------------------------------------

    def issue_comments(self, number: int) -> Iterator[dict]:
        """Every comment of issue (or pull request) `number`, following the pages."""
        url, seen = self.url(f"/issues/{number}/comments?per_page=100"), set()
        while url and len(seen) < MAX_PAGES:
            seen.add(url)
            response = self.request("GET", url)
            yield from (item for item in response.data or [] if isinstance(item, dict))
            url = self._next_page(response.headers.get("link", ""))
            url = None if url in seen else url

    def update_comment(self, comment_id: int, body: str) -> dict:
        return self.request("PATCH", self.url(f"/issues/comments/{comment_id}"),
                            {"body": body}).data

    def create_comment(self, number: int, body: str) -> dict:
        return self.request("POST", self.url(f"/issues/{number}/comments"), {"body": body}).data

    # transport ------------------------------------------------------------------------------

    def request(self, method: str, url: str, payload: dict | None = None) -> Response:
        """Send once; a rate limit is waited out (once per client) and the request sent again."""
        response = self._send(method, url, payload)
        if is_rate_limited(response) and not self.waited:
            self.waited = True
            seconds = min(wait_seconds(response.headers), self.max_wait)
            self.notice(f"GitHub rate limit ({response.status}): waiting {seconds:g} s "
                        f"then trying once more")
            self.sleep(seconds)
            response = self._send(method, url, payload)
        if response.status >= 400:
            message, limited = error_message(response.data), is_rate_limited(response)
            if limited:
                message += " (rate limited; waited once already)"
            raise GitHubError(response.status, message, method, self._shown(url), limited)
        return response

    def _send(self, method: str, url: str, payload: dict | None) -> Response:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers=request_headers())
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:  # unredirected: a redirect to another host never carries it
            request.add_unredirected_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                return Response(answer.status, _lower(answer.headers), _json(answer.read()))
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, _lower(error.headers), _json(error.read()))
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise GitHubError(0, f"no answer from {self.api} ({reason}); check GITHUB_API_URL "
                                 f"and the network", method, self._shown(url)) from None

    def _next_page(self, link: str) -> str | None:
        found = _NEXT.search(link)
        if not found:
            return None
        target, api = urllib.parse.urlsplit(found.group(1)), urllib.parse.urlsplit(self.api)
        same_host = (target.scheme, target.netloc) == (api.scheme, api.netloc)
        return found.group(1) if same_host else None

    def _shown(self, url: str) -> str:
        """`url` without the API root, as GitHub's documentation writes paths."""
        return url.removeprefix(self.api)


def is_rate_limited(response: Response) -> bool:
    if response.status == 429:
        return True
    return response.status == 403 and (response.headers.get("x-ratelimit-remaining") == "0"
                                       or "retry-after" in response.headers)


def wait_seconds(headers: dict[str, str], now: Callable[[], float] = time.time) -> float:
    """What GitHub asks: `retry-after` seconds, else until `x-ratelimit-reset` (epoch seconds),
    else a minute."""
    for name, since in (("retry-after", 0.0), ("x-ratelimit-reset", None)):
        try:
            value = float(headers[name])
        except (KeyError, ValueError):
            continue
        return max(0.0, value - (now() if since is None else since))
    return FIRST_WAIT_S


def error_message(data: Any) -> str:
    """GitHub's message on one line (with the first of its `errors`), at most 300 characters."""
    if not isinstance(data, dict):
        return "no message"
    message = str(data.get("message") or "no message")
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0]
        detail = first.get("message") or first.get("code") if isinstance(first, dict) else first
        message += f" ({detail})" if detail else ""
    return " ".join(message.split())[:300]


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in (headers or {}).items()}


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return {"message": raw[:200].decode("utf-8", "replace")}
