"""Shared fixtures: one scanner for the whole session (the model loads once), a fresh
recording fake upstream per test, and a factory for a real proxy on loopback."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from detectors.engine import Scanner
from proxy.tools.mock_upstream import FakeUpstream

ROOT = Path(__file__).resolve().parents[1]

# Values the suite sends as personal data or keys. After every test that ran a proxy, no
# audit line, metric or log record may contain one (oracle O3 of the threat reference).
CANARIES = (
    "615237485127",
    "山本健一",
    "090-2345-6789",
    "09023456789",
    "4111111111111111",
    "AKIAIOSFODNN7EXAMPLE",
    "taro.yamada@example.co.jp",
    "sk-upstream-test-key",
    "sk-ant-upstream-test-key",
)


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner.load()


ADMIN_TOKEN = "test-admin-token-1f3a"  # the playground's token in start_proxy(admin=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeUpstream]:
    upstream = FakeUpstream()
    upstream.url = await upstream.start()  # type: ignore[attr-defined]
    try:
        yield upstream
    finally:
        await upstream.close()


@pytest_asyncio.fixture(scope="session")
async def scan_service(scanner: Scanner) -> AsyncIterator[Any]:
    from proxy.scanning.service import ScanService

    service = ScanService(workers=0, scanner=scanner)  # the session's model, not another
    await service.start()
    yield service
    await service.close()


@dataclass
class RunningProxy:
    url: str
    state: Any
    fake: FakeUpstream

    @property
    def openai_base(self) -> str:
        return self.url + "/v1"


ProxyFactory = Callable[..., Awaitable[RunningProxy]]


@pytest_asyncio.fixture
async def start_proxy(
    fake: FakeUpstream, scan_service: Any, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[ProxyFactory]:
    import io

    from prometheus_client import generate_latest

    from proxy.edge.app import ProxyState, create_admin_app, create_app
    from proxy.edge.server import GuardRunner
    from proxy.observability.audit import AuditLog
    from proxy.policy import load_policy, parse_policy
    from proxy.relay.upstream import UpstreamConfig

    runners: list[web.AppRunner] = []
    states: list[Any] = []
    audit_streams: list[io.StringIO] = []
    caplog.set_level(logging.DEBUG)

    async def start(
        policy_yaml: str | None = None,
        *,
        service: Any = None,
        credentials: str = "proxy",
        audit: Any = None,
        admin: bool = False,
    ) -> RunningProxy:
        base = fake.url  # type: ignore[attr-defined]
        policy = (
            parse_policy(policy_yaml, "test.yaml")
            if policy_yaml
            else load_policy(ROOT / "config/default.yaml")
        )
        if audit is None:
            audit_streams.append(io.StringIO())
            audit = AuditLog(stream=audit_streams[-1])
        state = ProxyState(
            policy=policy,
            scanner=service or scan_service,
            audit=audit,
            upstream=UpstreamConfig(
                openai_base_url=base + "/v1",
                anthropic_base_url=base,
                credentials=credentials,  # type: ignore[arg-type]
                openai_api_key="sk-upstream-test-key",
                anthropic_api_key="sk-ant-upstream-test-key",
            ),
        )
        runner = GuardRunner(create_app(state), handler_cancellation=True)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        states.append(state)
        running = RunningProxy(f"http://127.0.0.1:{port}", state, fake)
        if admin:
            state.admin_token = ADMIN_TOKEN
            admin_runner = GuardRunner(create_admin_app(state))
            await admin_runner.setup()
            admin_port = free_port()
            await web.TCPSite(admin_runner, "127.0.0.1", admin_port).start()
            runners.append(admin_runner)
            running.admin_url = f"http://127.0.0.1:{admin_port}"  # type: ignore[attr-defined]
        return running

    yield start
    for runner in reversed(runners):
        await runner.cleanup()
    exposed = "\n".join(
        [generate_latest(st.metrics.registry).decode() for st in states]
        + [stream.getvalue() for stream in audit_streams]
        + [r.getMessage() for r in caplog.records]
    )
    leaked = [c for c in CANARIES if c in exposed]
    assert not leaked, f"canary values in audit, metrics or logs: {leaked}"
