"""HTTP edges (threats.md groups A and B): whatever the proxy does not understand is
refused in the caller's error shape, and nothing unscanned reaches the upstream."""

from __future__ import annotations

import asyncio
import gzip
import json

import aiohttp
import pytest

BODY = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "マイナンバー 615237485127"}],
}


async def raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(request)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(65536), 5)
    writer.close()
    return data


@pytest.mark.parametrize(
    "path",
    [
        "/v1/chat/completions/",
        "//v1/chat/completions",
        "/v1/./chat/completions",
        "/v1/chat%2Fcompletions",
        "/V1/Chat/Completions",
        "/v1/chat/completions;x",
        "/v1/files",
        "/v1/audio/speech",
        "/v1/messages/batches",
        "/v1/moderations",
    ],
)
async def test_path_variants_never_forward(start_proxy, fake, path) -> None:
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.url + path, json=BODY) as r:
            assert r.status in (400, 404, 405)  # 400: normalised to the route and blocked
            await r.read()
    assert fake.requests == []


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_other_methods_are_refused(start_proxy, fake, method) -> None:
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.request(
            method,
            proxy.openai_base + "/chat/completions",
            json=BODY,
            headers={"X-HTTP-Method-Override": "POST"},
        ) as r:
            assert r.status == 405
    assert fake.requests == []


@pytest.mark.parametrize(
    ("headers", "data", "status"),
    [
        ({"Content-Type": "text/plain"}, json.dumps(BODY).encode(), 415),
        (
            {"Content-Type": "application/json", "Content-Encoding": "gzip"},
            gzip.compress(json.dumps(BODY).encode()),
            415,
        ),
        (
            {"Content-Type": "application/json", "Upgrade": "websocket", "Connection": "Upgrade"},
            json.dumps(BODY).encode(),
            400,
        ),
        ({"Content-Type": "application/json", "x_api_key": "k"}, json.dumps(BODY).encode(), 400),
    ],
)
async def test_refused_requests(start_proxy, fake, headers, data, status) -> None:
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", data=data, headers=headers) as r:
            assert r.status == status
            assert "615237485127" not in await r.text()
    assert fake.requests == []


async def test_two_authorization_headers_are_refused(start_proxy, fake) -> None:
    proxy = await start_proxy()
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).encode()
    request = (
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Authorization: Bearer a\r\nAuthorization: Bearer b\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
    )
    reply = await raw(proxy.url, request)
    assert reply.startswith(b"HTTP/1.1 400")
    assert fake.requests == []


async def test_content_length_over_the_limit_is_413_before_reading(start_proxy, fake) -> None:
    proxy = await start_proxy("version: 1\nlimits:\n  max_body_bytes: 2048\n")
    request = (
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000\r\nConnection: close\r\n\r\n{"
    )
    reply = await raw(proxy.url, request)
    assert reply.startswith(b"HTTP/1.1 413")
    assert fake.requests == []


async def test_chunked_body_over_the_limit_is_413(start_proxy, fake) -> None:
    proxy = await start_proxy("version: 1\nlimits:\n  max_body_bytes: 2048\n")

    async def chunks():
        for _ in range(10):
            yield b" " * 1024

    async with aiohttp.ClientSession() as s:
        async with s.post(
            proxy.openai_base + "/chat/completions",
            data=chunks(),
            headers={"Content-Type": "application/json"},
        ) as r:
            assert r.status == 413
    assert fake.requests == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"model": "m", "messages": [', "invalid_json"),
        (b'{"model": "m", "model": "n", "messages": []}', "duplicate_key"),
        (b'{"model": "m", "temperature": NaN, "messages": []}', "invalid_number"),
        (b'{"model": "m", "messages": [{"role": "user", "content": "\\ud800"}]}', "invalid_json"),
        (b"[" * 10000 + b"]" * 10000, "too_deep"),
    ],
)
async def test_bad_json_is_400_in_the_family_shape(start_proxy, fake, data, code) -> None:
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.post(
            proxy.openai_base + "/chat/completions",
            data=data,
            headers={"Content-Type": "application/json"},
        ) as r:
            body = await r.json()
            assert r.status == 400 and body["error"]["code"] == code
        async with s.post(
            proxy.url + "/v1/messages",
            data=data,
            headers={"Content-Type": "application/json", "anthropic-version": "2023-06-01"},
        ) as r:
            body = await r.json()
            assert r.status == 400 and body["type"] == "error"
    assert fake.requests == []


async def test_staff_credential_and_hop_by_hop_headers_never_reach_upstream(
    start_proxy, fake
) -> None:
    proxy = await start_proxy()
    ok = {"model": "m", "messages": [{"role": "user", "content": "こんにちは"}]}
    async with aiohttp.ClientSession() as s:
        async with s.post(
            proxy.openai_base + "/chat/completions",
            json=ok,
            headers={
                "Authorization": "Bearer staff-secret",
                "Connection": "X-Internal, keep-alive",
                "X-Internal": "1",
                "Cookie": "session=abc",
                "Proxy-Authorization": "Basic x",
                "X-Forwarded-Host": "evil.example",
                "TE": "trailers",
            },
        ) as r:
            assert r.status == 200
            assert "set-cookie" not in {k.lower() for k in r.headers}
    sent = fake.requests[0].headers
    assert sent["authorization"] == "Bearer sk-upstream-test-key"
    for name in ("x-internal", "cookie", "proxy-authorization", "x-forwarded-host", "te"):
        assert name not in sent


async def test_images_are_blocked_by_default_and_allowed_by_policy(start_proxy, fake) -> None:
    body = {
        "model": "m",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "この画像を説明して"},
                    {
                        "type": "image_url",
                        "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="},
                    },
                ],
            }
        ],
    }
    blocked = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.post(blocked.openai_base + "/chat/completions", json=body) as r:
            assert r.status == 400
            assert (await r.json())["error"]["code"] == "attachment_kind_blocked"
    assert fake.requests == []
    allowed = await start_proxy("version: 1\nattachments:\n  image: allow\n")
    async with aiohttp.ClientSession() as s:
        async with s.post(allowed.openai_base + "/chat/completions", json=body) as r:
            assert r.status == 200
    assert len(fake.requests) == 1


async def test_monitor_mode_forwards_and_says_what_would_happen(start_proxy, fake) -> None:
    proxy = await start_proxy("version: 1\nmode: monitor\n")
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=BODY) as r:
            assert r.status == 200
            assert r.headers["x-sekimori-action"] == "would_block"
            assert r.headers["x-sekimori-findings"] == "JP_MY_NUMBER=1"
    assert "615237485127" in fake.requests[0].body.decode()


async def test_previous_response_id_is_blocked_by_default(start_proxy, fake) -> None:
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.post(
            proxy.openai_base + "/responses",
            json={"model": "m", "input": "続き", "previous_response_id": "resp_123"},
        ) as r:
            assert r.status == 400 and (await r.json())["error"]["code"] == "server_state"
    assert fake.requests == []
