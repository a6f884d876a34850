"""Check-digit algorithms for Japanese and international identifiers, as pure functions.

The ``*_ok`` functions take a string of ASCII digits and return False for anything else
(wrong length, letters, separators); :data:`VALIDATORS` wraps them for raw matched text.
Passing a check is weak evidence on its own: about one random number in ten passes a
mod-10/11 check, which is why recognizers still want a context word for most of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NON_DIGITS = re.compile(r"[^0-9]")

# 番号法施行規則 art. 5: weights for the 11 base digits, read left to right.
_MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Unofficial, reverse-engineered: weights for digits 1-10 of a driver's licence number.
_DRIVER_LICENSE_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ICAO_WEIGHTS = (7, 3, 1)


def _digits_of_length(value: str, *lengths: int) -> bool:
    # str.isdigit() also accepts "①" and full-width digits; only ASCII is meaningful here.
    return len(value) in lengths and value.isascii() and value.isdigit()


def digits_only(value: str) -> str:
    """The ASCII digits of ``value``, in order (separators, letters and spaces dropped)."""
    return _NON_DIGITS.sub("", value)


def my_number_check_digit(base: str) -> int:
    """Check digit for the 11 base digits of a My Number (個人番号)."""
    total = sum(int(d) * w for d, w in zip(base, _MY_NUMBER_WEIGHTS, strict=True))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def my_number_ok(digits: str) -> bool:
    """True for 12 ASCII digits whose last digit is the My Number check digit."""
    if not _digits_of_length(digits, 12):
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


def corporate_number_check_digit(base: str) -> int:
    """Check digit (the FIRST digit) for the 12 base digits of a 法人番号."""
    # From the right, odd positions weigh 1 and even ones 2; the mod is taken of the sum.
    total = sum(int(d) * (2 if n % 2 == 0 else 1) for n, d in enumerate(reversed(base), 1))
    return 9 - total % 9


def corporate_number_ok(digits: str) -> bool:
    """True for 13 ASCII digits whose first digit is the 法人番号 check digit."""
    if not _digits_of_length(digits, 13):
        return False
    return corporate_number_check_digit(digits[1:]) == int(digits[0])


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) over ASCII digits; at least two digits are required."""
    if len(digits) < 2 or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def driver_license_check_ok(digits: str) -> bool:
    """Unofficial check digit (11th of 12 digits) of a driver's licence number.

    Not published by the 警察庁: use it to raise a score, never to reject a match.
    """
    if not _digits_of_length(digits, 12):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:10], _DRIVER_LICENSE_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[10])


def icao_check_digit(value: str) -> int:
    """ICAO 9303 check digit of an MRZ field: weights 7-3-1, A-Z = 10-35, ``<`` = 0.

    Raises ValueError on a character an MRZ cannot hold (lower case included).
    """
    total = 0
    for index, char in enumerate(value):
        if "0" <= char <= "9":
            number = ord(char) - ord("0")
        elif "A" <= char <= "Z":
            number = ord(char) - ord("A") + 10
        elif char == "<":
            number = 0
        else:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += number * _ICAO_WEIGHTS[index % 3]
    return total % 10


def icao_field_ok(value: str) -> bool:
    """True when the last character of ``value`` is the ICAO check digit of the rest."""
    if len(value) < 2 or not ("0" <= value[-1] <= "9"):
        return False
    try:
        return icao_check_digit(value[:-1]) == int(value[-1])
    except ValueError:
        return False


def insurer_number_ok(digits: str) -> bool:
    """保険者番号 (8 digits; 6 for 国民健康保険): the last digit checks the others.

    From the last base digit leftwards the weights are 2, 1, 2, ...; the digits of each
    product are summed, and the check digit is (10 - sum mod 10) mod 10.
    """
    if not _digits_of_length(digits, 6, 8):
        return False
    total = 0
    for position, char in enumerate(reversed(digits[:-1])):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(digits[-1])


def _on_digits(check: Callable[[str], bool]) -> Callable[[str], bool]:
    def validator(raw: str) -> bool:
        return check(digits_only(raw))

    validator.__name__ = f"{check.__name__}_raw"
    validator.__doc__ = f"{check.__name__} on the digits of a raw matched string."
    return validator


def _icao_raw(raw: str) -> bool:
    return icao_field_ok(raw.strip().upper().replace(" ", ""))


# Names policies use for custom patterns (``validator: luhn``). Each takes the raw match.
VALIDATORS: dict[str, Callable[[str], bool]] = {
    "my_number": _on_digits(my_number_ok),
    "corporate_number": _on_digits(corporate_number_ok),
    "luhn": _on_digits(luhn_ok),
    "driver_license": _on_digits(driver_license_check_ok),
    "insurer_number": _on_digits(insurer_number_ok),
    "icao": _icao_raw,
}
