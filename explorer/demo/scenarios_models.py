"""The demo's scenarios: which tests recorded what, with which models and providers.

Each scenario takes the `Demo` collector (explorer.demo.build) and adds recordings to it.
"""

from __future__ import annotations

import json

from explorer.demo.shapes import (
    OLLAMA,
    OPENAI,
    completion,
    completion_stream,
    embedding,
    function_tool,
    gemini_chunk,
    gemini_stream,
    gemini_usage,
    inference,
    ollama_object,
    ollama_stream,
    openai_chat,
    openai_stream,
    openai_usage,
)

LLAMA = "llama3.2:3b-instruct-fp16"
GEMINI = "publishers/google/models/gemini-2.5-flash"
MODELS = {  # requested model -> (provider, model the response reports)
    "gpt-4o": ("openai", "gpt-4o-2024-08-06"),
    "gpt-4o-mini": ("openai", "gpt-4o-mini-2024-07-18"),
    "o3-mini": ("openai", "o3-mini-2025-01-31"),
    LLAMA: ("ollama", LLAMA),
    "llama-guard3:1b": ("ollama", "llama-guard3:1b"),
    "gpt-oss:20b": ("ollama", "gpt-oss:20b"),
}
QA = [
    ("Which planet do humans live on?", "Humans live on Earth, the third planet from the Sun."),
    ("What is the capital of France?", "The capital of France is Paris."),
    ("How many legs does a spider have?", "A spider has eight legs."),
    ("Translate 'good morning' to Spanish.", "'Good morning' in Spanish is 'buenos días'."),
    ("What is 12 squared?", "12 squared is 144."),
    ("Who wrote 'Pride and Prejudice'?", "'Pride and Prejudice' was written by Jane Austen."),
    ("What gas do plants absorb from the air?",
     "Plants absorb carbon dioxide from the air and release oxygen."),
    ("Summarize the plot of Hamlet in one sentence.",
     ("Prince Hamlet seeks revenge on his uncle for murdering his father, and the quest ends in "
     "tragedy for nearly everyone at the Danish court.")),
    ("Write a haiku about autumn.",
     "Crisp leaves drift and fall\nAmber light on quiet paths\nThe year exhales slow"),
    ("Explain what a hash table is in two sentences.",
     ("A hash table stores key-value pairs in an array, using a hash function to turn each key "
     "into an index. Lookups, inserts and deletes take constant time on average.")),
]
POLICY = " ".join([
    "You are an access-control assistant for an internal file server.",
    "Always look up the user id before checking permissions.",
    "Never guess a user id or a permission; call the tools.",
    "Use exactly one tool call per step and wait for its result.",
    "Report the final answer as a single word, yes or no, followed by one short reason.",
    "Filenames are case-sensitive and include their extension.",
] * 24)


def tool(name: str, description: str, **params: str) -> dict:
    properties = {key: {"type": "string", "description": text} for key, text in params.items()}
    return function_tool(name, description, properties, list(params))


def call(demo, name: str, **arguments: object) -> dict:
    return {"id": "call_" + "".join(demo.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                    for _ in range(24)),
            "name": name, "arguments": json.dumps(arguments, separators=(",", ":"))}


def chat(demo, area: str, test_id: str, model: str, messages: list, *, stream: bool,
         text: str = "", calls: list | None = None, tools: list | None = None,
         reasoning: str = "", cached: int = 0) -> None:
    """One chat completion on the OpenAI wire (OpenAI itself, or Ollama's /v1)."""
    rng = demo.rng
    provider, answered_by = MODELS[model]
    is_openai = provider == "openai"
    url = OPENAI + "/chat/completions" if is_openai else OLLAMA + "/v1/v1/chat/completions"
    body = {"model": model, "messages": messages, "stream": stream}
    if stream and (is_openai or reasoning):
        body["stream_options"] = {"include_usage": True}
    if tools:
        body["tools"] = tools
    words = sum(len(str(m.get("content") or "").split()) for m in messages)
    prompt = round(words * 1.3) + 7 * len(messages) + 45 * len(tools or []) + rng.randint(3, 12)
    emitted = text + " " + reasoning + " ".join(c["arguments"] for c in calls or [])
    thinking = rng.randint(96, 896) if model == "o3-mini" else 0
    output = demo.tokens(emitted) + 9 * len(calls or []) + thinking
    usage = openai_usage(prompt, output, cached=cached, reasoning=thinking, details=is_openai)
    fingerprint = f"fp_{rng.getrandbits(40):010x}" if is_openai else "fp_ollama"
    if stream:
        chunks_usage = usage if "stream_options" in body else None

        def make(rid):
            return openai_stream(rng, rid, answered_by, text=text, reasoning=reasoning,
                                 tool_calls=calls, usage=chunks_usage, fingerprint=fingerprint)
    else:
        def make(rid):
            return openai_chat(rid, answered_by, text or None, usage, calls, fingerprint)
    demo.record(area, test_id, inference(url, "/v1/chat/completions", model, body,
                                         "openai" if is_openai else None), make, stream)


def inference_chat(demo) -> None:
    test = "tests/integration/inference/test_openai_completion.py::test_openai_chat_completion_"
    for model in ("gpt-4o", "gpt-4o-mini", "o3-mini", LLAMA):
        provider = MODELS[model][0]
        for mode in ("non_streaming", "streaming"):
            for n, (question, answer) in enumerate(demo.rng.sample(QA, 3), start=1):
                tid = (f"{test}{mode}[client_with_models-txt={provider}/{model}-"
                       f"inference:chat_completion:{mode}_{n:02d}]")
                chat(demo, "inference", tid, model, [{"role": "user", "content": question}],
                     stream=mode == "streaming", text=answer)


def completions(demo) -> None:
    rng = demo.rng
    test = "tests/integration/inference/test_openai_completion.py::test_openai_completion_"
    prompts = [("Complete the sentence: Roses are red, violets are",
                " blue, sugar is sweet, and so are you."),
               ("Once upon a time, in a small village by the sea,",
                " there lived an old fisherman who could talk to gulls.")]
    for mode in ("non_streaming", "streaming"):
        for n, (prompt, text) in enumerate(prompts, start=1):
            tid = f"{test}{mode}[txt=ollama/{LLAMA}-inference:completion:sanity_{n:02d}]"
            body = {"model": LLAMA, "prompt": prompt, "max_tokens": 50,
                    "stream": mode == "streaming"}
            usage = openai_usage(demo.tokens(prompt) + 18, demo.tokens(text), details=False)

            def make(rid, text=text, usage=usage, mode=mode):
                if mode == "streaming":
                    return completion_stream(rng, rid, LLAMA, text)
                return completion(rid, LLAMA, text, usage)
            demo.record("inference", tid, inference(OLLAMA + "/v1/v1/completions",
                                                    "/v1/completions", LLAMA, body),
                        make, mode == "streaming")


def embeddings(demo) -> None:
    rng = demo.rng
    cases = [("inference", ("tests/integration/inference/test_openai_embeddings.py::"
              "test_openai_embeddings_multiple_strings[openai_client-emb={p}/{m}]"), 3),
             ("vector_io", ("tests/integration/vector_io/test_openai_vector_stores.py::"
              "test_openai_vector_store_search[client_with_models-emb={p}/{m}:dim={d}-doc{n}]"),
              2)]
    texts = [q for q, _ in QA]
    for area, pattern, count in cases:
        for provider, model, url, dims in (
                ("openai", "text-embedding-3-small", OPENAI, 1536),
                ("ollama", "all-minilm:l6-v2", OLLAMA + "/v1/v1", 384)):
            for n in range(count):
                inputs = demo.rng.sample(texts, demo.rng.randint(1, 3))
                body = {"model": model, "input": inputs, "encoding_format": "float"}
                prompt, n_inputs = sum(demo.tokens(t, 1) for t in inputs), len(inputs)
                demo.record(area, pattern.format(p=provider, m=model, n=n, d=dims),
                            inference(url + "/embeddings", "/v1/embeddings", model, body),
                            lambda rid, k=n_inputs, p=prompt, m=model: embedding(
                                rng, m, k, 16, p), False)


def ollama_native(demo) -> None:
    rng = demo.rng
    test = "tests/integration/inference/test_text_inference.py::test_text_"
    for n, (question, answer) in enumerate(demo.rng.sample(QA, 6)):
        kind = ("generate", "generate", "chat")[n % 3]
        stream = n < 3
        tid = (f"{test}{kind}_{'streaming' if stream else 'non_streaming'}"
               f"[txt=ollama/{LLAMA}-inference:{kind}:sample_{n:02d}]")
        counts = (demo.tokens(question) + 26, demo.tokens(answer))
        if kind == "generate":
            body = {"model": LLAMA, "raw": True, "prompt": "<|begin_of_text|><|start_header_id|>"
                    f"user<|end_header_id|>\n\n{question}<|eot_id|><|start_header_id|>assistant"
                    "<|end_header_id|>\n\n", "options": {"temperature": 0.0}, "stream": stream}
        else:
            body = {"model": LLAMA, "messages": [{"role": "user", "content": question}],
                    "options": {"temperature": 0.0}, "stream": stream}

        def make(rid, kind=kind, stream=stream, answer=answer, counts=counts):
            if stream:
                return ollama_stream(rng, kind, LLAMA, answer, counts)
            return ollama_object(kind, LLAMA, answer, counts)
        demo.record("inference", tid, inference(f"{OLLAMA}/api/{kind}", f"/api/{kind}", LLAMA,
                                                body), make, stream)


def gemini(demo) -> None:
    rng = demo.rng
    test = "tests/integration/responses/test_basic_responses.py::test_response_"
    for n, (question, answer) in enumerate(demo.rng.sample(QA, 5)):
        stream = n >= 2
        endpoint = "/generate_content_stream" if stream else "/generate_content"
        tid = (f"{test}{'streaming' if stream else 'non_streaming'}_basic[openai_client-"
               f"txt=vertexai/{GEMINI}-case{n}]")
        body = {"model": GEMINI, "contents": [{"role": "user", "parts": [{"text": question}]}],
                "config": {"thinking_config": {"include_thoughts": stream}}}
        prompt, thoughts = demo.tokens(question) + 2, demo.rng.randint(120, 1400)
        thought = f"The user asks: {question} I should answer briefly and accurately."

        def make(rid, stream=stream, answer=answer, thought=thought, prompt=prompt,
                 thoughts=thoughts):
            if stream:
                return gemini_stream(rng, rid, answer, thought, prompt, thoughts)
            return gemini_chunk(rid, [{"text": answer}], gemini_usage(
                prompt, round(len(answer.split()) * 1.3), thoughts), "STOP")
        demo.record("responses", tid, inference("vertexai://" + endpoint, endpoint, GEMINI,
                                                body, "vertexai"), make, stream)


SCENARIOS = [inference_chat, completions, embeddings, ollama_native, gemini]
