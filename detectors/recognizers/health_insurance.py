"""健康保険証 (and 資格確認書) identifiers: 保険者番号, 記号, 番号, 枝番.

Together they identify a person (個人識別符号 under the APPI), and since 2020 the Health
Insurance Act limits asking for them. Typical phrasings: ``保険者番号 06123456``,
``記号 1234 番号 56 枝番 01``, ``被保険者証記号・番号: 12-345``. 記号 and 番号 alone are
everyday words (and ゆうちょ accounts use them too), so those values need an insurance
keyword nearby; a number labelled 保険者番号 is reported when its check digit holds
(and dropped when it fails). Only the values are reported, not the labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, RecognizerResult

from detectors.checksums import insurer_number_ok
from detectors.recognizers.base import TABLE_CELL, TABLE_SCORE, JaPatternRecognizer
from detectors.tables import cells

# Between a label and its value: a colon, or the particle は (記号は1234).
_GAP = r"\s*(?:[:：]|は|が)?\s*"
# 記号 is digits, sometimes with kana or kanji (記号 あいう12, never starting with the
# particle は); 番号 is digits.
_SYMBOL = (
    r"(?![はが])[0-9A-Za-zぁ-ゖァ-ヴー一-龥][0-9A-Za-zぁ-ゖァ-ヴー一-龥]{0,9}"
    # 17-204, 48-7, ホ‐23, 東京 54: a symbol in two parts
    r"(?:[\-‐－][0-9A-Za-zぁ-ゖァ-ヴー一-龥]{1,6}|(?<=[一-龥]) [0-9]{1,6})?"
)
_NUMBER = r"[0-9]{1,10}"
# The symbol of a card as English forms and logs write it: 5001, 自衛, 協 12 (kanji alone too).
_EN_SYMBOL = r"(?:[一-龥]{1,4}(?: [0-9A-Za-z][0-9A-Za-z\-]{0,9})?|[0-9A-Za-z][0-9A-Za-z\-]{0,9})"
_JOIN = r"\s*[・･,、/／]?\s*"


# The insurer column of a table or a record written by a program: ins_no, insurer_no,
# hokensha (保険者 in romaji); its kigo / bango columns are then the card's.
_INSURER_HEADERS = (
    "ins_no",
    "insurer_no",
    "insurer_number",
    "hokensha",
    "hokensha_no",
    "hokenja_no",
)


class JpHealthInsuranceRecognizer(JaPatternRecognizer):
    """JP_HEALTH_INSURANCE: insurer number (check digit), card symbol/number/branch."""

    ENTITY = "JP_HEALTH_INSURANCE"
    PATTERNS: ClassVar[list[Pattern]] = [
        # 保険者番号 06123459 (8 digits; 6 for 国民健康保険): the check digit decides
        # (PATTERN_VALIDATORS); the label is part of the pattern.
        Pattern(
            "insurer_number", r"保険者番号" + _GAP + r"(?P<v>[0-9]{8}|[0-9]{6})(?![0-9])", 0.85
        ),
        # 記号 1234 番号 56: the symbol, when a 番号 follows.
        Pattern(
            "card_symbol",
            r"(?<![一-龥])記号"
            + _GAP
            + r"(?P<v>"
            + _SYMBOL
            + r")(?="
            + _JOIN
            + r"(?:被保険者)?番号"
            + _GAP
            + _NUMBER
            + r")",
            0.3,
        ),
        # ... and the number after it.
        Pattern(
            "card_number",
            r"(?<=(?<![一-龥])記号"
            + _GAP
            + _SYMBOL
            + _JOIN
            + r"(?:被保険者)?番号"
            + _GAP
            + r")(?P<v>"
            + _NUMBER
            + r")(?![0-9])",
            0.3,
        ),
        # 記号・番号: 12-345 / 記号番号 1234・56
        Pattern(
            "symbol_and_number",
            r"記号\s*[・･/／]?\s*番号"
            + _GAP
            + r"(?P<v>"
            + _SYMBOL
            + r"\s*[-・･ ]\s*"
            + _NUMBER
            + r")(?![0-9])",
            0.3,
        ),
        # In English: insurer no. 31131600, symbol 1207, number 50733
        Pattern(
            "insurer_number_en",
            # (insurer=31133523 in a log line: the key alone before =)
            r"(?i:insurer(?:'s)?\s?(?:no\.?|number|#)|insurer(?==))\s?[:：=]?\s?"
            r"(?P<v>[0-9]{8}|[0-9]{6})(?![0-9])",
            0.85,
        ),
        Pattern(
            "card_symbol_en",
            r"(?i:symbol)\s?[:：=]?\s?(?P<v>" + _EN_SYMBOL + ")"
            r"(?=,?\s?(?i:number|no\.?)\s?[:：=]?\s?[0-9]{1,10})",
            0.3,
        ),
        Pattern(
            "card_number_en",
            r"(?<=(?i:symbol)\s?[:：=]?\s?" + _EN_SYMBOL + r",?\s?"
            r"(?i:number|no\.?)\s?[:：=]?\s?)"
            r"(?P<v>[0-9]{1,10})(?![0-9])",
            0.3,
        ),
        # 被保険者番号 00418823 (後期高齢者医療: 8 digits; 介護保険: 10 digits).
        Pattern("insured_number", r"被保険者番号" + _GAP + r"(?P<v>[0-9]{6,10})(?![0-9])", 0.6),
        # 枝番 01 (on cards since 2021), next to the rest.
        # 枝番 02, （枝番）02
        Pattern("branch_number", r"枝番[)）]?" + _GAP + r"(?P<v>[0-9]{2})(?![0-9])", 0.3),
        # 記号 … 番号 … 枝番 01: the three together are a card's, whatever is near.
        Pattern(
            "branch_after_card",
            r"(?<=記号" + _GAP + _SYMBOL + _JOIN + r"番号" + _GAP + _NUMBER + _JOIN + r")"
            r"[(（]?枝番[)）]?" + _GAP + r"(?P<v>[0-9]{2})(?![0-9])",
            0.6,
        ),
    ]
    # Checked with keywords on both sides; 0.3 + 0.35 clears the threshold.
    TABLE_LABELS = (
        "保険者番号",
        "被保険者番号",
        "被保険者記号",
        "保険証番号",
        "保険証記号",
        *_INSURER_HEADERS,
    )
    TABLE_VALUE = r"[0-9A-Za-z\u30a0-\u30ff一-龥\-]{1,12}"
    # ins_no=39130125&kigo=8801 in a clinic's booking URL, "hokensha_no": … in a record
    FIELD_LABELS = (*_INSURER_HEADERS, "hihokensha", "kigo")
    FIELD_VALUE = r"[0-9]{1,8}"
    CONTEXT: ClassVar[list[str]] = [
        "保険証",
        "健康保険",
        "被保険者証",
        "資格確認書",
        "資格情報のお知らせ",
        "組合員証",
        "加入者証",
        "国民健康保険",
        "国保",
        "協会けんぽ",
        "健保",
        "後期高齢者医療",
        "マイナ保険証",
        "被扶養者",
        "保険者番号",
        "health insurance",
        "insurer",
        "insurance card",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = ["ゆうちょ", "貯金", "口座", "振込", "通帳"]
    # In a table that has a 保険者番号 column, the 記号, 番号 and 枝番 columns are the card's.
    _CARD_COLUMNS = frozenset(
        {"記号", "番号", "枝番", "被保険者記号", "被保険者番号", "記号・番号", "記号番号"}
        | {"kigo", "bango", "edaban", "symbol", "card_symbol", "card_number", "card_no"}
    )
    _CARD_CELL = re.compile(r"[0-9A-Za-z\u30a0-\u30ff一-龥\-‐・･ ]{1,14}")
    CONTEXT_WINDOW: ClassVar[int] = 40  # insurer=… symbol=… number=… on one log line
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "insurer_number": ("保険者番号",),
        "insurer_number_en": ("insurer",),
        "card_symbol_en": ("symbol",),
        "card_number_en": ("symbol",),
        "insured_number": ("被保険者番号",),
        "card_symbol": ("記号",),
        "card_number": ("記号",),
        "symbol_and_number": ("記号",),
        "branch_number": ("枝番",),
        "branch_after_card": ("枝番",),
    }
    # A number labelled 保険者番号 whose check digit fails is a typo or something else.
    PATTERN_VALIDATORS: ClassVar[dict[str, Callable[[str], bool]]] = {
        "insurer_number": insurer_number_ok,
        "insurer_number_en": insurer_number_ok,
    }

    def extra_results(self, text: str) -> list[RecognizerResult]:
        table = cells(text)
        if not any(
            "保険者番号" in cell.header or cell.header.strip().lower() in _INSURER_HEADERS
            for cell in table
        ):
            return []
        return [
            self._result(cell.start, cell.end, TABLE_SCORE, TABLE_CELL)
            for cell in table
            if cell.header.strip().lower() in self._CARD_COLUMNS
            and self._CARD_CELL.fullmatch(text[cell.start : cell.end])
            and any(c.isdigit() for c in text[cell.start : cell.end])
        ]
