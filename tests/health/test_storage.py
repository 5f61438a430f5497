"""Storage folders from the repository's own settings: a conformance job that sets
OGX_TEST_RECORDING_DIR makes its folder reachable; where the tree cannot tell, the verdict
says "misplaced unless a job sets …" and `--paths misplaced` does not invite a deletion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.review_shapes import chat_completion, chat_request, recording

from explorer.cli.main import main
from explorer.health.rules import expected_name
from explorer.health.storage import assignments, resolve

FOLDER = "tests/integration/openresponses"
WORKFLOW = """name: OpenResponses conformance
on: [pull_request]
jobs:
  conformance:
    runs-on: ubuntu-latest
    env:
      OGX_TEST_INFERENCE_MODE: replay
      OGX_TEST_RECORDING_DIR: tests/integration/openresponses
    steps:
      - run: uv run pytest tests/integration/openresponses
"""


def _tree(root: Path, workflow: str | None = None, count: int = 3) -> list[str]:
    """A checkout with `count` test-context-free recordings in the conformance folder, named
    as today's recorder names them."""
    (root / "tests/integration/inference").mkdir(parents=True)
    (root / "tests/integration/inference/test_x.py").write_text("def test_x():\n    pass\n")
    paths = []
    for number in range(count):
        request = chat_request([{"role": "user", "content": f"conformance case {number}"}])
        document = recording(None, request, chat_completion("ok"))
        rel = f"{FOLDER}/recordings/{expected_name(request, None)}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(json.dumps(document, indent=2) + "\n")
        paths.append(rel)
    if workflow is not None:
        (root / ".github/workflows").mkdir(parents=True)
        (root / ".github/workflows/conformance.yml").write_text(workflow)
    return paths


def _check(root: Path, *args: str) -> dict:
    out = CliRunner().invoke(main, ["check", str(root), "--format", "json", "--no-cache",
                                    *args])
    assert out.exit_code == 0, out.output
    return {e["path"]: e for e in json.loads(out.output)["recordings"]}


def test_a_folder_a_workflow_points_the_recorder_at_is_reachable(tmp_path):
    paths = _tree(tmp_path, WORKFLOW)
    entries = _check(tmp_path)
    for path in paths:
        assert entries[path]["status"] == "reachable"
        assert entries[path]["rule"] == ("OGX_TEST_RECORDING_DIR=tests/integration/openresponses"
                                         " (.github/workflows/conformance.yml)")
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--paths", "misplaced",
                                    "--no-cache"])
    assert out.exit_code == 0 and out.output == ""


def test_without_the_workflows_the_verdict_says_what_would_make_it_reachable(tmp_path):
    paths = _tree(tmp_path)
    entries = _check(tmp_path)
    for path in paths:
        assert entries[path]["status"] == "misplaced"
        assert entries[path]["rule"] == ("misplaced unless a job sets OGX_TEST_RECORDING_DIR to "
                                         "tests/integration/openresponses")
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--paths", "misplaced",
                                    "--no-cache"])
    assert out.output == ""  # nothing to feed `git rm`
    text = CliRunner().invoke(main, ["check", str(tmp_path), "--no-cache"]).output
    assert "misplaced unless a job sets OGX_TEST_RECORDING_DIR to tests/integration/" \
           "openresponses" in text


def test_storage_dir_option_is_repeatable_and_names_itself(tmp_path):
    paths = _tree(tmp_path)
    entries = _check(tmp_path, "--storage-dir", "tests/integration/elsewhere",
                     "--storage-dir", FOLDER)
    assert {entries[p]["status"] for p in paths} == {"reachable"}
    assert entries[paths[0]]["rule"] == f"--storage-dir {FOLDER}"


def test_with_the_whole_configuration_and_no_setting_it_is_plainly_misplaced(tmp_path):
    paths = _tree(tmp_path, WORKFLOW.replace("OGX_TEST_RECORDING_DIR: tests/integration/"
                                             "openresponses", "OTHER: 1"))
    entries = _check(tmp_path)
    assert {entries[p]["status"] for p in paths} == {"misplaced"}
    assert not any(entries[p].get("unless") for p in paths)


def test_a_bad_storage_dir_is_a_clear_message(tmp_path):
    _tree(tmp_path, count=1)
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--storage-dir", "../outside"])
    assert out.exit_code != 0 and "--storage-dir '../outside'" in out.output
    assert "Traceback" not in out.output


@pytest.mark.parametrize(("text", "folder"), [
    ("export OGX_TEST_RECORDING_DIR=tests/integration/openresponses\n",
     ("tests", "integration", "openresponses")),
    ('export LLAMA_STACK_TEST_RECORDING_DIR="$(pwd)/llama-stack/tests/integration/common"\n',
     ("tests", "integration", "common")),
    ("  OGX_TEST_RECORDING_DIR: ${{ github.workspace }}/tests/integration/openresponses\n",
     ("tests", "integration", "openresponses")),
    ('os.environ.setdefault("OGX_TEST_RECORDING_DIR", "tests/integration/x")\n',
     ("tests", "integration", "x")),
    ("  OGX_TEST_RECORDING_DIR: ${{ inputs.recording-dir }}\n", None),
])
def test_settings_are_read_from_workflow_script_and_python_shapes(text, folder):
    ((setting, value),) = assignments(text)
    assert setting.endswith("_TEST_RECORDING_DIR")
    assert resolve(value) == folder


def test_reading_a_setting_is_linear_on_a_hostile_megabyte():
    """One line of 45,000 names and no value: each is looked at once, never the whole rest."""
    text = " OGX_TEST_RECORDING_DIR" * 45_000 + "=tests/x"
    found = assignments(text)
    assert found[-1] == ("OGX_TEST_RECORDING_DIR", "tests/x") and len(found) == 1


@pytest.mark.real
def test_the_real_conformance_recordings_are_never_listed_for_deletion(shared_recordings):
    root = shared_recordings / "ogx-2026-05"
    entries = _check(root)
    conformance = [e for p, e in entries.items() if p.startswith(f"{FOLDER}/recordings/")]
    assert len(conformance) >= 7
    context_free = [e for e in conformance if not e["test_id"]]
    assert context_free and all(e.get("unless") == f"OGX_TEST_RECORDING_DIR={FOLDER}"
                                for e in context_free)
    listed = CliRunner().invoke(main, ["check", str(root), "--paths", "misplaced"]).output
    assert FOLDER not in listed
    configured = _check(root, "--storage-dir", FOLDER)
    assert all(configured[e["path"]]["status"] == "reachable" for e in context_free)


@pytest.mark.parametrize("workflow", [WORKFLOW, None])
def test_diff_does_not_flag_a_recording_added_to_the_conformance_folder(tmp_path, workflow):
    from explorer.health.pr import health_flags
    from explorer.review.diff import diff_trees

    _tree(tmp_path / "base", workflow, count=1)
    added = _tree(tmp_path / "head", workflow, count=2)[1]
    diff = diff_trees(tmp_path / "base", tmp_path / "head")
    assert added in diff.added
    assert health_flags(diff) == []
