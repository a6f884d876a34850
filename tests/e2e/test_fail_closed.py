"""Fail closed: when scanning fails, times out, is overloaded or a worker dies, the client
gets 503 + Retry-After in its API's error shape and NOTHING reaches the upstream.
Upstream faults give clear errors, never a hang."""

from __future__ import annotations

import asyncio
import os
import signal

import aiohttp
import pytest

from detectors.types import ScanError
from proxy.relay.upstream import Timeouts, UpstreamConfig
from proxy.scanning.service import ScanOverloaded, ScanService, ScanTimeout, ScanUnavailable

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "山本健一さんへ"}]}
MESSAGES = {
    "model": "claude-x",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "山本健一さんへ"}],
}
ANTHROPIC_HEADERS = {"anthropic-version": "2023-06-01", "x-api-key": "staff"}


class FailingScanner(ScanService):
    def __init__(self, error: Exception) -> None:
        super().__init__(workers=0)
        self.error = error
        self.ready = True

    async def scan(self, texts, settings):  # type: ignore[override]
        raise self.error


@pytest.mark.parametrize(
    "error",
    [ScanTimeout("slow"), ScanOverloaded("full"), ScanUnavailable("gone"), ScanError("bug")],
)
async def test_scan_failure_answers_503_and_forwards_nothing(start_proxy, fake, error) -> None:
    proxy = await start_proxy(service=FailingScanner(error))
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=CHAT) as r:
            body = await r.json()
            assert r.status == 503 and r.headers["Retry-After"] == "1"
            assert body["error"]["code"] == error.reason_code
        async with s.post(
            proxy.url + "/v1/messages", json=MESSAGES, headers=ANTHROPIC_HEADERS
        ) as r:
            body = await r.json()
            assert r.status == 503 and body["type"] == "error"
            assert body["error"]["type"] == "overloaded_error"
    assert fake.requests == []
    assert proxy.state.metrics.fail_closed.labels(error.reason_code)._value.get() == 2
    assert proxy.state.metrics.unscanned_forward._value.get() == 0


async def test_overloaded_queue_refuses_instead_of_waiting(start_proxy, fake, scanner) -> None:
    service = ScanService(workers=0, max_queue=0, timeout=5, scanner=scanner)
    await service.start()
    service._in_flight = 1  # one scan already running: the queue is full
    proxy = await start_proxy(service=service)
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=CHAT) as r:
            assert r.status == 503
            assert (await r.json())["error"]["code"] == "scanner_overloaded"
    assert fake.requests == []
    await service.close()


@pytest.mark.slow
async def test_killed_worker_fails_its_request_and_is_replaced(start_proxy, fake) -> None:
    service = ScanService(workers=1, timeout=30)
    await service.start()
    try:
        proxy = await start_proxy(service=service, admin=True)
        # A long prompt keeps the only worker busy long enough to kill it mid-scan.
        long_prompt = (
            "山本健一さんへ。"
            + "来期の予算配分について、関係部署と調整のうえご連絡いたします。" * 2500
        )
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": long_prompt}]}
        async with aiohttp.ClientSession() as s:
            in_flight = asyncio.create_task(
                s.post(proxy.openai_base + "/chat/completions", json=body)
            )
            for _ in range(200):
                if service.queue_depth:
                    break
                await asyncio.sleep(0.01)
            assert service.queue_depth == 1
            (pid,) = service.worker_pids()
            os.kill(pid, signal.SIGKILL)
            async with await in_flight as r:
                assert r.status == 503
                assert (await r.json())["error"]["code"] == "scanner_unavailable"
            assert fake.requests == []
            assert service.restarts == 1
            # No worker left while the replacement loads the model: /readyz says so, and
            # the load balancer sends requests to other pods meanwhile.
            assert not service.has_capacity()
            async with s.get(proxy.admin_url + "/readyz") as r:
                assert r.status == 503
            # The next request waits for the replacement (it loads the model first), is
            # scanned and forwarded masked.
            async with s.post(
                proxy.openai_base + "/chat/completions",
                json=CHAT,
                timeout=aiohttp.ClientTimeout(total=60),
            ) as r:
                assert r.status == 200
        assert "山本健一" not in fake.requests[-1].body.decode()
        assert service.worker_pids() != [pid]
        async with aiohttp.ClientSession() as s, s.get(proxy.admin_url + "/readyz") as r:
            assert r.status == 200
    finally:
        await service.close()


async def test_upstream_refused_is_502(start_proxy, fake) -> None:
    proxy = await start_proxy()
    proxy.state.upstream = UpstreamConfig(
        openai_base_url="http://127.0.0.1:9/v1", openai_api_key="k"
    )
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=CHAT) as r:
            assert r.status == 502
            assert (await r.json())["error"]["code"] == "upstream_unreachable"


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_upstream_errors_pass_through_with_retry_after(start_proxy, fake, status) -> None:
    fake.status = status
    fake.retry_after = "7"
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=CHAT) as r:
            assert r.status == status
            assert r.headers.get("Retry-After") == "7"
            assert "error" in await r.json()


async def test_upstream_stall_before_headers_is_504(start_proxy, fake) -> None:
    fake.stall_seconds = 5
    proxy = await start_proxy()
    cfg = proxy.state.upstream
    proxy.state.upstream = UpstreamConfig(
        openai_base_url=cfg.openai_base_url, openai_api_key="k", timeouts=Timeouts(first_byte=0.3)
    )
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=CHAT) as r:
            assert r.status == 504


@pytest.mark.parametrize("knob", ["stall_mid_stream", "reset_mid_stream"])
async def test_broken_stream_ends_with_an_error_event(start_proxy, fake, knob) -> None:
    setattr(fake, knob, True)
    fake.delta_delay = 0.01
    proxy = await start_proxy()
    cfg = proxy.state.upstream
    proxy.state.upstream = UpstreamConfig(
        openai_base_url=cfg.openai_base_url, openai_api_key="k", timeouts=Timeouts(idle=0.5)
    )
    async with aiohttp.ClientSession() as s:
        async with s.post(
            proxy.openai_base + "/chat/completions",
            json={**CHAT, "stream": True},
            timeout=aiohttp.ClientTimeout(total=10),
        ) as r:
            body = (await r.read()).decode()
    assert r.status == 200
    events = [line for line in body.splitlines() if line.startswith("data:")]
    assert events and '"error"' in events[-1]  # the stream ends with an explicit error
    assert "[[PERSON_1]]" not in body  # what was sent before the break is restored


async def test_client_disconnect_closes_the_upstream_stream(start_proxy, fake) -> None:
    fake.delta_delay = 0.2
    fake.chunk_size = 1
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as s:
        resp = await s.post(proxy.openai_base + "/chat/completions", json={**CHAT, "stream": True})
        await resp.content.readany()
        resp.close()  # the client goes away mid-stream
    for _ in range(40):
        if fake.active_streams == 0:
            break
        await asyncio.sleep(0.05)
    assert fake.active_streams == 0
    assert fake.client_disconnects >= 1
