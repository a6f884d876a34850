"""Inline files in each API shape: found in document order with their declared type and
strictly decoded bytes; references stay non-text content; a file part is replaced whole.
And the policy's ``attachments:`` section: defaults, team layers, errors with their line."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from proxy.errors import AttachmentDataError
from proxy.policy import PolicyError, default_policy, parse_policy
from proxy.relay.shapes import shape_for
from proxy.relay.shapes.files import decode_data_url

CHAT, RESPONSES, MESSAGES = "/v1/chat/completions", "/v1/responses", "/v1/messages"
DATA = "予算の見直し".encode()
B64 = base64.b64encode(DATA).decode()


def body(route: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    if route == RESPONSES:
        return {"model": "m", "input": [{"role": "user", "content": parts}]}
    return {"model": "m", "messages": [{"role": "user", "content": parts}]}


def shape(route: str) -> Any:
    found = shape_for("POST", route)
    assert found is not None
    return found


INLINE = [
    (CHAT, {"type": "file", "file": {"file_data": f"data:text/plain;base64,{B64}"}}, "text/plain"),
    (CHAT, {"type": "file", "file": {"file_data": B64, "filename": "a.txt"}}, None),
    (
        CHAT,
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{B64}"}},
        "image/png",
    ),
    (RESPONSES, {"type": "input_file", "file_data": f"data:text/csv;base64,{B64}"}, "text/csv"),
    (
        RESPONSES,
        {"type": "input_image", "image_url": f"data:image/jpeg;base64,{B64}"},
        "image/jpeg",
    ),
    (
        MESSAGES,
        {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": B64},
        },
        "application/pdf",
    ),
    (
        MESSAGES,
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": B64}},
        "image/png",
    ),
]


@pytest.mark.parametrize(("route", "part", "media_type"), INLINE)
def test_inline_files_are_attachments_not_non_text(
    route: str, part: dict[str, Any], media_type: str | None
) -> None:
    request = body(route, [{"type": "text", "text": "x"}, part])
    [found] = shape(route).file_parts(request)
    assert (found.number, found.media_type, found.data) == (1, media_type, DATA)
    assert shape(route).non_text_parts(request) == []
    assert B64 not in [s.text for s in shape(route).segments(request)]


REFERENCES = [
    (CHAT, {"type": "file", "file": {"file_id": "file-1"}}, ["file"]),
    (CHAT, {"type": "image_url", "image_url": {"url": "https://x.example/a.png"}}, ["image"]),
    (RESPONSES, {"type": "input_file", "file_id": "file-1"}, ["file"]),
    (RESPONSES, {"type": "input_file", "file_url": "https://x.example/a.pdf"}, ["file"]),
    (RESPONSES, {"type": "input_image", "image_url": "https://x.example/a.png"}, ["image"]),
    (MESSAGES, {"type": "document", "source": {"type": "url", "url": "https://x/a.pdf"}}, ["file"]),
    (MESSAGES, {"type": "document", "source": {"type": "file", "file_id": "f"}}, ["file"]),
    (MESSAGES, {"type": "image", "source": {"type": "url", "url": "https://x/a.png"}}, ["image"]),
]


@pytest.mark.parametrize(("route", "part", "kinds"), REFERENCES)
def test_files_by_reference_stay_non_text(
    route: str, part: dict[str, Any], kinds: list[str]
) -> None:
    request = body(route, [part])
    assert shape(route).file_parts(request) == []
    assert shape(route).non_text_parts(request) == kinds


def test_completions_and_embeddings_take_no_files() -> None:
    route = "/v1/completions"
    assert shape(route).file_parts({"model": "m", "prompt": "x"}) == []


@pytest.mark.parametrize(
    "payload",
    [
        "data:application/pdf;base64,@@@@",  # not the base64 alphabet
        "data:application/pdf;base64,QUJD\nREVG",  # whitespace inside
        "data:application/pdf;base64,QUJ",  # bad padding
        "data:application/pdf;base64,",  # empty
        "data:text/plain,%E4%BA%88",  # percent-encoded, not base64
        "data:application/pdf;base64",  # no comma
    ],
)
def test_malformed_payloads_are_refused(payload: str) -> None:
    request = body(CHAT, [{"type": "file", "file": {"file_data": payload}}])
    with pytest.raises(AttachmentDataError) as info:
        shape(CHAT).file_parts(request)
    assert (info.value.status, info.value.code) == (422, "attachment_bad_data")
    assert "添付ファイル1" in info.value.message_ja


def test_data_url_keeps_its_parameters() -> None:
    assert decode_data_url("data:text/csv;charset=shift_jis;base64,QUJD") == (
        "QUJD",
        "text/csv;charset=shift_jis",
    )
    assert decode_data_url("https://x") is None


def test_files_are_numbered_across_the_conversation_and_replaced_whole() -> None:
    part = {"type": "file", "file": {"file_data": f"data:text/plain;base64,{B64}"}}
    request = {
        "model": "m",
        "messages": [
            {"role": "user", "content": [part]},
            {"role": "assistant", "content": "はい"},
            {"role": "user", "content": [{"type": "text", "text": "次"}, part]},
        ],
    }
    chat = shape(CHAT)
    first, second = chat.file_parts(request)
    assert (first.number, first.path) == (1, ("messages", 0, "content", 0))
    assert (second.number, second.path) == (2, ("messages", 2, "content", 1))
    out = chat.replace_parts(request, {second.path: chat.text_part("伏せ字の本文")})
    assert out["messages"][2]["content"][1] == {"type": "text", "text": "伏せ字の本文"}
    assert out["messages"][0]["content"][0] == part and request["messages"][2]["content"][1] == part


def test_text_parts_per_api() -> None:
    assert shape(RESPONSES).text_part("t") == {"type": "input_text", "text": "t"}
    assert shape(MESSAGES).text_part("t") == {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": "t"},
    }


# -- policy ------------------------------------------------------------------------------------
def test_attachment_defaults() -> None:
    rules = default_policy().attachments_for(None)
    assert dict(rules.actions) == {
        "pdf": "scan",
        "docx": "scan",
        "xlsx": "scan",
        "pptx": "scan",
        "text": "scan",
        "image": "block",
    }
    assert rules.on_mask == "block"


def test_a_team_overrides_kind_by_kind() -> None:
    policy = parse_policy(
        "version: 1\n"
        "attachments:\n  xlsx: block\n  on_mask: flatten\n"
        "teams:\n  sales:\n    attachments:\n      image: ocr\n      on_mask: block\n"
        "  hr: {}\n",
        "p.yaml",
    )
    sales, hr = policy.attachments_for("sales"), policy.attachments_for("hr")
    assert (sales.actions["image"], sales.actions["xlsx"], sales.on_mask) == (
        "ocr",
        "block",
        "block",
    )
    assert (hr.actions["image"], hr.actions["xlsx"], hr.on_mask) == ("block", "block", "flatten")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("version: 1\nattachments:\n  image: scan\n", "p.yaml:3:3: attachments.image"),
        ("version: 1\nattachments:\n  pdf: ocr\n", "p.yaml:3:3: attachments.pdf"),
        ("version: 1\nattachments:\n  on_mask: mask\n", "p.yaml:3:3: attachments.on_mask"),
        ("version: 1\nattachments:\n  zip: scan\n", "p.yaml:3:3: attachments.zip"),
        (
            "version: 1\nattachments:\n  limits:\n    max_pages: 0\n",
            "p.yaml:4:5: attachments.limits.max_pages",
        ),
    ],
)
def test_attachment_policy_errors_name_the_line(text: str, where: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    assert where in str(info.value)
