"""The rule playground: its API against the running policy, and the page in a real
headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import ADMIN_TOKEN
from tests.external import require

AUTH = {"X-Sekimori-Admin-Token": ADMIN_TOKEN}

POLICY = """version: 1
teams:
  hr:
    entities:
      PERSON: {action: allow}
  pilot:
    mode: monitor
  sales: {}
"""


async def post(url: str, payload: object, headers: dict | None = None) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as s:
        async with s.post(
            url + "/playground/api/scan", json=payload, headers=AUTH if headers is None else headers
        ) as r:
            return r.status, await r.json()


@pytest.mark.parametrize(
    ("text", "team", "verdict", "masked"),
    [
        ("来月の会議室を予約して", None, "clean", "来月の会議室を予約して"),
        ("山本健一さんに連絡", None, "mask", "[[PERSON_1]]さんに連絡"),
        ("山本健一さんに連絡", "hr", "clean", "山本健一さんに連絡"),
        ("マイナンバー 615237485127", "sales", "block", None),
        # The monitor team: sent as is, and the verdict says what enforcement would do.
        ("山本健一さんに連絡", "pilot", "would_mask", "山本健一さんに連絡"),
        ("マイナンバー 615237485127", "pilot", "would_block", "マイナンバー 615237485127"),
    ],
)
async def test_api_verdicts(start_proxy, text, team, verdict, masked) -> None:
    proxy = await start_proxy(POLICY, admin=True)
    status, body = await post(proxy.admin_url, {"text": text, "team": team})
    assert status == 200
    assert body["verdict"] == verdict and body["masked"] == masked
    if verdict == "block":
        assert "マイナンバー" in body["message"] and "615237485127" not in body["message"]


async def test_default_team_is_called_default_everywhere(start_proxy) -> None:
    proxy = await start_proxy(POLICY, admin=True)
    async with aiohttp.ClientSession() as s:
        async with s.get(proxy.admin_url + "/playground/api/teams", headers=AUTH) as r:
            assert (await r.json())["teams"] == ["default", "hr", "pilot", "sales"]
    status, body = await post(proxy.admin_url, {"text": "山本健一さんに連絡", "team": "default"})
    assert status == 200 and body["masked"] == "[[PERSON_1]]さんに連絡"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"text": "x", "team": "nosuchteam"}, 400),
        ({"txt": "x"}, 400),
        ({"text": "あ" * 200_001}, 413),
    ],
)
async def test_api_rejects_bad_input(start_proxy, payload, status) -> None:
    proxy = await start_proxy(POLICY, admin=True)
    got, body = await post(proxy.admin_url, payload)
    assert got == status and body["error"]["message_ja"]


async def test_playground_lives_on_the_admin_port_only(start_proxy) -> None:
    proxy = await start_proxy(POLICY, admin=True)
    async with aiohttp.ClientSession() as s:
        async with s.get(proxy.url + "/playground") as r:
            assert r.status in (404, 405)


# Chromium's flags for a headless run on this machine: one list, shared with the screenshot script.
from scripts.render_playground import ARGS  # noqa: E402

# Characters JavaScript counts as two UTF-16 units (emoji, 𠮷) and combining marks.
UNICODE_TEXT = (
    "👩‍💻🎉 担当の𠮷田太郎さん（携帯 090-2345-6789）へ。"
    "カ\u3099フェ😀で会うのは e\u0301mily@example.com の方です🙇"
)


async def test_highlights_are_right_for_any_unicode(start_proxy, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    chromium = require("chromium", "scripts/install_browser.sh")
    proxy = await start_proxy(POLICY, admin=True)
    status, body = await post(proxy.admin_url, {"text": UNICODE_TEXT, "team": "default"})
    assert status == 200
    # The API's offsets are code points; the page must show exactly these substrings.
    expected = [UNICODE_TEXT[f["start"] : f["end"]] for f in body["findings"]]
    assert "090-2345-6789" in expected and any("𠮷" in e for e in expected), expected
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(chromium), headless=True, args=ARGS)
        try:
            page = await browser.new_page()
            await page.goto(proxy.admin_url + "/playground")
            await page.fill("#token", ADMIN_TOKEN)
            await page.dispatch_event("#token", "change")
            await page.fill("#text", UNICODE_TEXT)
            await page.select_option("#team", "default")
            await page.click("#scan")
            await page.wait_for_selector("#highlight mark")
            assert await page.locator("#highlight mark").all_inner_texts() == expected
            assert await page.inner_text("#highlight") == UNICODE_TEXT  # nothing lost or doubled
            cells = await page.locator("#findings tr td:nth-child(5)").all_inner_texts()
            assert cells == expected
            await page.screenshot(path=str(tmp_path / "unicode.png"), full_page=True)
        finally:
            await browser.close()


async def test_page_in_a_real_browser(start_proxy, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    chromium = require("chromium", "scripts/install_browser.sh")

    proxy = await start_proxy(POLICY, admin=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(chromium), headless=True, args=ARGS)
        try:
            page = await browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: dialogs.append(d.message))
            await page.goto(proxy.admin_url + "/playground")
            # Without the token the API refuses, and the page says so.
            await page.wait_for_function("document.getElementById('verdict').textContent")
            assert "管理トークン" in await page.inner_text("#verdict")
            await page.fill("#token", ADMIN_TOKEN)
            await page.dispatch_event("#token", "change")
            await page.wait_for_selector("#team option[value=sales]", state="attached")
            await page.fill(
                "#text", "担当の山本健一さん（携帯 090-2345-6789）<img src=x onerror=alert(1)>"
            )
            await page.select_option("#team", "sales")
            await page.click("#scan")
            await page.wait_for_selector("#highlight mark")
            marks = await page.locator("#highlight mark").all_inner_texts()
            assert marks == ["山本健一", "090-2345-6789"]
            assert "マスクして送信" in await page.inner_text("#verdict")
            masked = await page.inner_text("#masked")
            assert masked.startswith("担当の[[PERSON_1]]さん（携帯 [[PHONE_NUMBER_1]]）")
            # User text is shown as text: the <img> tag is literal, no script ran.
            assert "<img src=x onerror=alert(1)>" in await page.inner_text("#highlight")
            assert await page.locator("#highlight img").count() == 0 and dialogs == []
            # Another team, another verdict: HR may send names.
            await page.select_option("#team", "hr")
            await page.fill("#text", "マイナンバー 615237485127")
            await page.click("#scan")
            await page.wait_for_selector("#verdict.v-block")
            assert "ブロック" in await page.inner_text("#verdict")
            assert await page.inner_text("#masked") == "送信されません / not sent"
            await page.screenshot(path=str(tmp_path / "playground.png"), full_page=True)
            shutil.copy(tmp_path / "playground.png", "/tmp/playground.png")
        finally:
            await browser.close()


# -- who may use it (issue 15, item 3) ------------------------------------------------------
# Before the fix the API answered anyone: teams listed, dictionary hits echoed.
DICT_POLICY = """version: 1
dictionaries:
  - entity_type: CODENAME
    file: config/examples/dictionaries/software-codenames.txt
teams:
  sales: {}
"""


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-Sekimori-Admin-Token": "wrong"}, 401),
        ({"X-Sekimori-Admin-Token": ADMIN_TOKEN[:-1]}, 401),
        ({"X-Sekimori-Admin-Token": ADMIN_TOKEN + "x"}, 401),
        ({"Authorization": "Bearer " + ADMIN_TOKEN}, 401),
        (AUTH, 200),
    ],
    ids=["none", "wrong", "prefix", "longer", "other header", "right"],
)
async def test_api_needs_the_admin_token(start_proxy, headers, status) -> None:
    proxy = await start_proxy(DICT_POLICY, admin=True)
    got, body = await post(proxy.admin_url, {"text": "KUMOGAKURE の見積もり"}, headers)
    assert got == status
    if status != 200:
        assert "KUMOGAKURE" not in str(body) and "CODENAME" not in str(body)
        assert body["error"]["message_ja"]
    else:
        assert [f["type"] for f in body["findings"]] == ["CODENAME"]
    async with aiohttp.ClientSession() as s:
        async with s.get(proxy.admin_url + "/playground/api/teams", headers=headers) as r:
            assert r.status == status
            assert ("sales" in await r.text()) == (status == 200)


async def test_api_off_without_a_configured_token(start_proxy) -> None:
    proxy = await start_proxy(DICT_POLICY, admin=True)
    proxy.state.admin_token = None
    for headers in ({}, {"X-Sekimori-Admin-Token": ""}, {"X-Sekimori-Admin-Token": "None"}):
        got, body = await post(proxy.admin_url, {"text": "KUMOGAKURE"}, headers)
        assert got == 403 and "SEKIMORI_ADMIN_TOKEN" in body["error"]["message_en"]


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8081", True),
        ("localhost:8081", True),
        ("[::1]:8081", True),
        ("10.2.3.4", True),
        ("sekimori-admin.guard.svc:8081", True),  # listed in admin_hosts below
        ("evil.example:8081", False),  # a rebound name
        ("localhost.evil.example", False),
        ("", False),
    ],
)
async def test_host_header_against_dns_rebinding(start_proxy, host, allowed) -> None:
    proxy = await start_proxy(DICT_POLICY, admin=True)
    proxy.state.admin_hosts = frozenset({"sekimori-admin.guard.svc"})
    async with aiohttp.ClientSession(skip_auto_headers=["Host"]) as s:
        for path in ("/playground", "/playground/api/teams"):
            async with s.get(proxy.admin_url + path, headers={**AUTH, "Host": host}) as r:
                assert (r.status == 200) == allowed, (path, r.status)
        # Probes and Prometheus do not depend on the Host name.
        async with s.get(proxy.admin_url + "/healthz", headers={"Host": host}) as r:
            assert r.status == 200


async def test_metrics_not_on_the_proxy_port(start_proxy) -> None:
    proxy = await start_proxy(admin=True)
    async with aiohttp.ClientSession() as s:
        for path in ("/metrics", "/healthz", "/readyz", "/playground/api/teams"):
            async with s.get(proxy.url + path) as r:
                assert r.status == 404, path
                assert "sekimori_" not in await r.text()
        async with s.get(proxy.admin_url + "/metrics") as r:
            assert r.status == 200 and "sekimori_requests_total" in await r.text()
