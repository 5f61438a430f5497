"""One good recording (an ollama generate call), the readable neighbour of damaged files."""

from __future__ import annotations

GOOD = {
    "test_id": "tests/integration/inference/test_x.py::test_ok[txt=ollama/llama3.2:3b]",
    "request": {"method": "POST", "url": "http://localhost:11434/api/generate",
                "endpoint": "/api/generate", "model": "llama3.2:3b",
                "body": {"model": "llama3.2:3b", "prompt": "hi", "stream": False}},
    "response": {"is_streaming": False, "body": {
        "__type__": "ollama._types.GenerateResponse",
        "__data__": {"model": "llama3.2:3b", "done": True, "done_reason": "stop",
                     "response": "hello", "prompt_eval_count": 3, "eval_count": 2}}},
}
