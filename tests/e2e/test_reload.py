"""Hot reload: a new policy takes effect without dropping requests in flight; a broken
file keeps the previous policy and is reported (log line and metric)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp

from proxy.policy.reload import PolicyReloader

ALLOW_PERSON = """version: 1
entities:
  PERSON: {action: allow}
"""
MASK_PERSON = """version: 1
entities:
  PERSON: {action: mask}
"""
PROMPT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "山本健一さんへの返信"}]}


async def test_reload_under_load_loses_no_request(
    start_proxy, fake, tmp_path: Path, caplog
) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(MASK_PERSON, encoding="utf-8")
    proxy = await start_proxy(MASK_PERSON)
    reloader = PolicyReloader(proxy.state, policy_file)
    statuses: list[int] = []

    async with aiohttp.ClientSession() as session:

        async def client() -> None:
            for _ in range(15):
                async with session.post(
                    proxy.openai_base + "/chat/completions", json=PROMPT
                ) as resp:
                    await resp.read()
                    statuses.append(resp.status)

        async def flip() -> None:
            for text in (ALLOW_PERSON, MASK_PERSON, ALLOW_PERSON):
                await asyncio.sleep(0.02)
                policy_file.write_text(text, encoding="utf-8")
                assert reloader.reload_now()

        await asyncio.gather(*(client() for _ in range(8)), flip())

    assert len(statuses) == 120 and set(statuses) == {200}
    assert len(fake.requests) == 120
    # The last policy allows names: the newest requests went through unmasked.
    async with aiohttp.ClientSession() as session:
        async with session.post(proxy.openai_base + "/chat/completions", json=PROMPT) as resp:
            assert resp.status == 200
    assert "山本健一" in fake.requests[-1].body.decode()

    # A broken file keeps the old policy, says so in the log and in the metric.
    digest = proxy.state.policy.digest
    policy_file.write_text("version: 1\nentities:\n  PERSON: {action: maks}\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="sekimori.policy"):
        assert reloader.reload_now() is False
    assert proxy.state.policy.digest == digest
    assert any("keeping the previous policy" in r.getMessage() for r in caplog.records)
    failures = proxy.state.metrics.reloads.labels("failure")._value.get()
    assert failures == 1
