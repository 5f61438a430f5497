"""The action and the example workflows: valid against GitHub's schemas (check-jsonschema's
vendored copies, offline), and run the way a runner runs them: each `run:` script under bash
with its `env:` evaluated, against a local repository whose pull request exists only as
`refs/pull/7/head`, a stand-in GitHub API on 127.0.0.1, and a `gh` that talks to it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from support.github_standin import OWNER_NAME, PR, TOKEN, StandIn
from support.paths import REPO, clean_copy
from support.pip import NO_COMPILE_ENV
from support.review_trees import git, make_repo

from explorer.publish.pr_comment import MARKER
from explorer.review.link import comparison_from_query

ACTION = REPO / "action.yml"
EXAMPLES = REPO / "examples" / "github"
REVIEW = EXAMPLES / "recordings-review.yml"
AFTER_COMMIT = EXAMPLES / "recordings-review-after-commit.yml"
BIN = Path(sys.executable).parent
FAKE_GH = '''#!{python}
"""`gh api [--paginate] PATH [--jq FILTER]` answered by the stand-in API (jq -r for --jq)."""
import json, os, re, subprocess, sys, urllib.request
args = sys.argv[1:]
assert args[0] == "api", args
paginate = "--paginate" in args
args = [a for a in args[1:] if a != "--paginate"]
path, jq = args[0], (args[args.index("--jq") + 1] if "--jq" in args else None)
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(path + "\\n")
url = os.environ["GITHUB_API_URL"] + "/" + path
while url:
    request = urllib.request.Request(url, headers={{"Authorization": "Bearer " + os.environ["GH_TOKEN"]}})
    try:
        answer = urllib.request.urlopen(request)
    except urllib.error.HTTPError as error:
        sys.exit(f"gh: HTTP {{error.code}}")
    data = answer.read().decode()
    out = subprocess.run(["jq", "-r", jq], input=data, capture_output=True, text=True, check=True).stdout if jq else data
    sys.stdout.write(out)
    found = re.search(r'<([^>]+)>; rel="next"', answer.headers.get("Link", ""))
    url = found.group(1) if paginate and found else None
'''


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema,
                           *map(str, files)], capture_output=True, text=True, check=False)


def test_the_action_and_examples_are_valid_against_githubs_schemas(tmp_path):
    done = schema_check("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr
    done = schema_check("vendor.github-workflows", REVIEW, AFTER_COMMIT)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "action.yml"  # the check does check: a typo fails it
    broken.write_text(ACTION.read_text().replace("using: composite", "using: compost"))
    assert schema_check("vendor.github-actions", broken).returncode != 0


def test_the_action_says_what_the_issue_asks():
    action = yaml.safe_load(ACTION.read_text())
    inputs = action["inputs"]
    assert {"base", "head", "pr", "path", "binder", "python-version"} <= set(inputs)
    assert inputs["binder"]["default"] == "${{ github.action_repository }}@${{ github.action_ref }}"
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    for step in steps:  # inputs reach scripts through env only: no ${{ }} inside a script
        assert "${{" not in step.get("run", ""), step["name"]


@pytest.mark.parametrize("path", [REVIEW, AFTER_COMMIT])
def test_the_examples_ask_for_least_permissions_and_never_check_out(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    text = path.read_text()
    assert "actions/checkout" not in text and "pull_request.head.ref" not in text
    assert 'fetch --quiet --no-tags --depth=1 origin "$BASE"' in text
    assert '"+refs/pull/$PR/head:refs/pull/$PR/head"' in text
    groups = [job.get("concurrency", {}).get("group") for job in workflow["jobs"].values()]
    groups.append(workflow.get("concurrency", {}).get("group"))
    assert any(g and g.startswith("recordings-review-${{") for g in groups)


def test_the_first_example_runs_on_pull_request_target_for_recordings():
    workflow = yaml.safe_load(REVIEW.read_text())
    trigger = workflow[True]["pull_request_target"]  # YAML 1.1 reads `on:` as True
    assert trigger["paths"] == ["tests/integration/**/recordings/**"]
    assert workflow["concurrency"]["group"] == \
        "recordings-review-${{ github.event.pull_request.number }}"
    after = yaml.safe_load(AFTER_COMMIT.read_text())[True]["workflow_run"]
    assert after["workflows"] == ["Commit Recordings"]


# a runner, small ---------------------------------------------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")


def evaluate(text: object, context: dict) -> str:
    """`${{ a.b.c }}` replaced from `context`; any other expression fails the test."""
    def lookup(found: re.Match) -> str:
        value: object = context
        for key in found.group(1).split("."):
            value = value[key] if isinstance(value, dict) and key in value else ""
        return str(value)

    text = str(text)
    assert "${{" not in EXPRESSION.sub("", text), f"unsupported expression in {text!r}"
    return EXPRESSION.sub(lookup, text)


class Runner:
    """Runs the `run:` steps of a job and of the action (the step using it), as bash scripts
    with the runner's variables; `setup-python` is the test's own Python."""

    def __init__(self, tmp: Path, github: StandIn, context: dict, install: bool = False):
        self.tmp, self.github, self.context, self.install = tmp, github, context, install
        self.workspace = tmp / "workspace"
        self.workspace.mkdir()
        self.summary = tmp / "summary.md"
        fake_bin = tmp / "fake-bin"
        fake_bin.mkdir()
        (fake_bin / "gh").write_text(FAKE_GH.format(python=sys.executable))
        (fake_bin / "gh").chmod(0o755)
        self.gh_log = tmp / "gh.log"
        self.path = f"{fake_bin}:{BIN}:/usr/local/bin:/usr/bin:/bin"
        self.outputs: list[str] = []

    def env(self, step_env: dict, context: dict) -> dict[str, str]:
        github = self.context["github"]
        base = {"PATH": self.path, "HOME": str(self.tmp), "LANG": "C.UTF-8",
                "EXPLORER_CACHE_DIR": os.environ["EXPLORER_CACHE_DIR"],
                "GITHUB_REPOSITORY": github["repository"], "GITHUB_SHA": github["sha"],
                "GITHUB_SERVER_URL": github["server_url"], "GITHUB_API_URL": self.github.url,
                "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_STEP_SUMMARY": str(self.summary),
                "RUNNER_TEMP": str(self.tmp), "FAKE_GH_LOG": str(self.gh_log)}
        if not self.install:  # this worktree's explorer, as the action would install it
            base["PYTHONPATH"] = str(REPO)
        else:  # pip reaches the package index as the machine does
            base.update({k: v for k, v in os.environ.items()
                         if k.lower().endswith("_proxy") or k.startswith(("PIP_", "SSL_CERT"))})
        return {**base, **{k: evaluate(v, context) for k, v in (step_env or {}).items()}}

    def run_script(self, step: dict, context: dict) -> dict[str, str]:
        output = self.tmp / f"output-{len(self.outputs)}"
        output.touch()
        env = {**self.env(step.get("env"), context), "GITHUB_OUTPUT": str(output)}
        script = self.tmp / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=self.workspace, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        self.outputs.append(done.stdout)
        assert done.returncode == 0, f"{step.get('name')}: {done.stdout}\n{done.stderr}"
        return dict(line.split("=", 1) for line in output.read_text().splitlines() if line)

    def run_job(self, job: dict, needs: dict | None = None) -> dict:
        steps: dict[str, dict] = {}
        for step in job["steps"]:
            context = {**self.context, "steps": steps, "needs": needs or {}}
            if "uses" in step:
                assert step["uses"].endswith("/recordings-explorer@v0.1.0"), step["uses"]
                self.run_action({k: evaluate(v, context) for k, v in step["with"].items()})
                continue
            outputs = self.run_script(step, context)
            if "id" in step:
                steps[step["id"]] = {"outputs": outputs}
        return {name: evaluate(value, {**self.context, "steps": steps})
                for name, value in job.get("outputs", {}).items()}

    def run_action(self, given: dict[str, str]) -> None:
        action = yaml.safe_load(ACTION.read_text())
        inputs = {name: given.get(name, evaluate(spec.get("default", ""), self.context))
                  for name, spec in action["inputs"].items()}
        context = {**self.context, "inputs": inputs}
        for step in action["runs"]["steps"]:
            if step.get("uses", "").startswith("actions/setup-python@"):
                continue
            if "pip install" in step["run"] and not self.install:
                assert evaluate(step["env"]["ACTION_PATH"], context) == \
                    self.context["github"]["action_path"]
                continue
            self.run_script(step, context)


# a pull request that exists only as refs/pull/7/head --------------------------------------


@pytest.fixture
def upstream(tmp_path) -> dict:
    """ogx-ai/ogx under a local "server": main moved on after the pull request branched off
    (one more recording changed); the pull request's commit is reachable only from
    refs/pull/7/head, as a fork's is."""
    _, repo = make_repo(tmp_path / "made")
    server = tmp_path / "server"
    origin = server / OWNER_NAME
    origin.parent.mkdir(parents=True)
    shutil.move(repo, origin)
    head = git(origin, "rev-parse", "HEAD").strip()
    git(origin, "update-ref", f"refs/pull/{PR}/head", head)
    git(origin, "reset", "-q", "--hard", "HEAD~1")
    merge_base = git(origin, "rev-parse", "HEAD").strip()
    moved = next((origin / "tests").rglob("openai_embeddings.json"))
    moved.write_text(moved.read_text().replace("[", "[ ", 1))
    git(origin, "commit", "-q", "-am", "main moves on")
    return {"server": server.as_uri(), "origin": origin, "head": head,
            "merge_base": merge_base, "main": git(origin, "rev-parse", "HEAD").strip()}


def github_context(upstream: dict, **event) -> dict:
    return {"github": {"repository": OWNER_NAME, "server_url": upstream["server"],
                       "token": TOKEN, "sha": "f" * 40, "action_path": str(REPO),
                       "action_repository": "someone/explorer", "action_ref": "v9",
                       "event": event}}


def static_routes(github: StandIn, upstream: dict) -> None:
    """What the examples ask GitHub besides the comments: the merge base, the pull request."""
    answer = github.answer

    def route(method, path, body):
        parts = urllib.parse.urlsplit(path)
        if parts.path.startswith(f"/repos/{OWNER_NAME}/compare/"):
            return 200, {}, {"merge_base_commit": {"sha": upstream["merge_base"]}}
        if parts.path == f"/repos/{OWNER_NAME}/pulls/{PR}":
            return 200, {}, {"state": "open", "head": {"sha": upstream["head"]},
                             "base": {"sha": upstream["main"]}}
        if parts.path == f"/repos/{OWNER_NAME}/issues/comments":
            return 200, {}, [dict(c, issue_url=f"https://api.github.com/repos/{OWNER_NAME}/"
                                               f"issues/{c['pr']}") for c in github.elsewhere]
        return answer(method, path, body)

    github.answer = route
    github.elsewhere = []


def the_link(body: str) -> tuple[str, str, str, str]:
    """(the explorer OWNER/REPO/REF, repo, base, head) of the comment's Binder link."""
    found = re.search(r"\]\((https://mybinder\.org/v2/gh/([^?]+)\?urlpath=([^)]+))\)", body)
    assert found, body[:2000]
    page = urllib.parse.unquote(found.group(3))
    return (found.group(2), *comparison_from_query(page.split("?", 1)[1]))


def test_the_pull_request_target_example_comments_as_the_action_runs(tmp_path, upstream,
                                                                     github):
    static_routes(github, upstream)
    context = github_context(upstream, pull_request={
        "number": PR, "base": {"sha": upstream["main"]}, "head": {"sha": upstream["head"]}})
    runner = Runner(tmp_path, github, context)
    runner.run_job(yaml.safe_load(REVIEW.read_text())["jobs"]["review"])
    (comment,) = github.comments
    body = comment["body"]
    assert body.startswith(MARKER) and "**2 response**" in body
    assert "1 added · 1 removed" in body  # main's later change is not the pull request's
    explorer, repo, base, head = the_link(body)
    assert explorer == "someone/explorer/v9"  # the action's own repository and ref
    assert (repo, base, head) == (f"{upstream['server']}/{OWNER_NAME}", upstream["merge_base"],
                                  upstream["head"])
    assert github.seen[-1].headers["Authorization"] == f"Bearer {TOKEN}"
    review = runner.workspace / "review"
    assert [p.name for p in review.iterdir()] == [".git"]  # objects only, nothing checked out
    assert runner.summary.read_text(encoding="utf-8") == body
    assert f"repos/{OWNER_NAME}/compare/{upstream['main']}...{upstream['head']}" in \
        runner.gh_log.read_text()


def test_the_after_commit_example_finds_the_pull_request_from_the_bots_comment(
        tmp_path, upstream, github):
    static_routes(github, upstream)
    bot = {"login": "github-actions[bot]", "type": "Bot"}
    run_url = "https://github.com/ogx-ai/ogx/actions/runs"
    github.elsewhere = [
        {"id": 1, "pr": 3, "user": bot, "body": f"<!-- commit-recordings-bot -->\n[View commit "
                                                f"workflow]({run_url}/4242)"},
        {"id": 2, "pr": 5, "user": {"login": "someone"}, "body": "<!-- commit-recordings-bot -->"
                                                                  f"[x]({run_url}/424)"},
        {"id": 3, "pr": PR, "user": bot, "body": f"<!-- commit-recordings-bot -->\n✅ committed"
                                                 f"\n\n[View commit workflow]({run_url}/424)"}]
    context = github_context(upstream, workflow_run={
        "id": 424, "conclusion": "success", "run_started_at": "2026-01-01T00:00:00Z"})
    runner = Runner(tmp_path, github, context)
    jobs = yaml.safe_load(AFTER_COMMIT.read_text())["jobs"]
    found = runner.run_job(jobs["find"])
    assert found == {"pr": str(PR), "base": upstream["merge_base"]}
    runner.run_job(jobs["review"], needs={"find": {"outputs": found}})
    (comment,) = github.comments
    assert the_link(comment["body"])[2:] == (upstream["merge_base"], upstream["head"])


def test_the_link_opens_this_comparison_from_two_shallow_revisions(tmp_path, upstream, github):
    """What the app does with the comment's link: fetch the two commits (one each, shallow)
    from the repository the link names, and open the compare view on them."""
    from explorer.dashboard.compare import CompareDashboard

    static_routes(github, upstream)
    context = github_context(upstream, pull_request={
        "number": PR, "base": {"sha": upstream["main"]}, "head": {"sha": upstream["head"]}})
    Runner(tmp_path, github, context).run_job(yaml.safe_load(REVIEW.read_text())["jobs"]["review"])
    _, repo, base, head = the_link(github.comments[0]["body"])
    dashboard = CompareDashboard.from_link(repo, base, head)
    counts = dashboard.diff.counts()
    assert (counts["response"], counts["noise"], counts["added"], counts["removed"]) == (2, 1, 1, 1)
    for side in (dashboard.diff.base, dashboard.diff.head):
        checkout = Path(side.root).parents[1] if side.root.name == "integration" else side.root
        assert git(checkout, "rev-parse", "--is-shallow-repository").strip() == "true"
        assert git(checkout, "rev-list", "--count", "HEAD").strip() == "1"


@pytest.mark.parametrize("own_repository", [True, False])
def test_without_its_repository_the_action_links_its_own_checkout_or_nothing(
        tmp_path, upstream, github, own_repository):
    """github.action_repository is empty for `uses: ./` (explorer's own repository: the link
    names the workflow's commit), and may be empty in a composite action (then no link, and a
    notice that says how to give one)."""
    static_routes(github, upstream)
    context = github_context(upstream, pull_request={
        "number": PR, "base": {"sha": upstream["main"]}, "head": {"sha": upstream["head"]}})
    runner = Runner(tmp_path, github, context)
    action_path = runner.workspace / "explorer" if own_repository else REPO
    context["github"].update(action_repository="", action_ref="", action_path=str(action_path))
    runner.run_job(yaml.safe_load(REVIEW.read_text())["jobs"]["review"])
    body = github.comments[0]["body"]
    if own_repository:
        assert the_link(body)[0] == f"{OWNER_NAME}/{'f' * 40}"
    else:
        assert "mybinder.org/v2" not in body and "### Behaviour changes" in body
        assert "::notice title=recordings-explorer::no Binder link" in "".join(runner.outputs)


@pytest.mark.install
def test_the_action_installs_explorer_from_its_own_files(tmp_path, upstream, github,
                                                        monkeypatch):
    """The install step too, into a fresh virtualenv standing in for setup-python."""
    for name, value in NO_COMPILE_ENV.items():  # the action's own pip step
        monkeypatch.setenv(name, value)
    venv = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    static_routes(github, upstream)
    context = github_context(upstream, pull_request={
        "number": PR, "base": {"sha": upstream["main"]}, "head": {"sha": upstream["head"]}})
    # pip builds the action's folder in place: a copy, so no build meets another in the clone
    context["github"]["action_path"] = str(clean_copy(tmp_path / "action"))
    runner = Runner(tmp_path, github, context, install=True)
    runner.path = f"{runner.path.split(':', 1)[0]}:{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"
    runner.run_job(yaml.safe_load(REVIEW.read_text())["jobs"]["review"])
    assert github.comments and github.comments[0]["body"].startswith(MARKER)


def test_the_readme_shows_the_example_workflow_as_it_is():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Review recordings on every pull request", 1)[1]
    shown = section.split("```yaml\n", 1)[1].split("\n```", 1)[0]
    lines = REVIEW.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() and not line.startswith("#"))
    assert shown == "\n".join(lines[start:])
    assert "OWNER/REPO/" not in readme.split("## Quick start", 1)[0]
