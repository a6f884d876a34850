"""Tests for proxy.relay.body: strict UTF-8 JSON parsing with our own 400/413/415 answers."""

from __future__ import annotations

import time

import pytest

from proxy.errors import BadRequest, PayloadTooLarge, ProxyError, UnsupportedMediaType
from proxy.relay.body import parse_json_body

CANARY = "4111111111111111"


def nested(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    # Wrapped in an object so only the depth rule, not the top-level rule, can fail.
    inner = opener * (depth - 1) + closer * (depth - 1)
    return ('{"a":' + inner + "}").encode() if depth > 1 else b"{}"


ACCEPTED = [
    pytest.param(b'{"a": 1}', {"a": 1}, id="simple"),
    pytest.param(b' \n{"a": "x"}\n ', {"a": "x"}, id="surrounding-whitespace"),
    pytest.param('{"名前": "山田"}'.encode(), {"名前": "山田"}, id="utf8-japanese"),
    pytest.param(b'{"a": "\\u0034\\u0031"}', {"a": "41"}, id="unicode-escapes-decoded"),
    pytest.param(b'{"a": "\\ud83d\\ude00"}', {"a": "\U0001f600"}, id="valid-surrogate-pair"),
    pytest.param(b'{"a": "[[[[{{{{"}', {"a": "[[[[{{{{"}, id="brackets-in-string-not-depth"),
    pytest.param(b'{"a": "\\"[[[["}', {"a": '"[[[['}, id="escaped-quote-then-brackets"),
    pytest.param(b'{"n": ' + b"9" * 4300 + b"}", {"n": int("9" * 4300)}, id="int-4300-digits"),
    pytest.param(b'{"f": 1.5e300, "z": -0.0}', {"f": 1.5e300, "z": -0.0}, id="finite-floats"),
    pytest.param(nested(64), None, id="depth-64-allowed"),
    pytest.param(b'{"b": 1, "a": 2}', {"b": 1, "a": 2}, id="key-order"),
]


@pytest.mark.parametrize(("raw", "expected"), ACCEPTED)
def test_accepted(raw: bytes, expected: object) -> None:
    value = parse_json_body(raw)
    assert isinstance(value, dict)
    if expected is not None:
        assert value == expected
        assert list(value) == list(expected)  # type: ignore[call-overload]


REJECTED = [
    # (raw, status, code)
    pytest.param(b"", 400, "invalid_json", id="empty"),
    pytest.param(b"{", 400, "invalid_json", id="truncated"),
    pytest.param(b'{"a": "' + CANARY.encode() + b'"', 400, "invalid_json", id="truncated-canary"),
    pytest.param(b"{'a': 1}", 400, "invalid_json", id="single-quotes"),
    pytest.param(b'{"a": 1,}', 400, "invalid_json", id="trailing-comma"),
    pytest.param(b'{"a": "x\x01y"}', 400, "invalid_json", id="raw-control-char"),
    pytest.param(b'{"a": 1} {"b": 2}', 400, "invalid_json", id="two-documents"),
    pytest.param(b"[1, 2]", 400, "invalid_json", id="top-level-array"),
    pytest.param(b'"text"', 400, "invalid_json", id="top-level-string"),
    pytest.param(b"null", 400, "invalid_json", id="top-level-null"),
    pytest.param(b"\xef\xbb\xbf{}", 400, "invalid_encoding", id="utf8-bom-rejected"),
    pytest.param(b'{"a": "\xff"}', 400, "invalid_encoding", id="invalid-utf8"),
    pytest.param(b'{"a": "\xed\xa0\x80"}', 400, "invalid_encoding", id="utf8-encoded-surrogate"),
    pytest.param('{"a": 1}'.encode("utf-16"), 415, "unsupported_media", id="utf16-bom"),
    pytest.param('{"a": 1}'.encode("utf-16-le"), 415, "unsupported_media", id="utf16le-no-bom"),
    pytest.param('{"a": 1}'.encode("utf-16-be"), 415, "unsupported_media", id="utf16be-no-bom"),
    pytest.param('{"a": 1}'.encode("utf-32"), 415, "unsupported_media", id="utf32-bom"),
    pytest.param('{"a": 1}'.encode("utf-32-be"), 415, "unsupported_media", id="utf32be-no-bom"),
    pytest.param(b'{"messages": [1], "messages": [2]}', 400, "duplicate_key", id="dup-top"),
    pytest.param(b'{"a": {"b": 1, "b": 1}}', 400, "duplicate_key", id="dup-nested-same-value"),
    pytest.param(b'{"a": [{"x": 1}, {"y": 1, "y": 2}]}', 400, "duplicate_key", id="dup-in-list"),
    pytest.param(b'{"a": 1, "\\u0061": 2}', 400, "duplicate_key", id="dup-via-escape"),
    pytest.param(b'{"a": NaN}', 400, "invalid_number", id="nan"),
    pytest.param(b'{"a": Infinity}', 400, "invalid_number", id="infinity"),
    pytest.param(b'{"a": -Infinity}', 400, "invalid_number", id="minus-infinity"),
    pytest.param(b'{"a": 1e999}', 400, "invalid_number", id="float-overflow"),
    pytest.param(b'{"a": ' + b"4" * 5000 + b"}", 400, "invalid_number", id="int-5000-digits"),
    pytest.param(b'{"a": -' + b"4" * 5000 + b"}", 400, "invalid_number", id="neg-int-5000"),
    pytest.param(b'{"a": ' + b"9" * 4301 + b"}", 400, "invalid_number", id="int-4301-digits"),
    pytest.param(b'{"a": "\\ud800"}', 400, "invalid_json", id="lone-high-surrogate"),
    pytest.param(b'{"a": "x\\udc00y"}', 400, "invalid_json", id="lone-low-surrogate"),
    pytest.param(b'{"\\ud800": 1}', 400, "invalid_json", id="lone-surrogate-key"),
    pytest.param(b'{"a": ["ok", ["\\ud800"]]}', 400, "invalid_json", id="lone-surrogate-in-list"),
    pytest.param(nested(65), 400, "too_deep", id="depth-65"),
    pytest.param(b'{"a":' + b'{"k":' * 70 + b"1" + b"}" * 71, 400, "too_deep", id="deep-objects"),
]


@pytest.mark.parametrize(("raw", "status", "code"), REJECTED)
def test_rejected(raw: bytes, status: int, code: str) -> None:
    with pytest.raises(ProxyError) as info:
        parse_json_body(raw)
    assert (info.value.status, info.value.code) == (status, code)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"\xef\xbb\xbf{}", BadRequest),
        ('{"a": 1}'.encode("utf-16"), UnsupportedMediaType),
        (b'{"a": 1, "a": 2}', BadRequest),
    ],
)
def test_exception_classes(raw: bytes, kind: type[ProxyError]) -> None:
    with pytest.raises(kind):
        parse_json_body(raw)


def test_100k_deep_nesting_is_fast_400() -> None:
    raw = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    started = time.perf_counter()
    with pytest.raises(BadRequest) as info:
        parse_json_body(raw)
    assert info.value.code == "too_deep"
    assert time.perf_counter() - started < 2.0


def test_100k_deep_unclosed_is_400() -> None:
    with pytest.raises(BadRequest) as info:
        parse_json_body(b"[" * 100_000)
    assert info.value.code == "too_deep"


def test_custom_max_depth() -> None:
    assert parse_json_body(nested(5), max_depth=5)
    with pytest.raises(BadRequest):
        parse_json_body(nested(6), max_depth=5)


def test_max_bytes_is_413() -> None:
    with pytest.raises(PayloadTooLarge) as info:
        parse_json_body(b'{"a": "' + b"x" * 100 + b'"}', max_bytes=50)
    assert (info.value.status, info.value.code) == (413, "body_too_large")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "' + CANARY.encode() + b'"',
        b'{"' + CANARY.encode() + b'": 1, "' + CANARY.encode() + b'": 2}',
        b'{"' + CANARY.encode() + b'": NaN}',
        b'{"' + CANARY.encode() + b'": "\\ud800"}',
        b'["' + CANARY.encode() + b'"]',
    ],
)
def test_errors_never_carry_the_body(raw: bytes) -> None:
    with pytest.raises(ProxyError) as info:
        parse_json_body(raw)
    error = info.value
    for text in (
        str(error),
        repr(error),
        error.message_ja,
        error.message_en,
        *map(str, error.args),
    ):
        assert CANARY not in text
    # JSONDecodeError keeps the whole document: it must not ride along as the cause.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
