"""Property: a canary placed in ANY string location of a valid request of any route, in
any spelling variant, never reaches the upstream — it is blocked or masked (oracle O1 of
threats.md: the recording fake upstream, checked after normalising what it received)."""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import unicodedata
import urllib.parse
from pathlib import Path

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DATA = Path(__file__).parents[1] / "data/shapes"
ROUTES = {"chat": "/v1/chat/completions", "responses": "/v1/responses", "anthropic": "/v1/messages"}
BODIES = {
    name: (DATA / f"{name}_all_locations.json").read_text(encoding="utf-8") for name in ROUTES
}
MARKER = re.compile(r"ZQ-[A-Za-z0-9_-]*?-QZ")
LOCATIONS = [(name, m) for name, body in BODIES.items() for m in sorted(set(MARKER.findall(body)))]

# (what is sent, the digits/letters that must never arrive)
CANARIES = [
    ("マイナンバー 615237485127", "615237485127"),
    ("カード番号4111111111111111", "4111111111111111"),
    ("連絡先 taro.yamada@example.co.jp", "taro.yamada@example.co.jp"),
    ("携帯 090-2345-6789", "09023456789"),
    ("キー AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
]
FULLWIDTH = str.maketrans(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@.-",
    "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ＠．－",
)


def variant(text: str, kind: str) -> str:
    if kind == "fullwidth":
        return text.translate(FULLWIDTH)
    if kind == "zero_width":  # a zero-width space after every digit
        return re.sub(r"([0-9])", "\\1\u200b", text)
    if kind == "base64":
        return "decode: " + base64.b64encode(text.encode()).decode()
    if kind == "hex":
        return "hex " + text.encode().hex()
    if kind == "url":
        return urllib.parse.quote(text, safe="")
    return text


def _decodings(received: str) -> str:
    """Every base64 and hex run of the body decoded, and the body URL- and HTML-unescaped."""
    out = [urllib.parse.unquote(received), html.unescape(received)]
    for run in re.findall(r"[A-Za-z0-9+/=]{12,}", received):
        try:
            out.append(base64.b64decode(run + "=" * (-len(run) % 4)).decode("utf-8", "ignore"))
        except (binascii.Error, ValueError):
            pass
    for run in re.findall(r"(?:[0-9a-fA-F]{2}){6,}", received):
        out.append(bytes.fromhex(run).decode("utf-8", "ignore"))
    return "\n".join(out)


def fold(received: str) -> str:
    """What a reader of the upstream body could recover: decoded, NFKC, no format
    characters, no separators between digits."""
    text = unicodedata.normalize("NFKC", received + "\n" + _decodings(received))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"(?<=[0-9])[\s\-]+(?=[0-9])", "", text)


def request_with(name: str, marker: str, payload: str) -> bytes:
    # The payload goes in as a JSON string value (escaped), wherever the marker was.
    escaped = json.dumps(payload, ensure_ascii=False)[1:-1]
    body = BODIES[name].replace(marker, escaped)
    obj = json.loads(body)
    return json.dumps(obj, ensure_ascii=False).encode()


@settings(
    max_examples=180, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    location=st.sampled_from(LOCATIONS),
    canary=st.sampled_from(CANARIES),
    kind=st.sampled_from(["plain", "fullwidth", "zero_width", "base64", "hex", "url"]),
)
async def test_canary_never_reaches_upstream(start_proxy, fake, location, canary, kind):
    name, marker = location
    payload, secret = canary
    if not hasattr(fake, "_proxy"):
        # One proxy for all examples; images, files and server state are allowed so that
        # the canary's own location decides (the bodies carry such parts on purpose, and
        # their stand-in PDF is not a real one).
        fake._proxy = await start_proxy(
            "version: 1\nnon_text_parts: allow\nserver_state: allow\n"
            "attachments:\n  pdf: allow\n  image: allow\n"
        )
    proxy = fake._proxy
    before = len(fake.requests)
    headers = {"Content-Type": "application/json", "anthropic-version": "2023-06-01"}
    async with aiohttp.ClientSession() as session:
        async with session.post(
            proxy.url + ROUTES[name],
            headers=headers,
            data=request_with(name, marker, variant(payload, kind)),
        ) as resp:
            await resp.read()
            assert resp.status in (200, 400), resp.status
    for record in fake.requests[before:]:
        assert secret.lower() not in fold(record.body.decode("utf-8")).lower()
