"""A repository-like tree whose recording names are computed here, under each naming rule.

The names are computed independently of `explorer.health.rules`: each fixture spells out the
exact dict the recorder hashes (with its normalized body written by hand), so a test fails if
the explorer normalizes differently. `make_repo(tmp)` returns the tree and, per file, the
status and rule `explorer check` must give it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

CHAT_TEST = "tests/integration/inference/test_chat.py::test_chat[txt=openai/gpt-4o]"
CLASS_TEST = "tests/integration/inference/test_chat.py::TestChat::test_stream"
RESP_TEST = "tests/integration/responses/test_search.py::test_file_search"
GONE_TEST = "tests/integration/inference/test_chat.py::test_removed_long_ago"
GONE_FILE_TEST = "tests/integration/vision/test_old.py::test_image"
URL = "http://localhost:8000/v1/chat/completions"

TEST_FILES = {
    "tests/integration/inference/test_chat.py":
        "import pytest\n\n\ndef test_chat():\n    pass\n\n\nclass TestChat:\n"
        "    def test_stream(self):\n        pass\n",
    "tests/integration/responses/test_search.py": "def test_file_search():\n    pass\n",
}


def sha(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def chat_body(text: str, **extra) -> dict:
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": text}],
            "stream": False, **extra}


def chat_response(text: str = "ok") -> dict:
    return {"body": {"__type__": "openai.types.chat.chat_completion.ChatCompletion",
                     "__data__": {"id": "rec-1", "object": "chat.completion", "created": 0,
                                  "model": "gpt-4o", "choices": [{
                                      "index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": text}}]}},
            "is_streaming": False}


def inference(body: dict, url: str = URL) -> dict:
    endpoint = "/v1/" + url.split("/v1/", 1)[1]
    return {"method": "POST", "url": url, "headers": {}, "body": body, "endpoint": endpoint,
            "model": body.get("model", "")}


@dataclass
class Repo:
    root: Path
    expected: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # path → (status, rule)
    duplicate: tuple[str, str] | None = None  # (read copy, other copy)
    current_of_stale: str = ""  # today's name of the no-file-search recording

    def add(self, rel: str, doc: dict, status: str, rule: str | None) -> str:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, indent=2) + "\n")
        self.expected[rel] = (status, rule)
        return rel


def recording(test_id: str | None, request: dict, response: dict | None = None) -> dict:
    return {"test_id": test_id, "request": request, "response": response or chat_response(),
            "id_normalization_mapping": {}}


def rec_dir(area: str) -> str:
    return f"tests/integration/{area}/recordings"


def make_repo(tmp: Path) -> Repo:
    repo = Repo(tmp / "repo")
    for rel, text in TEST_FILES.items():
        (repo.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / rel).write_text(text)
    _current(repo)
    _older(repo)
    _special_shapes(repo)
    _oddities(repo)
    return repo


def _current(repo: Repo) -> None:
    # floats round to 5 places, and long decimals inside strings too
    body = chat_body("pi is 3.14159265", temperature=0.123456789)
    name = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": CHAT_TEST,
                "body": chat_body("pi is 3.14159", temperature=0.12346)})
    repo.add(f"{rec_dir('inference')}/{name}.json", recording(CHAT_TEST, inference(body)),
             "reachable", "current")
    # project_id leaves extra_body; a bedrock host drops stream_options
    body = chat_body("hi", extra_body={"project_id": "p-1", "guided_choice": ["a"]},
                     stream_options={"include_usage": True})
    url = "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1/chat/completions"
    hashed = chat_body("hi", extra_body={"guided_choice": ["a"]})
    name = sha({"method": "POST", "endpoint": "/openai/v1/chat/completions",
                "test_id": CLASS_TEST, "body": hashed})
    repo.add(f"{rec_dir('inference')}/{name}.json", recording(CLASS_TEST, inference(body, url)),
             "reachable", "current")
    # list items count as top level for project_id; a nested dict does not
    body = chat_body("items", tools=[{"type": "x", "extra_body": {"project_id": "p-2"}}],
                     metadata={"extra_body": {"project_id": "kept"}})
    hashed = chat_body("items", tools=[{"type": "x", "extra_body": {}}],
                       metadata={"extra_body": {"project_id": "kept"}})
    name = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": CHAT_TEST,
                "body": hashed})
    repo.add(f"{rec_dir('inference')}/{name}.json", recording(CHAT_TEST, inference(body)),
             "reachable", "current")
    # a session-wide call (no test id) in the common fallback
    body = chat_body("warm up")
    name = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": None,
                "body": body})
    repo.add(f"{rec_dir('common')}/{name}.json", recording(None, inference(body)),
             "reachable", "current")


FILE_SEARCH_TEXT = ("[1] document_id: 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, score: 0.8123, "
                    "attributes: {'lang': 'en'} <|0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b|>")
FILE_SEARCH_NORMALIZED = "[1] document_id: __NORMALIZED__, score: __NORMALIZED__ <|__NORMALIZED__|>"


def _older(repo: Repo) -> None:
    # today: placeholders; the no-file-search recorder kept the text as it was
    body = chat_body(FILE_SEARCH_TEXT)
    old = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": RESP_TEST,
               "body": chat_body(FILE_SEARCH_TEXT.replace("0.8123", "0.81230"))})
    repo.add(f"{rec_dir('responses')}/{old}.json", recording(RESP_TEST, inference(body)),
             "stale", "no-file-search")
    today = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": RESP_TEST,
                 "body": chat_body(FILE_SEARCH_NORMALIZED)})
    repo.current_of_stale = f"{today}.json"
    # the raw-body recorder hashed floats as sent
    body = chat_body("weather", temperature=0.7000001)
    raw = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": CHAT_TEST,
               "body": body})
    repo.add(f"{rec_dir('inference')}/{raw}.json", recording(CHAT_TEST, inference(body)),
             "stale", "raw-body")
    # 2025 trees: 12 hex digits, no test id, one responses/ folder
    body = chat_body("old times", temperature=0.123456789)
    short = sha({"method": "POST", "endpoint": "/v1/chat/completions", "body": body})[:12]
    doc = recording(None, inference(body))
    del doc["test_id"], doc["id_normalization_mapping"]
    repo.add(f"tests/integration/recordings/responses/{short}.json", doc, "stale",
             "short-no-test-id")


def _special_shapes(repo: Repo) -> None:
    models = [{"__type__": "openai.types.model.Model",
               "__data__": {"id": name, "object": "model", "created": 1, "owned_by": "x"}}
              for name in ("gpt-4o", "gpt-4o-mini", "gpt-4o")]
    digest = hashlib.sha256(b"gpt-4o|gpt-4o-mini").hexdigest()[:8]
    request = {"method": "POST", "url": "http://localhost:8000/v1/models", "headers": {},
               "body": {}, "endpoint": "/v1/models", "model": ""}
    name = sha({"method": "POST", "endpoint": "/v1/models", "body": {}})  # no test_id
    repo.add(f"{rec_dir('common')}/models-{name}-{digest}.json",
             recording(CHAT_TEST, request, {"body": models, "is_streaming": False}),
             "reachable", "current")
    tool = {"test_id": CHAT_TEST, "provider": "tavily", "tool_name": "web_search",
            "kwargs": {"query": "weather in Paris"}}
    name = sha({"provider": "tavily", "tool_name": "web_search",
                "kwargs": {"query": "weather in Paris"}})
    repo.add(f"{rec_dir('inference')}/{name}.json",
             recording(CHAT_TEST, tool, {"body": {"content": "sunny"}, "is_streaming": False}),
             "reachable", "current")
    payload = {"model": "rerank-1", "query": "q", "documents": ["a", "b"], "threshold": 0.3333333}
    url = "http://localhost:9000/v1/ranking/rerank"
    http = {"test_id": CHAT_TEST, "url": url, "method": "POST", "payload": payload}
    name = sha({"test_id": CHAT_TEST, "url": url, "method": "POST",
                "payload": {**payload, "threshold": 0.33333}})
    repo.add(f"{rec_dir('inference')}/{name}.json", recording(CHAT_TEST, http, {
        "status": 200, "body": {"rankings": [{"index": 0, "logit": 1.0}]},
        "is_streaming": False}), "reachable", "current")


def _oddities(repo: Repo) -> None:
    # right name, wrong folder: the recorder reads inference/recordings and common/recordings
    body = chat_body("misplaced")
    name = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": CHAT_TEST,
                "body": body})
    repo.add(f"{rec_dir('safety')}/{name}.json", recording(CHAT_TEST, inference(body)),
             "misplaced", "current")
    # one request, two files: the test's folder wins over the fallback
    body = chat_body("twice")
    name = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": CHAT_TEST,
                "body": body})
    first = repo.add(f"{rec_dir('inference')}/{name}.json", recording(CHAT_TEST, inference(body)),
                     "reachable", "current")
    second = repo.add(f"{rec_dir('common')}/{name}.json", recording(CHAT_TEST, inference(body)),
                      "reachable", "current")
    repo.duplicate = (first, second)
    # no rule gives this name
    repo.add(f"{rec_dir('inference')}/{'ab' * 32}.json",
             recording(CHAT_TEST, inference(chat_body("renamed by hand"))), "unexplained", None)
    # file processors are not named by hash
    repo.add(f"{rec_dir('inference')}/file-processor.json",
             recording(CHAT_TEST, {"provider": "pypdf", "api": "file_processors",
                                   "file_id": "file-1"}, {"body": {"chunks": []}}),
             "not-hashed", None)
    # tests that are gone: a removed function, a removed file
    for test_id, text in ((GONE_TEST, "gone function"), (GONE_FILE_TEST, "gone file")):
        body = chat_body(text)
        name = sha({"method": "POST", "endpoint": "/v1/chat/completions", "test_id": test_id,
                    "body": body})
        area = test_id.split("/")[2]
        repo.add(f"{rec_dir(area)}/{name}.json", recording(test_id, inference(body)),
                 "reachable", "current")
