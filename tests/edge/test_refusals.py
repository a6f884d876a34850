"""Every refusal, through the real proxy: the HTTP error code, the x-sekimori-reason header
and the audit line's reason are the same string (one place turns a refusal into all three)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
import pytest

from detectors.settings import DetectionSettings
from detectors.types import ScanError, ScanLimitError
from proxy.observability.audit import AuditLog
from proxy.relay.upstream import Timeouts
from proxy.scanning.service import (
    ScanOutcome,
    ScanOverloaded,
    ScanService,
    ScanTimeout,
    ScanUnavailable,
)
from tests.detectors.attachments import samples

STAFF_KEY = "staff-refusal-key"
AUTH_POLICY = f"""version: 1
auth:
  required: true
  keys:
    - {{sha256: {hashlib.sha256(STAFF_KEY.encode()).hexdigest()}, team: sales}}
teams:
  sales: {{}}
"""
SMALL_BODY_POLICY = "version: 1\nlimits:\n  max_body_bytes: 1024\n"
ONE_FILE_POLICY = "version: 1\nattachments:\n  limits:\n    max_files: 1\n"
PDF_TYPE = "application/pdf"
TEXT_FILE = "data:text/plain;base64," + base64.b64encode("予算の見直し".encode()).decode()


def with_files(*urls: str, text: str = "要約して") -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}]
    parts += [{"type": "file", "file": {"file_data": url}} for url in urls]
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": parts}]}


def file_url(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def chat(text: str = "こんにちは") -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}


class FailingScan(ScanService):
    """A scan service whose every scan fails with the given scanner error."""

    def __init__(self, error: ScanError) -> None:
        super().__init__(workers=0)
        self.error = error
        self.ready = True

    async def scan(self, texts: Sequence[str], settings: DetectionSettings) -> ScanOutcome:
        raise self.error


@dataclasses.dataclass(frozen=True)
class Case:
    code: str
    status: int
    method: str = "POST"
    path: str = "/v1/chat/completions"
    body: dict[str, Any] | bytes | None = dataclasses.field(default_factory=chat)
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    policy: str | None = None
    service: ScanService | None = None
    setup: Callable[[Any], None] | None = None  # (running proxy) -> None, before the call
    action: str = "error"


def _upstream(**changes: Any) -> Callable[[Any], None]:
    def setup(proxy: Any) -> None:
        proxy.state.upstream = dataclasses.replace(proxy.state.upstream, **changes)

    return setup


def _fake(**knobs: Any) -> Callable[[Any], None]:
    def setup(proxy: Any) -> None:
        for name, value in knobs.items():
            setattr(proxy.fake, name, value)

    return setup


def _stalled_upstream(proxy: Any) -> None:
    _upstream(timeouts=Timeouts(first_byte=0.2))(proxy)
    _fake(stall_seconds=2.0)(proxy)


CLOSED_PORT = "http://127.0.0.1:9/v1"  # discard port: nothing listens on loopback
CASES = [
    Case("unknown_route", 404, path="/v1/nothing-here"),
    Case("method_not_allowed", 405, method="GET"),
    Case("unauthorized", 401, policy=AUTH_POLICY),
    Case("unauthorized", 401, method="GET", path="/v1/models", body=None, policy=AUTH_POLICY),
    Case("upgrade_refused", 400, headers={"Upgrade": "websocket", "Connection": "Upgrade"}),
    Case("ambiguous_credentials", 400, headers={"x_api_key": "k"}),
    Case("body_too_large", 413, policy=SMALL_BODY_POLICY, body=chat("あ" * 2000)),
    Case("unsupported_encoding", 415, headers={"Content-Encoding": "gzip"}),
    Case("unsupported_media", 415, headers={"Content-Type": "text/plain"}),
    Case("invalid_json", 400, body=b"{not json"),
    Case(
        "non_text_content",
        400,
        body={
            "model": "gpt-4o-mini",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
                    ],
                }
            ],
        },
        action="block",
    ),
    Case(
        "server_state",
        400,
        path="/v1/responses",
        body={"model": "gpt-4o-mini", "input": "続き", "previous_response_id": "resp_1"},
        action="block",
    ),
    Case("sensitive_data_blocked", 400, body=chat("マイナンバー 615237485127"), action="block"),
    Case("attachment_bad_data", 422, body=with_files("data:application/pdf;base64,@@@")),
    Case(
        "attachment_too_many_files",
        413,
        body=with_files(TEXT_FILE, TEXT_FILE),
        policy=ONE_FILE_POLICY,
    ),
    Case(
        "attachment_too_many_pages",
        413,
        body=with_files(file_url(samples.pdf_of_pages(301), PDF_TYPE)),
    ),
    Case(
        "attachment_type_mismatch",
        422,
        body=with_files(file_url(samples.pdf_of_pages(1), "image/png")),
    ),
    Case(
        "attachment_kind_blocked",
        400,
        body=with_files(file_url(samples.pdf_of_pages(1), PDF_TYPE)),
        policy="version: 1\nattachments:\n  pdf: block\n",
        action="block",
    ),
    Case(
        "attachment_sensitive_data",
        400,
        body=with_files(file_url("マイナンバー 615237485127".encode(), "text/plain")),
        action="block",
    ),
    Case(
        "attachment_mask_blocked",
        400,
        body=with_files(file_url("担当は山本健一さんです".encode(), "text/plain")),
        action="block",
    ),
    Case("scan_limit_exceeded", 413, service=FailingScan(ScanLimitError("too much"))),
    Case("scanner_overloaded", 503, service=FailingScan(ScanOverloaded("full"))),
    Case("scanner_timeout", 503, service=FailingScan(ScanTimeout("slow"))),
    Case("scanner_unavailable", 503, service=FailingScan(ScanUnavailable("died"))),
    Case("missing_upstream_credential", 503, setup=_upstream(openai_api_key=None), action="clean"),
    Case(
        "missing_upstream_credential",
        503,
        method="GET",
        path="/v1/models",
        body=None,
        setup=_upstream(openai_api_key=None),
    ),
    Case("upstream_unreachable", 502, setup=_upstream(openai_base_url=CLOSED_PORT), action="clean"),
    Case(
        "upstream_unreachable",
        502,
        method="GET",
        path="/v1/models",
        body=None,
        setup=_upstream(openai_base_url=CLOSED_PORT),
    ),
    Case("upstream_timeout", 504, setup=_stalled_upstream, action="clean"),
    Case("upstream_redirect", 502, setup=_fake(status=302), action="clean"),
    Case(
        "upstream_too_large",
        502,
        setup=_upstream(timeouts=Timeouts(max_response_bytes=16)),
        action="clean",
    ),
]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.method}-{c.path.rsplit('/', 1)[-1]}-{c.code}" for c in CASES]
)
async def test_audit_reason_is_the_error_code(
    start_proxy: Callable[..., Awaitable[Any]], case: Case
) -> None:
    stream = io.StringIO()
    proxy = await start_proxy(case.policy, service=case.service, audit=AuditLog(stream=stream))
    if case.setup is not None:
        case.setup(proxy)
    kwargs: dict[str, Any] = {"headers": case.headers}
    if isinstance(case.body, bytes):
        kwargs["data"] = case.body
        kwargs["headers"] = {"Content-Type": "application/json", **case.headers}
    elif case.body is not None:
        kwargs["data"] = json.dumps(case.body, ensure_ascii=False).encode()
        kwargs["headers"] = {"Content-Type": "application/json", **case.headers}
    async with aiohttp.ClientSession() as s:
        async with s.request(case.method, proxy.url + case.path, **kwargs) as r:
            status, reason_header = r.status, r.headers.get("x-sekimori-reason")
            answer = await r.json()
    assert status == case.status
    assert answer["error"]["code"] == case.code
    assert reason_header == case.code
    [line] = stream.getvalue().splitlines()
    audited = json.loads(line)
    assert (audited["reason"], audited["status"], audited["action"]) == (
        case.code,
        case.status,
        case.action,
    )


def test_every_refusal_class_is_in_the_table() -> None:
    """A new refusal gets a row above: each concrete ProxyError code appears in CASES."""
    codes = {c.code for c in CASES}
    for code in (
        "unauthorized",
        "non_text_content",
        "server_state",
        "sensitive_data_blocked",
        "attachment_bad_data",
        "attachment_too_many_files",
        "attachment_kind_blocked",
        "attachment_sensitive_data",
        "attachment_mask_blocked",
        "missing_upstream_credential",
        "upstream_timeout",
        "upstream_unreachable",
        "upstream_redirect",
    ):
        assert code in codes
