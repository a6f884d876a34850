"""aiohttp's own parser errors (issue 15, item 7): a request the HTTP parser refuses gets
our clean JSON 400, and no log record holds its bytes. Before GuardRunner, aiohttp logged
``Error handling request`` with a traceback whose message quoted the offending bytes (the
body, a header, the path) and echoed them in a plain-text 400."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from tests.conftest import ProxyFactory

CANARY = "CANARY-7c1e-山田花子-090-1111-2222"
C = CANARY.encode()

MALFORMED = [
    # (label, raw request)
    (
        "letters in Content-Length",
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
        b'Content-Length: abc\r\n\r\n{"m":"' + C + b'"}',
    ),
    (
        "Content-Length with the value in it",
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 12" + C + b"\r\n\r\n{}",
    ),
    (
        "two Content-Lengths",
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
        b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n" + C,
    ),
    (
        "wrong chunk size",
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + C + b"\r\nabc\r\n0\r\n\r\n",
    ),
    (
        "bad chunk extension",
        b"POST /v1/messages HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n5;x\x01" + C + b"\r\n",
    ),
    (
        "invalid header name",
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nBad Header " + C + b": 1\r\n\r\n",
    ),
    ("control character in the path", b"POST /v1/" + C + b"\x01 HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("not HTTP at all", b"HELLO" + C + b"\r\n\r\n"),
]


async def _send(url: str, raw: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(raw)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()


@pytest.mark.parametrize("raw", [c[1] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
async def test_parser_errors_are_clean_and_never_logged(
    start_proxy: ProxyFactory, caplog: pytest.LogCaptureFixture, raw: bytes
) -> None:
    proxy = await start_proxy()
    caplog.set_level(logging.DEBUG)
    answer = await _send(proxy.url, raw)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].split(b" ")[1] == b"400", answer[:200]
    assert b"application/json" in head
    error = json.loads(body)
    assert "HTTP" in json.dumps(error, ensure_ascii=False)
    assert C not in answer and CANARY.encode("unicode_escape") not in answer
    formatter = logging.Formatter()
    logged = "\n".join(formatter.format(r) for r in caplog.records)
    assert "not valid HTTP" in logged  # the refusal is logged, as class and status
    for needle in (CANARY, "CANARY-7c1e", repr(C)[2:20]):
        assert needle not in logged, logged[-2000:]


async def test_handler_crash_logs_frames_not_the_message(
    start_proxy: ProxyFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception in a handler keeps its stack but not its message (which may
    quote a value); the client gets a JSON 500."""
    import aiohttp

    proxy = await start_proxy()

    class Broken:
        ready = True

        def __getattr__(self, name: str) -> object:
            raise KeyError(CANARY)

    proxy.state.scanner = Broken()
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as session:
        async with session.post(
            proxy.openai_base + "/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "こんにちは"}]},
        ) as resp:
            assert resp.status == 500
            body = await resp.json()
    assert body["error"]["code"] == "internal_error"
    logged = "\n".join(logging.Formatter().format(r) for r in caplog.records)
    assert "KeyError" in logged and "__getattr__" in logged  # class and frames kept
    assert CANARY not in logged
