"""Tests for proxy.relay.shapes: every model-readable location is a segment and can be rewritten."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from proxy.errors import BadRequest, PayloadTooLarge
from proxy.relay.shapes import (
    ReplacementError,
    Segment,
    Shape,
    check_limits,
    is_stream,
    model_of,
    shape_for,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "shapes"
CANARY_RE = re.compile(r"ZQ-[a-z0-9-]+-QZ")
MASK = "[MASK]"

CHAT = "/v1/chat/completions"
RESPONSES = "/v1/responses"
MESSAGES = "/v1/messages"


def load(name: str) -> dict[str, Any]:
    value = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


def shape(route: str) -> Shape:
    found = shape_for("POST", route)
    assert found is not None
    return found


def deep_replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k.replace(old, new): deep_replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_replace(v, old, new) for v in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


def canon(value: Any) -> Any:
    """Compare JSON-in-a-string fields by content: write-back re-serialises them."""
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canon(v) for v in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return {"$json": canon(json.loads(value))}
        except ValueError:
            return value
    return value


def mask_canary(route: str, body: dict[str, Any], canary: str) -> dict[str, Any]:
    segments = shape(route).segments(body)
    hits = {s.path: s.text.replace(canary, MASK) for s in segments if canary in s.text}
    assert hits, f"{canary} is not in any segment"
    return shape(route).apply(body, hits)


# ---------------------------------------------------------------- C13 location coverage

LOCATIONS: list[tuple[str, str, str]] = [
    # (data file, route, canary): one row per location named in threats.md C13 and more
    *[
        ("chat_all_locations.json", CHAT, f"ZQ-chat-{name}-QZ")
        for name in [
            "system",
            "developer",
            "name",
            "user-string",
            "user-part",
            "unknown-part",
            "assistant",
            "tool-args",
            "args-key",
            "tool-content",
            "legacy-args",
            "function-content",
            "tool-description",
            "param-description",
            "param-enum",
            "param-default",
            "param-name",
            "functions-description",
            "response-schema",
            "stop",
            "prediction",
            "metadata",
            "user-field",
            "optout",
        ]
    ],
    *[
        ("responses_all_locations.json", RESPONSES, f"ZQ-resp-{name}-QZ")
        for name in [
            "instructions",
            "input-text",
            "filename",
            "developer",
            "assistant",
            "function-args",
            "function-output",
            "reasoning",
            "unknown-item",
            "prompt-variables",
            "tool-description",
            "param-description",
            "text-schema",
            "metadata",
        ]
    ],
    *[
        ("anthropic_all_locations.json", MESSAGES, f"ZQ-anth-{name}-QZ")
        for name in [
            "system-block",
            "user-string",
            "assistant-string",
            "user-block",
            "document-text",
            "document-title",
            "document-context",
            "thinking",
            "assistant-block",
            "tool-use-input",
            "tool-use-type",
            "tool-result-string",
            "tool-result-block",
            "unknown-block",
            "tool-description",
            "schema-description",
            "metadata-user-id",
            "mcp-token",
            "stop",
        ]
    ],
]


@pytest.mark.parametrize("name", sorted({row[0] for row in LOCATIONS}))
def test_location_table_matches_data_file(name: str) -> None:
    # Keeps the table honest: a canary added to a file must be listed, and vice versa.
    in_file = set(CANARY_RE.findall((DATA / name).read_text(encoding="utf-8")))
    in_table = {canary for file, _, canary in LOCATIONS if file == name}
    assert in_file == in_table


@pytest.mark.parametrize(("name", "route", "canary"), LOCATIONS, ids=[r[2] for r in LOCATIONS])
def test_every_location_is_scanned_and_rewritable(name: str, route: str, canary: str) -> None:
    body = load(name)
    before = copy.deepcopy(body)
    assert any(canary in s.text for s in shape(route).segments(body))

    new_body = mask_canary(route, body, canary)

    dumped = json.dumps(new_body, ensure_ascii=False)
    assert canary not in dumped
    assert MASK in dumped
    assert body == before, "apply must not touch the original body"
    # Everything else is identical: same structure, key order, numbers and other text.
    expected = canon(deep_replace(before, canary, MASK))
    assert json.dumps(canon(new_body), ensure_ascii=False) == json.dumps(
        expected, ensure_ascii=False
    )
    others = set(CANARY_RE.findall(json.dumps(before, ensure_ascii=False))) - {canary}
    assert others <= set(CANARY_RE.findall(dumped))


def test_input_string_locations() -> None:
    cases = [
        (RESPONSES, {"model": "m", "input": "ZQ-resp-input-string-QZ", "store": False}),
        (
            MESSAGES,
            {
                "model": "m",
                "system": "ZQ-anth-system-string-QZ",
                "messages": [{"role": "user", "content": "hi"}],
            },
        ),
        (
            "/v1/messages/count_tokens",
            {
                "model": "m",
                "system": "ZQ-anth-count-QZ",
                "messages": [{"role": "user", "content": "hi"}],
            },
        ),
        ("/v1/completions", {"model": "m", "prompt": "ZQ-comp-prompt-QZ"}),
        ("/v1/completions", {"model": "m", "prompt": ["a", "ZQ-comp-list-QZ"]}),
        ("/v1/completions", {"model": "m", "prompt": "a", "suffix": "ZQ-comp-suffix-QZ"}),
        ("/v1/embeddings", {"model": "m", "input": "ZQ-emb-string-QZ"}),
        ("/v1/embeddings", {"model": "m", "input": ["x", "ZQ-emb-list-QZ"]}),
    ]
    for route, body in cases:
        canary = CANARY_RE.findall(json.dumps(body))[0]
        new_body = mask_canary(route, body, canary)
        assert canary not in json.dumps(new_body)
        assert new_body == deep_replace(body, canary, MASK)


# ---------------------------------------------------------------- segments details


def test_roles_follow_messages() -> None:
    by_text = {s.text: s.role for s in shape(CHAT).segments(load("chat_all_locations.json"))}
    assert by_text["あなたは受付係です。ZQ-chat-system-QZ"] == "system"
    assert by_text["ZQ-chat-tool-args-QZ"] == "assistant"
    assert by_text["ZQ-chat-function-content-QZ"] == "function"
    anth = {s.text: s.role for s in shape(MESSAGES).segments(load("anthropic_all_locations.json"))}
    assert anth["社内アシスタント ZQ-anth-system-block-QZ"] == "system"
    assert anth["ZQ-anth-tool-result-string-QZ"] == "user"


def test_anthropic_system_messages_are_scanned_as_system() -> None:
    # Claude Code puts instructions in the middle of a conversation as role "system".
    body = {
        "model": "m",
        "messages": [
            {"role": "user", "content": "ZQ-anth-user-QZ"},
            {"role": "system", "content": [{"type": "text", "text": "ZQ-anth-system-msg-QZ"}]},
        ],
    }
    roles = {s.text: s.role for s in shape(MESSAGES).segments(body)}
    assert roles == {"ZQ-anth-user-QZ": "user", "ZQ-anth-system-msg-QZ": "system"}


def test_tool_call_arguments_are_parsed_into_leaves() -> None:
    segments = shape(CHAT).segments(load("chat_all_locations.json"))
    args = ("messages", 4, "tool_calls", 0, "function", "arguments", "$json")
    paths = {s.path: s.text for s in segments}
    assert paths[(*args, "customer", "name")] == "ZQ-chat-tool-args-QZ"
    assert paths[(*args, "customer", "tags", 0)] == "vip"
    assert paths[(*args, "customer", "score")] == "1.5"
    assert paths[(*args, "$key", "ZQ-chat-args-key-QZ")] == "ZQ-chat-args-key-QZ"


@pytest.mark.parametrize(
    ("arguments", "expected_texts"),
    [
        ('{"a": "x"}', ["a", "x"]),  # a key outside the API vocabulary is scanned too
        ("not json ZQ", ["not json ZQ"]),
        ("4111111111111111", ["4111111111111111"]),  # a bare number is read raw
        ('"quoted"', ['"quoted"']),
        ('{"a": 1, "a": 2}', ['{"a": 1, "a": 2}']),  # duplicate keys: scan the raw text
        ('{"a": NaN}', ['{"a": NaN}']),
    ],
)
def test_arguments_fallback_to_raw(arguments: str, expected_texts: list[str]) -> None:
    body = {
        "model": "m",
        "messages": [
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "c",
                        "type": "function",
                        "function": {"name": "f", "arguments": arguments},
                    }
                ],
            }
        ],
    }
    texts = [s.text for s in shape(CHAT).segments(body)]
    assert texts == ["c", "f", *expected_texts]  # the call id is client text: scanned


def test_raw_arguments_are_rewritten_as_one_string() -> None:
    body = {
        "model": "m",
        "messages": [
            {"role": "assistant", "function_call": {"name": "f", "arguments": "call 090-1234-5678"}}
        ],
    }
    path = ("messages", 0, "function_call", "arguments")
    new_body = shape(CHAT).apply(body, {path: "call <PHONE>"})
    assert new_body["messages"][0]["function_call"]["arguments"] == "call <PHONE>"


def test_rewritten_arguments_keep_unicode_and_order() -> None:
    args = '{"z":"山田","a":"x","n":1.25}'
    body = {
        "model": "m",
        "messages": [
            {
                "role": "assistant",
                "tool_calls": [
                    {"id": "c", "type": "function", "function": {"name": "f", "arguments": args}}
                ],
            }
        ],
    }
    path = ("messages", 0, "tool_calls", 0, "function", "arguments", "$json", "a")
    new_args = shape(CHAT).apply(body, {path: "<X>"})["messages"][0]["tool_calls"][0]
    assert new_args["function"]["arguments"] == json.dumps(
        {"z": "山田", "a": "<X>", "n": 1.25}, ensure_ascii=False
    )


def test_numbers_in_tool_input_are_segments() -> None:
    body = load("anthropic_all_locations.json")
    path = ("messages", 3, "content", 2, "input", "account")
    assert Segment(path, "4111111111111111", "assistant") in shape(MESSAGES).segments(body)
    new_body = shape(MESSAGES).apply(body, {path: "<CARD>"})
    assert new_body["messages"][3]["content"][2]["input"]["account"] == "<CARD>"
    assert "4111111111111111" not in json.dumps(new_body)


def test_keys_in_data_are_segments_and_renamed_in_place() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "metadata": {"first": 1, "yamada@example.com": "v", "last": 2},
    }
    path = ("metadata", "$key", "yamada@example.com")
    assert Segment(path, "yamada@example.com", None) in shape(CHAT).segments(body)
    new_body = shape(CHAT).apply(body, {path: "<EMAIL>", ("metadata", "yamada@example.com"): "w"})
    assert list(new_body["metadata"].items()) == [("first", 1), ("<EMAIL>", "w"), ("last", 2)]


def test_dollar_keys_are_escaped_not_confused_with_markers() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "metadata": {"$json": "secret-a", "$key": {"k": "secret-b"}},
    }
    paths = {s.text: s.path for s in shape(CHAT).segments(body)}
    assert paths["secret-a"] == ("metadata", "$$json")
    assert paths["secret-b"] == ("metadata", "$$key", "k")
    new_body = shape(CHAT).apply(body, {("metadata", "$$key", "k"): "<B>"})
    assert new_body["metadata"] == {"$json": "secret-a", "$key": {"k": "<B>"}}


STRUCTURAL = [
    # (route, body, structural value that must not be a segment)
    (
        CHAT,
        {"model": "gpt-secret-model", "messages": [{"role": "user", "content": "x"}]},
        "gpt-secret-model",
    ),
    (RESPONSES, {"model": "m", "previous_response_id": "resp_ABC", "input": "x"}, "resp_ABC"),
    (
        MESSAGES,
        {
            "model": "m",
            "messages": [
                {
                    "role": "assistant",
                    "content": [{"type": "thinking", "thinking": "x", "signature": "SIG123"}],
                }
            ],
        },
        "SIG123",
    ),
]


@pytest.mark.parametrize(("route", "body", "value"), STRUCTURAL)
def test_structural_values_are_not_segments_and_not_writable(
    route: str, body: dict[str, Any], value: str
) -> None:
    segments = shape(route).segments(body)
    assert value not in [s.text for s in segments]
    assert "x" in [s.text for s in segments]
    path = next(p for p, v in _leaves(body) if v == value)
    with pytest.raises(ReplacementError):
        shape(route).apply(body, {path: "changed"})


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [(path, value)]


def test_structural_keys_inside_tool_input_are_data() -> None:
    body = {
        "model": "m",
        "messages": [
            {
                "role": "assistant",
                "content": [
                    {
                        "type": "tool_use",
                        "id": "t",
                        "name": "f",
                        "input": {"id": "ZQ-id-QZ", "model": "ZQ-model-QZ"},
                    }
                ],
            }
        ],
    }
    texts = [s.text for s in shape(MESSAGES).segments(body)]
    assert "ZQ-id-QZ" in texts and "ZQ-model-QZ" in texts


def test_unknown_top_level_key_and_number_are_segments() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "ZQ-key-QZ": 4111111111111111,
        "temperature": 0.2,
    }
    texts = [s.text for s in shape(CHAT).segments(body)]
    assert "ZQ-key-QZ" in texts and "4111111111111111" in texts
    assert "0.2" not in texts


@pytest.mark.parametrize(
    "path",
    [
        ("messages", 0, "content", 5),
        ("messages", 0, "nope"),
        ("model",),
        ("messages", 0, "content", 0, "text", "$json", "a"),
    ],
)
def test_apply_rejects_paths_that_are_not_segments(path: tuple[Any, ...]) -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "t"}]}],
    }
    with pytest.raises(ReplacementError):
        shape(CHAT).apply(body, {path: "x"})


def test_apply_rejects_key_collisions() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "metadata": {"alpha": "1", "beta": "2"},
    }
    with pytest.raises(ReplacementError):
        shape(CHAT).apply(body, {("metadata", "$key", "alpha"): "beta"})


def test_apply_without_replacements_is_an_equal_copy() -> None:
    body = load("chat_all_locations.json")
    new_body = shape(CHAT).apply(body, {})
    assert new_body == body and new_body is not body
    new_body["messages"][0]["content"] = "changed"
    assert body["messages"][0]["content"] != "changed"


# ---------------------------------------------------------------- C14 string vs parts

C14 = [
    (
        CHAT,
        {"model": "m", "messages": [{"role": "user", "content": "保険証 ZQ-c14-QZ"}]},
        {
            "model": "m",
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "保険証 ZQ-c14-QZ"}]}
            ],
        },
    ),
    (
        CHAT,
        {"model": "m", "messages": [{"role": "system", "content": "ZQ-c14-QZ"}]},
        {
            "model": "m",
            "messages": [{"role": "system", "content": [{"type": "text", "text": "ZQ-c14-QZ"}]}],
        },
    ),
    (
        RESPONSES,
        {"model": "m", "input": "保険証 ZQ-c14-QZ"},
        {
            "model": "m",
            "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "保険証 ZQ-c14-QZ"}]}
            ],
        },
    ),
    (
        RESPONSES,
        {"model": "m", "input": [{"role": "user", "content": "保険証 ZQ-c14-QZ"}]},
        {
            "model": "m",
            "input": [
                {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": "保険証 ZQ-c14-QZ"}],
                }
            ],
        },
    ),
    (
        MESSAGES,
        {
            "model": "m",
            "system": "ZQ-sys-QZ",
            "messages": [{"role": "user", "content": "保険証 ZQ-c14-QZ"}],
        },
        {
            "model": "m",
            "system": [{"type": "text", "text": "ZQ-sys-QZ"}],
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "保険証 ZQ-c14-QZ"}]}
            ],
        },
    ),
    (
        MESSAGES,
        {
            "model": "m",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": "t", "content": "ZQ-c14-QZ"}
                    ],
                }
            ],
        },
        {
            "model": "m",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": "t",
                            "content": [{"type": "text", "text": "ZQ-c14-QZ"}],
                        }
                    ],
                }
            ],
        },
    ),
]


@pytest.mark.parametrize(("route", "as_string", "as_parts"), C14)
def test_string_and_parts_give_the_same_segments(
    route: str, as_string: dict[str, Any], as_parts: dict[str, Any]
) -> None:
    def texts(body: dict[str, Any]) -> list[tuple[str, str | None]]:
        return [(s.text, s.role) for s in shape(route).segments(body)]

    assert texts(as_string) == texts(as_parts)
    assert any("ZQ-c14-QZ" in t for t, _ in texts(as_parts))


# ---------------------------------------------------------------- C15 non-text parts

PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="
B64_PDF = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago="

NON_TEXT = [
    (CHAT, [{"type": "image_url", "image_url": {"url": PNG, "detail": "high"}}], [], 1),
    (
        CHAT,
        [{"type": "input_audio", "input_audio": {"data": B64_PDF, "format": "wav"}}],
        ["audio"],
        0,
    ),
    (CHAT, [{"type": "file", "file": {"file_data": PNG, "filename": "a.pdf"}}], [], 1),
    (CHAT, [{"type": "file", "file": {"file_id": "file-1"}}], ["file"], 0),
    (CHAT, [{"type": "text", "text": "plain"}], [], 0),
    (CHAT, [{"type": "text", "text": PNG}], [], 0),
    (RESPONSES, [{"type": "input_image", "image_url": PNG}], [], 1),
    (RESPONSES, [{"type": "input_file", "file_data": B64_PDF, "filename": "a.pdf"}], [], 1),
    (
        RESPONSES,
        [
            {"type": "input_text", "text": "t"},
            {"type": "input_image", "image_url": PNG},
            {"type": "input_file", "file_url": "https://x.example/a.pdf"},
        ],
        ["file"],
        1,
    ),
    (
        MESSAGES,
        [
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/png", "data": B64_PDF},
            }
        ],
        [],
        1,
    ),
    (
        MESSAGES,
        [{"type": "image", "source": {"type": "url", "url": "https://x.example/i.png"}}],
        ["image"],
        0,
    ),
    (
        MESSAGES,
        [
            {
                "type": "document",
                "source": {"type": "base64", "media_type": "application/pdf", "data": B64_PDF},
            }
        ],
        [],
        1,
    ),
    (
        MESSAGES,
        [{"type": "document", "source": {"type": "file", "file_id": "file_1"}}],
        ["file"],
        0,
    ),
    (
        MESSAGES,
        [
            {
                "type": "document",
                "source": {"type": "text", "media_type": "text/plain", "data": "plain"},
            }
        ],
        [],
        0,
    ),
    (MESSAGES, [{"type": "container_upload", "file_id": "file_2"}], ["file"], 0),
    (
        MESSAGES,
        [
            {
                "type": "tool_result",
                "tool_use_id": "t",
                "content": [
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": B64_PDF},
                    }
                ],
            }
        ],
        [],
        1,
    ),
]


def _user_body(route: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    if route == RESPONSES:
        return {"model": "m", "input": [{"role": "user", "content": parts}]}
    return {"model": "m", "messages": [{"role": "user", "content": parts}]}


@pytest.mark.parametrize(("route", "parts", "kinds", "files"), NON_TEXT)
def test_non_text_parts(
    route: str, parts: list[dict[str, Any]], kinds: list[str], files: int
) -> None:
    """Inline files are attachments (read and scanned); what points elsewhere is non-text."""
    body = _user_body(route, parts)
    assert shape(route).non_text_parts(body) == kinds
    assert len(shape(route).file_parts(body)) == files
    texts = [s.text for s in shape(route).segments(body)]
    if kinds or files:
        # Binary payloads are reported instead of being fed to the text scanner.
        assert PNG not in texts and B64_PDF not in texts


def test_text_that_looks_like_a_data_url_is_still_scanned() -> None:
    body = _user_body(CHAT, [{"type": "text", "text": PNG}])
    assert PNG in [s.text for s in shape(CHAT).segments(body)]


def test_http_image_url_is_scanned_as_text() -> None:
    url = "https://x.example/i.png?email=yamada@example.com"
    body = _user_body(CHAT, [{"type": "image_url", "image_url": {"url": url}}])
    assert url in [s.text for s in shape(CHAT).segments(body)]


def test_anthropic_text_document_is_a_segment_and_not_non_text() -> None:
    body = load("anthropic_all_locations.json")
    assert shape(MESSAGES).non_text_parts(body) == []
    assert "議事録 ZQ-anth-document-text-QZ" in [s.text for s in shape(MESSAGES).segments(body)]


def test_tool_input_lookalike_part_is_not_a_non_text_part() -> None:
    body = {
        "model": "m",
        "messages": [
            {
                "role": "assistant",
                "content": [
                    {
                        "type": "tool_use",
                        "id": "t",
                        "name": "f",
                        "input": {"type": "image", "data": "ZQ-data-QZ"},
                    }
                ],
            }
        ],
    }
    assert shape(MESSAGES).non_text_parts(body) == []
    assert "ZQ-data-QZ" in [s.text for s in shape(MESSAGES).segments(body)]


# ---------------------------------------------------------------- C16 server-side state

SERVER_STATE = [
    (CHAT, {"model": "m", "messages": [{"role": "user", "content": "x"}]}, []),
    (
        CHAT,
        {"model": "m", "store": True, "messages": [{"role": "user", "content": "x"}]},
        ["store"],
    ),
    (
        CHAT,
        {
            "model": "m",
            "messages": [
                {"role": "user", "content": [{"type": "file", "file": {"file_id": "file-1"}}]}
            ],
        },
        ["file_id"],
    ),
    (
        CHAT,
        {"model": "m", "messages": [{"role": "assistant", "audio": {"id": "audio_1"}}]},
        ["audio_reference"],
    ),
    (RESPONSES, {"model": "m", "input": "x", "store": False}, []),
    (RESPONSES, {"model": "m", "input": "x"}, ["store_default"]),
    (
        RESPONSES,
        {"model": "m", "input": "x", "store": True, "background": True},
        ["store", "background"],
    ),
    (
        RESPONSES,
        {
            "model": "m",
            "input": "x",
            "store": False,
            "previous_response_id": "resp_1",
            "conversation": {"id": "conv_1"},
        },
        ["previous_response_id", "conversation"],
    ),
    (
        RESPONSES,
        {"model": "m", "store": False, "input": [{"type": "item_reference", "id": "msg_1"}]},
        ["item_reference"],
    ),
    (
        RESPONSES,
        {"store": False, "prompt": {"id": "pmpt_1", "variables": {"a": "b"}}},
        ["prompt_template"],
    ),
    (
        RESPONSES,
        {
            "model": "m",
            "input": "x",
            "store": False,
            "tools": [{"type": "file_search", "vector_store_ids": ["vs_1"]}],
        },
        ["vector_store"],
    ),
    (
        RESPONSES,
        {
            "model": "m",
            "store": False,
            "input": [{"role": "user", "content": [{"type": "input_file", "file_id": "file-1"}]}],
        },
        ["file_id"],
    ),
    (MESSAGES, {"model": "m", "messages": [{"role": "user", "content": "x"}]}, []),
    (
        MESSAGES,
        {"model": "m", "container": "cntr_1", "messages": [{"role": "user", "content": "x"}]},
        ["container"],
    ),
    (
        MESSAGES,
        {
            "model": "m",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "document", "source": {"type": "file", "file_id": "file_1"}}
                    ],
                }
            ],
        },
        ["file_id"],
    ),
]


@pytest.mark.parametrize(("route", "body", "state"), SERVER_STATE)
def test_server_state(route: str, body: dict[str, Any], state: list[str]) -> None:
    assert shape(route).server_state(body) == state


# ---------------------------------------------------------------- validation

INVALID = [
    (CHAT, {"messages": [{"role": "user", "content": "x"}]}),
    (CHAT, {"model": 5, "messages": [{"role": "user", "content": "x"}]}),
    (CHAT, {"model": "m"}),
    (CHAT, {"model": "m", "messages": {"role": "user", "content": "x"}}),
    (CHAT, {"model": "m", "messages": []}),
    (CHAT, {"model": "m", "messages": ["x"]}),
    (CHAT, {"model": "m", "messages": [{"role": "boss", "content": "x"}]}),
    (CHAT, {"model": "m", "messages": [{"content": "x"}]}),
    (CHAT, {"model": "m", "messages": [{"role": "user", "content": {"text": "x"}}]}),
    (CHAT, {"model": "m", "messages": [{"role": "user", "content": ["x"]}]}),
    (CHAT, {"model": "m", "messages": [{"role": "user", "content": [{"text": "x"}]}]}),
    (CHAT, {"model": "m", "messages": [{"role": "assistant", "tool_calls": "x"}]}),
    (RESPONSES, {"model": "m", "input": {"role": "user"}}),
    (RESPONSES, {"model": "m", "input": ["x"]}),
    (RESPONSES, {"model": "m", "input": [{"role": "tool", "content": "x"}]}),
    (RESPONSES, {"model": "m", "input": [{"type": "message", "content": "x"}]}),
    (RESPONSES, {"input": "x"}),
    ("/v1/completions", {"model": "m", "prompt": [1, 2, 3]}),
    ("/v1/completions", {"model": "m", "prompt": [[1, 2], [3]]}),
    ("/v1/completions", {"model": "m", "prompt": ["a", 1]}),
    ("/v1/completions", {"model": "m", "prompt": []}),
    ("/v1/embeddings", {"model": "m", "input": [1, 2]}),
    ("/v1/embeddings", {"model": "m", "input": [[1, 2]]}),
    ("/v1/embeddings", {"model": "m"}),
    (MESSAGES, {"model": "m", "messages": [{"role": "robot", "content": "x"}]}),
    (MESSAGES, {"model": "m", "messages": [{"role": "user", "content": None}]}),
    (MESSAGES, {"model": "m", "messages": [{"role": "user", "content": [{"text": "x"}]}]}),
    (MESSAGES, {"model": "m", "system": 3, "messages": [{"role": "user", "content": "x"}]}),
    (MESSAGES, {"messages": [{"role": "user", "content": "x"}]}),
]


@pytest.mark.parametrize(("route", "body"), INVALID)
def test_invalid_shapes_are_400(route: str, body: dict[str, Any]) -> None:
    with pytest.raises(BadRequest) as info:
        shape(route).segments(body)
    assert (info.value.status, info.value.code) == (400, "unsupported_content")


# ---------------------------------------------------------------- C18 opt-out attempts


def test_opt_out_fields_are_just_scanned_text() -> None:
    body = {
        "model": "m",
        "guardrails": [],
        "x-dlp-skip": "true",
        "scanners_suppress": ["pii"],
        "metadata": {"guardrails": {"disable": True}},
        "messages": [{"role": "user", "content": "ZQ-opt-QZ"}],
    }
    segments = shape(CHAT).segments(body)
    texts = [s.text for s in segments]
    assert "ZQ-opt-QZ" in texts
    assert {"x-dlp-skip", "true", "scanners_suppress", "pii", "guardrails"} <= set(texts)
    assert shape(CHAT).server_state(body) == []


# ---------------------------------------------------------------- registry and helpers


@pytest.mark.parametrize(
    ("method", "path", "family", "route"),
    [
        ("POST", "/v1/chat/completions", "openai", "/v1/chat/completions"),
        ("POST", "/v1/responses", "openai", "/v1/responses"),
        ("POST", "/v1/completions", "openai", "/v1/completions"),
        ("POST", "/v1/embeddings", "openai", "/v1/embeddings"),
        ("POST", "/v1/messages", "anthropic", "/v1/messages"),
        ("POST", "/v1/messages/count_tokens", "anthropic", "/v1/messages/count_tokens"),
        ("GET", "/v1/chat/completions", None, None),
        ("PUT", "/v1/messages", None, None),
        ("POST", "/v1/chat/completions/", None, None),
        ("POST", "/V1/Chat/Completions", None, None),
        ("POST", "/v1/files", None, None),
        ("POST", "/v1/messages/batches", None, None),
        ("POST", "/v1/moderations", None, None),
        ("POST", "/v1/audio/transcriptions", None, None),
    ],
)
def test_shape_for(method: str, path: str, family: str | None, route: str | None) -> None:
    found = shape_for(method, path)
    if family is None:
        assert found is None
    else:
        assert found is not None and (found.family, found.route) == (family, route)


@pytest.mark.parametrize(
    ("body", "model", "stream"),
    [
        ({"model": "gpt-4o", "stream": True}, "gpt-4o", True),
        ({"model": "gpt-4o", "stream": "true"}, "gpt-4o", False),
        ({"model": 3, "stream": 1}, None, False),
        ({}, None, False),
    ],
)
def test_model_of_and_is_stream(body: dict[str, Any], model: str | None, stream: bool) -> None:
    assert (model_of(body), is_stream(body)) == (model, stream)


def _segments(count: int, size: int) -> list[Segment]:
    return [Segment(("s", i), "x" * size, None) for i in range(count)]


@pytest.mark.parametrize(
    ("count", "size", "error", "code"),
    [
        (10_000, 1, None, None),
        (10_001, 1, BadRequest, "too_many_segments"),
        (10, 100_000, None, None),
        (11, 100_000, PayloadTooLarge, "too_much_text"),
    ],
)
def test_check_limits(
    count: int, size: int, error: type[Exception] | None, code: str | None
) -> None:
    segments = _segments(count, size)
    if error is None:
        check_limits(segments)
        return
    with pytest.raises(error) as info:
        check_limits(segments)
    assert getattr(info.value, "code", None) == code


def test_check_limits_custom_bounds() -> None:
    with pytest.raises(BadRequest):
        check_limits(_segments(3, 1), max_segments=2)
    with pytest.raises(PayloadTooLarge) as info:
        check_limits(_segments(2, 6), max_chars=10)
    assert info.value.status == 413


def test_many_content_parts_count_as_segments() -> None:
    parts = [{"type": "text", "text": "a"} for _ in range(10_001)]
    body = {"model": "m", "messages": [{"role": "user", "content": parts}]}
    with pytest.raises(BadRequest) as info:
        check_limits(shape(CHAT).segments(body))
    assert info.value.code == "too_many_segments"
