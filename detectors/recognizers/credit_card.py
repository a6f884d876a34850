"""Payment card numbers (PAN): 13-19 digits, Luhn, and the issuer prefix (IIN).

Written plain or in groups: 4-4-4-4 (Visa, Mastercard, JCB...), 4-6-5 (Amex) and
4-6-4 (Diners), with spaces or hyphens, and often glued to Japanese text
(``カード番号4111111111111111で``). A Luhn-valid number with a known brand prefix and
length is reported on its own; a Luhn-valid run with an unknown prefix is one random
number in ten, so it needs a keyword such as カード番号.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.checksums import digits_only, luhn_ok
from detectors.recognizers.base import JaPatternRecognizer

# (first prefix, last prefix, allowed lengths); prefixes compare on the same number of
# leading digits. Kept to brands accepted in Japan.
_IIN_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({16, 19})),  # Visa; 13-digit cards are gone, JAN codes are not
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),
    ("3528", "3589", frozenset({16, 17, 18, 19})),  # JCB
    ("300", "305", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("3095", "3095", frozenset({14, 16, 17, 18, 19})),
    ("36", "36", frozenset({14, 16, 17, 18, 19})),
    ("38", "39", frozenset({14, 16, 17, 18, 19})),
    ("6011", "6011", frozenset({16, 17, 18, 19})),  # Discover
    ("644", "649", frozenset({16, 17, 18, 19})),
    ("65", "65", frozenset({16, 17, 18, 19})),
    ("62", "62", frozenset({16, 17, 18, 19})),  # UnionPay
)


def known_issuer(digits: str) -> bool:
    """True when ``digits`` starts with a known brand prefix and has that brand's length."""
    for low, high, lengths in _IIN_RANGES:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return True
    return False


class JpCreditCardRecognizer(JaPatternRecognizer):
    """CREDIT_CARD: Luhn-valid 13-19 digits; brand-prefixed ones need no keyword."""

    ENTITY = "CREDIT_CARD"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("card_plain", r"(?<![0-9])[0-9]{13,19}(?![0-9])", 0.3),
        # 4-4-4-x; a CVV or other number after the last group must not spoil the match,
        # so the group lengths, not "no digit after a space", bound it.
        Pattern(
            "card_grouped_4444",
            r"(?<![0-9])(?<![0-9][ -])[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}"
            r"(?P=sep)[0-9]{1,7}(?![0-9])",
            0.3,
        ),
        Pattern(
            "card_grouped_465",
            r"(?<![0-9])(?<![0-9][ -])[0-9]{4}(?P<sep>[ -])[0-9]{6}(?P=sep)[0-9]{4,5}(?![0-9])",
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "カード番号",
        "クレジット",
        "クレカ",
        "デビット",
        "VISA",
        "JCB",
        "Master",
        "AMEX",
        "American Express",
        "Diners",
        "有効期限",
        "セキュリティコード",
        "CVV",
        "CVC",
        "カード名義",
        "card",
    ]
    # Only words for other checksum-bearing codes: a real card next to 注文番号 must
    # still be caught.
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "JANコード",
        "JAN:",
        "EANコード",
        "EAN-13",
        "ISBN",
        "バーコード",
        "商品コード",
    ]

    # カード番号 5018 … (Maestro), an unassigned JCB range or a typo that fails Luhn:
    # after its label a 13-19 digit number is a card number.
    LABELS = (
        "クレジットカード番号",
        "クレジットカード",
        "カード番号",
        "クレカ",
        "カード",
        "Card number",
        "Card No",
        "Credit card",
    )
    LABELLED_VALUE = (
        r"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}(?P<ls>[ \-])[0-9]{4}(?P=ls)[0-9]{4}(?P=ls)[0-9]{1,4}"
        r"|[0-9]{4}(?P<lt>[ \-])[0-9]{6}(?P=lt)[0-9]{4,5})(?![0-9])"
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_only(pattern_text)
        if not 13 <= len(digits) <= 19 or not luhn_ok(digits):
            return False
        return True if known_issuer(digits) else None
