"""Scan cache hits are not on /metrics (issue 15, item 11): before the fix an outsider
could send a guessed prompt and read from sekimori_scan_cache_hits_total whether someone
had sent it before."""

from __future__ import annotations

import aiohttp
from prometheus_client import generate_latest

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "来週の会議の件です。"}]}


async def test_cache_hits_are_not_on_the_public_metrics(start_proxy, fake) -> None:
    proxy = await start_proxy(admin=True)
    async with aiohttp.ClientSession() as s:
        for _ in range(2):  # the second one is answered from the cache
            async with s.post(proxy.openai_base + "/chat/completions", json=CHAT) as r:
                assert r.status == 200
        async with s.get(proxy.admin_url + "/metrics") as r:
            public = await r.text()
    assert "sekimori_requests_total" in public
    assert "cache_hits" not in public
    assert "cache_hits" not in generate_latest(proxy.state.metrics.registry).decode()
    private = generate_latest(proxy.state.metrics.private_registry).decode()
    assert "sekimori_scan_cache_hits_total 1.0" in private
