"""Where a repository points its recorder: the storage folders its own settings name.

The recorder reads recordings without a test context (and, as a fallback, every recording)
from `<storage dir>/recordings/`, where the storage dir is `OGX_TEST_RECORDING_DIR`
(`LLAMA_STACK_TEST_RECORDING_DIR` in older trees), by default `tests/integration/common`.
A CI job that sets it elsewhere makes that folder reachable. This module reads the settings
from the repository's workflows, actions, scripts and pytest configuration (text search, no
code run), so `explorer check` does not call a configured folder misplaced.

Parsing is by plain string search (no regular expression), linear in the size of each file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SETTINGS = ("OGX_TEST_RECORDING_DIR", "LLAMA_STACK_TEST_RECORDING_DIR")
CONFIG_FILES = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg", "conftest.py",
                "tests/conftest.py", "tests/integration/conftest.py", "Makefile")
SEARCHED = ((".github/workflows", (".yml", ".yaml")), (".github/actions", (".yml", ".yaml")),
            ("scripts", (".sh", ".py", ".bash", ".yml", ".yaml")))
MAX_FILES = 2_000
MAX_BYTES = 1_000_000
MAX_LINE = 400  # characters read after a setting's name for its value
CLI = "--storage-dir"


@dataclass(frozen=True)
class StorageDir:
    """A storage folder (relative to the repository, POSIX parts) and where it was set."""

    folder: tuple[str, ...] | None  # None: set from a value the tree cannot resolve
    setting: str  # OGX_TEST_RECORDING_DIR, LLAMA_STACK_TEST_RECORDING_DIR or --storage-dir
    source: str  # the file that sets it (relative to the repository), or "command line"

    def describe(self) -> str:
        where = "/".join(self.folder) if self.folder else "an unresolved value"
        if self.setting == CLI:
            return f"{CLI} {where}"
        return f"{self.setting}={where} ({self.source})"


def configured(repo: Path) -> list[StorageDir]:
    """Every storage folder the repository's own files set, in file order."""
    found: list[StorageDir] = []
    for path in _candidates(repo):
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        source = path.relative_to(repo).as_posix()
        for setting, value in assignments(text):
            found.append(StorageDir(resolve(value), setting, source))
    return found


def _candidates(repo: Path) -> list[Path]:
    paths = [repo / name for name in CONFIG_FILES if (repo / name).is_file()]
    for folder, suffixes in SEARCHED:
        top = repo / folder
        if not top.is_dir():
            continue
        for base, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            paths += [Path(base, name) for name in sorted(files) if name.endswith(suffixes)]
            if len(paths) > MAX_FILES:
                return paths[:MAX_FILES]
    return paths


def assignments(text: str) -> list[tuple[str, str]]:
    """(setting, raw value) for each place `text` gives a setting a value: `NAME=value`,
    `NAME: value` (YAML env), `NAME", "value"` (setenv, setdefault, environ[...] =),
    `${NAME:-value}` (a shell default)."""
    found = []
    for setting in SETTINGS:
        start = text.find(setting)
        while start != -1:
            before = text[start - 1] if start else ""
            end = start + len(setting)
            if not (before.isalnum() or before == "_"):  # OGX_… is not LLAMA_STACK_OGX_…
                value = _value_after(text, end)
                if value is not None:
                    found.append((setting, value))
            start = text.find(setting, end)
    return found


def _value_after(text: str, at: int) -> str | None:
    line_end = text.find("\n", at, at + MAX_LINE)  # bounded: linear however long a line is
    rest = text[at: line_end if line_end != -1 else at + MAX_LINE]
    if rest.startswith(":-"):
        return _token(rest[2:], "}")
    stripped = rest.lstrip("\"'] ")
    if stripped.startswith(("=", ":")):
        return _token(stripped[1:].lstrip("= "), "")
    if stripped.startswith(","):
        return _token(stripped[1:].lstrip(" "), "")
    return None


def _token(text: str, stop: str) -> str | None:
    text = text.strip()
    quote = text[:1] if text[:1] in "\"'" else ""
    if quote:
        end = text.find(quote, 1)
        value = text[1:end] if end != -1 else text[1:]
    else:
        skip = text.find("}}") + 2 if text.startswith("${{") else 0  # a workflow expression
        cut = len(text)
        for mark in (" ", "\t", ";", ")", "#", *stop):
            index = text.find(mark, max(skip, 0))
            if index != -1:
                cut = min(cut, index)
        value = text[:cut]
    return value or None


def resolve(value: str) -> tuple[str, ...] | None:
    """A value as a folder relative to the repository: plain relative paths as they are; a
    value built on a variable (`$(pwd)/…`, `${{ github.workspace }}/…`) by its part from
    `tests/` on; None when nothing in it says where in the tree it points."""
    value = value.strip().rstrip("/")
    if "$" not in value and not value.startswith(("/", "~")):
        parts = PurePosixPath(value).parts
        clean = tuple(p for p in parts if p not in ("", "."))
        return clean if clean and ".." not in clean else None
    parts = value.replace("}", "/").split("/")
    if "tests" in parts:
        tail = tuple(p for p in parts[parts.index("tests"):] if p not in ("", "."))
        return tail if ".." not in tail and "$" not in "".join(tail) else None
    return None


def storage_from_option(values: tuple[str, ...] | list[str]) -> list[StorageDir]:
    """`--storage-dir DIR` values (relative to the repository) as storage folders."""
    out = []
    for value in values:
        folder = resolve(value)
        if folder is None:
            raise ValueError(f"{CLI} {value!r}: give a folder relative to the repository, "
                             f"e.g. {CLI} tests/integration/openresponses")
        out.append(StorageDir(folder, CLI, "command line"))
    return out


def setting_name(repo: Path | None) -> str:
    """The variable this tree's recorder reads: LLAMA_STACK_… in trees from before the
    rename, OGX_… otherwise."""
    if repo is not None and any((repo / p).is_dir() for p in ("llama_stack", "src/llama_stack")):
        return SETTINGS[1]
    return SETTINGS[0]
