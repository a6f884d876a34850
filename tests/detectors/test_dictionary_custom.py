"""Company dictionaries and custom patterns: matching rules, speed bound, refusal of bad
patterns at build time."""

from __future__ import annotations

import time

import pytest

from detectors.custom import CustomPatternError, build_custom_recognizers
from detectors.dictionary import DictionaryRecognizer
from detectors.engine import Scanner
from detectors.settings import CustomPattern, DetectionSettings, EntitySettings


def spans(recognizer: DictionaryRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ACME社との契約", ["ACME"]),
        ("株式会社ACMEの件", ["ACME"]),
        ("ACMEXとは別会社", []),
        ("acme と ＡＣＭＥ", ["acme", "ＡＣＭＥ"]),
        ("山田商事株式会社から", ["山田商事株式会社"]),  # longest wins over 山田商事
        ("プロジェクト黒潮の進捗", ["黒潮"]),
    ],
)
def test_dictionary_matching(text: str, expected: list[str]) -> None:
    from detectors.normalize import normalize

    recognizer = DictionaryRecognizer("CUSTOMER", ["ACME", "山田商事", "山田商事株式会社", "黒潮"])
    n = normalize(text)
    found = [text[slice(*n.to_original(r.start, r.end))] for r in recognizer.analyze(n.text, [])]
    assert found == expected


def test_hundred_thousand_terms_do_not_slow_a_scan() -> None:
    terms = [f"顧客{i:06d}商事" for i in range(100_000)]
    recognizer = DictionaryRecognizer("CUSTOMER", terms)
    assert recognizer.size == 100_000
    text = "本日は顧客004242商事様と打ち合わせ。" * 1000
    began = time.perf_counter()
    for _ in range(5):
        hits = recognizer.analyze(text, [])
    per_scan = (time.perf_counter() - began) / 5
    assert len(hits) == 1000
    assert per_scan < 0.5  # generous bound; the benchmark reports the real figure


def test_dictionary_through_the_scanner(scanner: Scanner) -> None:
    settings = DetectionSettings(dictionaries={"CODENAME": ("黒潮",)})
    text = "新製品（コードネーム黒潮）の発売日"
    assert ("CODENAME", "黒潮") in {
        (f.entity_type, text[f.start : f.end]) for f in scanner.scan(text, settings)
    }


def test_custom_pattern_with_validator(scanner: Scanner) -> None:
    settings = DetectionSettings(
        entities={"EMPLOYEE_ID": EntitySettings()},
        custom_patterns=(
            CustomPattern("employee", "EMPLOYEE_ID", r"EMP-[0-9]{6}", 0.7),
            CustomPattern("card_like", "EMPLOYEE_ID", r"[0-9]{16}", 0.7, validator="luhn"),
        ),
    )
    text = "社員番号 EMP-123456、カード 4111111111111111 と 4111111111111112"
    found = {text[f.start : f.end] for f in scanner.scan(text, settings)}
    assert found == {"EMP-123456", "4111111111111111"}


@pytest.mark.parametrize(
    ("regex", "validator", "message"),
    [
        ("(unclosed", None, "invalid regex"),
        ("a*", None, "empty string"),
        ("(a+)+$", None, "too slow"),
        ("[0-9]{4}", "no_such_check", "unknown validator"),
    ],
)
def test_bad_custom_patterns_are_refused(regex: str, validator: str | None, message: str) -> None:
    with pytest.raises(CustomPatternError, match=message):
        build_custom_recognizers((CustomPattern("bad", "X_ID", regex, 0.6, validator=validator),))
