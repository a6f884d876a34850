"""Two crafted requests must not turn normal prompts into 503 (issue 15, item 1).

Before the fix, each attack text (under the "large job" size, so both could take a worker)
kept a worker busy for ~10 s past the 5 s deadline, and every normal prompt sent meanwhile
timed out with 503. Real proxy, real worker processes, loopback only, small counts.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from proxy.scanning.service import ScanService

# Each under LARGE_JOB_CHARS (20,000), so both may run at once, one per worker.
ATTACKS = ("a" * 19_000 + "g", "ア" * 19_000)
NORMAL = "担当の山本健一さんに、明日の打ち合わせの案内文を作ってください。（{}）"


@pytest.mark.slow
async def test_two_attack_requests_do_not_starve_normal_prompts(start_proxy, fake) -> None:
    service = ScanService(workers=2, timeout=5)
    await service.start()
    try:
        assert service._pool is not None and service._pool.job_timeout == 5  # the backstop
        proxy = await start_proxy(service=service, admin=True)
        url = proxy.openai_base + "/chat/completions"

        async def send(s: aiohttp.ClientSession, text: str) -> int:
            body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
            async with s.post(url, json=body) as r:
                await r.read()
                return r.status

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as s:
            attacks = [asyncio.create_task(send(s, text)) for text in ATTACKS]
            await asyncio.sleep(0.2)  # both attacks are on the workers
            normal = []
            for i in range(6):
                normal.append(await send(s, NORMAL.format(i)))
                await asyncio.sleep(0.3)
            attack_status = await asyncio.gather(*attacks)
            async with s.get(proxy.admin_url + "/readyz") as r:
                assert r.status == 200
        assert normal == [200] * 6, normal
        assert all(status in (200, 400, 413) for status in attack_status), attack_status
        assert all("山本健一" not in r.body.decode() for r in fake.requests)
    finally:
        await service.close()


async def test_readiness_reflects_a_saturated_scan_queue(start_proxy, scanner) -> None:
    # Before the fix /readyz stayed 200 while every request got 503 scanner_overloaded.
    import concurrent.futures

    service = ScanService(workers=0, max_queue=1)
    service._local = scanner
    service._executor = concurrent.futures.ThreadPoolExecutor(1)
    service.ready = True
    proxy = await start_proxy(service=service, admin=True)
    async with aiohttp.ClientSession() as s:
        async with s.get(proxy.admin_url + "/readyz") as r:
            assert r.status == 200
        service._in_flight = service._capacity  # every slot taken
        async with s.get(proxy.admin_url + "/readyz") as r:
            assert r.status == 503
        service._in_flight = 0
        async with s.get(proxy.admin_url + "/readyz") as r:
            assert r.status == 200
    await service.close()
