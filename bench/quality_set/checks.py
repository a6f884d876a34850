"""Check digits, computed here rather than copied: My Number, 法人番号, Luhn, licence, EAN.

Written apart from detectors/checksums.py on purpose: the quality set is the oracle, so a
mistake in the detectors' check digits must not make the set agree with it."""

from __future__ import annotations


def my_number_check(base11: str) -> str:
    """番号法施行規則 5条: weights 6 5 4 3 2 7 6 5 4 3 2 left to right, mod 11."""
    assert len(base11) == 11
    total = sum(int(d) * w for d, w in zip(base11, (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    r = total % 11
    return "0" if r <= 1 else str(11 - r)


def is_my_number(digits: str) -> bool:
    return len(digits) == 12 and digits.isdigit() and my_number_check(digits[:11]) == digits[11]


def corporate_check(base12: str) -> str:
    """法人番号: 9 - (sum of digits weighted 1,2,1,2... from the right) mod 9."""
    assert len(base12) == 12
    total = 0
    for n, d in enumerate(reversed(base12), start=1):
        total += int(d) * (1 if n % 2 else 2)
    return str(9 - total % 9)


def is_corporate(digits: str) -> bool:
    return len(digits) == 13 and digits.isdigit() and corporate_check(digits[1:]) == digits[0]


def luhn_check(partial: str) -> str:
    total = 0
    for i, d in enumerate(reversed(partial)):
        v = int(d)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return str((10 - total % 10) % 10)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        v = int(d)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def licence_check(first10: str) -> str:
    """Unofficial 運転免許証 check digit: weights 5 4 3 2 7 6 5 4 3 2, (11 - s mod 11) mod 10."""
    s = sum(int(d) * w for d, w in zip(first10, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    return str((11 - s % 11) % 10)


def ean_check(first12: str) -> str:
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - s % 10) % 10)
