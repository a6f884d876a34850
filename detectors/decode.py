"""Encoded text inside a prompt: base64, hex, URL escapes, HTML entities, one character
per line, a space after every character, digits read aloud. Each is decoded and scanned
again, so a My Number in base64 is still a My Number (threats.md C10, C12).

Two kinds of view:
- a *blob* (base64, hex): a finding anywhere in the decoded text marks the whole blob,
  since its characters do not map to decoded characters one by one;
- an *inline* view (URL escapes, HTML entities, characters stacked one per line or
  spaced out): the decoded text keeps a map back to the original characters, so a
  finding covers exactly the characters that encode it.

Bounded: only decodings that give readable text are scanned, nested decoding stops at
``MAX_DEPTH``, and when the decoded text to scan exceeds ``MAX_DECODED_CHARS`` per text
the scan fails closed (:class:`ScanLimitError`) rather than skip anything (C11).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from detectors.normalize import Normalized
from detectors.types import ScanLimitError

MAX_DEPTH = 2  # base64 inside base64, and no deeper
MAX_DECODED_CHARS = 200_000

# Base64 (standard or URL-safe), possibly wrapped at a fixed width; 16+ characters, or
# shorter with padding. Long runs of hex digits are tried as hex first. (No lookbehind:
# a pattern that starts with a character class is scanned for fast; the character
# before a match is checked in Python.)
_BASE64 = re.compile(
    r"[A-Za-z0-9+/_\-]{16,}={0,2}(?:\r?\n[A-Za-z0-9+/_\-]{4,}={0,2})*"
    r"|[A-Za-z0-9+/_\-]{8,15}={1,2}"
)
_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
# Hex: 41313131… (8+ bytes), 41:31:31 / 41 31 31, \x41\x31, 0x41, 0x31 — one regex each,
# so each can start from a fast first-character scan. The plain run has no lookahead: the
# regex takes whole runs and _blobs drops one followed by a letter or digit (a lookahead
# there retried every start of the run: quadratic, 15 s for "a" * 20,000 + "g").
_HEX_FORMS = (
    re.compile(r"[0-9A-Fa-f]{16,}"),
    re.compile(r"[0-9A-Fa-f]{2}(?:[:\s-][0-9A-Fa-f]{2}){7,}(?![0-9A-Za-z])"),
    re.compile(r"(?:\\x[0-9A-Fa-f]{2}){4,}"),
    re.compile(r"(?:0x[0-9A-Fa-f]{2}[,\s]*){4,}"),
)
_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]{2}")
# %E3%83%9E / %40, &#52; &#x34; &amp;, and a JSON or JavaScript string's escapes:
# \u677e\u672c, and \n before data (…まゆみ\n090-6620-1483: the n would glue to the number)
_HAS_ESCAPE = re.compile(
    r"%[0-9A-Fa-f]{2}|&#|&[A-Za-z]{2,8};|\\u[0-9A-Fa-f]{4}|\\[nrt](?=[0-9+〒ぁ-んァ-ヶ一-龥])"
)
_ESCAPE = re.compile(
    r"(?:%[0-9A-Fa-f]{2})+|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});"
    r"|(?:\\u[0-9A-Fa-f]{4})+|\\[nrt]"
)
_STRING_ESCAPES = {"\\n": "\n", "\\r": "\n", "\\t": "\t"}
# Lines of one or two characters, six or more in a row: 6\n1\n5\n2...
_STACKED = re.compile(
    r"(?:^[^\S\n]*\S{1,2}[^\S\n]*\n){5,}[^\S\n]*\S{1,2}[^\S\n]*(?=\n|$)", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class View:
    """Decoded text and where it came from in the text it was decoded from."""

    kind: str  # base64 / hex / escapes / stacked / spaced / spoken
    text: str
    span: tuple[int, int]  # the encoded span
    # Inline views: the per-character map back to the original; None for blobs.
    mapped: Normalized | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.span if self.mapped is None else self.mapped.to_original(start, end)


def _inline(kind: str, text: str, pieces: Iterator[tuple[str, int, int]]) -> View:
    """A view built from (decoded characters, original start, original end) pieces."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for chars, start, end in pieces:
        out.append(chars)
        starts.extend([start] * len(chars))
        ends.extend([end] * len(chars))
    decoded = "".join(out)
    return View(
        kind, decoded, (0, len(text)), Normalized(decoded, len(text), tuple(starts), tuple(ends))
    )


def _readable(text: str) -> bool:
    """Text a person wrote, not bytes that happened to decode."""
    if len(text) < 4:
        return False
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return printable >= 0.95 * len(text) and any(c.isalnum() for c in text)


def _utf8(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if _readable(text) else None


def _from_base64(chunk: str) -> str | None:
    compact = re.sub(r"\s+", "", chunk)
    padded = compact.rstrip("=")
    padded += "=" * (-len(padded) % 4)
    alphabet = "-_" if ("-" in compact or "_" in compact) else "+/"
    try:
        data = base64.b64decode(padded, altchars=alphabet.encode(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return _utf8(data)


def _from_hex(chunk: str) -> str | None:
    body = (
        chunk[2:] if chunk[:2].lower() == "0x" and "," not in chunk and " " not in chunk else chunk
    )
    digits = "".join(_HEX_DIGITS.findall(body.replace("\\x", " ").replace("0x", " ")))
    try:
        return _utf8(bytes.fromhex(digits))
    except ValueError:
        return None


def _blobs(text: str) -> Iterator[View]:
    taken: list[tuple[int, int]] = []
    for form, needs in zip(_HEX_FORMS, ("", "", "\\x", "0x")):
        if needs and needs not in text:
            continue
        for m in form.finditer(text):
            if (
                not needs
                and text[m.end() : m.end() + 1].isascii()
                and text[m.end() : m.end() + 1].isalnum()
            ):
                continue  # the run goes on as a word (0123…abcdefg)
            if (
                m.start() > 0
                and text[m.start() - 1].isascii()
                and text[m.start() - 1].isalnum()
                and not text[m.start() - 2 : m.start()] == "0x"
            ):
                continue  # inside a longer word
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            decoded = _from_hex(m.group())
            if decoded is not None:
                taken.append(m.span())
                yield View("hex", decoded, m.span())
    for m in _BASE64.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in _BASE64_CHARS:
            continue  # the tail of a longer run the regex already tried
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if m.group().isdigit() or m.group().isalpha():
            continue  # a number or a word is not base64 worth decoding
        decoded = _from_base64(m.group())
        if decoded is not None:
            yield View("base64", decoded, m.span())


def _unescaped(text: str) -> View | None:
    """URL escapes and HTML entities decoded in place, with the character map."""
    if ("%" not in text and "&" not in text and "\\" not in text) or not _HAS_ESCAPE.search(text):
        return None
    changed = False

    def pieces() -> Iterator[tuple[str, int, int]]:
        nonlocal changed
        pos = 0
        for m in _ESCAPE.finditer(text):
            yield from ((text[i], i, i + 1) for i in range(pos, m.start()))
            raw = m.group()
            if raw.startswith("%"):
                decoded = bytes.fromhex(raw.replace("%", "")).decode("utf-8", errors="replace")
            elif raw.startswith("\\u"):
                units = [int(raw[i + 2 : i + 6], 16) for i in range(0, len(raw), 6)]
                decoded = b"".join(u.to_bytes(2, "big") for u in units).decode(
                    "utf-16-be", errors="replace"
                )
            elif raw.startswith("\\"):
                decoded = _STRING_ESCAPES[raw]
            else:
                decoded = html.unescape(raw)
            changed = changed or decoded != raw
            yield decoded, m.start(), m.end()
            pos = m.end()
        yield from ((text[i], i, i + 1) for i in range(pos, len(text)))

    view = _inline("escapes", text, pieces())
    return view if changed else None


def _stacked(text: str) -> View | None:
    """6\n1\n5\n2…: the whole text with such runs of short lines joined, so the words
    around them (マイナンバー) still count as context."""
    dropped: set[int] = set()
    for m in _STACKED.finditer(text):
        dropped.update(i for i in range(m.start(), m.end()) if text[i].isspace())
    if not dropped:
        return None
    return _inline(
        "stacked", text, ((ch, i, i + 1) for i, ch in enumerate(text) if i not in dropped)
    )


# Six or more single characters with one space between: 東 京 都 杉 並 区, ０ ９ ０ － ７ ７
_SPACED_RUN = re.compile(r"(?<!\S)\S(?: \S){5,}(?!\S)")
_SPACES = re.compile(r" +")


def _spaced(text: str) -> View | None:
    """Letter-spaced text (OCR, a form typed with a space after every character): once a
    text shows such a run, each line mostly of single characters is read with its spaces
    taken out (one space between words of several stays), so 越 智　 ハ ル is 越智　ハル."""
    if _SPACED_RUN.search(text) is None:
        return None
    dropped: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        words = line.split()
        if len(words) >= 2 and sum(len(w) == 1 for w in words) >= 0.6 * len(words):
            for m in _SPACES.finditer(line):
                # a single space goes; a wider gap keeps one space
                last = m.end() if m.end() - m.start() == 1 else m.end() - 1
                dropped.update(range(offset + m.start(), offset + last))
        offset += len(line) + 1
    if not dropped:
        return None
    return _inline(
        "spaced", text, ((ch, i, i + 1) for i, ch in enumerate(text) if i not in dropped)
    )


# Digits read aloud, as call transcripts write them: ぜろはちぜろ、ななよんいち…, ゼロ九〇の、三三八一.
_SPOKEN_DIGITS = {
    **dict.fromkeys(("ぜろ", "ゼロ", "れい", "まる", "〇", "零"), "0"),
    **dict.fromkeys(("いち", "イチ", "一"), "1"),
    **dict.fromkeys(("にー", "ニー", "に", "ニ", "二"), "2"),
    **dict.fromkeys(("さん", "サン", "三"), "3"),
    **dict.fromkeys(("よん", "ヨン", "し", "四"), "4"),
    **dict.fromkeys(("ごー", "ゴー", "ご", "ゴ", "五"), "5"),
    **dict.fromkeys(("ろく", "ロク", "六"), "6"),
    **dict.fromkeys(("なな", "ナナ", "しち", "七"), "7"),
    **dict.fromkeys(("はち", "ハチ", "八"), "8"),
    **dict.fromkeys(("きゅう", "キュウ", "きゅー", "キュー", "く", "九"), "9"),
}
_DIGIT_WORD = "|".join(sorted(_SPOKEN_DIGITS, key=len, reverse=True))
# Nine or more digit words, in groups joined by 、 の ・ or a space (a phone number's length).
_SPOKEN_RUN = re.compile(
    r"(?:" + _DIGIT_WORD + r")(?:[、,・ 　のー]{0,3}(?:" + _DIGIT_WORD + r")){8,}"
)
_ONE_DIGIT_WORD = re.compile(_DIGIT_WORD)
# A run that is a word (にし, しく) has few long digit words; a read number has many.
_KANJI_NUMERALS = frozenset("〇一二三四五六七八九")
_LONG_DIGIT_WORDS = frozenset(w for w in _SPOKEN_DIGITS if len(w) > 1) | _KANJI_NUMERALS


def _spoken(text: str) -> View | None:
    """Digits read aloud: ゼロ九〇の、三三八一の、五五〇二 is read as 09033815502, each digit
    pointing at the word that says it."""
    runs = [
        m
        for m in _SPOKEN_RUN.finditer(text)
        if sum(w.group() in _LONG_DIGIT_WORDS for w in _ONE_DIGIT_WORD.finditer(m.group())) >= 6
        # (kanji numerals alone are normalisation's: 〇九〇一二三四五六七八)
        and any(c not in _KANJI_NUMERALS for c in m.group())
    ]
    if not runs:
        return None

    def pieces() -> Iterator[tuple[str, int, int]]:
        pos = 0
        for run in runs:
            yield from ((text[i], i, i + 1) for i in range(pos, run.start()))
            # the digits alone: pauses (、, の) fall anywhere in a read number
            for w in _ONE_DIGIT_WORD.finditer(text, run.start(), run.end()):
                yield _SPOKEN_DIGITS[w.group()], w.start(), w.end()
            pos = run.end()
        yield from ((text[i], i, i + 1) for i in range(pos, len(text)))

    return _inline("spoken", text, pieces())


def views(text: str) -> list[View]:
    """Every decoded view of ``text`` worth scanning (not recursive)."""
    found = list(_blobs(text))
    unescaped = _unescaped(text)
    if unescaped is not None:
        found.append(unescaped)
    stacked = _stacked(text) if text.count("\n") >= 5 else None
    if stacked is not None:
        found.append(stacked)
    spaced = _spaced(text) if " " in text else None
    if spaced is not None:
        found.append(spaced)
    spoken = _spoken(text) if not text.isascii() else None
    if spoken is not None:
        found.append(spoken)
    total = sum(len(v.text) for v in found)
    if total > MAX_DECODED_CHARS:
        raise ScanLimitError(f"{total} characters of encoded content to scan")
    return found
