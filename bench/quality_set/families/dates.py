"""Dates of birth (DATE_OF_BIRTH): western with 年月日, slashes or dashes; era (元年 too),
era abbreviations (H3.4.5), kanji numerals, full width, and the one-character era signs."""

from __future__ import annotations

from collections.abc import Callable

from bench.quality_set.engine import Form, FormFamily, Sample
from bench.quality_set.text import fullwidth, kanji_number
from bench.quality_set.values import Gen, random_birth, to_era

T_DOB = (
    "生年月日：{v}\n氏名：{name}\nこの情報で会員登録完了メールを作って。",
    "{sei}様（{v}生まれ）の保険証券の再発行手続きについて案内文を作成して。",
    "{name}さんの誕生日は{v}です。年齢を計算して、定年退職日を教えて。",
    "被保険者：{name}（{v}生）の給付金請求書の記入例を作って。",
    "扶養家族の生年月日 {v} から、扶養控除の対象になるか判定して。本人は{sei}さん。",
    "DOB: {v} / Name: {name_roma} の顧客データをCSVの1行にして。",
)
SQUARE_ERA = {"昭和": "㍼", "平成": "㍻", "令和": "㋿", "大正": "㍽"}


class Birth:
    """A drawn birth date and its era (year ``ey`` of ``era``, abbreviation ``abbr``)."""

    def __init__(self, y: int, m: int, d: int) -> None:
        self.y, self.m, self.d = y, m, d
        self.era, self.ey, self.abbr = to_era(y, m, d)


# form name -> how the date is written (record number i alternates some forms)
WRITERS: dict[str, Callable[[Birth, int], str]] = {
    "western": lambda b, i: f"{b.y}年{b.m}月{b.d}日",
    "western_slash": lambda b, i: f"{b.y}/{b.m:02d}/{b.d:02d}",
    "western_dash": lambda b, i: f"{b.y}-{b.m:02d}-{b.d:02d}",
    "era": lambda b, i: f"{b.era}{'元' if b.ey == 1 else b.ey}年{b.m}月{b.d}日",
    "gannen": lambda b, i: f"{b.era}{'元' if b.ey == 1 else b.ey}年{b.m}月{b.d}日",
    "era_abbrev": lambda b, i: (
        f"{b.abbr}{b.ey}.{b.m}.{b.d}" if i % 2 else f"{b.abbr}{b.ey}/{b.m}/{b.d}"
    ),
    "kanji_numeral": lambda b, i: (
        f"{b.era}{'元' if b.ey == 1 else kanji_number(b.ey)}年{kanji_number(b.m)}月"
        f"{kanji_number(b.d)}日"
    ),
    "fullwidth": lambda b, i: (
        fullwidth(f"{b.y}年{b.m}月{b.d}日")
        if i % 2
        else fullwidth(f"{b.era}{b.ey}年{b.m}月{b.d}日")
    ),
    "square_era": lambda b, i: f"{SQUARE_ERA[b.era]}{b.ey}年{b.m}月{b.d}日",
}


def _form(name: str, write: Callable[[Birth, int], str]) -> Form:
    def draw(g: Gen, i: int) -> Sample:
        r = g.r
        y, m, d = random_birth(r)
        if name == "gannen":  # the first year of 平成 (from 1月8日) or of 令和 (from 5月1日)
            if i % 2:
                y, m, d = 1989, r.randint(1, 12), r.randint(8, 28)
            else:
                y, m, d = 2019, r.randint(5, 12), r.randint(1, 28)
        return Sample(write(Birth(y, m, d), i))

    return Form(name, 6, draw)


DATES_OF_BIRTH = FormFamily(
    "DATE_OF_BIRTH", tuple(_form(n, w) for n, w in WRITERS.items()), templates=T_DOB
)
