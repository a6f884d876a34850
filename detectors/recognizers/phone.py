"""PHONE_NUMBER: Japanese phone numbers, validated against the numbering plan.

Mobile 070/080/090 (and 060), IP 050, M2M 020, landlines (area code of 2–5 digits,
10 digits in all: 03-1234-5678, 0467-12-3456, 06(6123)4567), free dial 0120/0800,
navi dial 0570, and +81 international forms. Separators: hyphen (every dash variant
after normalisation), space, brackets or none. ``phonenumbers`` (region JP) decides
whether the digits are a valid number, so dates, ISBNs, order numbers and versions fall
out; a digit run that is part of a longer number never matches.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

import phonenumbers
from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer

# phonenumbers compiles its metadata regexes through re.compile, whose cache (512) the
# rest of the process keeps evicting: keep them (1.5 % of a scan went to recompiling).
phonenumbers.enable_pattern_cache()

# One separator: a dash or a dot (spaces around it allowed: 080 4471 - 2290), a space, or
# a dash at the end of a line (070-\n4421-\n9983: a number broken over lines).
_SEP = r"(?:[ \t]?[\-.・ー－−‐–—][ \t]?|[ \t]|-\r?\n)?"
# Not inside a longer number: no digit, letter, "+" or "-"/"." chain right before or after.
_NOT_BEFORE = r"(?<![0-9A-Za-z+\-.])"
_NOT_AFTER = r"(?![0-9A-Za-z]|[\-.][0-9])"


@lru_cache(maxsize=4096)
def valid_number(digits: str) -> bool:
    """phonenumbers' verdict (region JP unless the digits start with +), cached: parsing
    costs ~0.5 ms and a signature repeats the same numbers in every message."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "JP"))
    except phonenumbers.NumberParseException:
        return False


class JpPhoneRecognizer(JaPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        # 090-1234-5678, 09012345678, 090 1234 5678; 050/020/060/070/080 likewise.
        Pattern(
            "jp_mobile_ip",
            _NOT_BEFORE + r"0[2-9]0" + _SEP + r"[0-9]{4}" + _SEP + r"[0-9]{4}" + _NOT_AFTER,
            0.5,
        ),
        # 0120-123-456, 0800-123-4567, 0570-123-456
        Pattern(
            "jp_free_navi",
            _NOT_BEFORE
            + r"0(?:120|800|570)"
            + _SEP
            + r"[0-9]{2,3}"
            + _SEP
            + r"[0-9]{3,4}"
            + _NOT_AFTER,
            0.5,
        ),
        # Landlines: 10 digits, area code 2-5 digits, hyphens, spaces or brackets.
        Pattern(
            "jp_landline",
            _NOT_BEFORE + r"0[1-9][0-9]{0,3}(?:[ \-]|[ ]?\()[0-9]{1,4}"
            r"(?:[ \-]|\)[ ]?)[0-9]{4}" + _NOT_AFTER,
            0.5,
        ),
        Pattern("jp_landline_plain", _NOT_BEFORE + r"0[1-9][0-9]{8}" + _NOT_AFTER, 0.3),
        # (03)1234-5678, (0467)12-3456: the area code in brackets.
        Pattern(
            "jp_landline_bracketed",
            r"\(0[1-9][0-9]{0,3}\)[ ]?[0-9]{1,4}[ \-.][0-9]{4}" + _NOT_AFTER,
            0.5,
        ),
        # 03.1234.5678, 03・1234・5678
        Pattern(
            "jp_landline_dotted",
            _NOT_BEFORE + r"0[1-9][0-9]{0,3}[.・][0-9]{1,4}[.・][0-9]{4}" + _NOT_AFTER,
            0.5,
        ),
        # +81-90-1234-5678, +81 3 1234 5678, +81(0)3-1234-5678
        Pattern(
            "jp_international",
            r"(?<![0-9A-Za-z])\+81[ \-]?(?:\(0\)[ \-]?)?[1-9][0-9]{0,3}"
            r"[ \-]?[0-9]{1,4}[ \-]?[0-9]{3,4}" + _NOT_AFTER,
            0.6,
        ),
        # Other countries: +44 20 7946 0958, +1 415-555-0132 (phonenumbers decides).
        Pattern(
            "international",
            r"(?<![0-9A-Za-z+])\+(?!81)[1-9][0-9]{0,2}(?:[ \-.]?\(?[0-9]{1,4}\)?){2,5}"
            + _NOT_AFTER,
            0.6,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "電話",
        "電話番号",
        "TEL",
        "Tel",
        "携帯",
        "携帯番号",
        "ケータイ",
        "連絡先",
        "直通",
        "代表",
        "内線",
        "FAX",
        "ファックス",
        "ファクス",
        "Phone",
        "phone",
        "コールセンター",
        "フリーダイヤル",
        "お問い合わせ",
        "問合せ",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "注文番号",
        "受注番号",
        "伝票番号",
        "追跡番号",
        "お問い合わせ番号",
        "請求書番号",
        "ISBN",
        "口座番号",
        "会員番号",
        "シリアル",
        "型番",
        "品番",
        "法人番号",
        "マイナンバー",
        "個人番号",
        "年金番号",
        "基礎年金",
    ]

    # TEL 0299-12-3456 with an unusual area code is still a phone number.
    LABELS = (
        "電話番号",
        "電話",
        "TEL",
        "携帯番号",
        "携帯電話",
        "携帯",
        "FAX",
        "ファックス",
        "直通",
        "Phone",
        "Mobile",
        "Cell",
    )
    LABELLED_VALUE = r"(?<![0-9])\+?[0-9](?:[ \-()]{0,2}[0-9]){8,13}(?![ \-]?[0-9])"
    NEGATIVE_CONTEXT_SPARES = frozenset(
        {
            "jp_mobile_ip",
            "jp_free_navi",
            "jp_landline",
            "jp_landline_bracketed",
            "jp_landline_dotted",
            "jp_international",
            "international",
        }
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(c for c in pattern_text if c.isdigit() or c == "+")
        # A valid number keeps its pattern score: a context word lifts an unseparated
        # 10-digit landline, which is also the shape of many IDs.
        return None if valid_number(digits) else False
