"""``make demo``: the proxy in front of the mock upstream (an echo); no API key needed.

Sends a prompt with a name and a phone number through the real ``openai`` SDK (only
``base_url`` changed), prints what the upstream received (masked) and what the client
got back (restored), streaming and not.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys

from aiohttp import web

PROMPT = "山本健一さん（携帯 090-2345-6789）に、明日の打ち合わせの案内文を作ってください。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def main() -> int:
    from openai import AsyncOpenAI

    from proxy.edge.app import ProxyState, create_app
    from proxy.observability.audit import AuditLog
    from proxy.policy import default_policy
    from proxy.relay.upstream import UpstreamConfig
    from proxy.scanning.service import ScanService
    from proxy.tools.mock_upstream import ECHO_PREFIX, FakeUpstream, prompt_text

    echo = FakeUpstream()
    echo.prefix = ECHO_PREFIX
    echo_url = await echo.start()

    policy = default_policy()
    print("日本語モデルを読み込んでいます… / loading the Japanese model…", flush=True)
    scanner = ScanService(workers=0)
    await scanner.start()
    state = ProxyState(
        policy=policy,
        scanner=scanner,
        audit=AuditLog(enabled=False),
        upstream=UpstreamConfig(
            openai_base_url=f"{echo_url}/v1", openai_api_key="demo-not-a-real-key"
        ),
    )
    runner = web.AppRunner(create_app(state))
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    client = AsyncOpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="staff-demo-key")
    try:
        print(f"\n▶ 送信したプロンプト / prompt sent:\n  {PROMPT}")
        reply = await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
        )
        received = prompt_text(echo.requests[-1])
        print(
            f"\n▶ 上流が受け取った内容（マスク済み）/ what the upstream received (masked):\n  {received}"
        )
        print(
            f"\n▶ クライアントへの応答（復元済み）/ what the client got back (restored):\n  "
            f"{reply.choices[0].message.content}"
        )
        stream = await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True
        )
        pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
        print(
            f"\n▶ ストリーミング応答（復元済み）/ streamed answer (restored):\n  {''.join(pieces)}"
        )
        blocked = "社員のマイナンバー 615237485127 を源泉徴収票に書く方法は？"
        print(f"\n▶ ブロックされる例 / a blocked prompt:\n  {blocked}")
        try:
            await client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": blocked}]
            )
        except Exception as exc:  # the SDK's BadRequestError
            body = getattr(exc, "body", None)
            message = body.get("message") if isinstance(body, dict) else str(exc)
            print("  → HTTP 400:\n  " + str(message).replace("\n", "\n  "))
        print(
            "\n上流に届いたリクエスト数 / requests that reached the upstream: "
            f"{len(echo.requests)} (the blocked one never left)"
        )
        sent = [r.json for r in echo.requests]
        ok = "山本健一" not in json.dumps(sent, ensure_ascii=False)
        return 0 if ok else 1
    finally:
        await client.close()
        await runner.cleanup()
        await echo.close()
        await scanner.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
