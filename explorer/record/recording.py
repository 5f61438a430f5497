"""One recording: read it, classify it, expose its chunks, replay states and conversation."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import ExplorerError
from explorer.record import classify
from explorer.record.replay import Accumulator, Replay, State
from explorer.safety import jsontext
from explorer.safety.names import shown
from explorer.safety.size import TooLarge, too_large_reason
from explorer.wire import FAMILIES, stream_chunks, unknown_type, unwrap
from explorer.wire.base import Delta, Tool, Turn, as_dict, as_str


class RecordingError(ExplorerError):
    """A file that cannot be read as a recording; the message says why, for a person."""


class LinkAtPath(Exception):
    """`read_document(..., follow_link=False)` found a symlink where the file should be."""


def read_document(path: str | Path, follow_link: bool = True) -> tuple[Any, int]:
    """Parse one file; raise RecordingError with a reason a person can act on. Without
    `follow_link`, a symlink at `path` is not opened: LinkAtPath says it is one (checked by the
    open itself, so there is no window between a check and the read)."""
    try:
        data = read_bytes(path, follow_link)
    except FileNotFoundError:
        raise RecordingError("file disappeared while reading it") from None
    except IsADirectoryError:
        raise RecordingError("is a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_link:
            raise LinkAtPath(str(path)) from None
        raise RecordingError(f"cannot read the file ({exc.strerror or exc}); check its "
                             f"permissions") from None
    return parse_bytes(data, checked=True), len(data)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_NO_LINK = _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)


def read_bytes(path: str | Path, follow_link: bool = True) -> bytes:
    """The file's bytes with the fewest calls (the index reads thousands of files): open,
    fstat, one read of one byte more than the size (a regular file reads short only at its
    end; a file that grew since the fstat is read on to its end). A file above the size
    budget is refused before anything is read (RecordingError with its size); one that grew
    past it while read is refused after."""
    fd = os.open(path, _OPEN_FLAGS if follow_link else _NO_LINK)
    try:
        size = os.fstat(fd).st_size
        reason = too_large_reason(size)
        if reason is not None:
            raise RecordingError(reason)
        parts = [os.read(fd, size + 1)]
        if len(parts[0]) > size:  # it grew since the fstat: read on to the end
            while parts[-1]:
                parts.append(os.read(fd, 1 << 20))
    finally:
        os.close(fd)
    data = parts[0] if len(parts) <= 2 else b"".join(parts)
    if len(data) > size:
        reason = too_large_reason(len(data))
        if reason is not None:
            raise RecordingError(reason)
    return data


def parse_bytes(data: bytes, checked: bool = False) -> Any:
    """The document in `data`; `checked`: its size is known to be within the budget."""
    if isinstance(data, TooLarge):
        raise RecordingError(data.reason)
    if not checked:
        reason = too_large_reason(len(data))
        if reason is not None:
            raise RecordingError(reason)
    if (not data or data[:1].isspace()) and not data.strip():  # no copy of a whole file
        raise RecordingError("empty file; re-record the test or delete the file")
    try:
        return jsontext.loads(data)
    except orjson.JSONDecodeError as exc:
        if b"\x00" in data[:1024] or _not_utf8(data):
            raise RecordingError("not UTF-8 text (binary or wrongly encoded); re-record the "
                                 "test or delete the file") from None
        raise RecordingError(f"invalid JSON ({exc}); the file may be truncated, re-record "
                             f"the test") from None


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@dataclass
class Parsed:
    """What the index and the replay both need from one document."""

    request: dict
    response: dict
    shape: str
    family: str
    kind: str
    endpoint: str | None
    streaming: bool
    body: Any
    chunks: list | None
    test_id: str | None
    issues: list[str] = field(default_factory=list)  # unexpected shapes, for the problems list

    @property
    def module(self):
        return FAMILIES[self.family]

    def deltas(self) -> list[Delta]:
        module = self.module
        if self.chunks is not None:
            return [module.chunk(c) if isinstance(c, dict) else Delta() for c in self.chunks]
        if self.body is None:
            return []
        return [module.whole(unwrap(self.body))]

    def summary(self) -> Accumulator:
        """The fold as far as the index needs: usage, finish reason, model, tool calls and
        errors. Once the model is known, a chunk its family says adds only text (or argument
        text to a tool call already begun) is skipped, never built into a delta (so the
        summary's text, arguments and step count are partial; replay folds every chunk)."""
        acc = Accumulator()
        if self.chunks is None:
            for delta in self.deltas():
                acc.add(delta)
            return acc
        module, chunks = self.module, self.chunks
        chunk, text_run_end = module.chunk, getattr(module, "text_run_end", None)
        position, end = 0, len(chunks)
        while position < end:
            if acc.model is not None and text_run_end is not None:
                position = text_run_end(chunks, position, acc.slots)
                if position == end:
                    break
            item = chunks[position]
            position += 1
            if type(item) is dict:  # anything else is an empty step: nothing the index reads
                acc.add(chunk(item))
        return acc

    def request_body(self) -> Any:
        if self.shape in ("tool", "file"):
            return self.request
        return self.request.get("payload", self.request.get("body"))


def parse_document(doc: Any) -> Parsed:
    """Classify a decoded document; raise RecordingError when it is not a recording at all."""
    if not isinstance(doc, dict):
        raise RecordingError(f"top level is a JSON {_json_type(doc)}, not an object with "
                             f"`request` and `response`; not a recording")
    issues = []
    request, response = doc.get("request"), doc.get("response")
    if not isinstance(request, dict):
        issues.append(f"`request` is {_json_type(request)}, expected an object")
        request = {}
    if not isinstance(response, dict):
        issues.append(f"`response` is {_json_type(response)}, expected an object")
        response = {}
    body = response.get("body")
    streaming = response.get("is_streaming") is True
    chunks = None
    if isinstance(body, list) and (streaming or _is_sse(body)):
        chunks = stream_chunks(body)
        bad = _not_objects(chunks)
        if bad:
            issues.append(f"{len(bad)} chunk(s) are not JSON objects (first at chunk {bad[0]})")
    elif streaming:
        issues.append(f"`is_streaming` is true but the body is {_json_type(body)}, not a list")
    strange = unknown_type(body)
    if strange:
        issues.append(f"unknown __type__ {strange!r}: read as plain JSON, so usage and text "
                      f"may be missing; the explorer needs a format module for it")
    shape = classify.request_shape(request)
    endpoint = classify.endpoint_of(request, shape)
    test_id = doc.get("test_id") or request.get("test_id")
    return Parsed(request, response, shape, classify.family_of(request, shape, endpoint, body),
                  classify.kind_of(shape, endpoint, body), endpoint, streaming, body, chunks,
                  test_id if isinstance(test_id, str) else None, issues)


def _not_objects(chunks: list) -> list[int]:
    """Positions of the chunks that are not JSON objects; one pass over the chunks' types
    (no call per chunk) decides the common case, where there are none."""
    if set(map(type, chunks)) <= {dict}:
        return []
    return [i for i, c in enumerate(chunks) if not isinstance(c, dict)]


def _is_sse(body: list) -> bool:
    return bool(body) and isinstance(body[0], str) and body[0].startswith("event:")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return "missing" if value is None else names.get(type(value), type(value).__name__)


def error_of(parsed: Parsed, errors: list[str]) -> str | None:
    """A short error message when the call failed, else None."""
    response = parsed.response
    if response.get("is_exception"):
        data = as_dict(response.get("exception_data"))
        message = (as_str(as_dict(data.get("body")).get("message")) or as_str(data.get("message"))
                   or as_str(response.get("exception_message")) or "exception recorded")
        return _short(message)
    status = response.get("status")
    if isinstance(status, int) and status >= 400:
        body = as_dict(unwrap(parsed.body))
        inner = body.get("error")
        message = as_str(as_dict(inner).get("message")) or as_str(inner) or as_str(
            body.get("message"))
        return _short(f"HTTP {status}: {message}" if message else f"HTTP {status}")
    return _short(errors[0]) if errors else None


def _short(message: str, limit: int = 200) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Recording:
    """One recorded request and its response, with replay of the response."""

    def __init__(self, path: Path, doc: Any) -> None:
        self.path = path
        self.document = doc
        self.parsed = parse_document(doc)
        self._replay = Replay(self.parsed.deltas())

    @property
    def family(self) -> str:
        return self.parsed.family

    @property
    def kind(self) -> str:
        return self.parsed.kind

    @property
    def endpoint(self) -> str | None:
        return self.parsed.endpoint

    @property
    def test_id(self) -> str | None:
        return self.parsed.test_id

    @property
    def streaming(self) -> bool:
        return self.parsed.streaming

    @property
    def model(self) -> str | None:
        return classify.model_of(self.parsed.request)

    @property
    def chunks(self) -> list:
        """The raw chunk objects (unwrapped); a non-streamed body is one chunk."""
        if self.parsed.chunks is not None:
            return self.parsed.chunks
        return [] if self.parsed.body is None else [unwrap(self.parsed.body)]

    @property
    def n_chunks(self) -> int:
        return self._replay.n_chunks

    def state_at(self, step: int) -> State:
        return self._replay.state_at(step)

    @property
    def final(self) -> State:
        return self._replay.state_at(self.n_chunks)

    @property
    def messages(self) -> list[Turn]:
        return self.parsed.module.conversation(self.parsed.request_body())

    @property
    def tools(self) -> list[Tool]:
        return self.parsed.module.tools(self.parsed.request_body())

    @property
    def error(self) -> str | None:
        return error_of(self.parsed, self._replay.accumulator.errors)

    @property
    def checks(self) -> list[str]:
        """Replay checks (invalid tool JSON, missing usage, ...) and shape issues."""
        return self.parsed.issues + self._replay.checks(self.streaming)


def load_recording(path: str | Path) -> Recording:
    """Load one recording file; raises RecordingError (with the reason) if it is not one."""
    path = Path(path).expanduser()
    try:
        return Recording(path, read_document(path)[0])
    except RecordingError as exc:
        raise RecordingError(f"{shown(str(path))}: {exc}") from None
