"""Terminal text for a check report and for a replay miss (recording text made plain)."""

from __future__ import annotations

from explorer.health.check import CheckReport
from explorer.health.explain import Miss
from explorer.health.status import STATUSES

LISTED = ("stale", "misplaced", "unexplained")
MAX_LISTED = 200


def plain(text: object) -> str:
    """Recording-derived text for a terminal: control characters shown escaped."""
    value = "" if text is None else str(text)
    if value.isprintable():
        return value
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in value)


def report_text(report: CheckReport) -> str:
    summary = report.summary()
    lines = [f"{'status':<12} {'files':>7} {'bytes':>14}"]
    for status in STATUSES:
        counts = summary[status]
        lines.append(f"{status:<12} {counts['files']:>7,} {counts['bytes']:>14,}")
    total = summary["total"]
    lines.append(f"{'total':<12} {total['files']:>7,} {total['bytes']:>14,}")
    if summary["stale_by_rule"]:
        lines.append("stale by rule: " + ", ".join(f"{rule} {count}" for rule, count
                                                   in summary["stale_by_rule"].items()))
    for status in LISTED:
        entries = [e for e in report.recordings if e["status"] == status]
        if entries:
            lines += ["", f"{status} ({len(entries)}):"]
            lines += [_entry_line(e) for e in entries[:MAX_LISTED]]
            if len(entries) > MAX_LISTED:
                lines.append(f"  … {len(entries) - MAX_LISTED} more (--paths {status})")
    lines += _duplicate_lines(report.duplicates) + _gone_lines(report)
    unless = sum(1 for e in report.recordings if e.get("unless"))
    if unless:
        lines += ["", (f"{unless} misplaced recording(s) are read if a CI job points the "
                       f"recorder at their folder; the tree does not say, so `--paths "
                       f"misplaced` leaves them out (name the folder with --storage-dir DIR "
                       f"to count it as configured).")]
    lines += ["", ("Nothing was deleted. `explorer check ROOT --paths stale` lists the files "
              "to pass to `git rm`.")]
    return "\n".join(lines)


def _entry_line(entry: dict) -> str:
    rule = f" [{entry['rule']}]" if entry["rule"] and entry["status"] == "stale" else ""
    where = ""
    if entry["status"] == "misplaced":
        where = f" (test {plain(entry['test_id'] or 'none: session-wide')})"
        if entry.get("unless"):
            where += f": {plain(entry['rule'])}"
    return f"  {plain(entry['path'])}{rule}{where}  {entry['bytes'] or 0:,} B"


def _duplicate_lines(duplicates: list[dict]) -> list[str]:
    if not duplicates:
        return []
    lines = ["", f"duplicates ({len(duplicates)} requests with more than one file):"]
    for group in duplicates:
        lines.append(f"  {plain(group['expected_name'])}: the recorder reads "
                     f"{plain(group['read']) if group['read'] else 'none of them'}")
        lines += [f"    {plain(path)}" for path in group["copies"]]
    return lines


def _gone_lines(report: CheckReport) -> list[str]:
    if report.gone_check.startswith("skipped"):
        return ["", f"gone tests: {report.gone_check}"]
    if not report.gone_tests:
        return ["", f"gone tests: none ({report.gone_check} check)"]
    files = sum(len(g["files"]) for g in report.gone_tests)
    lines = ["", (f"gone tests ({report.gone_check} check): {len(report.gone_tests)} tests, "
             f"{files} recordings")]
    for group in report.gone_tests:
        lines.append(f"  {plain(group['test_id'])}: {plain(group['reason'])} "
                     f"({len(group['files'])} files, {group['bytes']:,} B)")
    return lines


def miss_text(miss: Miss) -> str:
    lines = [f"request hash {miss.request_hash}",
             f"  test: {plain(miss.test_id) if miss.test_id else 'none (session-wide)'}",
             f"  looks for {plain(miss.expected_name)} in " + ", then ".join(miss.folders)]
    if miss.found:
        lines.append("  found: " + ", ".join(plain(p) for p in miss.found))
        return "\n".join(lines)
    lines.append("  no such file where the recorder looks")
    lines += [f"  a file with that name sits elsewhere (misplaced): {plain(p)}"
              for p in miss.elsewhere]
    if not miss.nearest:
        lines.append("  no recording of the same test to compare with")
    for near in miss.nearest:
        lines.append(f"  nearest: {plain(near.path)}")
        lines += [f"    {plain(name)}: {plain(before)} → {plain(after)}"
                  for name, before, after in near.differences]
    return "\n".join(lines)
