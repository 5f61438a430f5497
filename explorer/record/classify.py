"""What a recording is: its wire family, kind, endpoint, provider, model and test id parts."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from explorer.wire.base import as_dict, as_str

HOSTS = (  # (suffix of the URL host, provider); first match wins
    ("openai.azure.com", "azure"), ("cognitiveservices.azure.com", "azure"),
    ("services.ai.azure.com", "azure"), ("api.openai.com", "openai"),
    ("generativelanguage.googleapis.com", "gemini"), ("aiplatform.googleapis.com", "vertexai"),
    ("api.anthropic.com", "anthropic"), ("api.fireworks.ai", "fireworks"),
    ("api.together.xyz", "together"), ("api.together.ai", "together"),
    ("amazonaws.com", "bedrock"), ("api.aws", "bedrock"), ("api.groq.com", "groq"),
    ("ml.cloud.ibm.com", "watsonx"), ("api.cerebras.ai", "cerebras"),
    ("api.sambanova.ai", "sambanova"), ("api.nvidia.com", "nvidia"), ("api.mistral.ai", "mistral"),
    ("api.deepseek.com", "deepseek"), ("openrouter.ai", "openrouter"), ("api.x.ai", "xai"),
    ("databricks.com", "databricks"), ("azuredatabricks.net", "databricks"),
)
PATH_PROVIDERS = (("/serving-endpoints/", "databricks"),)  # (URL path fragment, provider)
SERVER_METADATA = (("vllm_server_version", "vllm"),)  # (provider_metadata key, provider)
MODEL_OWNERS = {"vllm": "vllm"}  # `owned_by` of a listed model → the server that lists it
LOCAL_PORTS = {11434: "ollama"}
KIND_BY_ENDPOINT = (  # (substring of the endpoint, kind); first match wins
    ("/chat/completions", "chat"), ("/api/chat", "chat"), ("generate_content", "chat"),
    ("/responses", "chat"), ("/completions", "completion"), ("/api/generate", "completion"),
    ("embed", "embedding"), ("/models", "models"), ("/api/tags", "models"), ("/api/ps", "models"),
    ("rerank", "rerank"), ("/messages", "message"), ("interactions", "interaction"),
)
KIND_BY_TYPE = {"ChatCompletion": "chat", "ChatCompletionChunk": "chat", "Completion": "completion",
                "CreateEmbeddingResponse": "embedding", "Model": "models"}
PARAM_PROVIDER = re.compile(r"(?:^|[-\[:])(txt|vis|emb|shield)=([\w.\-]+)/")


# The request shapes of the recording format: one vocabulary for the row's `shape` column
# (`request_shape`) and for the names the recorder gives by hash (`hashed_shape`).
INFERENCE, TOOL, FILE, HTTP = "inference", "tool", "file", "http"
SHAPES = (INFERENCE, TOOL, FILE, HTTP)
NOT_HASHED = "none"  # a request the recorder does not name by a hash of its fields


def request_shape(request: dict) -> str:
    """The shape of a request, read leniently (a row is made of whatever was recorded).

    Args:
        request: the recording's `request` object.

    Returns:
        One of `SHAPES`: inference, tool, file or http.
    """
    if "tool_name" in request:
        return TOOL
    if request.get("api") == "file_processors" or "file_id" in request:
        return FILE
    if "payload" in request or ("url" in request and "body" not in request
                                and "endpoint" not in request):
        return HTTP
    return INFERENCE


def hashed_shape(request: dict) -> str:
    """The shape under which the recorder names a request by hash, read strictly: the fields
    that shape's hash covers must all be there (provider, tool_name and kwargs for a tool;
    url, method and body for inference; url, method and payload for http).

    Args:
        request: the recording's `request` object.

    Returns:
        inference, tool or http (of `SHAPES`; file processors are never hashed), or
        `NOT_HASHED` when the request lacks what its hash reads.
    """
    if "tool_name" in request and "kwargs" in request and "provider" in request:
        return TOOL
    if "url" in request and "method" in request:
        if "body" in request:
            return INFERENCE
        if "payload" in request:
            return HTTP
    return NOT_HASHED


def endpoint_of(request: dict, shape: str) -> str | None:
    if shape == "tool":
        return f"tool_runtime/{as_str(request.get('tool_name'))}"
    if shape == "file":
        return as_str(request.get("api")) or "file_processors"
    endpoint = as_str(request.get("endpoint"))
    if endpoint:
        return endpoint
    url = as_str(request.get("url"))
    return (urlsplit(url).path or None) if url else None


def type_name(body: Any) -> str:
    """The short `__type__` of a body (or of its first chunk), '' for plain JSON."""
    if isinstance(body, list):
        body = body[0] if body else None
    return as_str(as_dict(body).get("__type__")).rsplit(".", 1)[-1]


def family_of(request: dict, shape: str, endpoint: str | None, body: Any) -> str:
    if shape == "tool":
        return "tool_runtime"
    if shape == "file":
        return "file_processor"
    first = body[0] if isinstance(body, list) and body else body
    module = as_str(as_dict(first).get("__type__"))
    if module.startswith("ollama."):
        return "ollama"
    if module.startswith("openai."):
        return "openai"
    endpoint = endpoint or ""
    if endpoint.endswith("/messages"):
        return "anthropic"
    if "interactions" in endpoint:
        return "interactions"
    if endpoint.startswith("/api/"):
        return "ollama"
    if "generate_content" in endpoint:
        return "gemini"
    return "http" if shape == "http" else "openai"


def kind_of(shape: str, endpoint: str | None, body: Any) -> str:
    if shape == "tool":
        return "tool"
    if shape == "file":
        return "file_processor"
    by_type = KIND_BY_TYPE.get(type_name(body))
    if by_type:
        return by_type
    for fragment, kind in KIND_BY_ENDPOINT:
        if fragment in (endpoint or ""):
            return kind
    return "other"


def provider_of(request: dict, test_params: str | None, kind: str,
                body: Any = None) -> str | None:
    """The provider that answered: what the recording says about itself (provider metadata,
    URL, the server's own model list) wins over the test id's parameters."""
    metadata = as_dict(request.get("provider_metadata"))
    explicit = as_str(metadata.get("provider")) or as_str(request.get("provider"))
    if explicit:
        return explicit
    for key, provider in SERVER_METADATA:
        if key in metadata:
            return provider
    return (_provider_from_url(as_str(request.get("url"))) or _provider_from_models(body)
            or _provider_from_params(test_params, kind))


def _provider_from_url(text: str) -> str | None:
    # a tree holds a few dozen distinct URLs: each is parsed once (long ones are not kept)
    return _known_url_provider(text) if len(text) <= 300 else _url_provider(text)


def _url_provider(text: str) -> str | None:
    try:
        url = urlsplit(text)
    except ValueError:  # e.g. an unbalanced "[" in the host: no evidence
        return None
    if url.scheme == "vertexai":
        return "vertexai"
    host = url.hostname or ""
    for suffix, provider in HOSTS:
        if host.endswith(suffix):
            return provider
    for fragment, provider in PATH_PROVIDERS:
        if fragment in url.path + "/":
            return provider
    try:
        return LOCAL_PORTS.get(url.port) if url.port else None
    except ValueError:
        return None


_known_url_provider = lru_cache(maxsize=1024)(_url_provider)


def _provider_from_models(body: Any) -> str | None:
    """A model list names its server in `owned_by` (vLLM: "vllm")."""
    for item in body if isinstance(body, list) else [body]:
        item = as_dict(item)
        owner = as_dict(item.get("__data__")).get("owned_by", item.get("owned_by"))
        if isinstance(owner, str) and owner in MODEL_OWNERS:
            return MODEL_OWNERS[owner]
    return None


def _provider_from_params(test_params: str | None, kind: str) -> str | None:
    found = {key: value for key, value in PARAM_PROVIDER.findall(test_params or "")}
    preferred = ("emb", "txt") if kind == "embedding" else ("txt", "vis")
    for key in preferred:
        if key in found:
            return found[key]
    return None


def model_of(request: dict) -> str | None:
    for source in (request, as_dict(request.get("body")), as_dict(request.get("payload"))):
        model = source.get("model")
        if isinstance(model, str) and model:
            return model
    return None


def split_test_id(test_id: str | None) -> tuple[str | None, str | None, str | None]:
    """`file.py::Class::test[params]` → (file, Class::test, params)."""
    if not test_id:
        return None, None, None
    file, _, rest = test_id.partition("::")
    if not rest:
        return file, None, None
    bracket = rest.find("[")
    if bracket < 0 or not rest.endswith("]"):
        return file, rest, None
    return file, rest[:bracket], rest[bracket + 1:-1]


SHARED_AREA = "recordings"


def area_of(path: str, test_file: str | None) -> str | None:
    """The folder right below the innermost `tests/integration` of `path` (the recording's
    location, absolute or relative; its own, whatever folder was indexed), else of the test
    file; `recordings` for the old shared folder (`tests/integration/recordings/...`), which
    holds every area's recordings."""
    folder = path.replace("\\", "/").rpartition("/")[0]
    if folder.endswith("integration"):  # the file's own name may be what follows it
        return _area_of(path, test_file)
    return _folder_area(folder + "/", test_file)  # a folder's files share their area


@lru_cache(maxsize=4096)  # a tree has a few hundred (folder, test file) pairs; asked per row
def _folder_area(folder: str, test_file: str | None) -> str | None:
    return _area_of(folder + "x", test_file)


def _area_of(path: str, test_file: str | None) -> str | None:
    shared = False
    for source in (path, test_file or ""):
        parts = source.replace("\\", "/").split("/")
        for i in range(len(parts) - 3, -1, -1):
            if parts[i] == "tests" and parts[i + 1] == "integration":
                area = parts[i + 2]
                shared = shared or (area == "recordings" and source is path)
                if area != "recordings" and not area.endswith((".json", ".py")):
                    return area
                break
    return SHARED_AREA if shared else None
