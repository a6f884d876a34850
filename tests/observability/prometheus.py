"""A real Prometheus (Debian's package) for the tests: one server per test on a free
loopback port, with a generated config that scrapes the given targets every second and
loads the chart's alert rules. Only the binary is used; data lives in a temporary folder."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from tests.conftest import free_port
from tests.external import require

SCRAPE_SECONDS = 1.0


class Prometheus:
    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.process = process

    async def api(self, path: str, **params: str) -> Any:
        async with aiohttp.ClientSession() as s:
            async with s.get(self.url + "/api/v1/" + path, params=params) as r:
                body = await r.json()
        if body.get("status") != "success":
            raise AssertionError(f"{path} {params}: {body}")
        return body["data"]

    async def query(self, expr: str, at: float | None = None) -> list[dict[str, Any]]:
        params = {"query": expr} | ({"time": f"{at:.3f}"} if at is not None else {})
        data = await self.api("query", **params)
        return list(data["result"])

    async def scraped_after(self, moment: float, targets: int) -> None:
        """Waits until every target has been scraped (successfully) after ``moment``."""
        deadline = time.time() + 20
        while time.time() < deadline:
            active = (await self.api("targets"))["activeTargets"]
            fresh = [
                t
                for t in active
                if t["health"] == "up"
                and t["lastScrape"][:4] != "0001"
                and _timestamp(t["lastScrape"]) > moment
            ]
            if len(fresh) >= targets:
                return
            await asyncio.sleep(0.2)
        raise AssertionError(f"targets not scraped in time: {json.dumps(active)[:2000]}")


def _timestamp(rfc3339: str) -> float:
    from datetime import datetime

    # Prometheus writes nanoseconds; Python parses up to microseconds.
    head, _, rest = rfc3339.partition(".")
    fraction = "".join(c for c in rest if c.isdigit())[:6]
    zone = rest[len(rest.rstrip("Z+-:0123456789")) :] if rest else ""
    zone = "+00:00" if not zone or zone.endswith("Z") else zone[-6:]
    return datetime.fromisoformat(f"{head}.{fraction or '0'}{zone}").timestamp()


@contextlib.asynccontextmanager
async def running_prometheus(
    tmp: Path, targets: list[str], rule_files: Sequence[Path] = ()
) -> AsyncIterator[Prometheus]:
    binary = require("prometheus", "scripts/install_prometheus.sh")
    port = free_port()
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "1s"},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [
            {"job_name": "sekimori", "static_configs": [{"targets": targets}]},
        ],
    }
    (tmp / "prometheus.yml").write_text(yaml.safe_dump(config), "utf-8")
    log = (tmp / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            str(binary),
            f"--config.file={tmp / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--web.enable-lifecycle",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 20
        async with aiohttp.ClientSession() as s:
            while True:
                if process.poll() is not None:
                    raise AssertionError((tmp / "prometheus.log").read_text("utf-8")[-3000:])
                with contextlib.suppress(aiohttp.ClientError):
                    async with s.get(url + "/-/ready") as r:
                        if r.status == 200:
                            break
                if time.time() > deadline:
                    raise AssertionError("prometheus did not become ready")
                await asyncio.sleep(0.1)
        yield Prometheus(url, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
