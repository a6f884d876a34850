"""法人番号 (corporate number, 13 digits, the FIRST a mod-9 check digit) and the
インボイス登録番号 (``T`` + 13 digits) built on it.

法人番号 are public (the NTA publishes them), but they still tell who a customer or
partner is. A bare 13-digit run is also a JAN/EAN-13 code one time in ten, so it needs
a keyword; the ``T`` form is distinctive and reports on its own when the check passes.
For a sole proprietor the 13 digits after ``T`` are not a 法人番号 and may not follow
the same check, so a failed check keeps the ``T`` form at a keyword-only score.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.checksums import corporate_number_ok, digits_only
from detectors.recognizers.base import JaPatternRecognizer


class JpCorporateNumberRecognizer(JaPatternRecognizer):
    """JP_CORPORATE_NUMBER: 13 digits (optionally 1-4-4-4) or T + 13 digits."""

    ENTITY = "JP_CORPORATE_NUMBER"
    CASE_SENSITIVE = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "corporate_number",
            r"(?<![0-9A-Za-z])(?<![0-9][ -])[1-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}"
            r"(?P=sep)[0-9]{4}(?![0-9])(?![ -][0-9])",
            0.3,
        ),
        Pattern(
            "invoice_registration_number",
            r"(?<![0-9A-Za-z])[Tt] ?-?[1-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}"
            r"(?![0-9])",
            0.4,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "法人番号",
        "会社法人等番号",
        "Corporate Number",
        "登録番号",
        "適格請求書",
        "インボイス",
        "invoice",
        "事業者番号",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "JANコード",
        "JAN:",
        "EANコード",
        "EAN-13",
        "ISBN",
        "バーコード",
        "商品コード",
        "注文番号",
        "伝票番号",
        "追跡番号",
        "会員番号",
        "電話",
        "TEL:",
        "TEL.",
    ]

    def validate_result(self, pattern_text: str) -> bool | None:
        valid = corporate_number_ok(digits_only(pattern_text))
        if pattern_text[:1] in "Tt":
            return True if valid else None
        return None if valid else False
