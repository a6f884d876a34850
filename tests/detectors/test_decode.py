"""Encoded values are decoded and scanned again (threats.md C10-C12)."""

from __future__ import annotations

import base64

import pytest

from detectors.decode import MAX_DECODED_CHARS, views
from detectors.engine import Scanner
from detectors.settings import DetectionSettings
from detectors.types import ScanLimitError

MY_NUMBER = "615237485127"
SECRET_LINE = f"マイナンバーは{MY_NUMBER}です"
EMAIL = "taro.yamada@example.co.jp"


def b64(text: str, alphabet: str = "std") -> str:
    raw = text.encode("utf-8")
    return (base64.urlsafe_b64encode(raw) if alphabet == "url" else base64.b64encode(raw)).decode()


def found(scanner: Scanner, text: str) -> set[tuple[str, str]]:
    return {(f.entity_type, text[f.start : f.end]) for f in scanner.scan(text, DetectionSettings())}


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: b64(s),
        lambda s: b64(s, "url"),
        lambda s: b64(b64(s)),  # double
        lambda s: "\n".join(b64(s)[i : i + 16] for i in range(0, len(b64(s)), 16)),  # wrapped
    ],
)
def test_base64_blob_is_reported_whole(scanner: Scanner, encode) -> None:
    blob = encode(SECRET_LINE)
    text = f"次のデータを復号して: {blob} お願いします"
    assert ("JP_MY_NUMBER", blob) in found(scanner, text)


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode().hex(),
        lambda s: ":".join(f"{b:02x}" for b in s.encode()),
        lambda s: "".join(f"\\x{b:02x}" for b in s.encode()),
        lambda s: ", ".join(f"0x{b:02x}" for b in s.encode()),
    ],
)
def test_hex_blob_is_reported_whole(scanner: Scanner, encode) -> None:
    blob = encode(EMAIL)
    text = f"hex: {blob}"
    assert ("EMAIL_ADDRESS", blob) in found(scanner, text)


def test_url_escapes_map_back_to_the_escaped_characters(scanner: Scanner) -> None:
    text = "連絡先は taro.yamada%40example.co.jp です"
    assert ("EMAIL_ADDRESS", "taro.yamada%40example.co.jp") in found(scanner, text)


def test_html_entities_map_back(scanner: Scanner) -> None:
    digits = "".join(f"&#{ord(c)};" for c in MY_NUMBER)
    text = f"マイナンバー {digits}"
    assert ("JP_MY_NUMBER", digits) in found(scanner, text)


def test_json_string_escapes_map_back(scanner: Scanner) -> None:
    name = (
        "".join(f"\\u{ord(c):04x}" for c in "松本")
        + " "
        + "".join(f"\\u{ord(c):04x}" for c in "由紀")
    )
    text = '{"user":{"name":"' + name + '","memo":"配達先\\n090-6620-1483"}}'
    got = found(scanner, text)
    assert ("PERSON", name) in got
    assert ("PHONE_NUMBER", "090-6620-1483") in got


def test_surrogate_pairs_decode(scanner: Scanner) -> None:
    text = '{"name": "\\ud842\\udfb7\\u7530 \\u592a\\u90ce"}'  # 𠮷田 太郎
    assert any(entity == "PERSON" for entity, _value in found(scanner, text))


def test_one_digit_per_line(scanner: Scanner) -> None:
    stacked = "\n".join(MY_NUMBER)
    text = f"マイナンバー\n{stacked}\nです"
    hits = [f for f in scanner.scan(text, DetectionSettings()) if f.entity_type == "JP_MY_NUMBER"]
    assert hits and text[hits[0].start : hits[0].end].replace("\n", "") == MY_NUMBER


@pytest.mark.parametrize(
    "text",
    [
        "SHA-256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d08a0a15c1f53",
        "ID 550e8400-e29b-41d4-a716-446655440000 のレコード",
        "パス /usr/local/lib/python3.11/site-packages を確認",
        "AbstractSingletonProxyFactoryBean と ThisIsAVeryLongIdentifier の違い",
        "比率は 50% 増、A&B 社の案件",
        "手順\n1\n2\n3\n4\n5\n6\nで進めます",
    ],
)
def test_ordinary_text_has_nothing_decoded_into_findings(scanner: Scanner, text: str) -> None:
    assert found(scanner, text) == set()


def test_harmless_base64_decodes_to_nothing(scanner: Scanner) -> None:
    blob = b64("これは普通の議事録です。来週の会議は三階で行います。")
    assert [v.kind for v in views(f"data: {blob}")] == ["base64"]
    assert found(scanner, f"data: {blob}") == set()


def test_too_much_encoded_text_fails_closed() -> None:
    blob = b64("あ" * (MAX_DECODED_CHARS + 3000))
    chunks = " ".join(blob[i : i + 4000] for i in range(0, len(blob), 4000))
    with pytest.raises(ScanLimitError):
        views(chunks + " " + b64("x" * 10))


def test_base64_after_an_equals_sign(scanner: Scanner) -> None:
    blob = b64(SECRET_LINE)
    assert ("JP_MY_NUMBER", blob) in found(scanner, f"payload={blob}&x=1")


def test_encoded_findings_reach_the_proxy_decision(scanner: Scanner) -> None:
    # The finding carries the decoded entity type, so the policy blocks or masks it
    # exactly as it would the plain value.
    text = f"値: {b64(SECRET_LINE)}"
    (hit,) = [f for f in scanner.scan(text, DetectionSettings()) if f.entity_type == "JP_MY_NUMBER"]
    assert hit.recognizer.endswith("<base64>")


@pytest.mark.parametrize(
    "text, value",
    [
        ("連絡先 tаro.yаmada@exаmple.co.jp まで", "tаro.yаmada@exаmple.co.jp"),  # Cyrillic а
        ("mail: sοgο@example.jp", "sοgο@example.jp"),  # Greek ο
    ],
)
def test_lookalike_letters_do_not_hide_an_email(scanner: Scanner, text: str, value: str) -> None:
    assert ("EMAIL_ADDRESS", value) in found(scanner, text)
