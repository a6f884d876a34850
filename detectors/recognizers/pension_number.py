"""基礎年金番号 (basic pension number): 10 digits written 4-6 (``1234-567890``).

No public check digit, and ten digits are also a Japanese landline number or any
internal ID, so the base score is far below the threshold: only a pension keyword
(基礎年金番号, 年金手帳...) makes it a finding. Phone words near it mean a phone number.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer


class JpPensionNumberRecognizer(JaPatternRecognizer):
    """JP_PENSION_NUMBER: 4-6 (or 10 plain) digits, reported only next to a keyword."""

    ENTITY = "JP_PENSION_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "pension_number",
            r"(?<![0-9])(?<![0-9][ -])[0-9]{4}(?: ?[\-ー－−‐–—] ?| )?[0-9]{6}(?![0-9])(?![ -][0-9])",
            0.15,
        ),
    ]
    # 0.15 + 0.4 clears the 0.5 threshold; without a keyword nothing does.
    CONTEXT_BOOST = 0.4
    TABLE_LABELS = ("年金番号", "基礎年金番号", "pension")
    # Under its header or right after its label a number one digit short (4402-11893) is
    # still that person's pension number, with a digit lost in copying; eleven digits are
    # a mobile number's length, not a pension number's.
    TABLE_VALUE = r"[0-9]{4}[ -]?[0-9]{5,6}"
    LABELS = ("基礎年金番号", "年金番号", "Pension No", "Pension number", "pension no")
    LABELLED_VALUE = r"(?<![0-9])[0-9]{4}(?: ?[\-ー－−‐–—] ?| )?[0-9]{5,6}(?![0-9])"
    CONTEXT: ClassVar[list[str]] = [
        "基礎年金番号",
        "年金番号",
        "年金手帳",
        "基礎年金",
        "ねんきん定期便",
        "年金事務所",
        "ねんきんネット",
        "年金加入",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "電話",
        "TEL:",
        "TEL.",
        "FAX",
        "携帯",
        "内線",
        "ファックス",
        "注文番号",
        "会員番号",
        "伝票番号",
    ]
