"""The stream handlers a Shape picks for its answers: each rewrites one API's SSE events,
restoring placeholders field by field.

Each text field of a stream gets its own :class:`StreamRestorer`, so a placeholder split
across deltas is still found while everything else goes out as soon as it arrives. Text
held back at the end of a field is sent in a synthetic delta just before the event that
ends the field, because clients stop reading a field once it is finished. Tool-call
arguments are JSON text, so values go into them JSON-escaped.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from proxy.relay.placeholders import PlaceholderMap, StreamRestorer
from proxy.relay.sse import SSEEvent

__all__ = [
    "PassThroughHandler",
    "StreamHandler",
    "anthropic_stream",
    "chat_stream",
    "completions_stream",
    "responses_stream",
    "restore_tree",
]

Json = Any
# A restorer per text field: (choice / block / output index, field kind, sub-index).
_Key = tuple[int, str, int]

_DONE = "[DONE]"


def _dump(obj: Json) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _load(event: SSEEvent) -> dict[str, Json] | None:
    if not event.data or event.data[0] != "{":
        return None
    try:
        obj = json.loads(event.data)
    except (ValueError, RecursionError):  # deeper than the stack: passed on unread
        return None
    return obj if isinstance(obj, dict) else None


def _with_data(event: SSEEvent, obj: Json) -> SSEEvent:
    return SSEEvent(event.event, _dump(obj), event.id, event.retry, event.comment)


def _int(value: Json, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def restore_tree(value: Json, mapping: PlaceholderMap, key: str | None = None) -> Json:
    """Every string in ``value`` restored; ``arguments`` strings are JSON text, so escaped."""
    if isinstance(value, str):
        if key == "arguments":
            return mapping.restore_json_string_content(value)
        return mapping.restore(value)
    if isinstance(value, dict):
        return {k: restore_tree(v, mapping, k) for k, v in value.items()}
    if isinstance(value, list):
        return [restore_tree(v, mapping) for v in value]
    return value


class StreamHandler(Protocol):
    """Rewrites one answer's events; ``finish`` releases what is still held at the end."""

    def on_event(self, event: SSEEvent) -> list[SSEEvent]: ...

    def finish(self) -> list[SSEEvent]: ...


class _Restorers:
    """The open text fields of one stream, each with its restorer."""

    def __init__(self, mapping: PlaceholderMap) -> None:
        self._mapping = mapping
        self._open: dict[_Key, StreamRestorer] = {}

    def feed(self, key: _Key, text: str, *, json_escape: bool, last: bool = False) -> str:
        restorer = self._open.get(key)
        if restorer is None:
            restorer = self._open[key] = StreamRestorer(self._mapping, json_escape=json_escape)
        out = restorer.feed(text)
        if last:
            out += restorer.flush()
            del self._open[key]
        return out

    def close(self, match: Callable[[_Key], bool]) -> list[tuple[_Key, str]]:
        """Release the held text of every field ``match`` selects, in opening order."""
        released: list[tuple[_Key, str]] = []
        for key in [k for k in self._open if match(k)]:
            held = self._open.pop(key).flush()
            if held:
                released.append((key, held))
        return released


def _other_fields_of(index: int, touched: list[_Key]) -> Callable[[_Key], bool]:
    skip = frozenset(touched)
    return lambda key: key[0] == index and key not in skip


class _ChoicesHandler:
    """OpenAI chat completion chunks and legacy completion chunks (``choices[i]``)."""

    def __init__(self, mapping: PlaceholderMap, *, legacy: bool) -> None:
        self._fields = _Restorers(mapping)
        self._legacy = legacy
        self._envelope: dict[str, Json] = {}
        self._sse_name: str | None = None

    def on_event(self, event: SSEEvent) -> list[SSEEvent]:
        if event.data.strip() == _DONE:
            return [*self._release(lambda _k: True), event]
        obj = _load(event)
        choices = obj.get("choices") if obj is not None else None
        if obj is None or not isinstance(choices, list):
            return [event]
        self._envelope.update((k, v) for k, v in obj.items() if k not in ("choices", "usage"))
        self._sse_name = event.event
        before: list[SSEEvent] = []
        changed = False
        for pos, choice in enumerate(choices):
            if not isinstance(choice, dict):
                continue
            index = _int(choice.get("index"), pos)
            last = choice.get("finish_reason") is not None
            touched: list[_Key] = []
            changed |= self._rewrite_choice(index, choice, last, touched)
            if last:
                before += self._release(_other_fields_of(index, touched))
        return [*before, _with_data(event, obj) if changed else event]

    def finish(self) -> list[SSEEvent]:
        return self._release(lambda _k: True)

    def _rewrite_choice(
        self, index: int, choice: dict[str, Json], last: bool, touched: list[_Key]
    ) -> bool:
        def field(holder: Json, name: str, key: _Key, json_escape: bool) -> bool:
            if not isinstance(holder, dict) or not isinstance(holder.get(name), str):
                return False
            touched.append(key)
            new = self._fields.feed(key, holder[name], json_escape=json_escape, last=last)
            if new == holder[name]:
                return False
            holder[name] = new
            return True

        if self._legacy:
            return field(choice, "text", (index, "text", 0), False)
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            return False
        changed = field(delta, "content", (index, "content", 0), False)
        changed |= field(delta, "refusal", (index, "refusal", 0), False)
        function_call = delta.get("function_call")
        changed |= field(function_call, "arguments", (index, "function_call", 0), True)
        tool_calls = delta.get("tool_calls")
        for pos, call in enumerate(tool_calls if isinstance(tool_calls, list) else []):
            if isinstance(call, dict):
                key = (index, "tool", _int(call.get("index"), pos))
                changed |= field(call.get("function"), "arguments", key, True)
        return changed

    def _release(self, match: Callable[[_Key], bool]) -> list[SSEEvent]:
        events = []
        for (index, kind, sub), text in self._fields.close(match):
            choice: dict[str, Json]
            if kind == "text":
                choice = {"index": index, "text": text, "logprobs": None, "finish_reason": None}
            else:
                delta: dict[str, Json]
                if kind == "tool":
                    delta = {"tool_calls": [{"index": sub, "function": {"arguments": text}}]}
                elif kind == "function_call":
                    delta = {"function_call": {"arguments": text}}
                else:
                    delta = {kind: text}
                choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": None}
            events.append(SSEEvent(self._sse_name, _dump({**self._envelope, "choices": [choice]})))
        return events


class _AnthropicHandler:
    """Anthropic Messages: text and tool-input deltas per content block."""

    _DELTAS: ClassVar[dict[str, tuple[str, bool]]] = {
        "text_delta": ("text", False),
        "input_json_delta": ("partial_json", True),
    }

    def __init__(self, mapping: PlaceholderMap) -> None:
        self._mapping = mapping
        self._fields = _Restorers(mapping)

    def on_event(self, event: SSEEvent) -> list[SSEEvent]:
        obj = _load(event)
        if obj is None:
            return [event]
        kind = obj.get("type")
        index = _int(obj.get("index"), 0)
        if kind == "content_block_delta":
            return [self._delta(event, obj, index)]
        if kind == "content_block_start":
            return [self._start(event, obj, index)]
        if kind == "content_block_stop":
            return [*self._release(lambda k: k[0] == index), event]
        if kind in ("message_stop", "error"):
            return [*self._release(lambda _k: True), event]
        return [event]

    def finish(self) -> list[SSEEvent]:
        return self._release(lambda _k: True)

    def _delta(self, event: SSEEvent, obj: dict[str, Json], index: int) -> SSEEvent:
        delta = obj.get("delta")
        spec = self._DELTAS.get(str(delta.get("type"))) if isinstance(delta, dict) else None
        if spec is None or not isinstance(delta, dict):
            return event
        name, json_escape = spec
        text = delta.get(name)
        if not isinstance(text, str):
            return event
        new = self._fields.feed((index, name, 0), text, json_escape=json_escape)
        if new == text:
            return event
        delta[name] = new
        return _with_data(event, obj)

    def _start(self, event: SSEEvent, obj: dict[str, Json], index: int) -> SSEEvent:
        block = obj.get("content_block")
        if not isinstance(block, dict):
            return event
        text = block.get("text")
        if block.get("type") == "text" and isinstance(text, str) and text:
            # Opening text continues into the deltas, so it goes through the same restorer.
            block["text"] = self._fields.feed((index, "text", 0), text, json_escape=False)
        elif "[[" in event.data:
            obj["content_block"] = restore_tree(block, self._mapping)
        else:
            return event
        return _with_data(event, obj)

    def _release(self, match: Callable[[_Key], bool]) -> list[SSEEvent]:
        events = []
        for (index, name, _), text in self._fields.close(match):
            delta_type = "text_delta" if name == "text" else "input_json_delta"
            obj = {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": delta_type, name: text},
            }
            events.append(SSEEvent("content_block_delta", _dump(obj)))
        return events


class _ResponsesHandler:
    """OpenAI Responses API events, keyed by (output_index, content_index)."""

    # event type -> (field kind, JSON field holding text, JSON-escaped)
    _DELTAS: ClassVar[dict[str, tuple[str, str, bool]]] = {
        "response.output_text.delta": ("text", "delta", False),
        "response.refusal.delta": ("refusal", "delta", False),
        "response.function_call_arguments.delta": ("arguments", "delta", True),
    }
    _DONES: ClassVar[dict[str, tuple[str, str, bool]]] = {
        "response.output_text.done": ("text", "text", False),
        "response.refusal.done": ("refusal", "refusal", False),
        "response.function_call_arguments.done": ("arguments", "arguments", True),
    }
    _WHOLE: ClassVar[dict[str, str]] = {
        "response.content_part.added": "part",
        "response.content_part.done": "part",
        "response.output_item.added": "item",
        "response.output_item.done": "item",
    }
    _TERMINAL: ClassVar[frozenset[str]] = frozenset(
        {"response.completed", "response.incomplete", "response.failed"}
    )

    def __init__(self, mapping: PlaceholderMap) -> None:
        self._mapping = mapping
        self._fields = _Restorers(mapping)
        self._templates: dict[_Key, tuple[str | None, dict[str, Json]]] = {}
        # Synthetic events inserted so far: later sequence numbers shift to stay unique.
        self._inserted = 0

    def on_event(self, event: SSEEvent) -> list[SSEEvent]:
        obj = _load(event)
        if obj is None:
            return [event]
        kind = obj.get("type")
        key = (_int(obj.get("output_index"), 0), "", _int(obj.get("content_index"), 0))
        before: list[SSEEvent] = []
        changed = False
        if kind in self._DELTAS:
            field, name, json_escape = self._DELTAS[kind]
            key = (key[0], field, key[2])
            text = obj.get(name)
            if isinstance(text, str):
                self._templates[key] = (event.event, copy.deepcopy(obj))
                new = self._fields.feed(key, text, json_escape=json_escape)
                changed = new != text
                obj[name] = new
        elif kind in self._DONES:
            field, name, json_escape = self._DONES[kind]
            before = self._release(lambda k: k == (key[0], field, key[2]), obj)
            text = obj.get(name)
            if isinstance(text, str) and "[[" in text:
                restore = self._mapping.restore_json_string_content if json_escape else None
                obj[name] = (restore or self._mapping.restore)(text)
                changed = True
        elif kind in self._WHOLE or kind in self._TERMINAL:
            if kind in self._TERMINAL:
                before = self._release(lambda _k: True, obj)
            name = self._WHOLE.get(str(kind), "response")
            if name in obj and "[[" in event.data:
                obj[name] = restore_tree(obj[name], self._mapping)
                changed = True
        seq = obj.get("sequence_number")
        if self._inserted and isinstance(seq, int):
            obj["sequence_number"] = seq + self._inserted
            changed = True
        return [*before, _with_data(event, obj) if changed else event]

    def finish(self) -> list[SSEEvent]:
        return self._release(lambda _k: True, None)

    def _release(
        self, match: Callable[[_Key], bool], ending: dict[str, Json] | None
    ) -> list[SSEEvent]:
        events = []
        for key, text in self._fields.close(match):
            sse_name, obj = self._templates[key]
            obj = {**obj, "delta": text}
            if "logprobs" in obj:
                obj["logprobs"] = []
            seq = ending.get("sequence_number") if ending is not None else None
            if isinstance(seq, int):
                obj["sequence_number"] = seq + self._inserted
                self._inserted += 1
            events.append(SSEEvent(sse_name, _dump(obj)))
        return events


# -- the handlers each shape picks (Shape.stream_handler) ------------------------------------
def chat_stream(mapping: PlaceholderMap) -> StreamHandler:
    return _ChoicesHandler(mapping, legacy=False)


def completions_stream(mapping: PlaceholderMap) -> StreamHandler:
    return _ChoicesHandler(mapping, legacy=True)


def responses_stream(mapping: PlaceholderMap) -> StreamHandler:
    return _ResponsesHandler(mapping)


def anthropic_stream(mapping: PlaceholderMap) -> StreamHandler:
    return _AnthropicHandler(mapping)


class PassThroughHandler:
    """For answers with nothing to restore (embeddings are vectors): events unchanged."""

    def on_event(self, event: SSEEvent) -> list[SSEEvent]:
        return [event]

    def finish(self) -> list[SSEEvent]:
        return []
