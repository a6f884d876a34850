"""Strict JSON parsing of request bodies: one reading of the bytes, the same one we scan.

Rules, all answered with our own 400/413/415 (never a 500, never the body in the message):

- UTF-8 only. A UTF-8 BOM is rejected (RFC 8259 forbids sending one, and parsers
  disagree on it); UTF-16/32 (BOM or NUL bytes at the start) is 415; invalid UTF-8 is 400.
- Duplicate keys anywhere are rejected: Python keeps the last one, other parsers the first,
  so we would scan one value and the upstream might read the other.
- NaN, Infinity, -Infinity and floats that overflow to infinity are rejected; integers
  longer than 4,300 digits (CPython's conversion limit) are rejected.
- Lone surrogates written as ``\\ud800`` escapes are rejected: they cannot be encoded back.
- Nesting deeper than ``max_depth`` is rejected by a non-recursive pre-scan, so a
  100,000-deep ``[[[[`` costs one linear pass and no recursion.
- More than ``MAX_CONTAINERS`` objects and arrays, or ``MAX_SEPARATORS`` commas, is 413,
  found by the same pre-scan before anything is built: parsing, walking and re-serialising
  run on the event loop, and a 16 MiB body of tiny objects froze it for seconds.
- The top level must be an object.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from proxy.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

DEFAULT_MAX_DEPTH = 64
# Real bodies (a long conversation with tool calls and schemas) hold a few thousand
# objects; these bounds keep the pre-scan and the parse of a hostile body under ~0.2 s.
MAX_CONTAINERS = 50_000
MAX_SEPARATORS = 200_000
# CPython's default int/str conversion limit (sys.int_info.default_max_str_digits).
MAX_INT_DIGITS = 4300

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# A string literal (escape-aware) or one bracket; everything else cannot change depth.
_DEPTH_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad(code: str, ja: str, en: str) -> NoReturn:
    raise BadRequest(code, ja, en)


def _too_many() -> NoReturn:
    raise PayloadTooLarge(
        "too_many_values",
        "本文に含まれる値（オブジェクト・配列・要素）の数が多すぎます。",
        "The body holds too many JSON values (objects, arrays, elements).",
    )


def _check_depth(text: str, max_depth: int) -> None:
    depth = containers = separators = 0
    for match in _DEPTH_TOKEN.finditer(text):
        token = match.group()
        if token == ",":
            separators += 1
            if separators > MAX_SEPARATORS:
                _too_many()
        elif token in "[{":
            depth += 1
            containers += 1
            if depth > max_depth:
                _bad("too_deep", "JSON の入れ子が深すぎます。", "JSON nesting is too deep.")
            if containers > MAX_CONTAINERS:
                _too_many()
        elif token in "]}":
            depth -= 1


def _check_string(value: str) -> None:
    if _SURROGATE.search(value) is not None:
        _bad(
            "invalid_json",
            "JSON に不正なサロゲート文字が含まれています。",
            "JSON contains a lone surrogate escape.",
        )


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            _bad(
                "duplicate_key", "JSON のキーが重複しています。", "JSON object has a duplicate key."
            )
        _check_string(key)
        if isinstance(value, str):
            _check_string(value)
        result[key] = value
    return result


def _parse_int(text: str) -> int:
    digits = len(text) - (1 if text.startswith("-") else 0)
    if digits > MAX_INT_DIGITS:
        _bad("invalid_number", "JSON の整数が長すぎます。", "JSON integer has too many digits.")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _bad("invalid_number", "JSON の数値が範囲外です。", "JSON number is out of range.")
    return value


def _parse_constant(_name: str) -> NoReturn:
    _bad(
        "invalid_number",
        "JSON に NaN や Infinity は使えません。",
        "NaN and Infinity are not valid JSON.",
    )


def _check_list_strings(value: Any) -> None:
    # Object members are checked in the pairs hook; strings directly inside arrays
    # (and a bare top-level string) are not, so sweep those without recursion.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            for element in item:
                if isinstance(element, str):
                    _check_string(element)
                elif isinstance(element, (list, dict)):
                    stack.append(element)
        elif isinstance(item, dict):
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
        elif isinstance(item, str):
            _check_string(item)


def loads_strict(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse JSON text with every rule of this module except the top-level-object one."""
    _check_depth(text, max_depth)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_pairs,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except BadRequest:
        raise
    except RecursionError:
        # Unreachable after the depth pre-scan unless max_depth is set very high.
        raise BadRequest(
            "too_deep", "JSON の入れ子が深すぎます。", "JSON nesting is too deep."
        ) from None
    except ValueError:
        # JSONDecodeError keeps the whole document in .doc: drop the chain so it is never logged.
        raise BadRequest(
            "invalid_json", "JSON として読み取れません。", "Body is not valid JSON."
        ) from None
    _check_list_strings(value)
    return value


def parse_json_body(
    raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH, max_bytes: int | None = None
) -> Any:
    """Decode a request body under the rules above; the result is always a ``dict``."""
    if max_bytes is not None and len(raw) > max_bytes:
        raise PayloadTooLarge(
            "body_too_large", "リクエスト本文が大きすぎます。", "Request body is too large."
        )
    if raw.startswith(_UTF16_32_BOMS) or b"\x00" in raw[:4]:
        raise UnsupportedMediaType(
            "unsupported_media",
            "JSON は UTF-8 で送ってください。",
            "JSON must be encoded as UTF-8.",
        )
    if raw.startswith(_UTF8_BOM):
        _bad(
            "invalid_encoding",
            "UTF-8 の BOM 付きの本文は受け付けません。",
            "A UTF-8 byte order mark is not accepted.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            "invalid_encoding", "本文が正しい UTF-8 ではありません。", "Body is not valid UTF-8."
        ) from None
    value = loads_strict(text, max_depth=max_depth)
    if not isinstance(value, dict):
        _bad(
            "invalid_json",
            "JSON の最上位はオブジェクトにしてください。",
            "The top level of the JSON body must be an object.",
        )
    return value
