"""`explorer comment` against a stand-in for GitHub's REST API on 127.0.0.1: the comment is
created, or edited in place wherever it sits in the pages; a token that may not write costs no
failure; a rate limit is waited out once; the body fits one comment; the token is sent."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.github_standin import OWNER_NAME, PR, TOKEN, StandIn
from support.review_trees import git, make_repo, read, write

from explorer.cli.main import main
from explorer.publish.actions import warning_line
from explorer.publish.github import GitHub, GitHubError, wait_seconds
from explorer.publish.pr_comment import MARKER, health_section
from explorer.review.markdown import LIMIT


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("comment"))[1]


def run_comment(github: StandIn, repo: Path, *extra: str, base: str = "HEAD~1",
                head: str = "HEAD", token: str | None = TOKEN, summary: Path | None = None,
                max_wait: str = "0.01"):
    env = {"GITHUB_API_URL": github.url, "GITHUB_TOKEN": token,
           "GITHUB_STEP_SUMMARY": str(summary) if summary else None,
           "GITHUB_SERVER_URL": None, "GITHUB_REPOSITORY": None,
           "EXPLORER_GITHUB_MAX_WAIT": max_wait}
    return CliRunner().invoke(main, ["comment", base, head, "--repo", str(repo), "--pr", str(PR),
                                     "--github-repo", OWNER_NAME, *extra], env=env)


def test_creates_the_comment_sending_the_token_and_headers(github, repo, tmp_path):
    summary = tmp_path / "summary.md"
    out = run_comment(github, repo, "--binder", "someone/explorer@v2", summary=summary)
    assert out.exit_code == 0, out.output
    (comment,) = github.comments
    assert f"created the review comment: {comment['html_url']}" in out.output
    assert [(s.method, s.path) for s in github.seen] == [
        ("GET", f"/repos/{OWNER_NAME}/issues/{PR}/comments?per_page=100"),
        ("POST", f"/repos/{OWNER_NAME}/issues/{PR}/comments")]
    for seen in github.seen:
        assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
        assert seen.headers["Accept"] == "application/vnd.github+json"
        assert seen.headers["User-Agent"].startswith("recordings-explorer/")
    body = comment["body"]
    assert body.startswith(MARKER + "\n## Recordings review")
    assert "**2 response**" in body and "### Behaviour changes" in body
    commit = git(repo, "rev-parse", "HEAD").strip()
    assert f"](https://github.com/{OWNER_NAME}/blob/{commit}/tests/integration/" in body
    assert "https://mybinder.org/v2/gh/someone/explorer/v2?urlpath=" in body
    assert summary.read_text(encoding="utf-8") == body


def test_updates_in_place_when_the_marked_comment_is_on_the_second_page(github, repo):
    for number in range(150):
        github.add(f"comment {number}")
    github.comments[20]["body"] = f"> {MARKER}\n> quoted by a person: not the bot's comment"
    github.comments[130]["body"] = f"{MARKER}\nan older review"
    github.comments[130]["user"] = {"login": "github-actions[bot]", "type": "Bot"}
    out = run_comment(github, repo)
    assert out.exit_code == 0, out.output
    assert [(s.method, s.path) for s in github.seen] == [
        ("GET", f"/repos/{OWNER_NAME}/issues/{PR}/comments?per_page=100"),
        ("GET", f"/repositories/1/issues/{PR}/comments?per_page=100&page=2"),
        ("PATCH", f"/repos/{OWNER_NAME}/issues/comments/{github.comments[130]['id']}")]
    assert len(github.comments) == 150 and len(github.marked()) == 1
    assert "### Behaviour changes" in github.comments[130]["body"]
    assert github.comments[20]["body"].startswith("> ")
    assert "updated the review comment in place" in out.output


def test_runs_again_keep_exactly_one_comment(github, repo):
    assert run_comment(github, repo).exit_code == 0
    again = run_comment(github, repo)
    assert again.exit_code == 0 and "already says this" in again.output
    other = run_comment(github, repo, "--path", "tests/integration/inference")
    assert other.exit_code == 0 and "updated the review comment in place" in other.output
    assert len(github.comments) == 1 and len(github.marked()) == 1
    assert [s.method for s in github.writes()] == ["POST", "PATCH"]


@pytest.mark.parametrize("status", [403, 404])
def test_a_token_that_may_not_write_warns_and_keeps_the_review_in_the_summary(
        github, repo, tmp_path, status):
    github.refuse_writes = status
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    out = run_comment(github, repo, summary=summary)
    assert out.exit_code == 0, out.output
    warning = next(line for line in out.output.splitlines() if line.startswith("::warning"))
    assert f"→ {status}: Resource not accessible by integration" in warning
    assert "read-only token" in warning and "job summary" in warning
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n" + MARKER) and "### Behaviour changes" in text
    assert github.comments == []


def test_without_a_summary_a_refused_write_prints_the_review(github, repo):
    github.refuse_writes = 403
    out = run_comment(github, repo)
    assert out.exit_code == 0 and "::warning" in out.output
    assert MARKER in out.output and "### Behaviour changes" in out.output


def test_a_rate_limit_is_waited_out_once(github, repo):
    github.canned = [(429, {"Retry-After": "3600"}, {"message": "slow down"})]
    out = run_comment(github, repo)
    assert out.exit_code == 0, out.output
    assert "rate limit (429): waiting 0.01 s then trying once more" in out.output
    assert [s.method for s in github.seen] == ["GET", "GET", "POST"]
    assert len(github.comments) == 1


def test_a_second_rate_limit_is_one_line_and_exit_1(github, repo):
    limited = (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"},
               {"message": "API rate limit exceeded for installation ID 1."})
    github.canned = [limited, limited]
    out = run_comment(github, repo)
    assert out.exit_code == 1
    last = out.output.strip().splitlines()[-1]
    assert last.startswith("Error: GitHub API GET /repos/ogx-ai/ogx/issues/7/comments")
    assert "→ 403: API rate limit exceeded" in last and "Traceback" not in out.output
    assert len(github.seen) == 2


def test_a_write_still_rate_limited_after_the_wait_is_an_error_not_a_refusal(github, repo):
    limited = (403, {"X-RateLimit-Remaining": "0"}, {"message": "API rate limit exceeded"})
    github.canned = [(200, {}, []), limited, limited]
    out = run_comment(github, repo)
    assert out.exit_code == 1 and "::warning" not in out.output
    assert "POST /repos/ogx-ai/ogx/issues/7/comments → 403: API rate limit exceeded" in out.output


def test_the_wait_is_what_github_asks_but_capped(github):
    assert wait_seconds({"retry-after": "7"}) == 7
    assert wait_seconds({"x-ratelimit-reset": "1030"}, now=lambda: 1000.0) == 30
    assert wait_seconds({}) == 60
    github.canned = [(429, {"Retry-After": "3600"}, {"message": "slow down"}),
                     (429, {"Retry-After": "5"}, {"message": "slow down"}), (200, {}, [])]
    slept = []
    client = GitHub(OWNER_NAME, TOKEN, github.url, max_wait=2.5, sleep=slept.append)
    with pytest.raises(GitHubError, match="429: slow down"):
        list(client.issue_comments(PR))
    assert slept == [2.5]  # asked for an hour, waited the cap, and only once per run


@pytest.mark.parametrize(("status", "data", "expected"), [
    (422, {"message": "Validation Failed", "errors": [{"message": "body is wrong"}]},
     "→ 422: Validation Failed (body is wrong)"),
    (500, {"message": "Server Error\nwith a second line"}, "→ 500: Server Error with a second line"),
    (401, {"message": "Bad credentials"}, "→ 401: Bad credentials"),
])
def test_any_other_api_error_is_one_line_with_status_and_message(github, repo, status, data,
                                                                 expected):
    github.canned = [(200, {}, []), (status, {}, data)]
    out = run_comment(github, repo)
    assert out.exit_code == 1
    assert out.output.count("\n") == 1 and expected in out.output, out.output
    assert out.output.startswith("Error: GitHub API POST /repos/ogx-ai/ogx/issues/7/comments")


def test_no_recording_change_edits_the_comment_and_posts_nothing_new(github, repo):
    out = run_comment(github, repo, base="HEAD", head="HEAD")
    assert out.exit_code == 0 and "nothing posted" in out.output
    assert github.writes() == []
    github.add(f"{MARKER}\nan older review", bot=True)
    out = run_comment(github, repo, base="HEAD", head="HEAD")
    assert out.exit_code == 0 and "updated the review comment in place" in out.output
    assert "No recording changed between these two commits." in github.comments[0]["body"]
    assert [s.method for s in github.writes()] == ["PATCH"]


def test_dry_run_prints_the_requests_and_needs_no_token(github, repo):
    out = run_comment(github, repo, "--dry-run", token=None)
    assert out.exit_code == 0, out.output
    assert github.seen == []
    assert f"GET {github.url}/repos/{OWNER_NAME}/issues/{PR}/comments?per_page=100" in out.output
    assert f"PATCH {github.url}/repos/{OWNER_NAME}/issues/comments/ID" in out.output
    assert f"POST {github.url}/repos/{OWNER_NAME}/issues/{PR}/comments" in out.output
    assert "Accept: application/vnd.github+json" in out.output and MARKER in out.output


def test_no_token_is_one_line_naming_the_fix(github, repo):
    out = run_comment(github, repo, token=None)
    assert out.exit_code == 1 and "GITHUB_TOKEN is not set" in out.output
    assert "--dry-run" in out.output and github.seen == []


def test_bad_arguments_are_one_line(github, repo):
    out = run_comment(github, repo, base="HEAD", head="no-such-branch")
    assert out.exit_code == 1 and "no-such-branch" in out.output and "Traceback" not in out.output
    out = CliRunner().invoke(main, ["comment", "HEAD", "HEAD", "--repo", str(repo), "--pr", "7",
                                    "--github-repo", "not a repo"], env={"GITHUB_TOKEN": "x"})
    assert out.exit_code == 1 and "is not OWNER/NAME" in out.output


def test_a_next_page_on_another_host_is_not_followed():
    """The token goes to the API's own host only, whatever a Link header says."""
    client = GitHub(OWNER_NAME, TOKEN, "https://api.github.com")
    assert client._next_page('<https://evil.example/x?page=2>; rel="next"') is None
    assert client._next_page('<https://api.github.com/x?page=2>; rel="next"') \
        == "https://api.github.com/x?page=2"


def test_the_body_never_exceeds_one_comment(github, tmp_path):
    """Hundreds of changes with long test ids: the comment is cut to fit and says what it left
    out; GitHub's own limit (the stand-in enforces it) is never hit."""
    _, repo = make_repo(tmp_path)
    document = read(next((repo / "tests").rglob("openai_chat_nonstream_reasoning_usage.json")))
    folder = repo / "tests" / "integration" / "many" / "recordings"
    for number in range(600):
        document["test_id"] = f"tests/integration/many/test_many.py::test_{number}[{'p' * 200}]"
        document["request"]["body"]["max_tokens"] = number + 1
        write(folder / f"{'0' * 50}{number:04}.json", document)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "many")
    out = run_comment(github, repo, "--binder", "someone/explorer")
    assert out.exit_code == 0, out.output
    body = github.comments[0]["body"]
    assert 60_000 < len(body) <= LIMIT and body.startswith(MARKER)
    assert "not shown" in body


def test_a_warning_stays_one_workflow_command():
    line = warning_line("a\nb\r::error::c 100%")
    assert "\n" not in line and "\r" not in line
    assert line == "::warning title=recordings-explorer::a%0Ab%0D::error::c 100%25"


def test_many_health_flags_stay_within_their_share():
    flags = [{"path": f"tests/integration/x/recordings/{'a' * 100}{n}.json", "change": "added",
              "status": "stale", "rule": "raw-body", "expected_name": "b" * 64}
             for n in range(2_000)]
    text = health_section(flags, 6_000)
    assert len(text) <= 6_000 and "2,000 added or changed" in text
    assert re.search(r"- … 1,9\d\d more: `explorer check` lists them\.", text)


@pytest.mark.real
def test_two_eras_of_real_recordings_make_one_comment(github, tmp_path, shared_recordings):
    """The shared llama-stack (2025-10) and ogx (2026-05) trees as a base commit and a pull
    request's commit: the comment fits, and a second run leaves it as it is."""
    repo = tmp_path / "ogx"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for era in ("llama-stack-2025-10", "ogx-2026-05"):
        shutil.rmtree(repo / "tests", ignore_errors=True)
        shutil.copytree(shared_recordings / era / "tests", repo / "tests")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", era)
    out = run_comment(github, repo, "--binder", "someone/explorer")
    assert out.exit_code == 0, out.output
    (comment,) = github.comments
    assert len(comment["body"]) <= LIMIT and "added" in comment["body"]
    assert "already says this" in run_comment(github, repo, "--binder", "someone/explorer").output
