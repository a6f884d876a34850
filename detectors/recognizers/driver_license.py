"""運転免許証番号 (driver's licence number): 12 digits, e.g. ``301212345670``.

Layout: public-safety-commission code (2), year of first issue (2), serial (6), check
digit (1), reissue count (1). The commission code narrows the shape, but any 12-digit
number can still look like one, so a keyword (免許証, 免許番号, 公安委員会...) is needed.
The check digit is reverse-engineered, not published: passing it raises the score,
failing it never drops the match.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from detectors.checksums import digits_only, driver_license_check_ok
from detectors.recognizers.base import JaPatternRecognizer
from detectors.recognizers.my_number import OTHER_NUMBER_WORDS

_COMMISSION = r"(?:1[0-4]|2[0-5]|30|4[0-9]|5[0-5]|6[0-5]|7[0-4]|8[0-3]|9[0-7])"

# Added when the unofficial check digit passes; base + bonus stays below 0.5 so a
# keyword is still needed, while a per-entity threshold above 0.5 can tell them apart.
CHECK_DIGIT_BONUS = 0.1


class JpDriverLicenseRecognizer(JaPatternRecognizer):
    """JP_DRIVER_LICENSE: 12 digits with a commission prefix, reported near a keyword."""

    ENTITY = "JP_DRIVER_LICENSE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("driver_license_plain", r"(?<![0-9])" + _COMMISSION + r"[0-9]{10}(?![0-9])", 0.3),
        Pattern(
            "driver_license_grouped",
            r"(?<![0-9])(?<![0-9][ -])" + _COMMISSION + r"[0-9]{2}(?P<sep>[ -])[0-9]{4}(?P=sep)"
            r"[0-9]{4}(?![0-9])(?![ -][0-9])",
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "運転免許",
        "免許証",
        "免許番号",
        "公安委員会",
        "Driver's license",
        "Driver license",
        "Driving licence",
        "マイナ免許証",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = OTHER_NUMBER_WORDS
    # An unknown commission code or a failed check digit does not undo 免許証番号：….
    LABELS = (
        "運転免許証番号",
        "運転免許番号",
        "免許証番号",
        "免許番号",
        "運転免許証",
        "免許証",
        "免許",
        "driver's license",
        "driver's licence",
        "driving licence",
        "licence",
        "license",
    )
    LABELLED_VALUE = r"(?<![0-9])[0-9](?:[ \-]?[0-9]){11}(?![ \-]?[0-9])"

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        for result in results:
            if driver_license_check_ok(digits_only(text[result.start : result.end])):
                result.score = min(self.MAX_SCORE, result.score + CHECK_DIGIT_BONUS)
        return results
