"""``make soak``: 10,000 mixed requests through a real proxy against the loopback fake
upstream — streaming and not, masked, blocked, malformed, both API families — and the
process's RSS, open file descriptors and asyncio tasks before and after. They must stay
flat (a leak shows as growth between the warm-up and the end).

Usage: python -m scripts.soak [--requests 10000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def snapshot(label: str) -> dict[str, Any]:
    gc.collect()
    return {
        "when": label,
        "rss_mb": round(rss_mb(), 1),
        "fds": fds(),
        "tasks": len(asyncio.all_tasks()),
    }


def make_request(rng: random.Random, n: int) -> tuple[str, dict[str, str], bytes, str]:
    """(path, headers, body, kind) for request number ``n``."""
    kind = rng.choice(
        [
            "clean",
            "masked",
            "blocked",
            "stream_masked",
            "malformed",
            "anthropic",
            "anthropic_stream",
            "tool_call",
            "responses",
        ]
    )
    person = f"山本{['健一', '誠', '由美', '大輔'][n % 4]}さん"
    texts = {
        "clean": f"議事録{n}を要約してください。",
        "masked": f"{person}（携帯 090-{1000 + n % 9000}-5678）に案内を送って",
        "blocked": "社員のマイナンバー 615237485127 を登録したい",
    }
    oa = {"Content-Type": "application/json", "Authorization": "Bearer staff"}
    an = {
        "Content-Type": "application/json",
        "x-api-key": "staff",
        "anthropic-version": "2023-06-01",
    }
    if kind == "malformed":
        return "/v1/chat/completions", oa, b'{"model": "x", "messages": [', kind
    if kind in ("anthropic", "anthropic_stream"):
        body = {
            "model": "claude-x",
            "max_tokens": 64,
            "stream": kind.endswith("stream"),
            "messages": [{"role": "user", "content": texts["masked"]}],
        }
        return "/v1/messages", an, json.dumps(body, ensure_ascii=False).encode(), kind
    if kind == "responses":
        body = {"model": "gpt-x", "input": texts["masked"], "store": False}
        return "/v1/responses", oa, json.dumps(body, ensure_ascii=False).encode(), kind
    text = texts.get(kind, texts["masked"])
    body = {
        "model": "gpt-x",
        "messages": [{"role": "user", "content": text}],
        "stream": kind == "stream_masked",
    }
    if kind == "tool_call":
        body["tools"] = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    return "/v1/chat/completions", oa, json.dumps(body, ensure_ascii=False).encode(), kind


async def main(total: int, concurrency: int) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from proxy.edge.app import ProxyState, create_app
    from proxy.observability.audit import AuditLog
    from proxy.policy import load_policy
    from proxy.relay.upstream import UpstreamConfig
    from proxy.scanning.service import ScanService
    from proxy.tools.mock_upstream import FakeUpstream

    fake = FakeUpstream()
    base = await fake.start()
    service = ScanService(workers=0)
    await service.start()
    state = ProxyState(
        policy=load_policy(Path("config/default.yaml")),
        scanner=service,
        audit=AuditLog(enabled=False),
        upstream=UpstreamConfig(
            openai_base_url=base + "/v1",
            anthropic_base_url=base,
            openai_api_key="k",
            anthropic_api_key="k",
        ),
    )
    runner = web.AppRunner(create_app(state), handler_cancellation=True, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    rng = random.Random(7)
    statuses: dict[str, dict[int, int]] = {}
    counter = iter(range(total))
    snapshots = [snapshot("start")]

    async def worker(session: aiohttp.ClientSession) -> None:
        for n in counter:
            path, headers, body, kind = make_request(rng, n)
            async with session.post(url + path, headers=headers, data=body) as resp:
                await resp.read()
                by_kind = statuses.setdefault(kind, {})
                by_kind[resp.status] = by_kind.get(resp.status, 0) + 1
            if n == min(1000, total // 10):
                snapshots.append(snapshot(f"after {n} (warm)"))

    began = time.perf_counter()
    try:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        await asyncio.sleep(0.5)
        snapshots.append(snapshot(f"after {total}"))
    finally:
        await runner.cleanup()
        await service.close()
        await fake.close()
    seconds = time.perf_counter() - began
    leaked_values = sum(b"615237485127" in r.body for r in fake.requests)
    print(
        f"{total} requests in {seconds:.1f} s ({total / seconds:.0f}/s), concurrency {concurrency}"
    )
    print("status by kind:", json.dumps(statuses, sort_keys=True))
    print(
        "upstream requests:", len(fake.requests), "— blocked values that reached it:", leaked_values
    )
    print("| when | RSS (MB) | open fds | asyncio tasks |\n|---|---:|---:|---:|")
    for s in snapshots:
        print(f"| {s['when']} | {s['rss_mb']} | {s['fds']} | {s['tasks']} |")
    warm, end = snapshots[1] if len(snapshots) > 2 else snapshots[0], snapshots[-1]
    flat = (
        end["fds"] <= warm["fds"] + 5
        and end["tasks"] <= warm["tasks"] + 2
        and end["rss_mb"] <= warm["rss_mb"] * 1.2 + 20
    )
    bad = sum(
        n
        for kind, by in statuses.items()
        for st, n in by.items()
        if st >= 500 or (kind == "malformed" and st != 400)
    )
    print("flat:", flat, "— unexpected statuses:", bad)
    return 0 if flat and not leaked_values and not bad else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.requests, args.concurrency)))
