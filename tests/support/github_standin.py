"""A stand-in for GitHub's issue-comment REST API on 127.0.0.1 (used by the publish tests)."""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from explorer.publish.pr_comment import MARKER
from explorer.review.markdown import LIMIT
from support.threads import serve_in_thread

OWNER_NAME = "ogx-ai/ogx"
PR = 7
TOKEN = "ghs_standin_token_123"


@dataclass
class Seen:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: dict | None


@dataclass
class StandIn:
    """GitHub's issue-comment endpoints for one repository, kept in memory. `canned` answers
    come first, one per request (status, headers, JSON); `refuse_writes` answers PATCH and
    POST with that status, as GitHub does for a read-only token."""

    url: str = ""
    comments: list[dict] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    canned: list[tuple[int, dict, dict]] = field(default_factory=list)
    refuse_writes: int | None = None
    next_id: int = 1000

    def add(self, body: str, bot: bool = False) -> dict:
        self.next_id += 1
        comment = {"id": self.next_id, "body": body,
                   "html_url": f"https://github.com/{OWNER_NAME}/pull/{PR}#issuecomment-"
                               f"{self.next_id}",
                   "user": {"login": "github-actions[bot]" if bot else "someone",
                            "type": "Bot" if bot else "User"}}
        self.comments.append(comment)
        return comment

    def marked(self) -> list[dict]:
        return [c for c in self.comments if c["body"].startswith(MARKER)]

    def writes(self) -> list[Seen]:
        return [s for s in self.seen if s.method in ("PATCH", "POST")]

    def answer(self, method: str, path: str, body: dict | None) -> tuple[int, dict, object]:
        if self.canned:
            return self.canned.pop(0)
        parts = urllib.parse.urlsplit(path)
        listing = re.fullmatch(rf"/repos/{OWNER_NAME}/issues/(\d+)/comments", parts.path)
        single = re.fullmatch(rf"/repos/{OWNER_NAME}/issues/comments/(\d+)", parts.path)
        if method in ("PATCH", "POST") and self.refuse_writes:
            return self.refuse_writes, {}, {
                "message": "Resource not accessible by integration",
                "documentation_url": "https://docs.github.com/rest/issues/comments"}
        if method in ("PATCH", "POST") and len((body or {}).get("body", "")) > LIMIT:
            return 422, {}, {"message": "Validation Failed", "errors": [
                {"resource": "IssueComment", "code": "custom", "field": "body",
                 "message": "body is too long (maximum is 65536 characters)"}]}
        if method == "GET" and listing and int(listing.group(1)) == PR:
            return self._page(parts.query)
        if method == "POST" and listing and int(listing.group(1)) == PR:
            return 201, {}, self.add(body["body"], bot=True)
        if method == "PATCH" and single:
            for comment in self.comments:
                if comment["id"] == int(single.group(1)):
                    comment["body"] = body["body"]
                    return 200, {}, comment
        return 404, {}, {"message": "Not Found"}

    def _page(self, query: str) -> tuple[int, dict, object]:
        asked = urllib.parse.parse_qs(query)
        size, page = int(asked.get("per_page", ["30"])[0]), int(asked.get("page", ["1"])[0])
        items = self.comments[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(self.comments):
            next_url = f"{self.url}/repositories/1/issues/{PR}/comments?per_page={size}&page={page + 1}"
            headers["Link"] = f'<{next_url}>; rel="next", <{next_url}>; rel="last"'
        return 200, headers, items


def serve(stand_in: StandIn) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            stand_in.seen.append(Seen(self.command, self.path, dict(self.headers), body))
            path = self.path
            if path.startswith("/repositories/1/"):  # where GitHub's own next links point
                path = path.replace("/repositories/1/", f"/repos/{OWNER_NAME}/", 1)
            status, headers, data = stand_in.answer(self.command, path, body)
            raw = json.dumps(data).encode()
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PATCH = _handle

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    serve_in_thread(server)
    return server
