"""`explorer check ROOT`: which recordings today's recorder can still read, and why a replay
misses (`--request FILE --test-id ID`, or `--log FILE`). Never deletes anything."""

from __future__ import annotations

import json

import click

from explorer.api import (
    STATUSES,
    CheckReport,
    load_index,
    miss_text,
    report_text,
    storage_from_option,
)
from explorer.api import check as check_index
from explorer.cli.options import no_cache_option, report_problems
from explorer.cli.pathlist import nul_option, print_paths
from explorer.safety.text import echo


@click.command("check")
@click.argument("root", type=click.Path(file_okay=False))
@click.option("--format", "output_format", type=click.Choice(("table", "json")),
              default="table", show_default=True, help="Output format.")
@click.option("--paths", "paths_status", type=click.Choice(STATUSES), metavar="STATUS",
              help="Print only the paths (relative to ROOT) with this status, one a line "
                   "(names with blanks, quotes or control characters quoted as git quotes "
                   "them), e.g. to feed `git rm`; add -z for NUL-terminated paths.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when any recording is stale or misplaced (for CI).")
@click.option("--collected", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
              help="Output of `pytest --collect-only -q`: a recording whose test id is not "
                   "listed is reported as gone (instead of the static check).")
@click.option("--request", "request_file", type=click.Path(dir_okay=False, exists=True),
              metavar="FILE", help="Explain a replay miss for this request (url, method, "
                                   "body as recorded, or a whole recording).")
@click.option("--test-id", default=None, help="The test id the request ran under (--request).")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
              help="Explain every \"Recording not found for request hash\" line of a CI log.")
@click.option("--storage-dir", "storage_dirs", multiple=True, metavar="DIR",
              help="A folder (relative to the repository) a CI job points the recorder at "
                   "(OGX_TEST_RECORDING_DIR): recordings in DIR/recordings are reachable. "
                   "Repeatable; adds to the folders the repository's workflows, scripts and "
                   "pytest configuration set.")
@nul_option
@no_cache_option
def check(root: str, output_format: str, paths_status: str | None, strict: bool,
          collected: str | None, request_file: str | None, test_id: str | None,
          log_file: str | None, storage_dirs: tuple[str, ...], nul: bool,
          no_cache: bool) -> None:
    """Check every recording under ROOT against the recorder's naming rules.

    Each recording gets one status: reachable (today's rule gives its name and it sits where
    the recorder looks), stale (only an older rule gives its name), misplaced (right name,
    a folder the recorder never reads), unexplained (no known rule gives its name: it cannot
    be verified), not-hashed. Also lists duplicate files for one request and recordings whose
    test is gone. ROOT may be the repository, its tests/integration or a recordings folder.

    Folders the repository points the recorder at (OGX_TEST_RECORDING_DIR, or
    LLAMA_STACK_TEST_RECORDING_DIR in older trees, set in its workflows, scripts or pytest
    configuration, plus --storage-dir) are read from the repository: a recording in such a
    folder's recordings/ is reachable and its rule names the setting. Where the tree cannot
    tell, the verdict is "misplaced unless a job sets … to …" and --paths misplaced leaves
    it out.
    """
    try:
        frame = load_index(root, cache=not no_cache).frame
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    report_problems(frame, strict=False)
    if request_file or log_file:
        _explain(frame, root, request_file, test_id, log_file, output_format)
        return
    try:
        extra = storage_from_option(storage_dirs)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    report = check_index(frame, root, collected, storage_dirs=extra).report
    _print_report(report, output_format, paths_status, nul)
    if strict and report.failing:
        raise click.ClickException(f"{report.failing} recording(s) are stale or misplaced "
                                   f"(--strict); list them with --paths stale / --paths "
                                   f"misplaced")


def _print_report(report: CheckReport, output_format: str, paths_status: str | None,
                  nul: bool = False) -> None:
    if paths_status:
        print_paths(report.paths(paths_status), nul)
    elif output_format == "json":
        echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        echo(report_text(report))


def _explain(frame, root: str, request_file: str | None, test_id: str | None,
             log_file: str | None, output_format: str) -> None:
    from explorer.api import explain_log, explain_request, load_request

    try:
        if request_file:
            request, file_test_id = load_request(request_file)
            misses = [explain_request(frame, root, request, test_id or file_test_id)]
        else:
            with open(log_file, encoding="utf-8", errors="replace") as handle:
                misses = explain_log(frame, root, handle.read())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if output_format == "json":
        echo(json.dumps([miss.as_json() for miss in misses], indent=2, ensure_ascii=False))
    elif not misses:
        echo("no \"Recording not found for request hash\" line in the log")
    else:
        echo("\n\n".join(miss_text(miss) for miss in misses))
