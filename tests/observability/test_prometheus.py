"""Both Grafana dashboards against a real Prometheus (Debian's package): it scrapes two
proxies' admin /metrics every second during a scripted run of both API families through the
real SDKs and every outcome (clean, mask, block; would_block and would_mask from a monitor
team; error from fail-closed; an upstream error; policy reloads); then every dashboard
query, with the dashboard's variables substituted, is evaluated through /api/v1/query and
must return data. The chart's alert rules are loaded and must evaluate without error."""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from pathlib import Path
from typing import Any, get_args

import anthropic
import openai
import pytest

from proxy.policy.reload import PolicyReloader
from proxy.scanning.service import ScanService, ScanTimeout
from proxy.vocabulary import Outcome
from tests.helm.test_alert_rules import ALERTS, write_rules
from tests.observability.prometheus import Prometheus, running_prometheus

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = sorted((ROOT / "helm/sekimori/dashboards").glob("*.json"))
SALES_KEY, PILOT_KEY = "staff-sales-key-1", "staff-pilot-key-2"
POLICY = f"""version: 1
auth:
  required: true
  keys:
    - {{sha256: {hashlib.sha256(SALES_KEY.encode()).hexdigest()}, team: sales}}
    - {{sha256: {hashlib.sha256(PILOT_KEY.encode()).hexdigest()}, team: pilot}}
teams:
  sales: {{}}
  pilot:
    mode: monitor
"""
MASKED = "山本健一さん（090-2345-6789）に明日の打ち合わせの案内を送って"
BLOCKED = "マイナンバー 615237485127 を源泉徴収票に書く方法"
CLEAN = "議事録を三行で要約して"
# Grafana's built-in intervals. The whole run fits in a minute, so one minute stands in for
# $__rate_interval and an hour for $__range; explicit windows (1d, 7d) stay as written.
BUILTINS = {"$__rate_interval": "1m", "$__range": "1h", "$__interval": "1m"}
# Gauges that are 0 at rest and a counter that must stay 0: data, but no positive value.
ZERO_AT_REST = (
    "sekimori_unscanned_forward_total",
    "sekimori_streams_in_flight",
    "sekimori_scan_queue_depth",
)


class FailingScanner(ScanService):
    def __init__(self) -> None:
        super().__init__(workers=0)
        self.ready = True

    async def scan(self, texts, settings):  # type: ignore[no-untyped-def,override]
        raise ScanTimeout("slow")


def board_queries() -> list[tuple[str, str, str]]:
    """(dashboard, panel title, expr) for every target of both dashboards."""
    out = []
    for path in DASHBOARDS:
        board = json.loads(path.read_text("utf-8"))
        for p in board["panels"]:
            out += [(path.stem, p["title"], t["expr"]) for t in p["targets"]]
    return out


def team_variable_query() -> str:
    boards = [json.loads(p.read_text("utf-8")) for p in DASHBOARDS]
    (query,) = {v["query"] for b in boards for v in b["templating"]["list"] if v["name"] == "team"}
    return str(query)


def substitute(expr: str, team: str) -> str:
    for name, value in BUILTINS.items():
        expr = expr.replace(name, value)
    expr = expr.replace("$team", team)
    if "$" in expr:
        raise AssertionError(f"unknown dashboard variable in {expr}")
    return expr


def evaluation_time(expr: str, now: float) -> float:
    """A fresh Prometheus has no history: ``offset D`` looks at the run from now + D."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    shift = sum(int(n) * units[u] for n, u in re.findall(r"offset (\d+)([smhdw])", expr))
    return now + shift


async def scripted_run(proxy: Any, failing: Any, fake: Any) -> None:
    oa_sales = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key=SALES_KEY, max_retries=0)
    oa_pilot = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key=PILOT_KEY, max_retries=0)
    an_sales = anthropic.AsyncAnthropic(base_url=proxy.url, api_key=SALES_KEY, max_retries=0)
    an_pilot = anthropic.AsyncAnthropic(base_url=proxy.url, api_key=PILOT_KEY, max_retries=0)

    def chat(text: str) -> list[Any]:
        return [{"role": "user", "content": text}]

    for text in (CLEAN, MASKED):
        await oa_sales.chat.completions.create(model="gpt-4o-mini", messages=chat(text))
        stream = await oa_sales.chat.completions.create(
            model="gpt-4o-mini", messages=chat(text), stream=True
        )
        async for _ in stream:
            pass
        await an_sales.messages.create(
            model="claude-sonnet-4-5", max_tokens=64, messages=chat(text)
        )
        async with an_sales.messages.stream(
            model="claude-sonnet-4-5", max_tokens=64, messages=chat(text)
        ) as s:
            await s.get_final_message()
    with pytest.raises(openai.BadRequestError):
        await oa_sales.chat.completions.create(model="gpt-4o-mini", messages=chat(BLOCKED))
    with pytest.raises(anthropic.BadRequestError):
        await an_sales.messages.create(
            model="claude-sonnet-4-5", max_tokens=64, messages=chat(BLOCKED)
        )
    # The monitor team: forwarded unchanged, recorded as would-block.
    await oa_pilot.chat.completions.create(model="gpt-4o", messages=chat(BLOCKED))
    await an_pilot.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=chat(MASKED))
    # Fail closed: the second proxy's scanner times out; nothing is forwarded.
    oa_failing = openai.AsyncOpenAI(base_url=failing.openai_base, api_key="x", max_retries=0)
    with pytest.raises(openai.InternalServerError):
        await oa_failing.chat.completions.create(model="gpt-4o-mini", messages=chat(CLEAN))
    # An upstream that resets its stream halfway.
    fake.reset_mid_stream = True
    with pytest.raises(openai.APIError):
        stream = await oa_sales.chat.completions.create(
            model="gpt-4o-mini", messages=chat(CLEAN * 5), stream=True
        )
        async for _ in stream:
            pass
    fake.reset_mid_stream = False


async def test_every_dashboard_query_returns_data(start_proxy, fake, tmp_path: Path) -> None:
    proxy = await start_proxy(POLICY, admin=True)
    failing = await start_proxy(service=FailingScanner(), admin=True)
    targets = [u.removeprefix("http://") for u in (proxy.admin_url, failing.admin_url)]
    reloader = PolicyReloader(proxy.state, tmp_path / "policy.yaml")
    # The chart's alert rules are loaded too: they must evaluate against the real series.
    rules = write_rules(tmp_path, {"prometheusRule": {"enabled": True}})
    async with running_prometheus(tmp_path, targets, [rules]) as prom:
        await prom.scraped_after(time.time(), targets=2)
        # Two rounds with a scrape between them, so every counter is seen before and after
        # it moves (rate() and increase() need two samples of a series).
        for round_ in range(2):
            await scripted_run(proxy, failing, fake)
            (tmp_path / "policy.yaml").write_text(POLICY if round_ else "version: [", "utf-8")
            reloader.reload_now()
            (tmp_path / "policy.yaml").write_text("version: [" if round_ else POLICY, "utf-8")
            reloader.reload_now()
            await prom.scraped_after(time.time(), targets=2)
        await check_queries(prom)
        loaded = [r for g in (await prom.api("rules"))["groups"] for r in g["rules"]]
        assert {r["name"] for r in loaded} == ALERTS
        assert all(r["health"] == "ok" for r in loaded), loaded


async def check_queries(prom: Prometheus) -> None:
    now = time.time()
    # The $team variable, the way Grafana asks for it: label values of a series.
    metric, label = re.fullmatch(r"label_values\((\w+), (\w+)\)", team_variable_query()).groups()
    teams = await prom.api(f"label/{label}/values", **{"match[]": metric})
    assert teams == ["default", "pilot", "sales"], teams
    # The run reaches every outcome, and the action label says it in the proxy's own words.
    actions = await prom.api("label/action/values", **{"match[]": "sekimori_requests_total"})
    assert set(actions) == set(get_args(Outcome)), actions
    problems: list[str] = []
    checked = 0
    for team in (".*", "sales"):
        for board, title, expr in board_queries():
            query = substitute(expr, team)
            result = await prom.query(query, at=evaluation_time(query, now))
            checked += 1
            values = [float(s["value"][1]) for s in result]
            if not values:
                problems.append(f"{board} / {title}: no data for {query}")
            elif any(math.isnan(v) for v in values):
                problems.append(f"{board} / {title}: NaN {values} for {query}")
            elif not any(v > 0 for v in values) and not any(n in expr for n in ZERO_AT_REST):
                problems.append(f"{board} / {title}: only zeros for {query}")
    assert not problems, "\n".join(problems)
    assert checked == 2 * len(board_queries()) >= 40
