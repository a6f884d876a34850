"""Fields that reached the upstream unread (issue 15, item 9): client-written ids,
stream_options, the model name, Anthropic base64 objects outside image/document, and
Responses computer screenshots. Before the fix each of these passed unscanned."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from proxy.errors import BadRequest
from proxy.relay.shapes import shape_for

CHAT, RESPONSES, MESSAGES = "/v1/chat/completions", "/v1/responses", "/v1/messages"
MY_NUMBER = "615237485127"


def shape(route: str):  # type: ignore[no-untyped-def]
    found = shape_for("POST", route)
    assert found is not None
    return found


CLIENT_IDS = [
    (
        CHAT,
        {
            "model": "m",
            "messages": [
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_ZQ1",
                            "type": "function",
                            "function": {"name": "f", "arguments": "{}"},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "call_ZQ1", "content": "x"},
            ],
            "stream_options": {"include_usage": True, "note": "ZQ-stream-QZ"},
        },
        ["call_ZQ1", "ZQ-stream-QZ"],
    ),
    (
        RESPONSES,
        {
            "model": "m",
            "input": [{"type": "function_call_output", "call_id": "call_ZQ2", "output": "x"}],
        },
        ["call_ZQ2"],
    ),
    (
        MESSAGES,
        {
            "model": "m",
            "messages": [
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "toolu_ZQ3", "name": "f", "input": {}}],
                },
                {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": "toolu_ZQ3", "content": "x"}
                    ],
                },
            ],
        },
        ["toolu_ZQ3"],
    ),
]


@pytest.mark.parametrize(("route", "body", "values"), CLIENT_IDS)
def test_client_ids_and_stream_options_are_scanned(
    route: str, body: dict[str, Any], values: list[str]
) -> None:
    texts = [s.text for s in shape(route).segments(body)]
    for value in values:
        assert value in texts


MODELS = [
    ("gpt-4o-mini", True),
    ("claude-3-5-haiku-20241022", True),
    ("ft:gpt-4o-mini-2024-07-18:my-org:custom:abc123", True),
    ("accounts/fireworks/models/llama-v3", True),
    (MY_NUMBER, False),
    ("gpt-" + MY_NUMBER, False),
    ("山本健一", False),
    ("taro.yamada@example.co.jp", False),
    ("gpt 4o", False),
    ("g" * 129, False),
]


@pytest.mark.parametrize(("model", "ok"), MODELS)
@pytest.mark.parametrize("route", [CHAT, MESSAGES])
def test_the_model_name_must_be_an_identifier(route: str, model: str, ok: bool) -> None:
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": "x"}]}
    if ok:
        shape(route).validate(body)
    else:
        with pytest.raises(BadRequest):
            shape(route).validate(body)


def test_a_computer_screenshot_is_an_image() -> None:
    body = {
        "model": "m",
        "input": [
            {
                "type": "computer_call_output",
                "call_id": "c1",
                "output": {
                    "type": "computer_screenshot",
                    "image_url": "data:image/png;base64,AAAA",
                },
            }
        ],
    }
    assert shape(RESPONSES).non_text_parts(body) == ["image"]
    assert "data:image/png;base64,AAAA" not in [s.text for s in shape(RESPONSES).segments(body)]


def test_an_anthropic_base64_object_outside_image_or_document_is_reported() -> None:
    hidden = {"type": "base64", "media_type": "text/plain", "data": "NjE1MjM3NDg1MTI3"}
    body = {
        "model": "m",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": "x", "citations": [hidden]}],
            }
        ],
    }
    assert shape(MESSAGES).non_text_parts(body) == ["file"]


async def test_a_my_number_in_a_tool_call_id_is_blocked(start_proxy, fake) -> None:
    proxy = await start_proxy()
    body = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "user", "content": "マイナンバーの確認"},
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": f"マイナンバー{MY_NUMBER}",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": f"マイナンバー{MY_NUMBER}", "content": "ok"},
        ],
    }
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=body) as r:
            assert r.status == 400
            assert (await r.json())["error"]["code"] == "sensitive_data_blocked"
    assert fake.requests == []
