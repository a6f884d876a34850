"""雇用保険被保険者番号 (employment insurance number): 11 digits written 4-6-1
(``1234-567890-1``), on the 雇用保険被保険者証 and the 離職票.

Its check digit is not public, and the employer's 事業所番号 has the same shape, so the
pattern alone stays below the threshold: an employment-insurance keyword near it makes
it a finding, 事業所番号 or a phone word makes it something else.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer


class JpEmploymentInsuranceRecognizer(JaPatternRecognizer):
    """JP_EMPLOYMENT_INSURANCE: 4-6-1 digits next to a 雇用保険 keyword."""

    ENTITY = "JP_EMPLOYMENT_INSURANCE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "employment_insurance_number",
            r"(?<![0-9])(?<![0-9][ -])[0-9]{4}[ -]?[0-9]{6}[ -]?[0-9](?![0-9])(?![ -][0-9])",
            0.25,
        ),
    ]
    CONTEXT_BOOST = 0.4
    CONTEXT: ClassVar[list[str]] = [
        "雇用保険",
        "被保険者番号",
        "被保険者証",
        "離職票",
        "ハローワーク",
        "資格取得届",
        "資格喪失届",
        "失業保険",
        "基本手当",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "事業所番号",
        "労働保険番号",
        "電話",
        "TEL",
        "携帯",
        "FAX",
        "注文番号",
        "会員番号",
        "法人番号",
    ]
    CONTEXT_WINDOW: ClassVar[int] = 24
