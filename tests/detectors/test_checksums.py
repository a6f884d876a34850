"""Check-digit functions: published and hand-computed values next to one-digit-off ones."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detectors.checksums import (
    VALIDATORS,
    corporate_number_ok,
    driver_license_check_ok,
    icao_check_digit,
    icao_field_ok,
    insurer_number_ok,
    luhn_ok,
    my_number_ok,
)


@pytest.mark.parametrize(
    ("check", "value", "expect"),
    [
        # My Number: worked example of 番号法施行規則 art. 5, and hand-computed values.
        (my_number_ok, "123456789018", True),
        (my_number_ok, "123456789012", False),
        (my_number_ok, "615237485127", True),
        (my_number_ok, "615237485128", False),
        (my_number_ok, "987654321093", True),
        (my_number_ok, "987654321094", False),
        (my_number_ok, "110000000060", True),  # remainder 1 -> check digit 0, not 10
        (my_number_ok, "110000000061", False),
        (my_number_ok, "000000000000", True),  # remainder 0 -> check digit 0
        (my_number_ok, "12345678901", False),  # 11 digits
        (my_number_ok, "1234567890180", False),  # 13 digits
        (my_number_ok, "1234 5678 9018", False),  # separators belong to VALIDATORS
        (my_number_ok, "１２３４５６７８９０１８", False),  # full-width is normalised earlier
        # 法人番号: the check digit comes first.
        (corporate_number_ok, "7123456789012", True),
        (corporate_number_ok, "8123456789012", False),
        (corporate_number_ok, "4011001098993", True),  # published
        (corporate_number_ok, "4011001098994", False),
        (corporate_number_ok, "2120901007402", True),  # published
        (corporate_number_ok, "2120901007412", False),
        (corporate_number_ok, "123456789012", False),  # 12 digits
        # Luhn: test card numbers.
        (luhn_ok, "4111111111111111", True),
        (luhn_ok, "4111111111111112", False),
        (luhn_ok, "3530111333300000", True),
        (luhn_ok, "5555555555554444", True),
        (luhn_ok, "378282246310005", True),
        (luhn_ok, "378282246310006", False),
        (luhn_ok, "0", False),  # too short to mean anything
        (luhn_ok, "4111-1111-1111-1111", False),
        # Driver's licence (unofficial): the published sample 30 90 123456 -> 2.
        (driver_license_check_ok, "309012345620", True),
        (driver_license_check_ok, "309012345630", False),
        (driver_license_check_ok, "301212345610", True),
        (driver_license_check_ok, "301212345619", True),  # the reissue digit is not checked
        (driver_license_check_ok, "30121234561", False),
        # 保険者番号: the published 33120015, and an 8-digit one-off.
        (insurer_number_ok, "33120015", True),
        (insurer_number_ok, "33120016", False),
        (insurer_number_ok, "06130017", True),
        (insurer_number_ok, "06130018", False),
        (insurer_number_ok, "3312001", False),  # 7 digits
        # ICAO fields with their check digit (specimen passport of ICAO 9303).
        (icao_field_ok, "L898902C36", True),
        (icao_field_ok, "L898902C37", False),
        (icao_field_ok, "7408122", True),
        (icao_field_ok, "1204159", True),
        (icao_field_ok, "1204158", False),
        (icao_field_ok, "l898902C36", False),  # lower case is not MRZ
        (icao_field_ok, "6", False),
    ],
)
def test_check(check: Callable[[str], bool], value: str, expect: bool) -> None:
    assert check(value) is expect


@pytest.mark.parametrize(
    ("field", "digit"),
    # AB< = 10*7 + 11*3 + 0*1 = 103 -> 3
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("<<<<<<<<<", 0), ("AB<", 3)],
)
def test_icao_check_digit(field: str, digit: int) -> None:
    assert icao_check_digit(field) == digit


def test_icao_rejects_non_mrz_characters() -> None:
    with pytest.raises(ValueError):
        icao_check_digit("AB-12")


# For a check digit that is a function of the base, exactly one of the ten candidates
# passes, whatever the base: a check that accepts two or none is broken.
@pytest.mark.parametrize(
    ("check", "template", "base_length"),
    [
        (my_number_ok, "{base}{d}", 11),
        (corporate_number_ok, "{d}{base}", 12),
        (luhn_ok, "{base}{d}", 15),
        (insurer_number_ok, "{base}{d}", 7),
        (insurer_number_ok, "{base}{d}", 5),  # 国民健康保険: 6 digits
    ],
)
@pytest.mark.parametrize("seed", range(5))
def test_exactly_one_check_digit(
    check: Callable[[str], bool], template: str, base_length: int, seed: int
) -> None:
    base = "".join(str((seed * 7 + i * (seed + 3)) % 10) for i in range(base_length))
    passing = [d for d in "0123456789" if check(template.format(base=base, d=d))]
    assert len(passing) == 1


@pytest.mark.parametrize(
    ("name", "raw", "expect"),
    [
        ("my_number", "1234 5678 9018", True),
        ("my_number", "1234-5678-9012", False),
        ("corporate_number", "T7123456789012", True),
        ("corporate_number", "7-1234-5678-9012", True),
        ("corporate_number", "T7123456789013", False),
        ("luhn", "4111 1111 1111 1111", True),
        ("luhn", "4111 1111 1111 1112", False),
        ("driver_license", "3090-1234-5620", True),
        ("insurer_number", "保険者番号 33120015", True),
        ("insurer_number", "33-12-0016", False),
        ("icao", "L898902C36", True),
        ("icao", "L898902C37", False),
    ],
)
def test_validators_take_raw_matches(name: str, raw: str, expect: bool) -> None:
    assert VALIDATORS[name](raw) is expect


def test_validator_names() -> None:
    # Policies refer to these names; renaming one breaks user config.
    assert {
        "my_number",
        "corporate_number",
        "luhn",
        "driver_license",
        "insurer_number",
        "icao",
    } <= set(VALIDATORS)
