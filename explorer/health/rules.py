"""The recorder's file-name rules: today's and the older ones, each named.

A recording's file name is a hash of its normalized request. The hash is taken over
`json.dumps(d, sort_keys=True)` with Python's `json` defaults (separators and
`ensure_ascii`): orjson would give other bytes, so this module uses the standard library.

Rules, newest first:
- `current` (ogx, 2026): the body is normalized (floats rounded to 5 places, long decimal
  literals in strings rounded, file_search placeholders, `project_id` dropped from
  `extra_body`/`extra_query`, `stream_options` dropped for bedrock hosts); `test_id` is part
  of the hash except for the model-list paths.
- `no-file-search` (late 2025): the same without the file_search placeholders and without the
  `project_id` removal.
- `raw-body` (autumn 2025): the body as sent, `test_id` included except for `/api/tags` and
  `/v1/models`.
- `short-no-test-id` (summer 2025): the body as sent, no `test_id`, file named by the first 12
  hex digits of the hash.

Tool-runtime calls hash `{provider, tool_name, kwargs}` (the same in every era); raw HTTP calls
hash `{test_id, url, method, payload}` with the payload normalized like a body.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from explorer.health.canonical import dumps_sorted_bytes
from explorer.health.scan import drop_attributes
from explorer.record.classify import INFERENCE, hashed_shape

MODEL_LIST_PATHS = ("/api/tags", "/v1/models", "/v1/openai/v1/models")
OLD_MODEL_LIST_PATHS = ("/api/tags", "/v1/models")

# (?<!\d): a match starts only where a run of digits starts (linear on long digit runs)
_FLOAT_IN_STRING = re.compile(r"-?(?<!\d)\d+\.\d{4,}")
_DECIMAL_HINT = re.compile(r"\.\d{4}")  # what every match of the pattern above contains
# the recorder's pattern, kept as the reference: applied through drop_attributes (linear time)
_ATTRIBUTES = re.compile(r",?\s*attributes:\s*\{[^}]*\}")
_SCORE = re.compile(r"score:\s*[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?")
_UUID = r"[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}"
_DOCUMENT_ID = re.compile(r"document_id:\s*" + _UUID)
_CITATION = re.compile(r"<\|" + _UUID + r"\|>")

_FULL_NAME = re.compile(r"([0-9a-f]{64})\.json")
_SHORT_NAME = re.compile(r"([0-9a-f]{12})\.json")
_MODELS_NAME = re.compile(r"models-([0-9a-f]{12}|[0-9a-f]{64})-([0-9a-f]{8})\.json")


@dataclass(frozen=True)
class Rule:
    """One era's naming rule: how the body is normalized and what the hash covers."""

    name: str
    era: str
    placeholders: bool  # file_search placeholders and project_id removal
    rounding: bool  # floats and long decimal literals rounded
    with_test_id: bool
    model_list_paths: tuple[str, ...]
    short: bool  # file named by the first 12 hex digits


CURRENT = Rule("current", "ogx 2026", True, True, True, MODEL_LIST_PATHS, False)
RULES: tuple[Rule, ...] = (
    CURRENT,
    Rule("no-file-search", "late 2025", False, True, True, MODEL_LIST_PATHS, False),
    Rule("raw-body", "autumn 2025", False, False, True, OLD_MODEL_LIST_PATHS, False),
    Rule("short-no-test-id", "summer 2025", False, False, False, OLD_MODEL_LIST_PATHS, True),
)
RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in RULES)


def normalize(value: Any, rule: Rule = CURRENT, *, drop_stream_options: bool = False,
              top: bool = True, trace: list[bool] | None = None) -> Any:
    """A body (or payload) as `rule` hashes it. `stream_options` goes only from the top level;
    `project_id` goes from `extra_body`/`extra_query` of the top level and of every dict that
    is a list item (the recorder treats those as roots too).

    `trace`, a list of three flags, is set to [file_search, rounding, odd_float]: whether a
    placeholder or `project_id` change, and whether a rounding (or `stream_options`) change,
    happened (when neither did, the older rules hash the very same dict and need no second
    computation), and whether a float outside 1e-4..1e16 is left (which orjson would write
    otherwise than `json.dumps`, see `canonical`)."""
    if not rule.rounding:
        return value
    flags = trace if trace is not None else [False, False, False]
    out = _normalized(value, top, rule.placeholders, flags)
    if drop_stream_options and type(out) is dict and "stream_options" in out:
        out = {key: item for key, item in out.items() if key != "stream_options"}
        flags[1] = True
    return out


def _normalized(value: Any, root: bool, placeholders: bool, flags: list[bool]) -> Any:
    """Copy on write: a container comes back as the very same object when nothing inside it
    changes (the common case), so most requests are scanned, not rebuilt. Never mutates."""
    kind = type(value)  # exact types: this runs for every JSON node of every request
    if kind is dict:
        return _normalized_dict(value, root, placeholders, flags)
    if kind is list:
        return _normalized_list(value, placeholders, flags)
    if kind is str:
        return _normalized_text(value, placeholders, flags)
    if kind is float:
        return _rounded(value, flags)
    return value


def _normalized_dict(value: dict, root: bool, placeholders: bool, flags: list[bool]) -> dict:
    out = None
    for key, item in value.items():
        kind = type(item)  # `_normalized_item`, its commonest cases inline: no call per scalar
        if kind is str:
            if "." not in item and ":" not in item and "|" not in item:
                continue
            new = _normalized_text(item, placeholders, flags)
        elif kind is dict:
            new = _normalized_dict(item, False, placeholders, flags)
        elif kind is list:
            new = _normalized_list(item, placeholders, flags)
        elif kind is float:
            new = _rounded(item, flags)
        else:
            continue
        if new is not item:
            out = dict(value) if out is None else out
            out[key] = new
    if root and placeholders:
        for key in ("extra_body", "extra_query"):
            extra = (value if out is None else out).get(key)
            if type(extra) is dict and "project_id" in extra:
                out = dict(value) if out is None else out
                out[key] = {k: v for k, v in extra.items() if k != "project_id"}
                flags[0] = True
    return value if out is None else out


def _normalized_list(value: list, placeholders: bool, flags: list[bool]) -> list:
    out = None
    for index, item in enumerate(value):
        new = _normalized_item(item, True, placeholders, flags)
        if new is not item:
            out = list(value) if out is None else out
            out[index] = new
    return value if out is None else out


def _normalized_item(item: Any, root: bool, placeholders: bool, flags: list[bool]) -> Any:
    """`_normalized` for a container's item, with the checks that leave most scalars alone
    done before any further call: a text without `.`, `:` or `|` holds nothing to replace."""
    kind = type(item)
    if kind is str:
        if "." in item or ":" in item or "|" in item:
            return _normalized_text(item, placeholders, flags)
        return item
    if kind is dict:
        return _normalized_dict(item, root, placeholders, flags)
    if kind is list:
        return _normalized_list(item, placeholders, flags)
    if kind is float:
        return _rounded(item, flags)
    return item


def _rounded(value: float, flags: list[bool]) -> float:
    rounded = round(value, 5)
    if not (rounded == 0.0 or 1e-4 <= abs(rounded) < 1e16):  # NaN and infinities too
        flags[2] = True  # a float orjson writes otherwise than json.dumps: see canonical
    if rounded == value:
        return value
    flags[1] = True
    return rounded


def _normalized_text(text: str, placeholders: bool, flags: list[bool]) -> str:
    # Each substitution only where its literal part occurs: most texts need none, and long ones
    # must not pay for scans that cannot match (`_labelled` and `_long_decimal` look at each `:`
    # or `.`, found at memchr speed, instead). A removal can bring a literal together, so once
    # a label is there each test looks at the text as substituted so far.
    if placeholders:
        replaced = text
        if _labelled(text):
            if "score:" in replaced:
                replaced = _SCORE.sub("score: __NORMALIZED__", replaced)
            if "attributes:" in replaced:
                replaced = drop_attributes(replaced)
            if "document_id:" in replaced:
                replaced = _DOCUMENT_ID.sub("document_id: __NORMALIZED__", replaced)
        if "|" in replaced and "<|" in replaced:
            replaced = _CITATION.sub("<|__NORMALIZED__|>", replaced)
        if replaced != text:
            flags[0] = True
            text = replaced
    if _long_decimal(text):
        rounded = _FLOAT_IN_STRING.sub(_five_places, text)
        if rounded != text:
            flags[1] = True
            return rounded
    return text


_LABELS = ("score", "attributes", "document_id")  # the labels a `:` follows in `_SCORE`, ...
_FEW = 16  # after this many `:` (or `.`), one scan per literal is cheaper than a look at each


def _labelled(text: str) -> bool:
    """Whether `score:`, `attributes:` or `document_id:` occurs in `text`."""
    at, seen = text.find(":"), 0
    while at >= 0:
        if text.endswith(_LABELS, 0, at):
            return True
        seen += 1
        if seen > _FEW:
            return "score:" in text or "attributes:" in text or "document_id:" in text
        at = text.find(":", at + 1)
    return False


def _long_decimal(text: str) -> bool:
    """Whether a `.` followed by 4 digits occurs in `text` (`_DECIMAL_HINT`, which every match
    of `_FLOAT_IN_STRING` contains; both read `\\d` as any Unicode decimal digit)."""
    at, seen = text.find("."), 0
    while at >= 0:
        if at + 5 <= len(text) and text[at + 1:at + 5].isdecimal():
            return True
        seen += 1
        if seen > _FEW:
            return _DECIMAL_HINT.search(text, at) is not None
        at = text.find(".", at + 1)
    return False


def _five_places(match: re.Match) -> str:
    return f"{float(match.group(0)):.5f}"


def _sha256(data: dict) -> str:
    return hashlib.sha256(_dumps(data).encode()).hexdigest()


# `json.dumps(value, sort_keys=True)`, with its encoder built once instead of once per call
_dumps = json.JSONEncoder(sort_keys=True).encode
_TODAY = (True, True)  # today's normalization: (placeholders, rounding)


class Hashes:
    """Every rule's hash of one request, each computed on demand, sharing the work between
    rules: the url is parsed once, and the body is normalized and serialized once per distinct
    result (when today's normalization changed nothing, or only what an older rule also
    changes, the older rule hashes the very same body text).

    A digest is `sha256(json.dumps(d, sort_keys=True))` byte for byte: the text of `d` is
    written part by part in sorted key order, each value by `json.dumps`, which is how
    `json.dumps` writes a dict; the part before `test_id` is hashed once and copied."""

    def __init__(self, request: dict, test_id: Any) -> None:
        self.request, self.test_id = request, test_id
        self.shape = hashed_shape(request)
        self.trace = [False, False, False]  # today's normalization: see `normalize`
        self._texts: dict[tuple[bool, bool], bytes] = {}
        self._heads: dict[tuple[bool, bool], Any] = {}
        self._digests: dict[str, str | None] = {}
        self._url: Any = None

    def digest(self, rule: Rule = CURRENT) -> str | None:
        """The full hex hash `rule` gives the request (None for a shape it does not name)."""
        key = "tool" if self.shape == "tool" else rule.name  # every era hashes tools alike
        if key not in self._digests:
            self._digests[key] = self._digest(rule)
        return self._digests[key]

    def _digest(self, rule: Rule) -> str | None:
        request, shape = self.request, self.shape
        if shape == "tool":
            return _sha256({"provider": request["provider"], "tool_name": request["tool_name"],
                            "kwargs": request["kwargs"]})
        if not isinstance(request.get("method"), str) or not isinstance(request.get("url"), str):
            return None
        if shape == "http":
            if rule.short:
                return None
            text = b"".join((b'{"method": ', _dumps(request["method"].upper()).encode(),
                             b', "payload": ', self._text(rule, "payload", False)[1],
                             b', "test_id": ', _dumps(self.test_id).encode(), b', "url": ',
                             _dumps(request["url"]).encode(), b"}"))
            return hashlib.sha256(text).hexdigest()
        if shape != "inference":
            return None
        digest = self._head(rule).copy()
        if rule.with_test_id and self._parsed().path not in rule.model_list_paths:
            digest.update(f', "test_id": {_dumps(self.test_id)}}}'.encode())
        else:
            digest.update(b"}")
        return digest.hexdigest()

    def _parsed(self) -> Any:
        if self._url is None:
            url = self.request["url"]
            self._url = _known_url(url) if len(url) <= 300 else urlparse(url)
        return self._url

    def _head(self, rule: Rule) -> Any:
        """sha256 of `{"body": …, "endpoint": …, "method": …` (the text before `test_id`)."""
        parsed = self._parsed()
        key, text = self._text(rule, "body", "bedrock" in parsed.netloc)
        head = self._heads.get(key)
        if head is None:
            head = hashlib.sha256(b'{"body": ')
            head.update(text)
            head.update(f', "endpoint": {_dumps(parsed.path)}, "method": '
                        f'{_dumps(self.request["method"].upper())}'.encode())
            self._heads[key] = head
        return head

    def _text(self, rule: Rule, field: str, drop_stream_options: bool) -> tuple[tuple, bytes]:
        """(variant, JSON text in bytes) of the body as `rule` normalizes it; the variant names
        the normalization whose text is used (today's when the trace shows they agree)."""
        key = (rule.placeholders, rule.rounding)
        if key != _TODAY and _TODAY in self._texts:
            file_search, rounding, _ = self.trace
            if not file_search and (rule.rounding or not rounding):
                key = _TODAY
        text = self._texts.get(key)
        if text is None:
            trace = self.trace if key == _TODAY else [False, False, False]
            body = normalize(self.request[field], rule, drop_stream_options=drop_stream_options,
                             trace=trace)
            # floats all seen by the normalization (rules that round): orjson may write them
            text = (dumps_sorted_bytes(body) if rule.rounding and not trace[2]
                    else _dumps(body).encode())
            self._texts[key] = text
        return key, text


_known_url = lru_cache(maxsize=1024)(urlparse)  # a tree holds a few dozen distinct URLs


def request_hash(request: dict, test_id: str | None, rule: Rule = CURRENT) -> str | None:
    """The full hex hash `rule` gives `request` (None for a shape the rule does not name)."""
    return Hashes(request, test_id).digest(rule)


def is_model_list(request: dict) -> bool:
    """The recorder names model-list recordings `models-{hash}-{digest}.json`."""
    return request.get("endpoint") in MODEL_LIST_PATHS


def name_hash(file_name: str) -> tuple[str, str] | None:
    """(kind, hash) read from a file name: kind is full, short or models; None otherwise."""
    if file_name.startswith("models-"):  # the three forms exclude each other: one is tried
        kind, pattern = "models", _MODELS_NAME
    elif len(file_name) == 69:
        kind, pattern = "full", _FULL_NAME
    elif len(file_name) == 17:
        kind, pattern = "short", _SHORT_NAME
    else:
        return None
    match = pattern.fullmatch(file_name)
    return (kind, match.group(1)) if match else None


def expected_name(request: dict, test_id: str | None, response: dict | None = None,
                  digest: str | None = None) -> str | None:
    """The file name today's recorder writes for this request (None when not hashed);
    `digest`: today's hash when already computed."""
    digest = digest or request_hash(request, test_id)
    if digest is None:
        return None
    if is_model_list(request):
        return f"models-{digest}-{models_digest(request.get('endpoint'), response) or '*'}.json"
    return f"{digest}.json"


def named_today(file_name: str, request: dict, digest: str | None) -> bool:
    """Whether `file_name` is the plain name today's rule gives a request whose hash is
    `digest` (most files): then `matching_rule` is `current` and `expected_name` is the name,
    and neither needs asking."""
    return digest is not None and file_name == f"{digest}.json" and not is_model_list(request)


def matching_rule(file_name: str, request: dict, test_id: str | None,
                  hashes: Hashes | None = None) -> str | None:
    """The newest rule whose hash gives `file_name`, or None when no known rule does;
    `hashes`: the request's hashes when some were already computed."""
    hashes = hashes if hashes is not None else Hashes(request, test_id)
    return _first_match(file_name, lambda kind, rule: _form_fits(kind, request, rule),
                        hashes.digest)


def naming_key(request: dict, hashes: Hashes) -> str:
    """Everything `matching_rule` asks of a request, for any file name, as one text: per rule
    (in `RULES` order, comma-separated) the name forms it accepts (`m` models-…, `p` plain,
    `a` both, `n` neither) and its full hash (empty when it names none, `!` when hashing
    fails). `rule_from_key` reads it back, so a row cached without its file name can be
    checked against any name without the request."""
    entries = []
    for rule in RULES:
        models, plain = _form_fits("models", request, rule), _form_fits("full", request, rule)
        form = "a" if models and plain else "m" if models else "p" if plain else "n"
        try:
            digest = hashes.digest(rule) or ""
        except (TypeError, ValueError, RecursionError):
            digest = "!"
        entries.append(form + digest)
    return ",".join(entries)


def rule_from_key(file_name: str, key: str) -> str | None:
    """`matching_rule` for a request known by its `naming_key`; raises ValueError where
    `matching_rule` would fail to hash the request."""
    entries = dict(zip(RULE_NAMES, key.split(","), strict=True))

    def fits(kind: str, rule: Rule) -> bool:
        form = entries[rule.name][0]
        return form == "a" or form == ("m" if kind == "models" else "p")

    def digest(rule: Rule) -> str | None:
        value = entries[rule.name][1:]
        if value == "!":
            raise ValueError(f"the {rule.name} rule cannot hash this request")
        return value or None

    return _first_match(file_name, fits, digest)


def _first_match(file_name: str, fits, digest) -> str | None:
    """The newest rule whose name form `fits(kind, rule)` and whose `digest(rule)` give
    `file_name`; digests are asked for only as far as needed."""
    parts = name_hash(file_name)
    if parts is None:
        return None
    kind, found = parts
    for rule in RULES:
        if (len(found) == 12) != rule.short or not fits(kind, rule):
            continue
        value = digest(rule)
        if value is not None and value[: len(found)] == found:
            return rule.name
    return None


def _form_fits(kind: str, request: dict, rule: Rule) -> bool:
    """Model lists are looked up as `models-{hash}-*.json`, everything else as `{hash}.json`
    (the recorder picks the form from the recorded `endpoint`)."""
    if hashed_shape(request) != INFERENCE:
        return kind != "models"
    if rule.short:  # the first recorders named model lists like any other request
        return True
    return (kind == "models") == (request.get("endpoint") in rule.model_list_paths)


def models_digest(endpoint: Any, response: dict | None) -> str | None:
    """The 8-hex digest of a model list's identifiers (today's recorder: sha256 of the sorted
    unique ids joined by `|`; `model` for /api/tags, `id` otherwise)."""
    body = (response or {}).get("body")
    items = body if isinstance(body, list) else None
    if isinstance(body, dict):
        data = body.get("__data__", body)
        items = data.get("models") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    key = "model" if endpoint == "/api/tags" else "id"
    try:  # model lists hold a hundred entries and more: no call per entry
        idents = [item.get("__data__", item)[key] for item in items]
    except (AttributeError, KeyError, TypeError):  # an entry that is no object with the key
        return None
    if not set(map(type, idents)) <= {str}:
        return None
    return hashlib.sha256("|".join(sorted(set(idents))).encode()).hexdigest()[:8]

