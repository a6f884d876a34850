"""Identifier recognizers, run the way the scanner runs them: normalise, match, apply
context, keep scores at or above the default threshold, map spans back to the original."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from detectors.context import apply_context
from detectors.normalize import normalize
from detectors.recognizers import pattern_recognizer_classes
from detectors.recognizers.bank_account import JpBankAccountRecognizer
from detectors.recognizers.base import JaPatternRecognizer
from detectors.recognizers.corporate_number import JpCorporateNumberRecognizer
from detectors.recognizers.credit_card import JpCreditCardRecognizer, known_issuer
from detectors.recognizers.driver_license import JpDriverLicenseRecognizer
from detectors.recognizers.employment_insurance import JpEmploymentInsuranceRecognizer
from detectors.recognizers.health_insurance import JpHealthInsuranceRecognizer
from detectors.recognizers.my_number import JpMyNumberRecognizer
from detectors.recognizers.passport import JpPassportRecognizer
from detectors.recognizers.pension_number import JpPensionNumberRecognizer
from detectors.recognizers.residence_card import JpResidenceCardRecognizer
from detectors.recognizers.resident_code import JpResidentCodeRecognizer
from detectors.settings import DEFAULT_THRESHOLD

CASES_FILE = Path(__file__).parent.parent / "data" / "recognizers" / "id_cases.yaml"

RECOGNIZERS: dict[str, type[JaPatternRecognizer]] = {
    "JP_MY_NUMBER": JpMyNumberRecognizer,
    "JP_CORPORATE_NUMBER": JpCorporateNumberRecognizer,
    "CREDIT_CARD": JpCreditCardRecognizer,
    "JP_BANK_ACCOUNT": JpBankAccountRecognizer,
    "JP_PASSPORT": JpPassportRecognizer,
    "JP_RESIDENCE_CARD": JpResidenceCardRecognizer,
    "JP_DRIVER_LICENSE": JpDriverLicenseRecognizer,
    "JP_PENSION_NUMBER": JpPensionNumberRecognizer,
    "JP_HEALTH_INSURANCE": JpHealthInsuranceRecognizer,
    "JP_EMPLOYMENT_INSURANCE": JpEmploymentInsuranceRecognizer,
    "JP_RESIDENT_CODE": JpResidentCodeRecognizer,
}


def scored(recognizers: list[JaPatternRecognizer], text: str) -> list[tuple[str, str, float]]:
    """(entity, original substring, score) of every result after context, any score."""
    norm = normalize(text)
    results = []
    for recognizer in recognizers:
        results.extend(recognizer.analyze(norm.text, [recognizer.ENTITY]))
    results = apply_context(norm.text, results, {r.name: r for r in recognizers})
    found = []
    for result in sorted(results, key=lambda r: (r.start, r.end, r.entity_type)):
        start, end = norm.to_original(result.start, result.end)
        found.append((result.entity_type, text[start:end], result.score))
    return found


def reported(recognizers: list[JaPatternRecognizer], text: str) -> list[tuple[str, str]]:
    """(entity, original substring) of the results at or above the default threshold."""
    return [(e, s) for e, s, score in scored(recognizers, text) if score >= DEFAULT_THRESHOLD]


def _load_cases() -> list[Any]:
    data = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    params = []
    for entity, cases in data.items():
        for case in cases:
            params.append(
                pytest.param(entity, case["text"], case["expect"], id=f"{entity}-{case['why']}")
            )
    return params


@pytest.mark.parametrize(("entity", "text", "expect"), _load_cases())
def test_recognizer_table(entity: str, text: str, expect: list[str]) -> None:
    recognizer = RECOGNIZERS[entity]()
    assert [s for _, s in reported([recognizer], text)] == expect


def test_every_recognizer_is_discovered_and_tabled() -> None:
    discovered = {cls.ENTITY for cls in pattern_recognizer_classes()}
    tabled = set(yaml.safe_load(CASES_FILE.read_text(encoding="utf-8")))
    assert set(RECOGNIZERS) <= discovered
    assert tabled == set(RECOGNIZERS)


# Across all recognizers at once: a value must come out as exactly one entity, and the
# 12-digit patterns must stay out of longer identifiers.
@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("マイナンバー 4111 1111 1111 1111", [("CREDIT_CARD", "4111 1111 1111 1111")]),
        ("カード番号4111111111111111で", [("CREDIT_CARD", "4111111111111111")]),
        ("マイナンバー 123456789018", [("JP_MY_NUMBER", "123456789018")]),
        ("免許証番号 301212345610", [("JP_DRIVER_LICENSE", "301212345610")]),
        ("法人番号 7123456789012", [("JP_CORPORATE_NUMBER", "7123456789012")]),
        ("注文番号 123456789018", []),
        ("JANコード 4901234567894", []),
        ("基礎年金番号 1234-567890", [("JP_PENSION_NUMBER", "1234-567890")]),
        ("TEL: 03-1234-5678", []),
        ("在留カード AB12345678CD", [("JP_RESIDENCE_CARD", "AB12345678CD")]),
        ("旅券 TK1234567", [("JP_PASSPORT", "TK1234567")]),
        ("2024-01-15 に ¥1,234,567 を支払い", []),
        ("雇用保険被保険者番号 1234-567890-1", [("JP_EMPLOYMENT_INSURANCE", "1234-567890-1")]),
        ("住民票コード 12345678901", [("JP_RESIDENT_CODE", "12345678901")]),
        (
            "ゆうちょ 記号10120 番号12345671",
            [("JP_BANK_ACCOUNT", "10120"), ("JP_BANK_ACCOUNT", "12345671")],
        ),
        (
            "保険証の記号 10120 番号 12345671",
            [("JP_HEALTH_INSURANCE", "10120"), ("JP_HEALTH_INSURANCE", "12345671")],
        ),
    ],
)
def test_one_entity_per_value(text: str, expect: list[tuple[str, str]]) -> None:
    everything = [cls() for cls in RECOGNIZERS.values()]
    assert reported(everything, text) == expect


# Scores, not just yes/no: where the keyword or check digit puts a value.
@pytest.mark.parametrize(
    ("entity", "text", "low", "high"),
    [
        ("JP_MY_NUMBER", "123456789018", 0.0, 0.5),
        ("JP_MY_NUMBER", "マイナンバー 123456789018", 0.6, 0.99),
        ("JP_DRIVER_LICENSE", "301212345670", 0.0, 0.5),
        ("JP_DRIVER_LICENSE", "301212345610", 0.0, 0.5),
        ("JP_PENSION_NUMBER", "1234567890", 0.0, 0.2),
        ("JP_PASSPORT", "AB1234567", 0.0, 0.5),
        ("JP_RESIDENCE_CARD", "AB12345678CD", 0.5, 0.6),
        ("CREDIT_CARD", "4111111111111111", 1.0, 1.0),
        ("CREDIT_CARD", "9900000000000002", 0.0, 0.5),
        ("JP_CORPORATE_NUMBER", "T7123456789012", 1.0, 1.0),
        ("JP_BANK_ACCOUNT", "普通 1234567", 0.9, 0.99),
        ("JP_BANK_ACCOUNT", "在庫 1234567", 0.0, 0.5),
    ],
)
def test_score_band(entity: str, text: str, low: float, high: float) -> None:
    scores = [score for _, _, score in scored([RECOGNIZERS[entity]()], text)]
    assert len(scores) == 1
    assert low <= scores[0] <= high


def test_driver_license_check_digit_only_raises_the_score() -> None:
    recognizer = JpDriverLicenseRecognizer()
    passing = scored([recognizer], "免許証番号 301212345610")
    failing = scored([recognizer], "免許証番号 301212345670")
    assert len(passing) == len(failing) == 1
    assert passing[0][2] > failing[0][2] >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("digits", "expect"),
    [
        ("4111111111111111", True),  # Visa
        ("4111111111111", False),  # Visa prefix, 13 digits: JAN codes look like this
        ("3530111333300000", True),  # JCB 3528-3589
        ("3527000000000000", False),  # just below the JCB range
        ("378282246310005", True),  # Amex, 15 digits
        ("3782822463100050", False),  # Amex prefix, 16 digits
        ("5555555555554444", True),
        ("5655555555554444", False),  # 56 is not Mastercard
        ("2720990000000000", True),
        ("2721000000000000", False),
        ("6200000000000005", True),  # UnionPay
        ("9900000000000002", False),
    ],
)
def test_known_issuer(digits: str, expect: bool) -> None:
    assert known_issuer(digits) is expect
