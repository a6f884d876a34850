"""Identifiers given in parts: ``前半は 8340 5512 … 後半は 1234``, ``上4桁は… 残りは…``.

Staff split a number to get it past a guard, or simply type it in two messages. The
parts are joined back only when the identifier's own label is in the conversation, and
only consecutive digit groups (nothing but words between them) are tried, 2 or 3 at a
time; a joined candidate must then pass the identifier's check (My Number check digit;
a valid phone number; Luhn with a known card prefix). So two order numbers in a prompt
are never one, while a My Number given in 2-3 parts is caught.

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
MAX_PARTS = 3
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
    ),
)

Part = tuple[int, int, int]  # (text index, start, end)


def split_values(texts: Sequence[str]) -> list[tuple[int, int, int, str]]:
    """Every part of an identifier that is only whole when its parts are joined."""
    kinds = [k for k in KINDS if any(k.label.search(t) for t in texts)]
    if not kinds:
        return []
    parts: list[tuple[Part, str]] = []
    for index, text in enumerate(texts):
        for m in _FRAGMENT.finditer(text):
            digits = re.sub(r"[^0-9]", "", m.group())
            parts.append(((index, m.start(), m.end()), digits))
    found: dict[Part, str] = {}
    for i in range(len(parts)):
        joined = ""
        for j in range(i, min(len(parts), i + MAX_PARTS)):
            joined += parts[j][1]
            if j == i:
                continue
            for kind in kinds:
                if len(joined) in kind.lengths and kind.check(joined):
                    for part, _digits in parts[i : j + 1]:
                        found.setdefault(part, kind.entity)
    return [(index, start, end, entity) for (index, start, end), entity in found.items()]
