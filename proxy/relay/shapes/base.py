"""Common types for API shapes: a text segment, the Shape protocol, and the walk rules.

A segment path is the JSON path to a string. Two marker elements extend it:

- ``"$json"``: the string at the path so far holds JSON; the path continues inside it.
- ``"$key"``: the next element names an object key whose *name* is the segment text.

Real object keys that start with ``$`` appear in paths with one more ``$`` in front
(``"$ref"`` -> ``"$$ref"``), so a marker can never be confused with a key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from proxy.errors import BadRequest, PayloadTooLarge
from proxy.vocabulary import Family

if TYPE_CHECKING:
    from proxy.relay.placeholders import PlaceholderMap
    from proxy.relay.shapes.files import FilePart
    from proxy.relay.stream_handlers import StreamHandler

JSON_MARK = "$json"
KEY_MARK = "$key"

PathElement = str | int
Path = tuple[PathElement, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """One string the upstream model could read, and where it sits in the body."""

    path: Path
    text: str
    role: str | None


class Shape(Protocol):
    """What the proxy needs from one API route: list the text, put rewritten text back."""

    @property
    def family(self) -> Family: ...

    @property
    def route(self) -> str: ...

    def validate(self, body: dict[str, Any]) -> None: ...

    def segments(self, body: dict[str, Any]) -> list[Segment]: ...

    def non_text_parts(self, body: dict[str, Any]) -> list[str]: ...

    def server_state(self, body: dict[str, Any]) -> list[str]: ...

    def apply(self, body: dict[str, Any], replacements: Mapping[Path, str]) -> dict[str, Any]: ...

    # Inline files (proxy.relay.shapes.files): listed with their bytes, and replaced by a
    # text part holding their masked text when the policy flattens them.
    def file_parts(self, body: dict[str, Any]) -> list[FilePart]: ...

    def text_part(self, text: str) -> dict[str, Any]: ...

    def replace_parts(
        self, body: dict[str, Any], parts: Mapping[Path, dict[str, Any]]
    ) -> dict[str, Any]: ...

    # The answer on its way back: how a stream is rewritten, and whether a JSON answer
    # holds text to restore at all.
    def stream_handler(self, mapping: PlaceholderMap) -> StreamHandler: ...

    @property
    def restores_answer(self) -> bool: ...


@dataclass(frozen=True)
class WalkRules:
    """How one API family's body is walked; every set is closed and small.

    - ``structural_keys``: values (whole subtrees) that are identifiers or config, never
      model-readable, and that must reach the upstream unchanged.
    - ``data_keys``: free-form payloads (tool inputs, schemas, metadata) where every key
      and value is data: structural keys are not skipped and numbers are segments.
    - ``json_string_keys``: string values that hold JSON to be parsed and walked.
    - ``binary_types``: ``type`` values of parts that carry binary payloads; inside them the
      payload keys (``data``, ``file_data``) and ``data:`` URLs are not text. The part is
      reported by ``non_text_parts`` instead, so policy blocks it by default.
    - ``role_keys``: top-level keys whose text is read with a role (``system`` prompt).
    """

    structural_keys: frozenset[str]
    data_keys: frozenset[str]
    json_string_keys: frozenset[str]
    binary_types: frozenset[str]
    role_keys: Mapping[str, str] = field(default_factory=dict)
    binary_keys: frozenset[str] = frozenset({"data", "file_data"})
    url_keys: frozenset[str] = frozenset({"url", "image_url", "file_url"})


# Field names of the OpenAI and Anthropic APIs and of JSON Schema. A key with one of these
# names is vocabulary, not text; any other key name is scanned as a segment, so data cannot
# hide in key names. Numbers under these keys are parameters; under any other key they
# are scanned too.
# fmt: off
KNOWN_KEYS = frozenset({
    "model", "messages", "input", "instructions", "prompt", "suffix", "system", "stream",
    "stream_options", "include_usage", "temperature", "top_p", "top_k", "n", "seed",
    "stop", "stop_sequences", "max_tokens", "max_completion_tokens", "max_output_tokens",
    "max_tool_calls", "frequency_penalty", "presence_penalty", "logit_bias", "logprobs",
    "top_logprobs", "echo", "best_of", "user", "metadata", "store", "background",
    "service_tier", "reasoning_effort", "reasoning", "effort", "summary",
    "generate_summary", "verbosity", "modalities", "audio", "voice", "prediction",
    "parallel_tool_calls", "tool_choice", "disable_parallel_tool_use", "tools",
    "functions", "function_call", "response_format", "text", "format", "truncation",
    "include", "previous_response_id", "conversation", "prompt_cache_key",
    "safety_identifier", "web_search_options", "encoding_format", "dimensions", "thinking",
    "budget_tokens", "container", "mcp_servers", "context_management", "output_format",
    "output_config", "betas", "variables", "version", "user_id", "role", "content", "type",
    "id", "name", "arguments", "tool_calls", "tool_call_id", "call_id", "output", "status",
    "refusal", "annotations", "image_url", "url", "detail", "input_audio", "data", "file",
    "file_id", "file_data", "filename", "file_url", "source", "media_type", "title",
    "context", "citations", "cache_control", "ttl", "tool_use_id", "is_error", "signature",
    "encrypted_content", "input_text", "output_text", "authorization_token",
    "tool_configuration", "allowed_tools", "enabled", "server_label", "server_url",
    "server_description", "require_approval", "headers", "vector_store_ids", "filters",
    "ranking_options", "max_num_results", "user_location", "city", "region", "country",
    "timezone", "search_context_size", "function", "description", "parameters", "strict",
    "input_schema", "json_schema", "schema", "properties", "required", "items", "enum",
    "const", "default", "examples", "additionalProperties", "anyOf", "oneOf", "allOf",
    "not", "$ref", "$defs", "definitions", "$schema", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
    "maxItems", "pattern", "uniqueItems", "nullable",
})
# fmt: on


def escape_key(key: str) -> str:
    """Path element for a real object key (see the module docstring)."""
    return "$" + key if key.startswith("$") else key


def unsupported(ja: str, en: str) -> BadRequest:
    """The 400 for a body whose shape the upstream would not accept either."""
    return BadRequest("unsupported_content", ja, en)


# A model name is forwarded unscanned, so it must be an identifier, not a place for text:
# ASCII letters, digits and . _ : / -, up to 128 characters, and no run of ten digits (a
# My Number, a card or a phone number; dated snapshots have eight).
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/\-]{0,127}")
_LONG_DIGITS = re.compile(r"[0-9]{10}")


def check_model_name(model: str) -> None:
    """Refuse a model name that could carry data (400)."""
    if not _MODEL_NAME.fullmatch(model) or _LONG_DIGITS.search(model):
        raise unsupported(
            "model は英数字と . _ : / - だけの名前（128文字まで）にしてください。",
            "model must be an identifier of letters, digits and . _ : / - (up to 128 characters).",
        )


def check_limits(
    segments: list[Segment], *, max_segments: int = 10_000, max_chars: int = 1_000_000
) -> None:
    """Refuse before scanning when a body has too many strings or too much text.

    Fails closed: the whole request is refused, never a partial scan of the first N chars.
    """
    if len(segments) > max_segments:
        raise BadRequest(
            "too_many_segments",
            "本文に含まれる文字列の数が多すぎます。",
            "The body contains too many strings to scan.",
        )
    total = 0
    for segment in segments:
        total += len(segment.text)
        if total > max_chars:
            raise PayloadTooLarge(
                "too_much_text",
                "検査するテキストが多すぎます。",
                "The body contains too much text to scan.",
            )
