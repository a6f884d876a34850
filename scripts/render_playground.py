"""Screenshot of the rule playground with Japanese text, for the README (docs/playground.png).

    python -m scripts.render_playground [--out docs/playground.png]

Starts ``sekimori serve`` on free loopback ports with a throw-away admin token, opens the
playground in Debian's headless Chromium (Playwright), scans a prompt with a name, a phone
number and an e-mail address, and saves the page. Needs scripts/install_browser.sh (Chromium and
a Japanese font).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Characters the Debian font has (𠮷 and emoji are tested in tests/playground, not drawn here).
TEXT = "担当の吉田太郎さん（携帯 090-2345-6789、taro.yoshida@example.co.jp）に見積書を送る前に確認してください。"
# Chromium flags for a headless run here (also used by tests/playground).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds:.0f}s")


async def _shoot(admin_url: str, token: str, out: Path) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 1100, "height": 900})
            await page.goto(admin_url + "/playground")
            await page.fill("#token", token)
            await page.dispatch_event("#token", "change")
            await page.fill("#text", TEXT)
            await page.click("#scan")
            await page.wait_for_selector("#highlight mark")
            await page.screenshot(path=str(out), full_page=True)
        finally:
            await browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "playground.png")
    args = ap.parse_args(argv)
    port, admin = _free_port(), _free_port()
    token = secrets.token_hex(16)
    env = {**os.environ, "SEKIMORI_ADMIN_TOKEN": token, "SEKIMORI_LOG_LEVEL": "WARNING"}
    proxy = subprocess.Popen(
        [sys.executable, "-m", "proxy.tools.cli", "serve", "--port", str(port)]
        + ["--admin-port", str(admin)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        admin_url = f"http://127.0.0.1:{admin}"
        _wait(admin_url + "/readyz")
        asyncio.run(_shoot(admin_url, token, args.out))
    finally:
        proxy.terminate()
        proxy.wait(timeout=60)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
