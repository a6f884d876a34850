"""JP_POSTAL_CODE: NNN-NNNN after 〒 or 郵便番号 (or followed by a prefecture name). A
bare NNN-NNNN is also a phone fragment, a part number or an account, so it scores low."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.address import PREFECTURES
from detectors.recognizers.base import JaPatternRecognizer

_PREF = "(?:" + "|".join(PREFECTURES) + ")"


# Romaji prefectures and the cities English addresses end with (…, Osaka 530-0001).
ROMAJI_PLACES = (
    "Hokkaido Aomori Iwate Miyagi Akita Yamagata Fukushima Ibaraki Tochigi Gunma Saitama Chiba "
    "Tokyo Kanagawa Niigata Toyama Ishikawa Fukui Yamanashi Nagano Gifu Shizuoka Aichi Mie Shiga "
    "Kyoto Osaka Hyogo Nara Wakayama Tottori Shimane Okayama Hiroshima Yamaguchi Tokushima Kagawa "
    "Ehime Kochi Fukuoka Saga Nagasaki Kumamoto Oita Miyazaki Kagoshima Okinawa Sapporo Sendai "
    "Yokohama Kawasaki Nagoya Kobe Kitakyushu Japan"
).split()
_ROMAJI_PLACE = "(?:" + "|".join(ROMAJI_PLACES) + ")"


class JpPostalCodeRecognizer(JaPatternRecognizer):
    ENTITY = "JP_POSTAL_CODE"
    PATTERNS: ClassVar[list[Pattern]] = [
        # 〒 is part of how the code is written: it is masked with it (〒[[JP_POSTAL_CODE_1]]
        # would keep a mark that says nothing); a word label stays readable.
        Pattern("postal_mark", r"〒\s?[0-9]{3}[ -]?[0-9]{4}(?![0-9])", 0.85),
        Pattern(
            "postal_label",
            r"(?:郵便番号\s?[:：]?|郵便\s?[:：]|ZIP\s?[:：]?)\s?(?P<v>[0-9]{3}[ -]?[0-9]{4})"
            r"(?![0-9])",
            0.85,
        ),
        Pattern(
            "postal_before_prefecture",
            r"(?<![0-9\-])(?P<v>[0-9]{3}[ -][0-9]{4})(?![0-9])\s?" + _PREF,
            0.7,
        ),
        Pattern(
            "postal_after_romaji_place",
            r"(?<![A-Za-z])"
            + _ROMAJI_PLACE
            + r"(?:-(?:ken|fu|to))?,?\s(?P<v>[0-9]{3}-[0-9]{4})(?![0-9])",
            0.7,
        ),
        Pattern(
            "postal_bare", r"(?<![0-9\-])(?<![0-9] )[0-9]{3}[ -][0-9]{4}(?![0-9\-]| [0-9])", 0.2
        ),
    ]
    TABLE_LABELS = ("郵便番号", "〒", "zip", "postal", "ユウビン")
    FIELD_LABELS = ("郵便番号", "zip", "postal", "postcode")
    TABLE_VALUE = r"[0-9]{3}-?[0-9]{4}"
    CONTEXT: ClassVar[list[str]] = ["郵便番号", "〒", "住所", "所在地", "送付先", "お届け先"]

    def invalidate_result(self, pattern_text: str) -> bool:
        """123-4567, 000-0000, 111-1111: the codes forms and docs give as examples."""
        digits = "".join(c for c in pattern_text if c.isdigit())
        return len(set(digits)) == 1 or digits in _SEQUENTIAL


_SEQUENTIAL = frozenset({"1234567", "0123456", "2345678", "3456789", "9876543", "7654321"})
