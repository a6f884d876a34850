"""A scripted run through the real proxy, then the exact series on /metrics, one audit
line per request, and the canary oracle: no value, prompt or key in any log line, audit
line or metric."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import random

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from proxy.observability.audit import AuditLog

SALES_KEY, HR_KEY, PILOT_KEY = "staff-sales-key-1", "staff-hr-key-2", "staff-pilot-key-3"
POLICY = f"""version: 1
auth:
  required: true
  keys:
    - {{sha256: {hashlib.sha256(SALES_KEY.encode()).hexdigest()}, team: sales}}
    - {{sha256: {hashlib.sha256(HR_KEY.encode()).hexdigest()}, team: hr}}
    - {{sha256: {hashlib.sha256(PILOT_KEY.encode()).hexdigest()}, team: pilot}}
teams:
  sales: {{}}
  hr:
    entities:
      PERSON: {{action: allow}}
  pilot:
    mode: monitor
"""
NAME, MY_NUMBER = "山本健一", "615237485127"
CANARIES = [NAME, MY_NUMBER, SALES_KEY, HR_KEY, PILOT_KEY, "sk-upstream-test-key", "09023456789"]


def chat(text: str, stream: bool = False, model: str = "gpt-4o-mini") -> dict:
    return {"model": model, "stream": stream, "messages": [{"role": "user", "content": text}]}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(series: dict, name: str, **labels: str) -> float:
    return series.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_scripted_run(start_proxy, fake, caplog) -> None:
    audit_stream = io.StringIO()
    proxy = await start_proxy(POLICY, audit=AuditLog(stream=audit_stream), admin=True)
    url = proxy.openai_base + "/chat/completions"
    ids: list[str] = []
    said: list[str | None] = []  # x-sekimori-action, on forwarded answers only
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as s:

        async def call(key: str | None, body: dict | bytes, expect: int) -> None:
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            kwargs = (
                {"data": body, "headers": {**headers, "Content-Type": "application/json"}}
                if isinstance(body, bytes)
                else {"json": body, "headers": headers}
            )
            async with s.post(url, **kwargs) as r:
                await r.read()
                assert r.status == expect
                ids.append(r.headers["x-sekimori-request-id"])
                said.append(r.headers.get("x-sekimori-action"))

        await call(SALES_KEY, chat("議事録を要約して"), 200)  # clean
        await call(SALES_KEY, chat(f"{NAME}さん（090-2345-6789）へ"), 200)  # masked
        await call(SALES_KEY, chat(f"{NAME}さんへ", stream=True), 200)  # masked, stream
        await call(SALES_KEY, chat(f"マイナンバー {MY_NUMBER}"), 400)  # blocked
        await call(HR_KEY, chat(f"{NAME}さんへ"), 200)  # hr: names allowed
        await call(HR_KEY, b'{"model": "x", "messages": [', 400)  # malformed
        await call(None, chat("こんにちは"), 401)  # no key
        await call(PILOT_KEY, chat(f"マイナンバー {MY_NUMBER}"), 200)  # monitor: forwarded
        await call(PILOT_KEY, chat(f"{NAME}さんへ"), 200)  # monitor: forwarded unmasked
        async with s.get(proxy.admin_url + "/metrics") as r:
            metrics_text = await r.text()

    m = samples(metrics_text)
    route = "/v1/chat/completions"
    assert (
        value(
            m,
            "sekimori_requests_total",
            route=route,
            family="openai",
            action="clean",
            status_class="2xx",
            team="sales",
        )
        == 1
    )
    assert (
        value(
            m,
            "sekimori_requests_total",
            route=route,
            family="openai",
            action="mask",
            status_class="2xx",
            team="sales",
        )
        == 2
    )
    assert (
        value(
            m,
            "sekimori_requests_total",
            route=route,
            family="openai",
            action="block",
            status_class="4xx",
            team="sales",
        )
        == 1
    )
    assert (
        value(
            m,
            "sekimori_requests_total",
            route=route,
            family="openai",
            action="clean",
            status_class="2xx",
            team="hr",
        )
        == 1
    )
    assert value(m, "sekimori_blocks_total", reason="sensitive_data_blocked", team="sales") == 1
    assert (
        value(m, "sekimori_findings_total", entity_type="PERSON", action="mask", team="sales") == 2
    )
    assert (
        value(m, "sekimori_findings_total", entity_type="PHONE_NUMBER", action="mask", team="sales")
        == 1
    )
    assert (
        value(
            m, "sekimori_findings_total", entity_type="JP_MY_NUMBER", action="block", team="sales"
        )
        == 1
    )
    assert value(m, "sekimori_team_requests_total", team="sales", model="gpt-4o-mini") == 4
    assert value(m, "sekimori_team_tokens_total", team="sales", direction="input") > 0
    assert value(m, "sekimori_team_tokens_total", team="sales", direction="output") > 0
    assert value(m, "sekimori_unscanned_forward_total") == 0
    # The client library's *_created timestamps are switched off (proxy/metrics.py).
    assert "_created" not in metrics_text

    lines = [json.loads(line) for line in audit_stream.getvalue().splitlines()]
    assert [line["request_id"] for line in lines] == ids
    # One word for the outcome: the audit line, the header and the metric say the same.
    assert [line["action"] for line in lines] == [
        "clean",
        "mask",
        "mask",
        "block",
        "clean",
        "error",
        "error",
        "would_block",
        "would_mask",
    ]
    assert said == [
        "clean",
        "mask",
        "mask",
        None,
        "clean",
        None,
        None,
        "would_block",
        "would_mask",
    ]
    for word in ("would_block", "would_mask"):
        assert (
            value(
                m,
                "sekimori_requests_total",
                route=route,
                family="openai",
                action=word,
                status_class="2xx",
                team="pilot",
            )
            == 1
        )
    assert (
        value(
            m,
            "sekimori_findings_total",
            entity_type="JP_MY_NUMBER",
            action="would_block",
            team="pilot",
        )
        == 1
    )
    assert (
        value(m, "sekimori_findings_total", entity_type="PERSON", action="would_mask", team="pilot")
        == 1
    )
    actions = {dict(k[1])["action"] for k in m if k[0] == "sekimori_requests_total"}
    assert actions == {"clean", "mask", "block", "error", "would_block", "would_mask"}
    assert lines[3]["entities"] == {"JP_MY_NUMBER": 1} and lines[3]["team"] == "sales"
    assert lines[5]["reason"] == "invalid_json" and lines[6]["reason"] == "unauthorized"

    everything = (
        metrics_text + audit_stream.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    )
    for canary in CANARIES:
        assert canary not in everything, canary


async def test_model_label_stays_bounded(start_proxy, fake) -> None:
    proxy = await start_proxy(admin=True)
    rng = random.Random(3)
    async with aiohttp.ClientSession() as s:
        for _ in range(200):
            model = "".join(rng.choice("abcdefghij-_.@") for _ in range(rng.randint(1, 30)))
            async with s.post(
                proxy.openai_base + "/chat/completions",
                json=chat("こんにちは", model=model + "taro@example.com"),
            ) as r:
                await r.read()
        async with s.get(proxy.admin_url + "/metrics") as r:
            text = await r.text()
    models = {
        dict(k[1]).get("model") for k in samples(text) if k[0].startswith("sekimori_team_requests")
    }
    assert models <= {"other", None}
    assert "taro@example.com" not in text
