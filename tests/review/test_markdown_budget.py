"""The comment spends its characters on what matters: behaviour first, every added and removed
recording counted by test file, bookkeeping as counts per folder, commands that work."""

from __future__ import annotations

import re
import shlex
import subprocess

from click.testing import CliRunner
from support.review_shapes import (
    chat_completion,
    chat_request,
    recording,
    sha_name,
    write_recording,
)

from explorer.cli.main import main
from explorer.review.diff import diff_trees
from explorer.review.markdown import LIMIT, markdown


def _doc(test: int, call: int) -> dict:
    test_id = f"tests/integration/inference/test_file_{test % 40}.py::test_{test}[txt=ollama]"
    return recording(test_id, chat_request([{"role": "user", "content": f"q{test}-{call}"}]),
                     chat_completion("a" * 50))


def _tables(text: str, title: str) -> list[list[int]]:
    section = text.split(title, 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| .+? \| ([\d,]+) \| ([\d,]+) \|$", section, flags=re.MULTILINE)
    return [[int(n.replace(",", "")) for n in row] for row in rows]


def test_every_added_and_removed_recording_is_counted_even_when_lists_do_not_fit(tmp_path):
    for number in range(300):
        write_recording(tmp_path / "base", "inference", sha_name(number), _doc(number, 0))
    for number in range(150, 1_350):
        write_recording(tmp_path / "head", "inference", sha_name(number),
                        _doc(number, 0 if number < 300 else 1))
    diff = diff_trees(tmp_path / "base", tmp_path / "head")
    text = markdown(diff)
    assert len(text) <= LIMIT
    counts = _tables(text, "### Added and removed recordings (1,050 added, 150 removed)")
    assert sum(a for a, _ in counts) == 1_050 and sum(r for _, r in counts) == 150
    assert re.search(r"added recordings \([\d,]+ of 1,050 listed\)", text)
    assert text.index("### Behaviour changes") < text.index("### Added and removed")


def test_bookkeeping_is_counts_per_folder_not_lists(tmp_path):
    for side, created in (("base", 0), ("head", 1767225600)):
        for number in range(200):
            document = _doc(number, 0)
            document["response"]["body"]["__data__"]["created"] = created
            area = "inference" if number % 2 else "responses"
            write_recording(tmp_path / side, area, sha_name(number), document)
    text = markdown(diff_trees(tmp_path / "base", tmp_path / "head"))
    assert "### Bookkeeping (200 recordings, no behaviour change)" in text
    assert "| `tests/integration/inference` | 100 | 0 | 0 |" in text
    assert sha_name(3)[:10] not in text  # no file list


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_the_suggested_command_works_as_printed_for_revisions(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "a@b.c")
    _git(repo, "config", "user.name", "a")
    for number in range(3):
        write_recording(repo, "inference", sha_name(number), _doc(number, 0))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    write_recording(repo, "inference", sha_name(9), _doc(9, 0))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "head")
    text = markdown(diff_trees("HEAD~1", "HEAD", repo=repo))
    command = re.search(r"`(explorer diff [^`]+)`", text)
    assert command, text
    words = shlex.split(command.group(1))
    assert "--repo" in words and words[words.index("--repo") + 1] == "."
    import os

    old = os.getcwd()
    os.chdir(repo)
    try:
        out = CliRunner().invoke(main, words[1:])
    finally:
        os.chdir(old)
    assert out.exit_code == 0, out.output
    assert '"added"' in out.output
