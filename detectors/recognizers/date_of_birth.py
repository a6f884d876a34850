"""DATE_OF_BIRTH: Western (1985年7月3日, 1985/07/03, 1985-07-03, 1985.7.3) and era dates
(明治/大正/昭和/平成/令和 incl. 元年, and S55.3.15 / H2/4/1), kanji numerals too.

A date alone is not personal data (meetings, deadlines), so the pattern score is low and
only a birth keyword (生年月日, 誕生日, 生まれ, DOB…) nearby makes it a birth date; a date
written directly before 生 (S60.7.3生) is one by itself.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer

_KNUM = "[〇一二三四五六七八九十]{1,4}"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
# 1969年（昭和44年）8月30日, 1997年の、3月3日 (spoken): a note or a filler after the year
_YEAR_NOTE = r"(?:[（(](?:明治|大正|昭和|平成|令和)(?:元|[0-9]{1,2})年[）)]|の、?)?"
_WESTERN = (
    # (1999（平成11）年7月7日: the era year in brackets before 年 too)
    r"(?<![0-9])(?:19|20)?[0-9]{2}(?:[（(](?:明治|大正|昭和|平成|令和)(?:元|[0-9]{1,2})[）)])?\s?(?:年"
    + _YEAR_NOTE
    + r"\s?"
    + _MONTH
    + r"\s?月\s?"
    + _DAY
    + r"\s?日?"
    r"|[/.\-]" + _MONTH + r"[/.\-]" + _DAY + r")(?![0-9])"
)
_ERA = (
    r"(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])(?:Meiji|Taisho|Showa|Heisei|Reiwa)"
    r"|(?<![A-Za-z])[MTSHR]\.?)\s?(?:元|[0-9]{1,2})\s?"
    r"(?:年\s?"
    + _MONTH
    + r"\s?月\s?"
    + _DAY
    + r"\s?日?|(?P<esep>[./\-・])\s?"  # S47・06・15 as OCR and forms write it too
    + _MONTH
    + r"\s?(?P=esep)\s?"
    + _DAY
    + r")(?![0-9])"
)
_KANJI = "(?:明治|大正|昭和|平成|令和)?(?:元|" + _KNUM + ")年" + _KNUM + "月" + _KNUM + "日"
_EN_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ENGLISH = (
    # (July 4th, 1992: an ordinal day)
    r"(?<![A-Za-z0-9])(?:"
    + _EN_MONTH
    + r" (?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?,? (?:19|20)[0-9]{2}"
    r"|(?:0?[1-9]|[12][0-9]|3[01]) " + _EN_MONTH + r",? (?:19|20)[0-9]{2})(?![0-9])"
)
_BIRTH_AFTER = r"(?=\s?(?:生まれ|生(?![産活徒命成地協])|出生|誕生))"


class JpDateOfBirthRecognizer(JaPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("dob_era_born", "(?:" + _ERA + "|" + _KANJI + ")" + _BIRTH_AFTER, 0.85),
        Pattern("dob_western_born", _WESTERN + _BIRTH_AFTER, 0.85),
        # b. 1972-02-29, born 3 May 1990: the English birth mark before the date
        Pattern(
            "dob_born_before",
            # b. only after a comma or a bracket (Tanabe, b. 1972-02-29), not "section b."
            r"(?:(?<=, )b\.|(?<=[(（])b\.|(?<![A-Za-z])(?:born|DOB:?|D\.O\.B\.?:?"
            r"|(?i:date of birth|birth ?date|birthday):?))\s?(?P<v>"
            + _WESTERN
            + "|"
            + _ENGLISH
            + "|"
            + _ERA
            # DOB: 07/22/1994 or 14/08/1993 (month or day first, as forms abroad write it)
            + r"|(?<![0-9])(?:0?[1-9]|[12][0-9]|3[01])(?P<sep>[/.\-])(?:0?[1-9]|[12][0-9]|3[01])(?P=sep)"
            + r"(?:19|20)[0-9]{2}(?![0-9])"
            + ")",
            0.85,
        ),
        Pattern("date_era", _ERA, 0.3),
        Pattern("date_kanji", _KANJI, 0.3),
        Pattern("date_western", _WESTERN, 0.25),
        # February 28, 2004 / 15 Jan 1952 / 14 March 1988: a birth word makes them one.
        Pattern("date_english", _ENGLISH, 0.3),
        # 19901103 in a 生年月日 column, date(1989, 11, 23) after birth=: a birth word or
        # header makes them one
        Pattern(
            "date_compact",
            r"(?<![0-9])(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9])",
            0.2,
        ),
        # （昭和8年生まれ）: a year of birth alone, said so in brackets after a name
        Pattern(
            "dob_year_born",
            r"(?<=[（(])(?:(?:明治|大正|昭和|平成|令和)(?:元|[0-9]{1,2})|(?:19|20)[0-9]{2})年"
            r"(?=生まれ|生[）)])",
            0.7,
        ),
        # 誕生日（3月21日）, 誕生日は3月21日: a birthday without its year
        Pattern(
            "birthday_no_year",
            r"(?<=誕生日[はがの:：(（\s]{0,3})(?:0?[1-9]|1[0-2])月(?:0?[1-9]|[12][0-9]|3[01])日",
            0.7,
        ),
        Pattern(
            "date_call",
            r"(?i:date(?:time)?)\((?P<v>(?:19|20)[0-9]{2}, ?(?:0?[1-9]|1[0-2]), ?"
            r"(?:0?[1-9]|[12][0-9]|3[01]))\)",
            0.25,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "生年月日",
        "誕生日",
        "生まれ",
        "出生",
        "DOB",
        "Date of Birth",
        "birth",
        "born",
        "Birthday",
        "歳",
        "年齢",
        "誕生",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "契約日",
        "締切",
        "締め切り",
        "納期",
        "会議",
        "開催",
        "発行日",
        "期限",
        "予定",
        "入社",
        "設立",
        "創業",
        "作成日",
        "更新日",
        "届出日",
        "支払",
        "請求日",
        "有効期限",
        "開始",
        "終了",
    ]
    CONTEXT_WINDOW: ClassVar[int] = 24
    # A date that carries its own birth mark (昭和52年8月8日生, born 3 May 1990, DOB: …).
    _SELF_EVIDENT: ClassVar[frozenset[str]] = frozenset(
        {"dob_era_born", "dob_western_born", "dob_born_before", "dob_year_born", "birthday_no_year"}
    )

    def spared_by_negative_context(self, value: str, pattern: str) -> bool:
        """A birth mark on the date outweighs a word like 支払 nearby (給与の支払を受ける者：
        来栖 勝（昭和52年8月8日生）)."""
        return pattern in self._SELF_EVIDENT or super().spared_by_negative_context(value, pattern)

    # 生まれ, 生, 出生, 誕生 all contain 生; a Western date has 年 or a separator after
    # its year digits; a kanji date has 年 and a numeral before 月.
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "dob_era_born": ("生",),
        "dob_western_born": ("生",),
        "dob_born_before": ("b.", "born", "dob", "d.o.b", "birth"),
        "date_kanji": "年[〇一二三四五六七八九十]+月",
        "date_western": r"[0-9)）]\s?年|[0-9][/.\-][0-9]{1,2}[/.\-][0-9]",
        # an English month word (the pattern ignores case) beside a day, and a year:
        # "May 3, 1990" holds "3, 1990", "3 May 1990" holds "3 May"
        "date_english": (
            r"[0-9](?:st|nd|rd|th)?,? (?:19|20)[0-9]{2}"
            r"|[0-9] (?i:jan|feb|mar|apr|may|ju[nl]|aug|sep|oct|nov|dec)"
        ),
        "date_compact": r"(?:19|20)[0-9]{6}",
        "date_call": ("date(", "datetime("),
        "dob_year_born": ("生",),
        "birthday_no_year": ("誕生日",),
    }
