"""``sekimori mock-upstream``: the fake upstream on its own port, printing each prompt."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from proxy.tools.mock_upstream import FakeUpstream
from proxy.tools.mock_wire import ECHO_PREFIX, RecordedRequest, prompt_text


def _show(request: RecordedRequest) -> None:
    print(
        f"上流が受け取った / upstream received: {request.method} {request.path}: "
        f"{prompt_text(request)}",
        flush=True,
    )


async def serve(host: str, port: int, *, quiet: bool = False) -> None:
    """Run the mock upstream until SIGINT or SIGTERM; print each prompt unless ``quiet``."""
    upstream = FakeUpstream()
    upstream.prefix = ECHO_PREFIX
    upstream.record = False  # a long run (a benchmark sends thousands) keeps nothing
    upstream.on_request = None if quiet else _show
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    url = await upstream.start(host, port)
    print(
        f"モック上流 / mock upstream: {url} "
        f"(OpenAI: {url}/v1, Anthropic: {url}); Ctrl-C で停止 / to stop",
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await upstream.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on / 待ち受けアドレス"
    )
    parser.add_argument(
        "--port", type=int, default=9090, help="port to listen on (default 9090) / ポート"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="do not print each prompt / 受信内容を表示しない"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sekimori mock-upstream",
        description="a stand-in for the OpenAI and Anthropic APIs that echoes the prompt / "
        "プロンプトをそのまま返す OpenAI・Anthropic API の代役",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, quiet=args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
