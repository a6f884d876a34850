"""個人番号 (My Number): 12 digits, the last a mod-11 check digit (番号法施行規則 art. 5).

Written plain (``123456789018``) or in 4-4-4 groups separated by spaces or hyphens, as
on the card and on forms. About one random 12-digit number in ten passes the check, and
order, tracking and invoice numbers are often 12 digits, so the base score is below the
reporting threshold: a keyword such as マイナンバー or 個人番号 has to be near.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.checksums import digits_only, my_number_ok
from detectors.recognizers.base import JaPatternRecognizer

# Words that name some other 12-digit number; shared with the driver's licence recognizer.
# Matched as lower-cased substrings, so no short Latin words ("jan" is in "January").
OTHER_NUMBER_WORDS: list[str] = [
    "注文番号",
    "注文ID",
    "受注番号",
    "発注番号",
    "伝票番号",
    "追跡番号",
    "問い合わせ番号",
    "問合せ番号",
    "請求書番号",
    "請求番号",
    "会員番号",
    "お客様番号",
    "顧客番号",
    "契約番号",
    "予約番号",
    "受付番号",
    "管理番号",
    "取引番号",
    "商品コード",
    "品番",
    "型番",
    "JANコード",
    "JAN:",
    "EAN-13",
    "バーコード",
    "シリアル",
    "製造番号",
    "口座番号",
    "電話",
    "TEL:",
    "TEL.",
    "FAX",
]


class JpMyNumberRecognizer(JaPatternRecognizer):
    """JP_MY_NUMBER: 12 digits with a valid check digit, reported only near a keyword."""

    ENTITY = "JP_MY_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        # Lookarounds keep it out of longer runs: 13-digit numbers, 16-digit cards.
        Pattern("my_number_plain", r"(?<![0-9])[0-9]{12}(?![0-9])", 0.3),
        # A grouped value must not start or end inside a longer grouped run (a card).
        Pattern(
            "my_number_grouped",
            r"(?<![0-9])(?<![0-9][ -])[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}"
            r"(?![0-9])(?![ -][0-9])",
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "マイナンバー",
        "個人番号",
        "通知カード",
        "My Number",
        "MyNumber",
        "my_number",
        "my-number",
        "kojin_bango",
        "individual number",
        "番号確認",
        "扶養控除",
        "源泉徴収票",
        "特定個人情報",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = OTHER_NUMBER_WORDS
    # A column or a record key for it (individualNumber: "8394-6105-2711" in a payload);
    # the check digit still decides.
    TABLE_LABELS = ("マイナンバー", "個人番号", "mynumber", "my_number", "individual_number")
    FIELD_LABELS = (
        "mynumber",
        "my_number",
        "individualnumber",
        "individual_number",
        "kojinbango",
        "kojin_bango",
        "マイナンバー",
        "個人番号",
    )
    TABLE_VALUE = r"[0-9]{4}([ -]?)[0-9]{4}\1[0-9]{4}"
    # 番号は … after a sentence about the card: the word may stand a little further away.
    CONTEXT_WINDOW: ClassVar[int] = 32

    def validate_result(self, pattern_text: str) -> bool | None:
        # None, not True: True would force 1.0 and skip the keyword requirement.
        return None if my_number_ok(digits_only(pattern_text)) else False
