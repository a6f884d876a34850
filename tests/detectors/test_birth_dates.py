"""An old date on a person's line is a birth date; recent dates and lines without a
person stay dates (detectors.birth_dates)."""

from __future__ import annotations

import datetime

import pytest
from presidio_analyzer import RecognizerResult

from detectors.birth_dates import births_beside_names

TODAY = datetime.date(2026, 12, 1)


def _dob_score(text: str, name: str | None, date: str) -> float:
    results = [
        RecognizerResult("DATE_OF_BIRTH", text.index(date), text.index(date) + len(date), 0.3)
    ]
    if name is not None:
        results.append(
            RecognizerResult("PERSON", text.index(name), text.index(name) + len(name), 0.75)
        )
    out = births_beside_names(text, results, today=TODAY)
    return next(r.score for r in out if r.entity_type == "DATE_OF_BIRTH")


@pytest.mark.parametrize(
    ("text", "name", "date", "raised"),
    [
        ("春野 大　S50.8.8　血圧 162/98", "春野 大", "S50.8.8", True),
        ("安里 紗希,H3.9.14,33,4107-228391", "安里 紗希", "H3.9.14", True),
        ("E0633\tCarla Mendoza\t1989-07-15\t2021/01/12", "Carla Mendoza", "1989-07-15", True),
        ("E0633\tCarla Mendoza\t1989-07-15\t2021/01/12", "Carla Mendoza", "2021/01/12", False),
        ("佐藤 一郎　H30.4.1　配属", "佐藤 一郎", "H30.4.1", False),  # 8 years back
        ("S50.8.8 のデータを集計", None, "S50.8.8", False),  # no person on the line
        ("山田 花子\n会議は 1990/04/01 に開催", "山田 花子", "1990/04/01", False),  # another line
    ],
)
def test_old_dates_beside_a_name_are_births(
    text: str, name: str | None, date: str, raised: bool
) -> None:
    assert (_dob_score(text, name, date) >= 0.5) is raised
