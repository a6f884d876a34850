"""Addresses (ADDRESS) in nine written forms: 丁目番号, hyphens, kanji numerals, no
prefecture, with a building and room, rural 番地, Kyoto's 通 directions, Sapporo's 条 grid,
full width. Every form first draws a town and its block numbers (part of the seeded order)."""

from __future__ import annotations

from bench.quality_set.engine import Form, FormFamily, Sample
from bench.quality_set.text import fullwidth, kanji_number
from bench.quality_set.values import Gen
from bench.quality_set.vocabulary import AREAS, BUILDINGS, RURAL

T_ADDRESS = (
    "{name}様のご住所は {v} です。お詫び状の送付先として宛名書きを作って。",
    "現住所：{v}\nこの住所を英語表記に変換してください。",
    "お届け先 {v}（{sei}様）への配送が遅れています。お詫びメールを書いて。",
    "社員名簿の住所欄「{v}」を都道府県・市区町村・番地に分割するPythonを書いて。",
    "{sei}さんの引っ越し先は {v} です。通勤手当の再計算に必要な情報を教えて。",
)
KYOTO_STREETS = ["寺町通御池上る", "烏丸通四条下ル", "河原町通三条西入", "堀川通丸太町東入"]
KYOTO_TOWNS = ["上本能寺前町", "笋町", "大黒町"]


class _Town:
    """A town from AREAS and its 丁目, 番, 号."""

    def __init__(self, g: Gen) -> None:
        r = g.r
        self.pref, self.city, self.town, _ = r.choice(AREAS)
        self.c, self.bn, self.go = r.randint(1, 5), r.randint(1, 30), r.randint(1, 25)

    @property
    def hyphen(self) -> str:
        return f"{self.pref}{self.city}{self.town}{self.c}-{self.bn}-{self.go}"


def _block(g: Gen, i: int) -> Sample:
    t = _Town(g)
    return Sample(f"{t.pref}{t.city}{t.town}{t.c}丁目{t.bn}番{t.go}号")


def _hyphen(g: Gen, i: int) -> Sample:
    return Sample(_Town(g).hyphen)


def _kanji_numeral(g: Gen, i: int) -> Sample:
    t = _Town(g)
    numbers = f"{kanji_number(t.c)}丁目{kanji_number(t.bn)}番{kanji_number(t.go)}号"
    return Sample(f"{t.pref}{t.city}{t.town}{numbers}")


def _no_prefecture(g: Gen, i: int) -> Sample:
    t = _Town(g)
    return Sample(f"{t.city}{t.town}{t.c}-{t.bn}-{t.go}")


def _building(g: Gen, i: int) -> Sample:
    t, r = _Town(g), g.r
    return Sample(f"{t.hyphen} {r.choice(BUILDINGS)}{r.randint(1, 9)}0{r.randint(1, 9)}号室")


def _banchi(g: Gen, i: int) -> Sample:
    t, r = _Town(g), g.r
    pref, city, town, _ = r.choice(RURAL)
    return Sample(f"{pref}{city}{town}{r.randint(100, 3999)}番地{r.choice(['', 'の' + str(t.go)])}")


def _kyoto(g: Gen, i: int) -> Sample:
    _Town(g)
    r = g.r
    street = r.choice(KYOTO_STREETS)
    return Sample(f"京都市中京区{street}{r.choice(KYOTO_TOWNS)}{r.randint(100, 700)}番地")


def _sapporo(g: Gen, i: int) -> Sample:
    _Town(g)
    r = g.r
    return Sample(
        f"札幌市中央区北{r.randint(1, 20)}条西{r.randint(1, 15)}丁目{r.randint(1, 20)}番地"
    )


def _fullwidth(g: Gen, i: int) -> Sample:
    return Sample(fullwidth(_Town(g).hyphen))


ADDRESSES = FormFamily(
    "ADDRESS",
    tuple(
        Form(name, 5, draw)
        for name, draw in (
            ("block", _block),
            ("hyphen", _hyphen),
            ("kanji_numeral", _kanji_numeral),
            ("no_prefecture", _no_prefecture),
            ("building", _building),
            ("banchi", _banchi),
            ("kyoto", _kyoto),
            ("sapporo", _sapporo),
            ("fullwidth", _fullwidth),
        )
    ),
    templates=T_ADDRESS,
)
