"""Identifiers given in parts: ``前半は 8340 5512 … 後半は 1234``, ``上4桁は… 残りは…``.

Staff split a number to get it past a guard, or simply type it in two messages; a call
transcript reads it out in groups (080、6624、1937). The parts are joined back only when
the identifier's own label is in the conversation, and only consecutive digit groups
(nothing but words between them) are tried, up to 4 at a time; a joined candidate must
then pass the identifier's check (My Number check digit; a valid phone number; Luhn with
a known card prefix; a pension number's 4 + 6 shape). So two order numbers in a prompt
are never one, while a My Number given in 2-3 parts is caught. One group in blocks
(6041 8273 9505) whose label was asked for a turn earlier is tried as well.
Parts with only separators between them (、 , ・ の and spaces) are reported as one span.

Pure: takes the normalised texts of one request, returns (text index, start, end,
entity type) for every part of a joined value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from detectors.checksums import luhn_ok, my_number_ok
from detectors.recognizers.credit_card import known_issuer
from detectors.recognizers.phone import valid_number

# A digit group: 2-8 digits, possibly in blocks (8340 5512), not a date, time, amount,
# version or count (units right after it).
_FRAGMENT = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.:/,])[0-9]{2,8}(?:[ -][0-9]{2,8})*(?![0-9A-Za-z]|[.:/,][0-9]|\s*(?:円|個|件|"
    r"時|分|秒|年|月|日|歳|才|名|人|%|％|回|本|枚|台|社|部|号|階|万|千|億|kg|km|cm|mm|GB|MB))"
)
SCORE = 0.8


def _phone_ok(digits: str) -> bool:
    return 10 <= len(digits) <= 11 and digits.startswith("0") and valid_number(digits)


def _card_ok(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and luhn_ok(digits) and known_issuer(digits)


@dataclass(frozen=True, slots=True)
class _Kind:
    entity: str
    label: re.Pattern[str]
    lengths: frozenset[int]
    check: Callable[[str], bool]
    # The digit blocks the value must come in (a pension number: 4 then 6); None: any.
    shapes: frozenset[tuple[int, ...]] | None = None
    # How many parts may make one value (a card is read out in its four groups).
    max_parts: int = 3


KINDS = (
    _Kind(
        "JP_MY_NUMBER",
        re.compile(r"マイナンバー|個人番号|my ?number", re.IGNORECASE),
        frozenset({12}),
        my_number_ok,
    ),
    _Kind(
        "PHONE_NUMBER",
        re.compile(r"電話|携帯|TEL|phone|連絡先|ケータイ", re.IGNORECASE),
        frozenset({10, 11}),
        _phone_ok,
    ),
    _Kind(
        "CREDIT_CARD",
        re.compile(r"カード|クレカ|card", re.IGNORECASE),
        frozenset(range(13, 20)),
        _card_ok,
        max_parts=4,
    ),
    _Kind(
        "JP_PENSION_NUMBER",
        re.compile(r"年金番号|基礎年金|pension", re.IGNORECASE),
        frozenset({10}),
        lambda digits: True,  # no check digit: the 4 + 6 shape and the label decide
        frozenset({(4, 6)}),
    ),
)

MAX_PARTS = max(kind.max_parts for kind in KINDS)
Part = tuple[int, int, int]  # (text index, start, end)
# Between two parts of one value read out or typed in groups: separators only.
_JOINT = re.compile(r"[ \t\u3000、,，・の-]*")


def split_values(texts: Sequence[str]) -> list[tuple[int, int, int, str]]:
    """Every part of an identifier that is only whole when its parts are joined."""
    kinds = [k for k in KINDS if any(k.label.search(t) for t in texts)]
    if not kinds:
        return []
    parts: list[tuple[Part, str, tuple[int, ...]]] = []
    for index, text in enumerate(texts):
        for m in _FRAGMENT.finditer(text):
            blocks = tuple(len(b) for b in re.split(r"[ -]", m.group()))
            parts.append(((index, m.start(), m.end()), re.sub(r"[^0-9]", "", m.group()), blocks))
    found: dict[Part, str] = {}
    for i in range(len(parts)):
        joined, blocks = "", ()
        for j in range(i, min(len(parts), i + MAX_PARTS)):
            joined += parts[j][1]
            blocks += parts[j][2]
            if j == i and len(blocks) < 2:
                continue  # one plain group is whole already: the recognizers judge it
            for kind in kinds:
                if (
                    j - i < kind.max_parts
                    and len(joined) in kind.lengths
                    and (kind.shapes is None or blocks in kind.shapes)
                    and kind.check(joined)
                ):
                    for part, _digits, _blocks in parts[i : j + 1]:
                        found.setdefault(part, kind.entity)
    return _joined_spans(texts, found)


def _joined_spans(texts: Sequence[str], found: dict[Part, str]) -> list[tuple[int, int, int, str]]:
    """The found parts, neighbours of one kind with only separators between them as one
    span (080、6624、1937 is one phone number, not three)."""
    out: list[tuple[int, int, int, str]] = []
    for (index, start, end), entity in sorted(found.items()):
        if out:
            last_index, last_start, last_end, last_entity = out[-1]
            if (
                last_index == index
                and last_entity == entity
                and _JOINT.fullmatch(texts[index], last_end, start) is not None
            ):
                out[-1] = (index, last_start, end, entity)
                continue
        out.append((index, start, end, entity))
    return out
