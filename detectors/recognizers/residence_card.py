"""在留カード番号 (residence card; also the 特別永住者証明書): AB12345678CD.

Two capital letters, eight digits, two capital letters. There is no public check
digit, but the shape is distinctive enough to report without a keyword.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer


class JpResidenceCardRecognizer(JaPatternRecognizer):
    """JP_RESIDENCE_CARD: [A-Z]{2}[0-9]{8}[A-Z]{2}, reported on its own."""

    ENTITY = "JP_RESIDENCE_CARD"
    CASE_SENSITIVE = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "residence_card_number",
            r"(?<![0-9A-Za-z])[A-Z]{2}([ -]?)[0-9]{8}\1[A-Z]{2}(?![0-9A-Za-z])",
            0.55,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "在留カード",
        "在留資格",
        "在留期間",
        "特別永住者",
        "Residence Card",
        "外国人",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "品番",
        "型番",
        "SKU",
        "商品コード",
        "部品番号",
        "製品番号",
        "シリアル",
        "Serial",
    ]
