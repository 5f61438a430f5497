"""Where the recordings come from: a git URL or ref that is an option or a command is refused
(nothing runs, nothing is written), and a cached clone is fetched again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from support.hostile_tree import GOOD, MARKER, outside_cache

from explorer.cli.main import main
from explorer.sources import SourceError, resolve_source

# nothing runs: git sources ----------------------------------------------------------------

def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd,
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "repo"
    folder = source / "tests" / "integration" / "inference" / "recordings"
    folder.mkdir(parents=True)
    (folder / "one.json").write_bytes(orjson.dumps(GOOD))
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "one")
    return source


@pytest.mark.parametrize(("url", "ref"), [
    ("--upload-pack=touch {marker};git-upload-pack", "main"),
    ("{repo}", "--upload-pack=touch {marker};git-upload-pack"),
    ("{repo}", "--output={marker}"),
    ("ext::sh -c touch% {marker}", "main"),
    ("-c", "core.sshCommand=touch {marker}"),
    ("http://example.invalid/repo.git", "main"),
])
def test_git_refs_and_urls_cannot_run_commands(repo, tmp_path, url, ref):
    marker = tmp_path / MARKER
    before = outside_cache(tmp_path)
    with pytest.raises(SourceError) as error:
        resolve_source(url.format(marker=marker, repo=repo), ref.format(marker=marker))
    assert "\n" not in str(error.value)
    assert not marker.exists() and outside_cache(tmp_path) == before


def test_open_refuses_a_ref_that_is_an_option(repo, tmp_path, monkeypatch):
    launched = []
    monkeypatch.setattr("explorer.cli.open.launch", lambda *args: launched.append(args))
    result = CliRunner().invoke(main, ["open", str(repo), "--ref",
                                       f"--upload-pack=touch {tmp_path / MARKER}"])
    assert result.exit_code == 2 and "may not start with '-'" in result.output
    assert not launched and not (tmp_path / MARKER).exists()


def test_diff_revisions_cannot_be_options(repo, tmp_path):
    marker = tmp_path / MARKER
    result = CliRunner().invoke(main, ["diff", f"--output={marker}", "main", "--repo",
                                       str(repo)])
    assert result.exit_code != 0 and not marker.exists()
    result = CliRunner().invoke(main, ["diff", "--repo", str(repo), "main", "--",
                                       f"--output={marker}"])
    assert result.exit_code != 0 and "may not start with '-'" in result.output
    assert not marker.exists()


def test_a_cached_clone_is_fetched_again(repo):
    first, _ = resolve_source(str(repo), "main")
    assert {p.name for p in first.rglob("*.json")} == {"one.json"}
    folder = repo / "tests" / "integration" / "inference" / "recordings"
    (folder / "two.json").write_bytes(orjson.dumps(GOOD))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two")
    again, _ = resolve_source(str(repo), "main")
    assert again == first and {p.name for p in again.rglob("*.json")} == {"one.json",
                                                                          "two.json"}
