"""Writing variants of a value: full width, kanji numerals, half-width kana, hiragana."""

from __future__ import annotations

import re
import unicodedata

DASHES = ("ー", "―", "‐", "−", "–", "—")
KANJI_DIGIT = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
ZWSP = "\u200b"
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々〆ヵヶ]")


def fullwidth(s: str) -> str:
    out = []
    for c in s:
        if c == " ":
            out.append("\u3000")
        elif c == "-":
            out.append("－")
        elif "!" <= c <= "~":
            out.append(chr(ord(c) + 0xFEE0))
        else:
            out.append(c)
    return "".join(out)


def kanji_digits(s: str) -> str:
    return "".join(KANJI_DIGIT.get(c, c) for c in s)


def kanji_number(n: int) -> str:
    """Positional kanji numeral (55 -> 五十五, 1985 -> 千九百八十五)."""
    if n == 0:
        return "〇"
    digits = "〇一二三四五六七八九"
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out += ("" if q == 1 else digits[q]) + unit
    if n:
        out += digits[n]
    return out


def kata_to_hira(s: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in s)


def _halfwidth_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for cp in range(0xFF61, 0xFFA0):
        ch = chr(cp)
        full = unicodedata.normalize("NFKC", ch)
        if len(full) == 1 and full not in table:
            table[full] = ch
    table["\u3099"] = "ﾞ"
    table["\u309a"] = "ﾟ"
    table["　"] = " "
    return table


_HALF = _halfwidth_table()


def halfwidth_kana(s: str) -> str:
    out = []
    for c in s:
        for part in unicodedata.normalize("NFD", c):
            out.append(_HALF.get(part, part))
    return "".join(out)
