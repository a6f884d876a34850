"""Prefilters only skip work: wherever a pattern matches, its prefilter passes.

A wrong prefilter would silently drop findings, so each one is checked against its
pattern on the labelled quality set and on texts Hypothesis builds from the pieces the
patterns are made of (digits, separators, 年月日, prefectures, 口座, markers…).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.normalize import normalize
from detectors.recognizers import pattern_recognizer_classes
from detectors.recognizers.base import JaPatternRecognizer
from detectors.recognizers.sensitive_info import JpSensitiveInfoRecognizer, _words

QUALITY_DIR = Path(__file__).parents[1] / "data" / "quality"

PIECES = [
    *"0123456789",
    "19",
    "20",
    "85",
    "07",
    "12",
    "31",
    "1234567",
    "0123456",
    "10120",
    " ",
    "\u3000",
    "-",
    "/",
    ".",
    ":",
    "：",
    "\n",
    "、",
    "。",
    "(",
    ")",
    "【",
    "】",
    "［",
    "］",
    "◆",
    "※",
    "#",
    "年",
    "月",
    "日",
    "生",
    "生まれ",
    "誕生",
    "出生",
    "元",
    "一",
    "二",
    "三",
    "十",
    "〇",
    "明治",
    "昭和",
    "平成",
    "令和",
    "S",
    "H",
    "R",
    "s",
    "h",
    "大阪府",
    "東京都",
    "北海道",
    "神奈川県",
    "大阪市",
    "北区",
    "港区",
    "芝公園",
    "町",
    "村",
    "郡",
    "梅田",
    "丁目",
    "番地",
    "番",
    "号",
    "号室",
    "ビル",
    "5F",
    "普通",
    "当座",
    "預金",
    "口座",
    "口座番号",
    "番号",
    "記号",
    "支店",
    "円",
    "〒",
    "病",
    "うつ病",
    "症候群",
    "障害",
    "罪",
    "がん",
    "窃盗",
    "教",
    "キリスト",
    "神道",
    "創価学会",
    "社外秘",
    "極秘",
    "秘",
    "限り",
    "社内限定",
    "取扱注意",
    "禁止",
    "Confidential",
    "CONFIDENTIAL",
    "internal use only",
    "Do Not Distribute",
    "TLP:RED",
    "佐藤",
    "様",
    "の",
    "は",
    "を",
    "です",
    "A",
    "x",
    "Jan",
    "March",
    "may",
    "Sept.",
    ",",
    "1990",
    "sato",
    " at ",
    "(at)",
    "アット",
    "★",
    "example.co.jp",
]


def _prefiltered() -> list[tuple[JaPatternRecognizer, str, regex.Pattern[str]]]:
    out = []
    for cls in pattern_recognizer_classes():
        recognizer = cls()
        for pattern, compiled in recognizer._compiled:
            if pattern.name in recognizer._prefilters:
                out.append((recognizer, pattern.name, compiled))
    return out


PREFILTERED = _prefiltered()


def _passes(recognizer: JaPatternRecognizer, name: str, text: str) -> bool:
    rule = recognizer._prefilters[name]
    if isinstance(rule, tuple):
        lowered = text.lower()
        return any(word in lowered for word in rule)
    return rule.search(text) is not None


def _check(text: str) -> None:
    for recognizer, name, compiled in PREFILTERED:
        if compiled.search(text) is not None:
            assert _passes(recognizer, name, text), (recognizer.name, name, text)


def test_there_are_prefilters_to_check() -> None:
    names = {(r.name, n) for r, n, _ in PREFILTERED}
    assert ("JpDateOfBirthRecognizer", "dob_western_born") in names
    assert ("JpAddressRecognizer", "address_city") in names
    assert len(names) >= 15


def _line_local() -> list[tuple[JaPatternRecognizer, str, regex.Pattern[str]]]:
    return [(r, n, c) for r, n, c in PREFILTERED if n in r._line_local]


def test_line_local_patterns_find_on_their_lines_what_they_find_in_the_text() -> None:
    from detectors.recognizers.base import lines_with, on_lines

    checked = {(r.name, n) for r, n, _ in _line_local()}
    assert ("JpSecretRecognizer", "assigned_secret") in checked
    assert ("JpPhoneRecognizer", "labelled") in checked
    matched = 0
    for text in _quality_texts():
        norm = normalize(text).text
        lowered = norm.lower()
        for recognizer, name, compiled in _line_local():
            whole = [m.span() for m in compiled.finditer(norm)]
            assert all("\n" not in norm[a:b] for a, b in whole), (recognizer.name, name)
            rule = recognizer._prefilters[name]
            assert isinstance(rule, tuple)
            if not any(w in lowered for w in rule):
                assert not whole
                continue
            lines = [m.span() for m in on_lines(compiled, norm, lines_with(lowered, rule))]
            assert lines == whole, (recognizer.name, name, norm[:80])
            matched += bool(whole)
    assert matched > 100


def _quality_texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(QUALITY_DIR.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def test_prefilters_hold_on_the_quality_set() -> None:
    texts = [
        json.loads(line)["text"]
        for path in sorted(QUALITY_DIR.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    assert len(texts) > 2000
    matched = 0
    for text in texts:
        norm = normalize(text).text
        _check(norm)
        matched += any(c.search(norm) for _, _, c in PREFILTERED)
    assert matched > 100  # the check above did real work


# Values each of these patterns reports; random texts rarely assemble them.
MATCHING = {
    "email_obfuscated": [
        "sato at example.co.jp",
        "sato(at)example.co.jp",
        "sato アット example.jp",
    ],
    "date_english": ["May 3, 1990", "3 March 1990", "Sept. 9, 2001", "DEC 24 1999"],
    "address_city_ward": ["横浜市青葉区美しが丘2-19-6", "さいたま市大宮区桜木町1丁目7番5号"],
    "zengin_record": [
        "0009,123,1,0482219,アオヤギ タツヤ,285000",
        "2,0009,新宿,281,1,0638174,イマイズミ ユウコ,245000",
    ],
    "address_abroad": [
        "Room 1208, Tower 2, 88 Queensway, Admiralty, Hong Kong",
        "42 MG Road, Bengaluru 560001, India",
    ],
    "address_romaji": [
        "1-1-3 Umeda, Kita-ku, Osaka",
        "Room 203, Leopalace Kanazawa, 2-5-1 Hirooka, Kanazawa, Ishikawa 920-0031",
    ],
    "dob_born_before": ["DOB: 14/08/1993", "Date of Birth: 22.07.1994", "born 3 May 1990"],
    "spaced_pin": ["passcode 442817", "暗証番号 4827", "PIN 0921"],
    "login_call": ['s.login("sato", "Hana0612")', 'auth=("api", "Tk8823xyz")'],
    "bitlocker_key": ["418209-331254-660187-092411-573306-118790-245631-607744"],
}


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, ts in MATCHING.items() for t in ts])
def test_prefilters_pass_where_their_pattern_matches(name: str, text: str) -> None:
    found = [(r, c) for r, n, c in PREFILTERED if n == name]
    assert found, name
    for recognizer, compiled in found:
        assert compiled.search(text) is not None, (name, text)  # the example is one
        assert _passes(recognizer, name, text), (name, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_prefilters_hold_on_built_texts(text: str) -> None:
    _check(text)


def test_a_prefilter_naming_no_pattern_is_refused() -> None:
    from detectors.recognizers.date_of_birth import JpDateOfBirthRecognizer

    class Broken(JpDateOfBirthRecognizer):
        PREFILTERS = {"no_such_pattern": ("生",)}

    with pytest.raises(ValueError, match="no_such_pattern"):
        Broken()


# -- the keyword list: Aho-Corasick gives what the regex alternation gave ----------------
_SENSITIVE = JpSensitiveInfoRecognizer()
_ALTERNATION = regex.compile("|".join(regex.escape(w) for w in _words()), regex.IGNORECASE)
_TERM_PIECES = [*_words()[::3], "HIV", "hiv", "Adhd", "の", "さん", "、", "陽性", "ADHD検査"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TERM_PIECES), max_size=12).map("".join))
def test_keyword_automaton_matches_the_alternation(text: str) -> None:
    assert _SENSITIVE._terms_in(text) == [m.span() for m in _ALTERNATION.finditer(text)]


def test_keywords_are_found_in_a_sentence() -> None:
    text = "佐藤さんはうつ病で休職中、HIV検査も受けた。"
    found = {text[r.start : r.end] for r in _SENSITIVE.analyze(text, ["SENSITIVE_PERSONAL_INFO"])}
    assert {"うつ病", "HIV"} <= found
