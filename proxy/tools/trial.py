"""``make try``: the proxy in front of the mock upstream, both in the foreground; no API key.

Starts ``sekimori mock-upstream`` and ``sekimori serve`` as two child processes, the proxy's
upstream URLs pointing at the mock and a dummy provider key set so requests are forwarded.
Ctrl-C (or SIGTERM) stops both; if either exits on its own, the other is stopped too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

DUMMY_KEY = "mock-not-a-real-key"  # the mock never checks it; real providers would refuse it


def child_env(environ: Mapping[str, str], mock_url: str) -> dict[str, str]:
    """The proxy's environment: upstreams at the mock, a dummy key for each family."""
    env = dict(environ)
    env["SEKIMORI_OPENAI_BASE_URL"] = f"{mock_url}/v1"
    env["SEKIMORI_ANTHROPIC_BASE_URL"] = mock_url
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        env[name] = DUMMY_KEY
        env.pop(name + "_FILE", None)
    return env


def _stop(children: list[subprocess.Popen[bytes]]) -> int:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    worst = 0
    for child in children:
        try:
            code = child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            code = child.wait()
        worst = worst or (code if code > 0 else 0)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make try", description="the proxy against the mock upstream / モック上流でお試し"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address of both listeners")
    parser.add_argument("--port", type=int, default=8080, help="proxy port (default 8080)")
    parser.add_argument("--admin-port", type=int, default=8081, help="admin port (default 8081)")
    parser.add_argument("--mock-port", type=int, default=9090, help="mock upstream port (9090)")
    parser.add_argument("--config", type=Path, default=None, help="policy file (default: built-in)")
    parser.add_argument(
        "--workers", type=int, default=None, help="scan worker processes (default: CPU cores)"
    )
    args = parser.parse_args(argv)

    mock_url = f"http://{args.host}:{args.mock_port}"
    cli = [sys.executable, "-m", "proxy.tools.cli"]
    serve = [*cli, "serve", "--host", args.host, "--port", str(args.port)]
    serve += ["--admin-port", str(args.admin_port)]
    if args.config is not None:
        serve += ["--config", str(args.config)]
    if args.workers is not None:
        serve += ["--workers", str(args.workers)]
    mock = [*cli, "mock-upstream", "--host", args.host, "--port", str(args.mock_port)]

    # Ctrl-C reaches the whole foreground process group: the children stop on their own
    # signal; here it only ends the wait below.
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    children = [subprocess.Popen(mock)]
    children.append(subprocess.Popen(serve, env=child_env(os.environ, mock_url)))
    print(
        f"お試し / try: proxy http://{args.host}:{args.port} → mock upstream {mock_url} "
        f"(admin http://{args.host}:{args.admin_port}); Ctrl-C で停止 / to stop",
        flush=True,
    )
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.2)
    return _stop(children)


if __name__ == "__main__":
    sys.exit(main())
