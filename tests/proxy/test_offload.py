"""Heavy body work off the event loop (issue 15, item 2, the rest) and deeply nested
answers (issue 15, "also consider").

Before the fix, parsing and walking a 15 MiB body of 42,000 small messages ran on the
event loop: /healthz on the same loop went unanswered for the whole time (~0.5 s per body
here; 19 s at the 922 MB peak of the review). A deeply nested upstream answer raised
RecursionError: a 500 with a traceback instead of a 502 in the API's shape.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from proxy.relay.offload import OFFLOAD_BYTES
from tests.conftest import ProxyFactory, free_port

CHAT = "/chat/completions"


def _many_small_messages(n: int = 42_000) -> bytes:
    message = {"role": "user", "content": "あ" * 110 + "x" * 20}
    return json.dumps(
        {"model": "gpt-4o-mini", "messages": [message] * n}, ensure_ascii=False
    ).encode()


async def _healthz_gaps(url: str, stop: asyncio.Event) -> list[float]:
    """Latency of /healthz polled every 10 ms until ``stop``."""
    gaps: list[float] = []
    async with aiohttp.ClientSession() as session:
        while not stop.is_set():
            began = time.perf_counter()
            async with session.get(url + "/healthz") as resp:
                assert resp.status == 200
            gaps.append(time.perf_counter() - began)
            await asyncio.sleep(0.01)
    return gaps


async def test_big_body_does_not_freeze_the_loop(start_proxy: ProxyFactory) -> None:
    proxy = await start_proxy(admin=True)
    raw = _many_small_messages()
    assert len(raw) > 15 * 1024 * 1024
    stop = asyncio.Event()
    poll = asyncio.create_task(_healthz_gaps(proxy.admin_url, stop))  # type: ignore[attr-defined]
    await asyncio.sleep(0.05)
    async with aiohttp.ClientSession() as session:

        async def post() -> tuple[int, str]:
            async with session.post(
                proxy.openai_base + CHAT, data=raw, headers={"Content-Type": "application/json"}
            ) as resp:
                return resp.status, (await resp.json())["error"]["code"]

        began = time.perf_counter()
        answers = await asyncio.gather(post(), post())
        busy = time.perf_counter() - began
    stop.set()
    gaps = await poll
    # Refused after the walk (42,000 strings > max_segments), as before; the point is
    # that the walk no longer holds the loop.
    assert answers == [(400, "too_many_segments")] * 2
    assert len(gaps) >= 3, (busy, gaps)
    # Relative, not a fixed time (the machine may be busy): with the walk on the loop one
    # /healthz waited for nearly the whole time the two bodies took; off the loop, each
    # answer is a small part of it.
    assert max(gaps) < max(0.25, busy / 3), (
        f"/healthz waited {max(gaps):.2f}s while two bodies took {busy:.2f}s"
    )


async def test_big_masked_body_round_trip(start_proxy: ProxyFactory) -> None:
    """The thread path masks, forwards and restores like the inline one."""
    proxy = await start_proxy()
    padding = "議事録の本文です。" * 40_000
    prompt = padding + "連絡先は 090-2345-6789 です。"
    assert len(prompt.encode()) > OFFLOAD_BYTES
    async with aiohttp.ClientSession() as session:
        async with session.post(
            proxy.openai_base + CHAT,
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]},
        ) as resp:
            assert resp.status == 200, await resp.text()
            answer = await resp.json()
    sent = proxy.fake.requests[-1].json["messages"][0]["content"]
    assert "090-2345-6789" not in sent and "[[" in sent
    assert "090-2345-6789" in answer["choices"][0]["message"]["content"]


# -- deeply nested answers ----------------------------------------------------------------
DEEP = 100_000


@pytest_asyncio.fixture
async def deep_upstream() -> AsyncIterator[str]:
    async def answer(request: web.Request) -> web.Response:
        deep = '{"usage": {"prompt_tokens": 1}, "x": ' + "[" * DEEP + "]" * DEEP + "}"
        return web.Response(text=deep, content_type="application/json")

    app = web.Application()
    app.router.add_post("/v1/chat/completions", answer)
    app.router.add_post("/v1/messages", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.parametrize(
    ("path", "body", "shape_of"),
    [
        (
            "/v1/chat/completions",
            {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "090-2345-6789 へ"}]},
            "openai",
        ),
        (
            "/v1/messages",
            {
                "model": "claude-sonnet-4-5",
                "max_tokens": 10,
                "messages": [{"role": "user", "content": "090-2345-6789 へ"}],
            },
            "anthropic",
        ),
        (  # nothing masked: the answer is passed on, only the usage count reads it
            "/v1/chat/completions",
            {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "こんにちは"}]},
            "passed",
        ),
    ],
    ids=["openai masked", "anthropic masked", "nothing to restore"],
)
async def test_deeply_nested_answer(
    start_proxy: ProxyFactory, deep_upstream: str, path: str, body: object, shape_of: str
) -> None:
    proxy = await start_proxy()
    proxy.state.upstream = dataclasses.replace(
        proxy.state.upstream,
        openai_base_url=deep_upstream + "/v1",
        anthropic_base_url=deep_upstream,
    )
    async with aiohttp.ClientSession() as session:
        async with session.post(proxy.url + path, json=body) as resp:
            status, text = resp.status, await resp.text()
    if shape_of == "passed":
        assert status == 200 and text.startswith('{"usage"')
        return
    assert status == 502, text[:300]
    error = json.loads(text)
    if shape_of == "anthropic":
        assert error["type"] == "error" and error["error"]["type"] == "api_error"
    else:
        assert error["error"]["code"] == "upstream_unreadable"
    assert "読み取れません" in text


def test_deep_stream_event_passes_unrestored() -> None:
    """A streamed event nested well under json's limit parses, but walking it to restore
    would overflow the stack: it goes out unrestored instead of breaking the stream."""
    from proxy.relay.placeholders import PlaceholderMap
    from proxy.relay.shapes import shape_for

    shape = shape_for("POST", "/v1/messages")
    assert shape is not None
    mapping = PlaceholderMap()
    placeholder = mapping.placeholder_for("PHONE_NUMBER", "090-2345-6789")
    depth = 600
    deep = json.loads("[" * depth + "]" * depth)
    block = {"type": "tool_use", "id": "t1", "name": placeholder, "input": {"deep": deep}}
    data = json.dumps({"type": "content_block_start", "index": 0, "content_block": block})
    from proxy.relay.streaming import stream_rewriter

    rewriter = stream_rewriter(shape, mapping)
    out = rewriter.feed(b"event: content_block_start\ndata: " + data.encode() + b"\n\n")
    out += rewriter.close()
    assert b"content_block_start" in out
