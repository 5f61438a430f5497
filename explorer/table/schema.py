"""The index frame's schema, declared once: name, pandas dtype, meaning.

Everything that builds, caches, exports or documents the frame reads this list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("path", "string", "recording file, POSIX path relative to the indexed root"),
    Column("test_id", "string", "pytest node id that recorded it (NA in old trees and session-wide calls)"),
    Column("test_file", "string", "test file part of test_id, e.g. tests/integration/x/test_y.py"),
    Column("test_name", "string", "test function (with class) part of test_id, without parameters"),
    Column("test_params", "string", "the [...] part of test_id"),
    Column("area", "string", "folder under tests/integration (inference, responses, ...); "
           "`recordings` for the old shared folder tests/integration/recordings/"),
    Column("endpoint", "string", "API endpoint path, e.g. /v1/chat/completions, /api/generate; "
           "tool_runtime/<tool> for tool-runtime calls, file_processors for file processors"),
    Column("method", "string", "HTTP method of the request"),
    Column("provider", "string", "openai, azure, ollama, vertexai, gemini, tavily, ... or NA"),
    Column("model", "string", "model as requested"),
    Column("response_model", "string", "model as the response reports it"),
    Column("kind", "string", "chat, completion, embedding, models, tool, rerank, file_processor, "
           "interaction, message, other"),
    Column("family", "string", "wire format family that parsed the body: openai, ollama, gemini, "
           "anthropic, interactions, tool_runtime, file_processor, http"),
    Column("streaming", "boolean", "response was recorded as a stream of chunks"),
    Column("n_chunks", "Int64", "chunks in the recorded stream (1 for a non-streamed body)"),
    Column("prompt_tokens", "Int64", "input tokens; NA where the recording carries no usage"),
    Column("completion_tokens", "Int64", "output tokens, reasoning/thinking included; NA if unknown"),
    Column("total_tokens", "Int64", "total tokens as reported; where the provider reports "
           "none: prompt + completion (Ollama, Anthropic-style), an Ollama embedding's prompt "
           "tokens; NA if unknown"),
    Column("cached_tokens", "Int64", "input tokens served from the provider's cache; NA if unknown"),
    Column("reasoning_tokens", "Int64", "reasoning/thinking tokens (part of completion_tokens)"),
    Column("tools_declared", "object", "list of tool names the request declared"),
    Column("tools_called", "object", "list of tool names a model's response called, in order "
           "(empty for a tool-runtime recording: the tool ran, no model called it)"),
    Column("first_user", "string", "text of the request's first user message, up to 300 "
           "characters; NA when the request has no user message (embedding and completion "
           "inputs, file processors, tool runtime, rerank) or the first one has no text; "
           "searched by the dashboard"),
    Column("finish_reason", "string", "finish/stop reason of the (first) choice as the provider "
           "wrote it (Ollama: done_reason); Gemini interactions have none, so it is the "
           "interaction's status (completed, requires_action)"),
    Column("is_error", "boolean", "the call failed: exception recorded or HTTP status >= 400"),
    Column("error", "string", "short error message when is_error"),
    Column("status", "Int64", "HTTP status where the recording has one (raw HTTP status, or "
           "the status code of a recorded exception)"),
    Column("size_bytes", "Int64", "file size in bytes"),
    Column("health", "string", "can today's recorder read it: reachable, stale (only an older "
           "naming rule gives its name), misplaced (right name, a folder the recorder never "
           "reads), unexplained (no known rule gives its name), not-hashed"),
    Column("health_rule", "string", "naming rule that gives the file name: current, "
           "no-file-search, raw-body, short-no-test-id; NA when none does"),
    Column("expected_name", "string", "file name today's recorder gives this request"),
    Column("recorded_at", "datetime64[us]", "recording time from an old tree's index.sqlite"),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
DTYPES: dict[str, str] = {c.name: c.dtype for c in COLUMNS}
TOKEN_COLUMNS: tuple[str, ...] = (
    "prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens", "reasoning_tokens",
)


# Added by `load_index(..., git=True)` when the root lies in a git work tree (from the history).
GIT_COLUMNS: tuple[Column, ...] = (
    Column("first_recorded_at", "datetime64[us, UTC]", "commit date of the file's first change "
           "in git (its addition); NA when git has no record of the path"),
    Column("last_changed_at", "datetime64[us, UTC]", "commit date of the file's latest change"),
    Column("times_changed", "Int64", "commits that changed the file, its addition included "
           "(what `git log -- PATH` lists)"),
    Column("client", "string", "SDK or server versions from the request's provider_metadata, "
           "e.g. `openai_sdk 2.5.0`; NA where not recorded"),
)

# The history table: one row per change of a recording, as `git log --no-renames` reports it.
# The index columns describe the version the change left behind (NA for a deletion).
HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("commit", "string", "commit id (40 hex digits)"),
    Column("committed_at", "datetime64[us, UTC]", "commit date (tz-aware, shown in UTC)"),
    Column("subject", "string", "first line of the commit message"),
    Column("path", "string", "recording file, POSIX path relative to the repository root"),
    Column("status", "string", "A (added), M (modified) or D (deleted)"),
    Column("blob", "string", "git blob id of this version; NA for a deletion"),
    *(Column("http_status", c.dtype, "the index's `status`: " + c.meaning)
      if c.name == "status" else c for c in COLUMNS if c.name not in ("path", "recorded_at")),
    GIT_COLUMNS[3],
    Column("problem", "string", "why this version could not be described; NA when it could"),
)
HISTORY_NAMES: tuple[str, ...] = tuple(c.name for c in HISTORY_COLUMNS)


def empty_frame() -> pd.DataFrame:
    """A frame with every column and no rows."""
    return frame_from_records([])


def frame_from_records(rows: list[dict],
                       columns: tuple[Column, ...] = COLUMNS) -> pd.DataFrame:
    """Build the typed frame from row dicts; missing keys become NA."""
    return pd.DataFrame({column.name: _typed([row.get(column.name) for row in rows], column)
                         for column in columns})


def _typed(values: list, column: Column):
    if column.dtype == "object":
        return pd.Series([list(v) if _is_listlike(v) else [] for v in values], dtype=object)
    if column.dtype.startswith("datetime"):
        utc = "UTC" in column.dtype
        return pd.to_datetime(pd.Series(values, dtype=object), utc=utc).astype(column.dtype)
    return pd.array(values, dtype=column.dtype)


def _is_listlike(value) -> bool:
    return isinstance(value, (list, tuple)) or hasattr(value, "tolist")


def markdown_table(columns: tuple[Column, ...] = COLUMNS) -> str:
    """The schema as a Markdown table (the README embeds it)."""
    lines = ["| column | dtype | meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.dtype} | {c.meaning} |" for c in columns]
    return "\n".join(lines)
