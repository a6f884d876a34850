"""SIGTERM with a stream in flight: readiness turns false at once, the stream drains to
its end, the audit line is written, and the process exits cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.conftest import ROOT, free_port


async def wait_ready(admin: str, proc: asyncio.subprocess.Process, seconds: float = 90) -> None:
    async with aiohttp.ClientSession() as s:
        for _ in range(int(seconds * 4)):
            if proc.returncode is not None:
                raise AssertionError("sekimori serve exited during start-up")
            try:
                async with s.get(admin + "/readyz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.25)
    raise AssertionError("not ready in time")


async def test_sigterm_drains_streams_then_exits(fake, tmp_path: Path) -> None:
    fake.chunk_size = 2
    fake.delta_delay = 0.05  # the answer streams for about two seconds
    port, admin_port = free_port(), free_port()
    audit = tmp_path / "audit.jsonl"
    env = {
        **os.environ,
        "OPENAI_API_KEY": "sk-upstream-test-key",
        "SEKIMORI_OPENAI_BASE_URL": fake.url + "/v1",
    }  # type: ignore[attr-defined]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "proxy.tools.cli",
        "serve",
        "--config",
        "config/default.yaml",
        "--port",
        str(port),
        "--admin-port",
        str(admin_port),
        "--workers",
        "0",
        "--audit-file",
        str(audit),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    admin = f"http://127.0.0.1:{admin_port}"
    try:
        await wait_ready(admin, proc)
        text = "山本健一さんへ。" + "来週の会議の議題を整理してください。" * 3
        body = {
            "model": "gpt-4o-mini",
            "stream": True,
            "messages": [{"role": "user", "content": text}],
        }
        async with aiohttp.ClientSession() as s:
            resp = await s.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=body)
            first = await resp.content.readany()
            assert first
            proc.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.3)
            async with s.get(admin + "/readyz") as r:
                assert r.status == 503
                assert (await r.json())["shutting_down"] is True
            rest = await resp.content.read()
            resp.release()
        stream = (first + rest).decode()
        assert stream.rstrip().endswith("data: [DONE]")
        deltas = [
            json.loads(line[6:]) for line in stream.splitlines() if line.startswith("data: {")
        ]
        answer = "".join(
            d["choices"][0]["delta"].get("content") or "" for d in deltas if d.get("choices")
        )
        assert text in answer  # drained to the end, placeholders restored
        assert await asyncio.wait_for(proc.wait(), 30) == 0
        lines = [json.loads(x) for x in audit.read_text(encoding="utf-8").splitlines()]
        assert [(x["action"], x["status"]) for x in lines] == [("mask", 200)]
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
