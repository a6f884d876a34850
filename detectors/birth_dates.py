"""Dates beside a person: a birth date without the word for one.

A date alone scores below the threshold (meetings, deadlines). In a record of a person
(a table row, a list line: 春野 大　S50.8.8　血圧 162/98, 安里 紗希,H3.9.14,33) an old
date beside the name is that person's birth date: a Shōwa (or earlier) date, or any date
at least ``MIN_AGE`` years back. Recent dates on the line (a hire date, a visit) stay
dates, and a date near a word for another date (契約日, 入社) was dropped by context
before this runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import regex as re
from presidio_analyzer import RecognizerResult

MIN_AGE = 16
SCORE = 0.6
_OLD_ERA = re.compile(r"(?:明治|大正|昭和|(?-i:[MTS])\.?\s?[0-9元]|Meiji|Taisho|Showa)")
_HEISEI = re.compile(r"(?:平成|(?-i:H)\.?)\s?([0-9]{1,2}|元)")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


def _old(value: str, this_year: int) -> bool:
    if _OLD_ERA.match(value):
        return True
    heisei = _HEISEI.match(value)
    if heisei:
        year = 1 if heisei.group(1) == "元" else int(heisei.group(1))
        return 1988 + year <= this_year - MIN_AGE
    western = _YEAR.search(value)
    return western is not None and int(western.group(1)) <= this_year - MIN_AGE


def births_beside_names(
    text: str, results: Iterable[RecognizerResult], today: datetime.date | None = None
) -> list[RecognizerResult]:
    """``results`` with each weak date on a line that holds a person raised to a birth
    date when it is old enough to be one."""
    results = list(results)
    names = [r for r in results if r.entity_type == "PERSON" and r.score >= 0.5]
    if not names:
        return results
    this_year = (today or datetime.date.today()).year
    out = []
    for r in results:
        if r.entity_type == "DATE_OF_BIRTH" and r.score < SCORE:
            lo = text.rfind("\n", 0, r.start) + 1
            hi = text.find("\n", r.end)
            hi = len(text) if hi < 0 else hi
            if any(lo <= n.start and n.end <= hi for n in names) and _old(
                text[r.start : r.end], this_year
            ):
                r = RecognizerResult(
                    r.entity_type,
                    r.start,
                    r.end,
                    SCORE,
                    recognition_metadata=r.recognition_metadata,
                )
        out.append(r)
    return out
