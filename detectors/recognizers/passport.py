"""旅券番号 (Japanese passport number): two capital letters and seven digits (TK1234567).

The printed number has no check digit and part numbers, booking codes and SKUs share
the shape (AB1234567), so a plain match needs a keyword such as 旅券 or パスポート.
A pasted MRZ line (the second line of a TD3 passport: number, check digit, nationality,
birth date, sex, expiry) carries ICAO 9303 check digits and is reported on its own;
its whole span is reported because it also encodes the birth date.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.checksums import icao_field_ok
from detectors.recognizers.base import JaPatternRecognizer

# Offsets inside the TD3 second line: document number + check, birth date + check, and
# expiry + check (ICAO 9303 part 4).
_MRZ_FIELDS = ((0, 10), (13, 20), (21, 28))


class JpPassportRecognizer(JaPatternRecognizer):
    """JP_PASSPORT: AA1234567 near a keyword, or a TD3 MRZ line whose check digits pass."""

    ENTITY = "JP_PASSPORT"
    # Lower-case "ab1234567" is not a passport number; Presidio's default would match it.
    CASE_SENSITIVE = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("passport_number", r"(?<![0-9A-Za-z])[A-Z]{2}[ -]?[0-9]{7}(?![0-9A-Za-z])", 0.3),
        Pattern(
            "passport_mrz_line2",
            r"(?<![0-9A-Z<])[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9]{6}[0-9][MFX<][0-9]{6}[0-9]",
            0.3,
        ),
    ]
    # A TD3 line holds the birth date, its check digit, the sex and the expiry in a row.
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "passport_mrz_line2": r"[0-9]{7}[MFX<][0-9]{7}",
    }
    # 旅券番号 C2098815, passport (No. C7734192): foreign passports have one letter and
    # seven or eight digits (Japanese ones two letters and seven); after the label the
    # shape is enough.
    LABELS = (
        "旅券番号",
        "旅券",
        "パスポート番号",
        "パスポート",
        "Passport No",
        "passport no",
        "Passport number",
        "passport number",
        "Passport",
        "passport",
    )
    # (and other countries' numbers after the label: 533819047 in the UK, 75 4418201 in Russia)
    LABELLED_VALUE = (
        r"(?:[A-Z]{2}[ -]?[0-9]{7}|[A-Z][0-9]{7,8}|(?<![0-9])[0-9]{8,9}|(?<![0-9])[0-9]{2} [0-9]{7}"
        # C4KJ7R2M9, 18AV42197: nine letters and digits, both in it
        r"|(?<![0-9A-Z])(?=[A-Z0-9]{0,8}[0-9])(?=[A-Z0-9]{0,8}[A-Z])[A-Z0-9]{9})"
        r"(?![0-9A-Za-z])"
    )
    LABELLED_SCORE = 0.6
    TABLE_LABELS = ("旅券番号", "旅券", "パスポート", "passport")
    TABLE_VALUE = r"[A-Z]{1,2}[0-9]{7,8}|[A-Z0-9]{8,9}"
    CONTEXT: ClassVar[list[str]] = [
        "旅券",
        "パスポート",
        "Passport",
        "旅券番号",
        "出入国",
        "渡航",
    ]
    # A chat answer (すみません、TZ… です) stands a line away from the question's パスポート番号.
    CONTEXT_WINDOW: ClassVar[int] = 40
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "品番",
        "型番",
        "SKU",
        "商品コード",
        "部品番号",
        "製品番号",
        "注文番号",
        "予約番号",
        "便名",
        "シリアル",
        "Serial",
        "Part No",
        "P/N",
    ]

    def validate_result(self, pattern_text: str) -> bool | None:
        if len(pattern_text) <= 10:  # AA1234567, possibly with one separator
            return None
        # An MRZ line is reported on its check digits alone, or not at all.
        return all(icao_field_ok(pattern_text[a:b]) for a, b in _MRZ_FIELDS)
