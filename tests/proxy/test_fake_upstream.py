"""The fake upstream speaks wire formats the real openai and anthropic SDKs accept."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import anthropic
import openai
import pytest

from proxy.tools.mock_upstream import FakeUpstream

TEXT = 'Call [[PERSON_1]] at "[[PHONE_NUMBER_1]]" \\ 東京'


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeUpstream, str]]:
    upstream = FakeUpstream()
    url = await upstream.start()
    yield upstream, url
    await upstream.close()


def _openai(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key="sk-test", max_retries=0)


def _anthropic(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key="sk-ant-test", max_retries=0)


def _chat_sync(url: str, stream: bool, tool: bool) -> tuple[str, str | None]:
    client = _openai(url)
    messages: Any = [{"role": "system", "content": "be brief"}, {"role": "user", "content": TEXT}]
    if not stream:
        done = client.chat.completions.create(model="gpt-x", messages=messages)
        message = done.choices[0].message
        args = message.tool_calls[0].function.arguments if message.tool_calls else None
        return message.content or "", args
    text, args = "", ""
    for chunk in client.chat.completions.create(
        model="gpt-x", messages=messages, stream=True, stream_options={"include_usage": True}
    ):
        for choice in chunk.choices:
            text += choice.delta.content or ""
            for call in choice.delta.tool_calls or []:
                args += (call.function.arguments or "") if call.function else ""
    return text, args or None


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("behaviour", ["echo", "tool_call"])
async def test_openai_chat_sync(
    fake: tuple[FakeUpstream, str], stream: bool, behaviour: str
) -> None:
    upstream, url = fake
    upstream.behaviour = behaviour  # type: ignore[assignment]
    text, args = await asyncio.to_thread(_chat_sync, url, stream, behaviour == "tool_call")
    if behaviour == "echo":
        assert (text, args) == (TEXT, None)
    else:
        assert args is not None and json.loads(args) == {"text": TEXT}
    recorded = upstream.requests[-1]
    assert (recorded.method, recorded.path) == ("POST", "/v1/chat/completions")
    assert recorded.json["messages"][-1]["content"] == TEXT
    assert recorded.headers["authorization"] == "Bearer sk-test"


async def test_openai_chat_async_stream_helper(fake: tuple[FakeUpstream, str]) -> None:
    upstream, url = fake
    upstream.behaviour = "tool_call"
    client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
    tools: Any = [{"type": "function", "function": {"name": "lookup", "parameters": {}}}]
    async with client.chat.completions.stream(
        model="gpt-x", messages=[{"role": "user", "content": TEXT}], tools=tools
    ) as stream:
        final = await stream.get_final_completion()
    call = final.choices[0].message.tool_calls
    assert call is not None and call[0].function.name == "lookup"
    assert json.loads(call[0].function.arguments) == {"text": TEXT}
    await client.close()


@pytest.mark.parametrize("behaviour", ["echo", "tool_call"])
async def test_openai_responses_async(fake: tuple[FakeUpstream, str], behaviour: str) -> None:
    upstream, url = fake
    upstream.behaviour = behaviour  # type: ignore[assignment]
    client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
    plain = await client.responses.create(model="gpt-x", input=TEXT)
    async with client.responses.stream(
        model="gpt-x", input=[{"role": "user", "content": [{"type": "input_text", "text": TEXT}]}]
    ) as stream:
        streamed = await stream.get_final_response()
    for response in (plain, streamed):
        if behaviour == "echo":
            assert response.output_text == TEXT
        else:
            item = response.output[0]
            assert item.type == "function_call" and json.loads(item.arguments) == {"text": TEXT}
        assert response.usage is not None and response.usage.output_tokens > 0
    await client.close()


async def test_openai_completions_embeddings_models(fake: tuple[FakeUpstream, str]) -> None:
    _, url = fake
    client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
    done = await client.completions.create(model="x", prompt=TEXT)
    streamed = "".join(
        [
            c.choices[0].text
            async for c in await client.completions.create(model="x", prompt=TEXT, stream=True)
        ]
    )
    embedded = await client.embeddings.create(model="e", input=["a", "b"])
    models = [m.id async for m in client.models.list()]
    assert (done.choices[0].text, streamed) == (TEXT, TEXT)
    assert [len(d.embedding) for d in embedded.data] == [3, 3]
    assert models == ["fake-model"]
    await client.close()


def _messages_sync(url: str, stream: bool) -> list[Any]:
    client = _anthropic(url)
    kwargs: Any = {
        "model": "claude-x",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": [{"type": "text", "text": TEXT}]}],
    }
    if stream:
        with client.messages.stream(**kwargs) as events:
            return list(events.get_final_message().content)
    return list(client.messages.create(**kwargs).content)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("behaviour", ["echo", "tool_call"])
async def test_anthropic_messages_sync(
    fake: tuple[FakeUpstream, str], stream: bool, behaviour: str
) -> None:
    upstream, url = fake
    upstream.behaviour = behaviour  # type: ignore[assignment]
    content = await asyncio.to_thread(_messages_sync, url, stream)
    block = content[0]
    if behaviour == "echo":
        assert block.type == "text" and block.text == TEXT
    else:
        assert block.type == "tool_use" and block.input == {"text": TEXT}
    headers = upstream.requests[-1].headers
    # anthropic 2.x sends the key as a bearer token; older SDKs used x-api-key.
    assert "sk-ant-test" in headers.get("x-api-key", "") + headers.get("authorization", "")
    assert "anthropic-version" in headers


async def test_anthropic_async_raw_stream_and_count(fake: tuple[FakeUpstream, str]) -> None:
    upstream, url = fake
    upstream.chunk_size = 1
    client = anthropic.AsyncAnthropic(base_url=url, api_key="k", max_retries=0)
    messages: Any = [{"role": "user", "content": TEXT}]
    kinds, text = [], ""
    async for event in await client.messages.create(
        model="c", max_tokens=9, messages=messages, stream=True
    ):
        kinds.append(event.type)
        if event.type == "content_block_delta" and event.delta.type == "text_delta":
            text += event.delta.text
    counted = await client.messages.count_tokens(model="c", messages=messages)
    assert text == TEXT and kinds.count("content_block_delta") == len(TEXT)
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert counted.input_tokens > 0
    await client.close()


@pytest.mark.parametrize(
    ("status", "openai_error", "anthropic_error"),
    [
        (429, openai.RateLimitError, anthropic.RateLimitError),
        (500, openai.InternalServerError, anthropic.InternalServerError),
        (401, openai.AuthenticationError, anthropic.AuthenticationError),
    ],
)
async def test_forced_status_maps_to_sdk_errors(
    fake: tuple[FakeUpstream, str],
    status: int,
    openai_error: type[Exception],
    anthropic_error: type[Exception],
) -> None:
    upstream, url = fake
    upstream.status, upstream.retry_after = status, "7"
    oa = openai.AsyncOpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
    an = anthropic.AsyncAnthropic(base_url=url, api_key="k", max_retries=0)
    with pytest.raises(openai_error) as oe:
        await oa.chat.completions.create(model="x", messages=[{"role": "user", "content": "a"}])
    with pytest.raises(anthropic_error):
        await an.messages.create(
            model="c", max_tokens=5, messages=[{"role": "user", "content": "a"}]
        )
    assert oe.value.response.headers["retry-after"] == "7"  # type: ignore[attr-defined]
    await oa.close()
    await an.close()


async def _read_stream(url: str, path: str, body: dict[str, Any]) -> tuple[bytes, str | None]:
    """Raw bytes until the stream ends; the error class name if it broke off."""
    got = b""
    async with aiohttp.ClientSession() as session, session.post(url + path, json=body) as response:
        try:
            async for chunk in response.content.iter_any():
                got += chunk
        except aiohttp.ClientError as exc:
            return got, type(exc).__name__
    return got, None


async def test_reset_mid_stream_breaks_the_connection(fake: tuple[FakeUpstream, str]) -> None:
    upstream, url = fake
    upstream.reset_mid_stream = True
    body = {"model": "x", "stream": True, "messages": [{"role": "user", "content": TEXT}]}
    got, error = await _read_stream(url, "/v1/chat/completions", body)
    assert error is not None
    assert b"[DONE]" not in got and b'"content"' in got


async def test_stall_mid_stream_stops_sending_and_sees_the_client_leave(
    fake: tuple[FakeUpstream, str],
) -> None:
    upstream, url = fake
    upstream.stall_mid_stream = True
    body = {
        "model": "c",
        "stream": True,
        "max_tokens": 5,
        "messages": [{"role": "user", "content": TEXT}],
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(url + "/v1/messages", json=body) as response,
    ):
        first = await asyncio.wait_for(response.content.readany(), 2)
        with pytest.raises(asyncio.TimeoutError):
            while True:
                await asyncio.wait_for(response.content.readany(), 0.3)
    assert b"message_start" in first
    for _ in range(100):
        if upstream.client_disconnects:
            break
        await asyncio.sleep(0.02)
    assert (upstream.client_disconnects, upstream.active_streams) == (1, 0)


async def test_stall_before_headers_delays_the_answer(fake: tuple[FakeUpstream, str]) -> None:
    upstream, url = fake
    upstream.stall_seconds = 0.3
    loop = asyncio.get_running_loop()
    started = loop.time()
    got, error = await _read_stream(url, "/v1/completions", {"model": "x", "prompt": "hi"})
    assert error is None and json.loads(got)["choices"][0]["text"] == "hi"
    assert loop.time() - started >= 0.3
