"""Render what the two Grafana dashboards show, from a scripted run: a real proxy in front
of the loopback fake upstream, three teams sending a day's worth of mixed prompts; then
/metrics is scraped and the main panels are drawn with matplotlib into
docs/dashboards/guard-activity.png and docs/dashboards/ai-adoption.png.

Run: python -m scripts.render_dashboards
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

if TYPE_CHECKING:
    from matplotlib.axes import Axes
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs/dashboards"
TEAMS = {"sales": "key-sales", "hr": "key-hr", "dev": "key-dev"}
POLICY = (
    "version: 1\nauth:\n  required: true\n  keys:\n"
    + "".join(
        f"    - {{sha256: {hashlib.sha256(k.encode()).hexdigest()}, team: {t}}}\n"
        for t, k in TEAMS.items()
    )
    + "teams:\n  sales: {}\n  hr:\n    entities:\n      PERSON: {action: allow}\n  dev: {}\n"
)
PROMPTS = {
    "clean": "来週の会議のアジェンダを作って",
    "name": "山本健一さんへのお礼メールを書いて",
    "phone": "田中様（090-2345-6789）に折り返しの連絡",
    "my_number": "社員のマイナンバー 615237485127 を登録したい",
    "secret": "このキー AKIAIOSFODNN7EXAMPLE が使えない",
    "marker": "【社外秘】来期の価格戦略をまとめて",
    "card": "カード番号4111111111111111で決済できない",
}
MIX = {
    "sales": ["clean"] * 6 + ["name", "phone", "phone", "card", "marker"],
    "hr": ["clean"] * 3 + ["name"] * 4 + ["my_number", "my_number"],
    "dev": ["clean"] * 8 + ["secret", "secret", "marker"],
}


async def scripted_run() -> str:
    sys.path.insert(0, str(ROOT))
    from proxy.edge.app import ProxyState, create_admin_app, create_app
    from proxy.observability.audit import AuditLog
    from proxy.policy import parse_policy
    from proxy.relay.upstream import UpstreamConfig
    from proxy.scanning.service import ScanService
    from proxy.tools.mock_upstream import FakeUpstream

    fake = FakeUpstream()
    base = await fake.start()
    service = ScanService(workers=0)
    await service.start()
    state = ProxyState(
        policy=parse_policy(POLICY, "demo.yaml"),
        scanner=service,
        audit=AuditLog(enabled=False),
        upstream=UpstreamConfig(openai_base_url=base + "/v1", openai_api_key="k"),
    )
    runners = [web.AppRunner(create_app(state)), web.AppRunner(create_admin_app(state))]
    for r in runners:
        await r.setup()
        await web.TCPSite(r, "127.0.0.1", 0).start()
    proxy, admin = (f"http://127.0.0.1:{r.addresses[0][1]}" for r in runners)
    rng = random.Random(5)
    try:
        async with aiohttp.ClientSession() as s:
            for team, kinds in MIX.items():
                for _ in range({"sales": 60, "hr": 25, "dev": 90}[team]):
                    kind = rng.choice(kinds)
                    model = rng.choice(["gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5"])
                    body = {
                        "model": model,
                        "stream": rng.random() < 0.3,
                        "messages": [{"role": "user", "content": PROMPTS[kind]}],
                    }
                    async with s.post(
                        proxy + "/v1/chat/completions",
                        json=body,
                        headers={"Authorization": f"Bearer {TEAMS[team]}"},
                    ) as answer:
                        await answer.read()
            async with s.get(admin + "/metrics") as metrics:
                return await metrics.text()
    finally:
        for r in runners:
            await r.cleanup()
        await service.close()
        await fake.close()


def series(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    out: dict[str, list[tuple[dict[str, str], float]]] = defaultdict(list)
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[s.name].append((s.labels, s.value))
    return out


def grouped(data: list[tuple[dict[str, str], float]], *keys: str) -> dict[tuple[str, ...], float]:
    out: dict[tuple[str, ...], float] = defaultdict(float)
    for labels, v in data:
        out[tuple(labels.get(k, "") for k in keys)] += v
    return dict(out)


def bars(
    ax: Axes, values: dict[tuple[str, ...], float], title: str, color: str = "#4C72B0"
) -> None:
    items = sorted(((" / ".join(k), v) for k, v in values.items() if v), key=lambda kv: -kv[1])
    ax.barh([k for k, _ in items][::-1], [v for _, v in items][::-1], color=color)
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)


def render(text: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = series(text)
    OUT.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), dpi=110)
    fig.suptitle("Sekimori - Guard activity (scripted run: 3 teams, 175 requests)")
    bars(axes[0][0], grouped(s["sekimori_requests_total"], "action"), "Requests by action")
    bars(
        axes[0][1],
        grouped(s["sekimori_blocks_total"], "reason", "team"),
        "Blocks by reason and team",
        "#C44E52",
    )
    bars(
        axes[1][0],
        grouped(s["sekimori_findings_total"], "entity_type", "action"),
        "Findings by entity type and action",
        "#DD8452",
    )
    buckets = grouped([(lb, v) for lb, v in s["sekimori_scan_duration_seconds_bucket"]], "le")
    count = max(buckets.values()) if buckets else 1
    les = sorted((float(k[0]), v) for k, v in buckets.items() if k[0] != "+Inf")
    p50 = next((le for le, v in les if v >= 0.5 * count), float("nan"))
    p99 = next((le for le, v in les if v >= 0.99 * count), float("nan"))
    axes[1][1].bar(["p50", "p99"], [p50 * 1000, p99 * 1000], color="#55A868")
    axes[1][1].set_title("Scan latency (histogram bucket upper bound, ms)", fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT / "guard-activity.png")

    fig, axes = plt.subplots(2, 2, figsize=(11, 7), dpi=110)
    fig.suptitle("Sekimori - AI adoption (scripted run)")
    bars(axes[0][0], grouped(s["sekimori_team_requests_total"], "team"), "Requests per team")
    bars(
        axes[0][1],
        grouped(s["sekimori_team_tokens_total"], "team", "direction"),
        "Tokens per team (input / output)",
        "#8172B2",
    )
    bars(
        axes[1][0],
        grouped(s["sekimori_team_prompt_characters_total"], "team"),
        "Prompt characters per team",
        "#937860",
    )
    mix = grouped(s["sekimori_team_requests_total"], "model")
    axes[1][1].pie(
        list(mix.values()), labels=[k[0] for k in mix], autopct="%1.0f%%", textprops={"fontsize": 8}
    )
    axes[1][1].set_title("Model mix", fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT / "ai-adoption.png")


def main() -> int:
    render(asyncio.run(scripted_run()))
    print("wrote", OUT / "guard-activity.png", OUT / "ai-adoption.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
