"""Reading a recording's bytes: one read for a file as large as its size says, every byte
of a file that grew (or reports no size), and the size budget for both."""

from __future__ import annotations

import os

import pytest

from explorer.record import recording
from explorer.record.recording import RecordingError, read_bytes


class Stat:
    def __init__(self, size: int) -> None:
        self.st_size = size


def test_a_file_is_read_with_one_read(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    path.write_bytes(b'{"request": {}, "response": {}}')
    calls = []
    real_read = os.read
    monkeypatch.setattr(recording.os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    assert read_bytes(path) == path.read_bytes()
    assert len(calls) == 1


@pytest.mark.parametrize("reported", [0, 5, 30])
def test_a_file_larger_than_its_stat_is_read_whole(tmp_path, monkeypatch, reported):
    """A file that grew after the fstat, or one whose size says 0 (/proc, a pipe)."""
    data = b'{"request": {}, "response": {"body": "' + b"x" * 3_000_000 + b'"}}'
    path = tmp_path / "r.json"
    path.write_bytes(data)
    monkeypatch.setattr(recording.os, "fstat", lambda fd: Stat(reported))
    assert read_bytes(path) == data


def test_a_file_that_grew_past_the_budget_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    path.write_bytes(b"x" * 2_000_000)
    monkeypatch.setenv("EXPLORER_MAX_FILE_MB", "1")
    monkeypatch.setattr(recording.os, "fstat", lambda fd: Stat(10))
    with pytest.raises(RecordingError, match="above the size limit"):
        read_bytes(path)
