"""Attached files through the real openai and anthropic SDKs, the proxy and the recording
fake upstream: files made by the libraries themselves (tests/detectors/attachments/samples)
are blocked or flattened as the policy says and no value reaches the upstream; a clean file
passes byte for byte; hostile files are refused with their reason and nothing is sent."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from typing import Any

import anthropic
import openai
import pytest

from tests.detectors.attachments import samples

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLATTEN = "version: 1\nattachments:\n  on_mask: flatten\n"
# Every value the sample files hold (the canaries of tests/conftest.py among them).
VALUES = (
    samples.MY_NUMBER,
    samples.PERSON,
    samples.PHONE,
    "09023456789",
    samples.ADDRESS,
    *(name for name, _, _ in samples.CUSTOMERS),
    *(phone for _, phone, _ in samples.CUSTOMERS),
    *(address for _, _, address in samples.CUSTOMERS),
)
needs_ipa = pytest.mark.skipif(
    not samples.IPA_GOTHIC.exists(), reason="fonts-ipafont-gothic is not installed"
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _sent(fake: Any) -> str:
    return "\n".join(r.body.decode("utf-8") for r in fake.requests)


def _no_value_sent(fake: Any) -> None:
    sent = _sent(fake)
    for value in VALUES:
        assert value not in sent, "a value from the file reached the upstream"


# -- the three ways to send a file -----------------------------------------------------------
Send = Callable[[Any, bytes, str], Awaitable[str]]


async def via_chat(proxy: Any, data: bytes, media_type: str) -> str:
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    part = {"type": "file", "file": {"file_data": f"data:{media_type};base64,{b64(data)}"}}
    part["file"]["filename"] = "資料"  # type: ignore[index]
    reply = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "要約してください"}, part]}  # type: ignore[list-item]
        ],
    )
    return reply.choices[0].message.content or ""


async def via_responses(proxy: Any, data: bytes, media_type: str) -> str:
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    reply = await client.responses.create(
        model="gpt-4o-mini",
        store=False,
        input=[
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "要約してください"},
                    {
                        "type": "input_file",
                        "filename": "資料",
                        "file_data": f"data:{media_type};base64,{b64(data)}",
                    },
                ],
            }
        ],
    )
    return reply.output_text


async def via_anthropic(proxy: Any, data: bytes, media_type: str) -> str:
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key="staff-key", max_retries=0)
    reply = await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=256,
        messages=[
            {
                "role": "user",
                "content": [
                    {
                        "type": "document",
                        "source": {"type": "base64", "media_type": media_type, "data": b64(data)},  # type: ignore[typeddict-item]
                    },
                    {"type": "text", "text": "要約してください"},
                ],
            }
        ],
    )
    return "".join(block.text for block in reply.content if block.type == "text")


SENDERS = [
    pytest.param(via_chat, id="chat"),
    pytest.param(via_responses, id="responses"),
    pytest.param(via_anthropic, id="anthropic"),
]


async def refused(send: Send, proxy: Any, data: bytes, media_type: str) -> tuple[int, str, str]:
    """(status, reason code, message) of a refusal raised by either SDK."""
    with pytest.raises((openai.APIStatusError, anthropic.APIStatusError)) as info:
        await send(proxy, data, media_type)
    error = info.value
    return error.status_code, error.response.headers["x-sekimori-reason"], str(error.message)


def _files(name: str) -> tuple[bytes, str]:
    builders: dict[str, tuple[Callable[[], bytes], str]] = {
        "excel": (samples.excel_customers, XLSX),
        "excel-contacts": (lambda: samples.excel_customers(my_number=False), XLSX),
        "word": (samples.word_memo, DOCX),
        "pdf": (samples.pdf_invoice, PDF),
    }
    build, media_type = builders[name]
    return build(), media_type


# -- policy decisions --------------------------------------------------------------------------
# (file, code under the default policy, code with on_mask: flatten or None: flattened)
DECISIONS = [
    pytest.param(
        "excel", "attachment_sensitive_data", "attachment_sensitive_data", id="excel-customers"
    ),
    pytest.param("excel-contacts", "attachment_mask_blocked", None, id="excel-contacts"),
    pytest.param("word", "attachment_sensitive_data", "attachment_sensitive_data", id="word-memo"),
    pytest.param("pdf", "attachment_mask_blocked", None, id="pdf-invoice", marks=needs_ipa),
]


@pytest.mark.parametrize("send", SENDERS)
@pytest.mark.parametrize(("name", "default_code", "flatten_code"), DECISIONS)
async def test_files_blocked_or_flattened_as_the_policy_says(
    start_proxy: Any,
    fake: Any,
    send: Send,
    name: str,
    default_code: str,
    flatten_code: str | None,
) -> None:
    data, media_type = _files(name)
    strict = await start_proxy()
    status, code, message = await refused(send, strict, data, media_type)
    assert (status, code) == (400, default_code)
    assert "添付ファイル1（" in message and "attachment 1 (" in message
    assert "資料" not in message  # the file name is never echoed
    assert fake.requests == []

    flattening = await start_proxy(FLATTEN)
    if flatten_code is not None:
        status, code, _ = await refused(send, flattening, data, media_type)
        assert (status, code) == (400, flatten_code)
        assert fake.requests == []
        return
    answer = await send(flattening, data, media_type)
    assert len(fake.requests) == 1
    _no_value_sent(fake)
    sent = _sent(fake)
    assert b64(data) not in sent  # the file itself is gone, its masked text went instead
    assert "[[PERSON_1]]" in sent or "[[ADDRESS_1]]" in sent
    if send is not via_anthropic:  # the fake echoes OpenAI text parts: restored for staff
        assert "[[" not in answer and any(v in answer for v in VALUES)


async def test_the_flattened_part_has_each_api_s_text_shape(start_proxy: Any, fake: Any) -> None:
    proxy = await start_proxy(FLATTEN)
    data, media_type = _files("excel-contacts")
    for send in (via_chat, via_responses, via_anthropic):
        await send(proxy, data, media_type)
    chat, responses, messages = (r.json for r in fake.requests)
    chat_part = chat["messages"][0]["content"][1]
    assert chat_part["type"] == "text" and "添付ファイル1（Excel）" in chat_part["text"]
    responses_part = responses["input"][0]["content"][1]
    assert responses_part["type"] == "input_text" and "[[PERSON_" in responses_part["text"]
    document = messages["messages"][0]["content"][0]
    assert document["type"] == "document"
    assert document["source"]["type"] == "text" and document["source"]["media_type"] == "text/plain"
    assert "[[PHONE_NUMBER_" in document["source"]["data"]


@pytest.mark.parametrize("send", SENDERS)
async def test_a_clean_file_passes_byte_for_byte(start_proxy: Any, fake: Any, send: Send) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("来週の定例会議は会議室Bで行います。議題は予算の見直しです。")
    import io

    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    proxy = await start_proxy()
    await send(proxy, data, DOCX)
    assert len(fake.requests) == 1
    body = fake.requests[0].json
    if send is via_chat:
        forwarded = body["messages"][0]["content"][1]["file"]["file_data"].split(",", 1)[1]
    elif send is via_responses:
        forwarded = body["input"][0]["content"][1]["file_data"].split(",", 1)[1]
    else:
        forwarded = body["messages"][0]["content"][0]["source"]["data"]
    assert base64.b64decode(forwarded) == data


async def test_a_value_masked_in_the_prompt_is_not_sent_raw_in_a_file(
    start_proxy: Any, fake: Any
) -> None:
    """The file alone reads as clean, but it holds a name the prompt shows to be one."""
    proxy = await start_proxy(FLATTEN)
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    text = f"会議室Bの予約者: {samples.PERSON}\n".encode()
    await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": f"{samples.PERSON}さんからのメモです。"},
                    {"type": "file", "file": {"file_data": f"data:text/plain;base64,{b64(text)}"}},
                ],
            }
        ],
    )
    assert samples.PERSON not in _sent(fake)


# -- images ------------------------------------------------------------------------------------
async def test_images_are_blocked_by_default_and_allowed_by_policy(
    start_proxy: Any, fake: Any
) -> None:
    png = samples.japanese_image(("会議室の写真",)) if samples.IPA_GOTHIC.exists() else None
    data = png or base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    url = f"data:image/png;base64,{b64(data)}"
    messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": url}}]}]
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    with pytest.raises(openai.BadRequestError) as info:
        await client.chat.completions.create(model="gpt-4o-mini", messages=messages)  # type: ignore[arg-type]
    assert info.value.response.headers["x-sekimori-reason"] == "attachment_kind_blocked"
    assert "添付ファイル1（画像）" in str(info.value.message)
    assert fake.requests == []
    allowed = await start_proxy("version: 1\nattachments:\n  image: allow\n")
    client = openai.AsyncOpenAI(base_url=allowed.openai_base, api_key="staff-key", max_retries=0)
    await client.chat.completions.create(model="gpt-4o-mini", messages=messages)  # type: ignore[arg-type]
    assert json.dumps(fake.requests[0].json).count(b64(data)) == 1


async def test_files_by_reference_stay_blocked(start_proxy: Any, fake: Any) -> None:
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    for part in (
        {"type": "file", "file": {"file_id": "file-abc123"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
    ):
        with pytest.raises(openai.BadRequestError) as info:
            await client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": [part]}],  # type: ignore[list-item]
            )
        assert "file_id" in str(info.value.message)
    assert fake.requests == []


# -- hostile files -----------------------------------------------------------------------------
HOSTILE = [
    pytest.param(samples.zip_bomb_docx, DOCX, 413, "attachment_decompressed_too_large", id="bomb"),
    pytest.param(
        lambda: samples.pdf_of_pages(10_000), PDF, 413, "attachment_too_many_pages", id="pages"
    ),
    pytest.param(samples.encrypted_pdf, PDF, 422, "attachment_encrypted", id="encrypted"),
    pytest.param(samples.word_memo, PDF, 422, "attachment_type_mismatch", id="lying-type"),
]


@pytest.mark.parametrize("send", SENDERS)
@pytest.mark.parametrize(("build", "media_type", "status", "code"), HOSTILE)
async def test_hostile_files_are_refused_and_nothing_is_sent(
    start_proxy: Any,
    fake: Any,
    send: Send,
    build: Callable[[], bytes],
    media_type: str,
    status: int,
    code: str,
) -> None:
    proxy = await start_proxy()
    got_status, got_code, message = await refused(send, proxy, build(), media_type)
    assert (got_status, got_code) == (status, code)
    assert "添付ファイル1" in message
    assert fake.requests == []


async def test_malformed_base64_is_a_422_in_each_api_s_shape(start_proxy: Any, fake: Any) -> None:
    import aiohttp

    proxy = await start_proxy()
    bad = "JVBERi0xLjQK***not base64***"
    bodies = {
        "/v1/chat/completions": {
            "model": "gpt-4o-mini",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "file",
                            "file": {"file_data": f"data:application/pdf;base64,{bad}"},
                        }
                    ],
                }
            ],
        },
        "/v1/messages": {
            "model": "claude-sonnet-4-5",
            "max_tokens": 10,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "document",
                            "source": {"type": "base64", "media_type": PDF, "data": bad},
                        }
                    ],
                }
            ],
        },
    }
    async with aiohttp.ClientSession() as session:
        for path, body in bodies.items():
            async with session.post(proxy.url + path, json=body) as response:
                payload = await response.json()
                assert response.status == 422
                assert response.headers["x-sekimori-reason"] == "attachment_bad_data"
            if path == "/v1/messages":
                assert payload["type"] == "error"
                assert payload["error"]["type"] == "invalid_request_error"
            else:
                assert payload["error"]["code"] == "attachment_bad_data"
            assert "添付ファイル1" in json.dumps(payload, ensure_ascii=False)
    assert fake.requests == []


@pytest.mark.slow
async def test_hostile_files_leave_the_scan_worker_alive(start_proxy: Any, fake: Any) -> None:
    """Through a real worker process: every hostile file is refused there, the worker is
    the same process afterwards, and a normal file is read and forwarded."""
    from proxy.scanning.service import ScanService

    service = ScanService(workers=1, timeout=30)
    await service.start()
    try:
        proxy = await start_proxy(FLATTEN, service=service)
        (pid,) = service.worker_pids()
        for build, media_type, status, code in [
            (samples.zip_bomb_docx, DOCX, 413, "attachment_decompressed_too_large"),
            (lambda: samples.pdf_of_pages(10_000), PDF, 413, "attachment_too_many_pages"),
            (samples.encrypted_pdf, PDF, 422, "attachment_encrypted"),
            (samples.word_memo, XLSX, 422, "attachment_type_mismatch"),
            (lambda: b"\x00\x01garbage" * 100, PDF, 422, "attachment_unsupported"),
        ]:
            got = await refused(via_anthropic, proxy, build(), media_type)
            assert got[:2] == (status, code)
        assert fake.requests == []
        assert service.worker_pids() == [pid] and service.restarts == 0
        await via_chat(proxy, samples.excel_customers(my_number=False), XLSX)
        assert len(fake.requests) == 1
        _no_value_sent(fake)
    finally:
        await service.close()


async def test_metrics_and_audit_count_files_by_kind_never_names(
    start_proxy: Any, fake: Any
) -> None:
    import io

    from prometheus_client import generate_latest

    from proxy.observability.audit import AuditLog

    stream = io.StringIO()
    proxy = await start_proxy(FLATTEN, audit=AuditLog(stream=stream))
    await via_chat(proxy, samples.excel_customers(my_number=False), XLSX)
    await refused(via_chat, proxy, samples.word_memo(), DOCX)
    await refused(via_chat, proxy, samples.encrypted_pdf(), PDF)
    metrics = generate_latest(proxy.state.metrics.registry).decode()
    for line in (
        'sekimori_attachments_total{kind="xlsx",result="scanned"} 1.0',
        'sekimori_attachments_total{kind="xlsx",result="flattened"} 1.0',
        'sekimori_attachments_total{kind="docx",result="scanned"} 1.0',
        'sekimori_attachments_total{kind="docx",result="blocked"} 1.0',
        'sekimori_attachments_total{kind="pdf",result="refused"} 1.0',
        'sekimori_attachment_failures_total{reason="attachment_encrypted"} 1.0',
    ):
        assert line in metrics
    flattened, blocked, encrypted = (json.loads(line) for line in stream.getvalue().splitlines())
    assert flattened["attachments"] == [{"n": 1, "kind": "xlsx", "result": "flattened"}]
    assert flattened["action"] == "mask"
    assert blocked["attachments"] == [{"n": 1, "kind": "docx", "result": "blocked"}]
    assert blocked["reason"] == "attachment_sensitive_data"
    assert encrypted["attachments"] == [
        {"n": 1, "kind": "pdf", "result": "refused", "reason": "attachment_encrypted"}
    ]
    assert "資料" not in stream.getvalue() + metrics


async def test_monitor_mode_forwards_files_unchanged_but_refuses_unreadable_ones(
    start_proxy: Any, fake: Any
) -> None:
    proxy = await start_proxy("version: 1\nmode: monitor\n")
    memo = samples.word_memo()
    await via_responses(proxy, memo, DOCX)
    forwarded = fake.requests[0].json["input"][0]["content"][1]["file_data"].split(",", 1)[1]
    assert base64.b64decode(forwarded) == memo
    status, code, _ = await refused(via_responses, proxy, samples.encrypted_pdf(), PDF)
    assert (status, code, len(fake.requests)) == (422, "attachment_encrypted", 1)


@pytest.mark.skipif(
    not (samples.IPA_GOTHIC.exists() and __import__("shutil").which("tesseract")),
    reason="tesseract or fonts-ipafont-gothic is not installed",
)
async def test_images_read_by_ocr_when_the_policy_says_so(start_proxy: Any, fake: Any) -> None:
    from detectors.attachments import ocr_available

    if not ocr_available():
        pytest.skip("tesseract has no jpn model")
    image = samples.japanese_image((f"マイナンバー {samples.MY_NUMBER}",))
    proxy = await start_proxy("version: 1\nattachments:\n  image: ocr\n")
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key="staff-key", max_retries=0)
    with pytest.raises(anthropic.BadRequestError) as info:
        await client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=16,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {
                                "type": "base64",
                                "media_type": "image/png",
                                "data": b64(image),
                            },
                        }
                    ],
                }
            ],
        )
    assert info.value.response.headers["x-sekimori-reason"] == "attachment_sensitive_data"
    assert "添付ファイル1（画像）" in str(info.value.message)
    assert fake.requests == []
