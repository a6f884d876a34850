"""Plain text, CSV, TSV, Markdown and JSON, with the character encoding detected.

Order of trust: a byte-order mark; the declared ``charset`` parameter if the bytes decode
with it; ISO-2022-JP if its escape sequences are there (7-bit JIS is valid ASCII too); UTF-8
if the bytes decode as UTF-8; otherwise charset-normalizer's guess — where it hesitates
between a Japanese encoding and another CJK one (short Shift_JIS text often looks like Korean
CP949 to it), the Japanese one wins, since Japanese CSV exports are usually Shift_JIS (CP932)
or EUC-JP. Bytes that no encoding decodes cleanly are refused (422), never decoded with
replacement characters that could hide a value.

JSON is parsed and read as "key: value" lines (escapes like \\u5c71 decoded; numbers kept, so
a My Number stored as a number is seen). Limits: the character limit.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from charset_normalizer import from_bytes

from detectors.attachments.budget import Budget
from detectors.attachments.types import ExtractionError, Kind, Location, Part, Reason

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
JAPANESE = {
    "cp932": "cp932",
    "shift_jis": "cp932",
    "shift_jis_2004": "cp932",
    "shift_jisx0213": "cp932",
    "euc_jp": "euc_jp",
    "euc_jis_2004": "euc_jis_2004",
    "euc_jisx0213": "euc_jis_2004",
    "iso2022_jp": "iso2022_jp",
    "iso2022_jp_2": "iso2022_jp_2",
    "iso2022_jp_ext": "iso2022_jp_ext",
}
OTHER_CJK = frozenset(
    {"cp949", "euc_kr", "johab", "gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"}
)
ISO2022_ESCAPES = re.compile(rb"\x1b\$[@B]|\x1b\(J")
# How much more "chaos" (charset-normalizer's mess score) a Japanese reading may have and
# still win over another CJK one.
JAPANESE_TOLERANCE = 0.05


def extract_text(data: bytes, kind: Kind, charset: str | None, budget: Budget) -> None:
    text = decode(data, charset)
    where = Location(Part.TEXT)
    if kind is Kind.JSON:
        text = _json_lines(text)
    budget.add(where, text)


def decode(data: bytes, charset: str | None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detect instead
    if ISO2022_ESCAPES.search(data):
        # 7-bit JIS (old mail exports) is also valid ASCII/UTF-8: its escapes decide.
        try:
            return data.decode("iso2022_jp_ext")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _strict(data, _detect(data))


def _detect(data: bytes) -> str:
    matches = list(from_bytes(data))
    if not matches:
        raise ExtractionError(Reason.UNDECODABLE_TEXT)
    best = matches[0]
    if best.encoding in OTHER_CJK:
        for m in matches[1:]:
            if m.encoding in JAPANESE and m.chaos <= best.chaos + JAPANESE_TOLERANCE:
                return JAPANESE[m.encoding]
    encoding: str = best.encoding
    if encoding in JAPANESE:
        # CP932 is the superset Windows writes (①, 髙, NEC/IBM extensions).
        mapped = JAPANESE[encoding]
        try:
            data.decode(mapped)
            return mapped
        except UnicodeDecodeError:
            return encoding
    return encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise ExtractionError(Reason.UNDECODABLE_TEXT) from None


def _json_lines(text: str) -> str:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise ExtractionError(Reason.MALFORMED) from None
    lines: list[str] = []
    stack: list[tuple[str | None, Any]] = [(None, value)]
    while stack:
        key, item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.items())))
            if key is not None:
                lines.append(f"{key}:")
        elif isinstance(item, list):
            stack.extend((key, v) for v in reversed(item))
        elif isinstance(item, bool) or item is None:
            continue
        else:
            lines.append(f"{key}: {item}" if key is not None else str(item))
    return "\n".join(lines)
