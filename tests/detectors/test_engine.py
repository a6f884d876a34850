"""The scanner as a whole: findings carry offsets into the ORIGINAL text, values split
across segments are caught at the seam, thresholds, allow-lists and entity selection
come from the settings, and a failing recognizer fails the scan (never a silent skip)."""

from __future__ import annotations

import pytest

from detectors.engine import ScanCache, Scanner
from detectors.settings import DetectionSettings, EntitySettings
from detectors.types import Finding, ScanError

DEFAULT = DetectionSettings()


def values(text: str, findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.entity_type, text[f.start : f.end]) for f in findings}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "社員のマイナンバー６１５２ ３７４８ ５１２７を登録",
            ("JP_MY_NUMBER", "６１５２ ３７４８ ５１２７"),
        ),
        ("マイナンバー：6152\u200b3748\u200b5127", ("JP_MY_NUMBER", "6152\u200b3748\u200b5127")),
        (
            "カード番号４１１１ー１１１１ー１１１１ー１１１１で決済",
            ("CREDIT_CARD", "４１１１ー１１１１ー１１１１ー１１１１"),
        ),
        ("山本健一さんに連絡", ("PERSON", "山本健一")),
        ("ｻﾄｳ ｹﾝｲﾁ様宛て", ("PERSON", "ｻﾄｳ ｹﾝｲﾁ")),
    ],
)
def test_findings_point_into_the_original_text(
    scanner: Scanner, text: str, expected: tuple[str, str]
) -> None:
    assert expected in values(text, scanner.scan(text, DEFAULT))


def test_findings_never_carry_the_value(scanner: Scanner) -> None:
    text = "マイナンバー 615237485127"
    for f in scanner.scan(text, DEFAULT):
        assert "615237485127" not in repr(f) and "615237485127" not in str(f.to_dict())


def test_value_split_across_segments_is_found_at_the_seam(scanner: Scanner) -> None:
    texts = ["マイナンバーは 6152 3748", "5127 です"]
    found = scanner.scan_segments(texts, DEFAULT)
    parts = {
        (f.segment, texts[f.segment][f.start : f.end])
        for f in found
        if f.entity_type == "JP_MY_NUMBER"
    }
    assert parts == {(0, "6152 3748"), (1, "5127")}


def test_no_seam_finding_when_each_half_is_harmless_text(scanner: Scanner) -> None:
    texts = ["会議は3月", "4日です"]
    assert scanner.scan_segments(texts, DEFAULT) == []


def test_only_wanted_entities_are_reported(scanner: Scanner) -> None:
    text = "山本健一さん マイナンバー 615237485127"
    only_person = DetectionSettings(entities={"PERSON": EntitySettings()})
    assert {f.entity_type for f in scanner.scan(text, only_person)} == {"PERSON"}


def test_threshold_drops_low_scores(scanner: Scanner) -> None:
    text = "佐藤が対応します"  # a lone surname scores just over 0.5
    strict = DetectionSettings(entities={"PERSON": EntitySettings(threshold=0.9)})
    assert scanner.scan(text, DEFAULT)
    assert scanner.scan(text, strict) == []


def test_allow_list_keeps_the_company_number(scanner: Scanner) -> None:
    text = "代表番号は03-5555-0123、担当携帯は090-2345-6789です"
    allow = DetectionSettings(
        entities={"PHONE_NUMBER": EntitySettings(allow_list=("03-5555-0123",))}
    )
    found = values(text, scanner.scan(text, allow))
    assert ("PHONE_NUMBER", "03-5555-0123") not in found


def test_scan_cache_answers_the_history(scanner: Scanner) -> None:
    cache = ScanCache()
    texts = ["山本健一さんへ", "本日の議事録です"]
    first = scanner.scan_segments(texts, DEFAULT, cache)
    misses = cache.misses
    second = scanner.scan_segments(texts, DEFAULT, cache)
    assert first == second
    assert cache.misses == misses and cache.hits >= 2


def test_a_recognizer_that_raises_fails_the_scan(scanner: Scanner, monkeypatch) -> None:
    recognizer = scanner._patterns[0]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(recognizer, "analyze", broken)
    with pytest.raises(ScanError):
        scanner.scan("マイナンバー 615237485127", DEFAULT)


def test_regex_timeout_fails_the_scan(scanner: Scanner, monkeypatch) -> None:
    import detectors.recognizers.base as base

    monkeypatch.setattr(base, "REGEX_TIMEOUT_SECONDS", 1e-9)
    with pytest.raises(ScanError):
        scanner.scan("1" * 20000, DEFAULT)


def test_long_text_is_scanned_to_the_end(scanner: Scanner) -> None:
    # Longer than Sudachi's 49,149-byte limit: chunks must cover everything.
    filler = "本日の会議では来期の予算について議論しました。" * 1500
    text = filler + "山本健一さんのマイナンバーは615237485127です。"
    found = values(text, scanner.scan(text, DEFAULT))
    assert ("JP_MY_NUMBER", "615237485127") in found
    assert ("PERSON", "山本健一") in found


@pytest.mark.parametrize(
    "text, runs_ner",
    [
        ("面談には林部長と森課長が同席します。", False),  # surname + title: the rules settle it
        ("担当の佐藤健一から折り返します。", False),
        ("会議の議事録は悠真がまとめます。", True),  # a given name alone: GiNZA decides
    ],
)
def test_fast_mode_runs_ner_only_where_the_rules_are_unsure(
    scanner: Scanner, text: str, runs_ner: bool
) -> None:
    assert (scanner.nlp_engine.analyze(text, "fast").ner_chars > 0) is runs_ner


def test_rules_mode_runs_no_ner_and_counts_the_unsure_candidate(scanner: Scanner) -> None:
    """rules (the default): where fast would run GiNZA, the weak candidate is a name."""
    text = "会議の議事録は悠真がまとめます。"  # a given name alone
    assert scanner.nlp_engine.analyze(text, "fast").ner_chars > 0
    artifacts = scanner.nlp_engine.analyze(text, "rules")
    assert artifacts.ner_chars == 0 and artifacts.ner_spans == []
    assert artifacts.unresolved, "the window GiNZA would have read is marked unresolved"
    found = values(text, scanner.scan(text, DetectionSettings(mode="rules")))
    assert ("PERSON", "悠真") in found


def test_a_one_character_surname_after_a_label_is_settled_by_the_rules(
    scanner: Scanner,
) -> None:
    text = "担当の林から折り返します。"  # 林 is also a word (a wood), and a surname
    assert scanner.nlp_engine.analyze(text, "fast").ner_chars == 0
    assert ("PERSON", "林") in values(text, scanner.scan(text, DEFAULT))


def test_rules_mode_leaves_text_without_name_signals_alone(scanner: Scanner) -> None:
    text = "来期の予算について議論しました。資料は共有フォルダにあります。"
    assert scanner.nlp_engine.analyze(text, "rules").unresolved == []
    assert scanner.scan(text, DetectionSettings(mode="rules")) == []
