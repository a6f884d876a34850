"""住民票コード (resident record code): 11 digits on the 住民票. Private businesses may
not collect or use it (住民基本台帳法 30条の42), so it is reported only next to its own
name: 11 bare digits are far more often a mobile number or an order number.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer


class JpResidentCodeRecognizer(JaPatternRecognizer):
    """JP_RESIDENT_CODE: 11 digits named 住民票コード."""

    ENTITY = "JP_RESIDENT_CODE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("resident_code", r"(?<![0-9])(?<![0-9][ -])[0-9]{11}(?![0-9])(?![ -][0-9])", 0.15),
    ]
    CONTEXT_BOOST = 0.45
    CONTEXT: ClassVar[list[str]] = ["住民票コード", "住民票のコード", "住基コード"]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = ["電話", "TEL", "携帯", "FAX", "注文番号", "会員番号"]
    CONTEXT_WINDOW: ClassVar[int] = 20
