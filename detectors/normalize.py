"""Normalise text before matching, and keep a map back to the original offsets.

Every detector runs on the normalised string; every span is mapped back with
:meth:`Normalized.to_original` before anything is masked. The steps, in order:

1. NFKC, applied per cluster (a base character plus the marks NFKC may merge into it),
   so each output character knows the original cluster it came from.
2. Removal of invisible characters: format characters (Cf: zero-width space, joiners,
   BOM, bidi controls, soft hyphen, tag characters), variation selectors and Hangul
   fillers. They split tokens and digit runs without changing what a reader sees.
3. Digits of every script folded to ASCII; kanji numerals folded inside numeral runs
   of three or more (so 一人 and 三月 stay as they are).
4. Between two digits: every dash or hyphen variant (including the long-vowel mark ー)
   and the particle の become ``-``; between a Latin letter and a digit, dashes do too.
5. Old and variant kanji of surnames (髙, 﨑, 邊…) become their common form, and
   Cyrillic and Greek letters that look Latin (а, е, о, р, с, ο, ν…) become Latin, so
   tаro@exаmple.com is still an e-mail address (UTS #39 confusables, the common ones).

Steps 3 and 4 replace one character by one character, so they keep the map as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# NFKC can merge these into the preceding character: half-width and combining
# voicing marks, and Hangul medial/final jamo.
_MERGING = frozenset("\uff9e\uff9f\u3099\u309a")
_HANGUL_V_T = (0x1160, 0x11FF)

_INVISIBLE_EXTRA = frozenset("\u180e\u115f\u1160\u3164\uffa0\u034f")

KANJI_DIGITS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "壱": "1",
    "二": "2",
    "弐": "2",
    "三": "3",
    "参": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
# Runs of numerals (kanji or ASCII digits) of this length or more are folded.
_KANJI_RUN = re.compile("[0-9" + "".join(KANJI_DIGITS) + "]{3,}")
# Any decimal digit (Unicode Nd, what str.isdecimal accepts) outside ASCII: ٣, ३, 𝟓.
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
_HAS_KANJI_DIGIT = re.compile("[" + "".join(KANJI_DIGITS) + "]")
# A number written in kanji with separators (+八一 七〇 九〇五三 〇〇四七): numeral groups
# joined by spaces, dashes or の, five numerals or more in all.
_NUMERAL = "[0-9" + "".join(KANJI_DIGITS) + "]"
# A region's last group, and what may follow a place name's first character (三重県).
_LAST_GROUP = re.compile("[ \\-ー－‐–—−の](" + _NUMERAL + "+)$")
_WORD_AFTER = re.compile(r"[一-龥々ぁ-ゖァ-ヴ]")
# The lookbehind starts a region only at the first numeral of a run: retrying every start
# inside a run was quadratic (9 s for "一" + "1" * 20,000 + "x") and never matched more.
_NUMERAL_REGION = re.compile(
    r"\+?(?<!" + _NUMERAL + ")" + _NUMERAL + "+(?:[ \\-ー－‐–—−の]" + _NUMERAL + "+)+"
)

# Old and variant forms common in surnames (髙橋, 﨑, 邊) and Latin lookalikes: one
# character for one, so offsets hold.
_SAME_LENGTH_FOLDS = str.maketrans(
    "髙﨑邊邉齋齊濵濱嶋嶌槗"
    "аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХІЈЅ"  # Cyrillic
    "οαρνικτυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",  # Greek
    "高崎辺辺斎斉浜浜島島橋aeopcyxijsdqwhlABEKMHOPCTXIJSoapviktuABEZHIKMNOPTYX",
)

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\u2500\u2501\uff0d\ufe63\ufe58\u2043\u02d7"
_BETWEEN_DIGITS = re.compile("(?<=[0-9])[" + DASHES + "の](?=[0-9])")
# Between a Latin letter and a digit a dash is a separator too (MZー1648894); never after kana,
# where ー is the long-vowel mark.
_BETWEEN_ALNUM = re.compile("(?<=[0-9A-Za-z])[" + DASHES + "](?=[0-9A-Za-z])")


# Unicode tag characters U+E0020-E007E are invisible copies of ASCII that models still read
# ("ASCII smuggling"): they are decoded to the ASCII they spell and scanned, not dropped.
_TAG_FIRST, _TAG_LAST = 0xE0020, 0xE007E


def _is_tag(ch: str) -> bool:
    return _TAG_FIRST <= ord(ch) <= _TAG_LAST


def _is_invisible(ch: str) -> bool:
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    if ch in _INVISIBLE_EXTRA:
        return True
    return unicodedata.category(ch) == "Cf"


def _merges_into_previous(ch: str) -> bool:
    if ch in _MERGING:
        return True
    cp = ord(ch)
    if _HANGUL_V_T[0] <= cp <= _HANGUL_V_T[1]:
        return True
    return unicodedata.combining(ch) != 0 or unicodedata.category(ch) in ("Mn", "Mc", "Me")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised string with, per character, the original span it came from.

    ``starts``/``ends`` are ``None`` when the text needed no length-changing step:
    offsets are then the same in both strings.
    """

    text: str
    original_length: int
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to the original string."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _safe_class() -> str:
    """A regex class of characters NFKC leaves alone and that never merge with a neighbour
    (ASCII, kana, CJK ideographs, common Japanese punctuation), checked one by one."""
    candidates = [
        (0x20, 0x7E),
        (0x3001, 0x3002),
        (0x3005, 0x3007),
        (0x300C, 0x3011),
        (0x3041, 0x3096),
        (0x30A1, 0x30FE),
        (0x4E00, 0x9FFF),
        (0x3400, 0x4DBF),
    ]
    ranges: list[tuple[int, int]] = []
    for lo, hi in candidates:
        run_start = None
        for cp in range(lo, hi + 2):
            ch = chr(cp) if cp <= hi else ""
            ok = (
                bool(ch)
                and unicodedata.normalize("NFKC", ch) == ch
                and not _is_invisible(ch)
                and not _merges_into_previous(ch)
            )
            if ok and run_start is None:
                run_start = cp
            elif not ok and run_start is not None:
                ranges.append((run_start, cp - 1))
                run_start = None
    parts = [
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    ]
    return "[\n\t" + "".join(parts) + "]"


_SAFE_RUN = re.compile(_safe_class() + "+")


def _slow(text: str, i: int, stop: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    """NFKC per cluster over ``text[i:stop]``, dropping invisible characters."""
    while i < stop:
        ch = text[i]
        if _is_tag(ch):
            out.append(chr(ord(ch) - 0xE0000))
            starts.append(i)
            ends.append(i + 1)
            i += 1
            continue
        if _is_invisible(ch):
            i += 1
            continue
        j = i + 1
        # Extend the cluster over marks NFKC may merge into it; invisible characters
        # between the base and its marks are dropped but stay inside the span.
        while j < stop and (
            _merges_into_previous(text[j]) or (_is_invisible(text[j]) and not _is_tag(text[j]))
        ):
            j += 1
        cluster = text[i:j]
        if j - i > 1:
            cluster = "".join(c for c in cluster if not _is_invisible(c))
        norm = cluster if cluster.isascii() else unicodedata.normalize("NFKC", cluster)
        for c in norm:
            if _is_invisible(c):
                continue
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j


def _rebuild(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC and invisible-character removal, recording each output character's origin.

    Runs of characters that NFKC cannot change are copied as they are; only the rest goes
    through the per-cluster path.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    pos = 0
    for m in _SAFE_RUN.finditer(text):
        s, e = m.span()
        if e < n and _merges_into_previous(text[e]):
            e -= 1  # the run's last character takes the following mark (ｶ + ﾞ -> ガ)
        if s > pos:
            _slow(text, pos, s, out, starts, ends)
        if e > s:
            out.append(text[s:e])
            starts.extend(range(s, e))
            ends.extend(range(s + 1, e + 1))
        pos = max(pos, e)
    if pos < n:
        _slow(text, pos, n, out, starts, ends)
    return "".join(out), starts, ends


def _fold_digits(text: str) -> str:
    """Same-length rewrites: non-ASCII decimal digits, kanji numeral runs, separators."""
    if not text.isascii():
        if _NON_ASCII_DIGIT.search(text):
            text = _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)
        if _HAS_KANJI_DIGIT.search(text):
            text = _KANJI_RUN.sub(
                lambda m: "".join(KANJI_DIGITS.get(c, c) for c in m.group()), text
            )
            text = _NUMERAL_REGION.sub(_fold_region, text)
        text = _BETWEEN_DIGITS.sub("-", text)
        text = _BETWEEN_ALNUM.sub("-", text)
        text = text.translate(_SAME_LENGTH_FOLDS)
    return text


def _fold_region(m: re.Match[str]) -> str:
    region, kept = m.group(), ""
    # 〒510-0061 三重県, 電話 03-1234-5678 四日市: a short last group of kanji numerals
    # glued to a word is the start of a place name, not the end of the number.
    after = m.string[m.end() : m.end() + 1]
    if after and _WORD_AFTER.match(after):
        last = _LAST_GROUP.search(region)
        if last is not None and len(last.group(1)) <= 2 and not last.group(1).isdigit():
            region, kept = region[: last.start()], region[last.start() :]
    if sum(1 for c in region if c in KANJI_DIGITS or c.isdigit()) < 5:
        return region + kept
    return "".join(KANJI_DIGITS.get(c, c) for c in region) + kept


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring for the steps."""
    if text.isascii() or _SAFE_RUN.fullmatch(text):
        return Normalized(_fold_digits(text), len(text))
    rebuilt, starts, ends = _rebuild(text)
    if len(rebuilt) == len(text) and rebuilt == text:
        return Normalized(_fold_digits(text), len(text))
    return Normalized(_fold_digits(rebuilt), len(text), tuple(starts), tuple(ends))
