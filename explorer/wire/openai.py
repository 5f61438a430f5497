"""OpenAI wire format: chat completions, completions, embeddings, model lists (and the
OpenAI-compatible servers: Ollama's /v1, vLLM, Azure, Bedrock, watsonx, ...)."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from explorer.safety import jsontext
from explorer.wire.base import (
    Attachment,
    Delta,
    Tool,
    ToolCallDelta,
    Turn,
    as_dict,
    as_int,
    as_list,
    as_str,
    data_url_size,
    make_usage,
    text_of,
    tools_declared,
)


def usage(raw: Any) -> dict[str, int] | None:
    raw = as_dict(raw)
    if not raw:
        return None
    cached = as_dict(raw.get("prompt_tokens_details")).get("cached_tokens")
    return make_usage(
        prompt_tokens=raw.get("prompt_tokens", raw.get("input_tokens")),
        completion_tokens=raw.get("completion_tokens", raw.get("output_tokens")),
        total_tokens=raw.get("total_tokens"),
        cached_tokens=raw.get("cached_tokens") if cached is None else cached,  # Together: top
        reasoning_tokens=as_dict(raw.get("completion_tokens_details")).get("reasoning_tokens"),
    )


def arguments_text(arguments: Any) -> str:
    """Tool-call arguments as recorded: a string stays as is, an object becomes JSON."""
    if arguments is None:
        return ""
    if isinstance(arguments, str):
        return arguments
    return jsontext.dumps(arguments)


def _choice_zero(choices: list) -> tuple[dict, int]:
    """The first choice (index 0) and how many other choices the list holds."""
    first, others = {}, 0
    for choice in choices:
        choice = as_dict(choice)
        if as_int(choice.get("index")) in (0, None) and not first:
            first = choice
        else:
            others += 1
    return first, others


def _tool_call_deltas(calls: Any) -> list[ToolCallDelta]:
    deltas = []
    for position, call in enumerate(as_list(calls)):
        call = as_dict(call)
        fn = as_dict(call.get("function"))
        index = as_int(call.get("index"))
        deltas.append(ToolCallDelta(
            index=position if index is None else index,
            id=call.get("id") if isinstance(call.get("id"), str) else None,
            name=fn.get("name") if isinstance(fn.get("name"), str) else None,
            arguments=arguments_text(fn.get("arguments")),
        ))
    return deltas


def _reasoning(message: dict) -> str:
    return as_str(message.get("reasoning_content")) or as_str(message.get("reasoning"))


def chunk(obj: Any) -> Delta:
    """One streamed chunk: chat (`choices[].delta`) or completion (`choices[].text`)."""
    fast = _plain_text_chunk(obj)
    if fast is not None:
        return fast
    return _from_choice(as_dict(obj), "delta")


def _plain_text_chunk(obj: Any) -> Delta | None:
    """The most common chunk (one choice, a text delta, nothing else) without the general
    path's work; None for anything else. Indexing spends most of its time here."""
    if type(obj) is not dict or obj.get("usage") is not None:
        return None
    choices = obj.get("choices")
    if type(choices) is not list or len(choices) != 1:
        return None
    choice = choices[0]
    if type(choice) is not dict or choice.get("index", 0) != 0 or choice.get("finish_reason"):
        return None
    delta = choice.get("delta")
    if type(delta) is not dict or delta.get("tool_calls") or delta.get("reasoning_content") \
            or delta.get("reasoning"):
        return None
    content = delta.get("content")
    model = obj.get("model")
    return Delta(text=content if type(content) is str else "",
                 model=model if type(model) is str and model else None)


def whole(obj: Any) -> Delta:
    """A non-streamed body: ChatCompletion, Completion, embeddings or a model list."""
    if isinstance(obj, list):  # a model list: nothing to replay
        return Delta()
    return _from_choice(as_dict(obj), "message")


def _from_choice(obj: dict, key: str) -> Delta:
    """Choice 0's `delta` (a chunk) or `message` (a whole body); completions carry `text`."""
    choice, others = _choice_zero(as_list(obj.get("choices")))
    part = as_dict(choice.get(key))
    return Delta(
        text=text_of(part.get("content")) or as_str(choice.get("text")),
        reasoning=_reasoning(part),
        tool_calls=_tool_call_deltas(part.get("tool_calls")),
        finish_reason=as_str(choice.get("finish_reason")) or None,
        usage=usage(obj.get("usage")),
        model=as_str(obj.get("model")) or None,
        other_choices=others,
    )


def _attachments(content: Any, images: Any = None) -> list[Attachment]:
    found = []
    for part in as_list(content):
        part = as_dict(part)
        kind = part.get("type")
        if kind == "image_url":
            url = as_str(as_dict(part.get("image_url")).get("url"))
            found.append(Attachment("image", data_url_size(url), url[:40] if not
                                    url.startswith("data:") else url.split(";", 1)[0][5:]))
        elif kind in ("input_audio", "file", "input_file", "input_image"):
            payload = jsontext.dumps(part.get(kind) or part).encode()
            found.append(Attachment(kind.replace("input_", ""), len(payload) * 3 // 4))
    for image in as_list(images):
        found.append(Attachment("image", data_url_size(as_str(image))))
    return found


def message_turn(message: Any) -> Turn:
    """An OpenAI/Ollama chat message as a Turn."""
    message = as_dict(message)
    calls = [{"id": c.id, "name": c.name, "arguments": c.arguments}
             for c in _tool_call_deltas(message.get("tool_calls"))]
    tool_call_id = message.get("tool_call_id")
    return Turn(
        role=as_str(message.get("role")) or "unknown",
        text=text_of(message.get("content")),
        tool_calls=calls,
        tool_call_id=tool_call_id if isinstance(tool_call_id, str) else None,
        attachments=_attachments(message.get("content"), message.get("images")),
    )


def _text_input(value: Any) -> str:
    if isinstance(value, str):
        return value
    items = as_list(value)
    if all(isinstance(i, str) for i in items):
        return "\n".join(items)
    return jsontext.dumps(value)


def conversation(body: Any) -> list[Turn]:
    """The request's turns: `messages`, else a completion `prompt`, else an embedding `input`."""
    body = as_dict(body)
    if "messages" in body:
        return [message_turn(m) for m in as_list(body.get("messages"))]
    turns = []
    if isinstance(body.get("system"), str):
        turns.append(Turn("system", body["system"]))
    for key in ("prompt", "input"):
        if key in body and body[key] is not None:
            turns.append(Turn("user", _text_input(body[key])))
            break
    return turns


def first_user_text(body: Any) -> str | None:
    """The text of `conversation(body)`'s first user turn (None when it has none), without
    building the turns before and after it."""
    body = as_dict(body)
    if "messages" not in body:
        return next((turn.text for turn in conversation(body) if turn.role == "user"), None)
    for message in as_list(body.get("messages")):
        message = as_dict(message)
        if message.get("role") == "user":
            return text_of(message.get("content"))
    return None


def tools(body: Any) -> list[Tool]:
    return tools_declared(as_dict(body).get("tools"))



def text_run_end(chunks: list, start: int, calls: Container[int] = ()) -> int:
    """The first position from `start` whose chunk may add more than text, reasoning, its
    model and argument text for one of `calls` (the wire indices of the tool calls already
    begun): a new tool call, a call's id or name, a finish reason, usage or another choice.
    The index skips the run of chunks before it once it knows the model. One loop, no call
    per text chunk."""
    for position in range(start, len(chunks)):
        obj = chunks[position]
        if type(obj) is not dict or obj.get("usage") is not None:
            return position
        choices = obj.get("choices")
        if type(choices) is not list or len(choices) != 1:
            return position
        choice = choices[0]
        if type(choice) is not dict or choice.get("index", 0) != 0 \
                or choice.get("finish_reason"):
            return position
        delta = choice.get("delta")
        if type(delta) is not dict or (delta.get("tool_calls")
                                       and not _only_arguments(delta["tool_calls"], calls)):
            return position
    return len(chunks)


def _only_arguments(tool_calls: Any, calls: Container[int]) -> bool:
    """Whether each of a chunk's tool calls only adds argument text to a call already begun:
    its wire index (an exact int) is one of `calls`, and it names no id and no function."""
    if type(tool_calls) is not list or not calls:
        return False
    for call in tool_calls:
        if type(call) is not dict:
            return False
        index, fn = call.get("index"), call.get("function")
        if type(index) is not int or index not in calls or call.get("id") or (
                fn is not None and (type(fn) is not dict or fn.get("name"))):
            return False
    return True
