"""Value generators. A structured value is a list of groups plus its natural separator;
``render`` writes it in one of the writing variants."""

from __future__ import annotations

import base64
import json
import random

from bench.quality_set.checks import (
    corporate_check,
    licence_check,
    luhn_check,
    luhn_ok,
    my_number_check,
)
from bench.quality_set.text import DASHES, ZWSP, fullwidth, kanji_digits
from bench.quality_set.vocabulary import DOMAINS, GIVEN, SURNAMES

STRUCT_VARIANTS = (
    "plain",
    "fullwidth",
    "dash_variant",
    "spaced",
    "kanji_numeral",
    "zero_width",
    "glued",
)


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def digits(self, n: int, first_nonzero: bool = False) -> str:
        s = "".join(self.r.choice("0123456789") for _ in range(n))
        if first_nonzero and s[0] == "0":
            s = self.r.choice("123456789") + s[1:]
        return s

    # -- identifiers --------------------------------------------------------------------
    def my_number(self) -> str:
        base = self.digits(11)
        return base + my_number_check(base)

    def corporate(self) -> str:
        base = self.digits(12)
        return corporate_check(base) + base

    def card(self) -> tuple[str, list[int], str]:
        brand = self.r.choice(
            ["VISA", "VISA", "Mastercard", "Mastercard", "JCB", "JCB", "JCB", "AMEX", "Diners"]
        )
        if brand == "VISA":
            prefix, length, groups = "4", 16, [4, 4, 4, 4]
        elif brand == "Mastercard":
            prefix = (
                str(self.r.randint(51, 55))
                if self.r.random() < 0.7
                else str(self.r.randint(2221, 2720))
            )
            length, groups = 16, [4, 4, 4, 4]
        elif brand == "JCB":
            prefix, length, groups = str(self.r.randint(3528, 3589)), 16, [4, 4, 4, 4]
        elif brand == "AMEX":
            prefix, length, groups = self.r.choice(["34", "37"]), 15, [4, 6, 5]
        else:
            prefix, length, groups = "36", 14, [4, 6, 4]
        body = prefix + self.digits(length - len(prefix) - 1)
        number = body + luhn_check(body)
        assert luhn_ok(number) and len(number) == length
        return number, groups, brand

    def phone(self, kind: str) -> list[str]:
        import phonenumbers

        for _ in range(100):
            if kind == "mobile":
                g = [self.r.choice(["070", "080", "090"]), self.digits(4, True), self.digits(4)]
            elif kind == "landline":
                area, mid = self.r.choice(
                    [
                        ("03", 4),
                        ("06", 4),
                        ("045", 3),
                        ("052", 3),
                        ("011", 3),
                        ("092", 3),
                        ("075", 3),
                        ("022", 3),
                        ("0467", 2),
                        ("0276", 2),
                        ("048", 3),
                        ("082", 3),
                    ]
                )
                first = self.r.choice("2345678")
                g = [area, first + self.digits(mid - 1), self.digits(4)]
            elif kind == "freedial":
                if self.r.random() < 0.6:
                    g = ["0120", self.digits(3, True), self.digits(3)]
                else:
                    g = ["0800", self.digits(3, True), self.digits(4)]
            elif kind == "ip050":
                g = ["050", self.digits(4, True), self.digits(4)]
            else:  # +81
                inner = self.phone(self.r.choice(["mobile", "landline", "mobile"]))
                g = ["+81", inner[0][1:], *inner[1:]]
            number = "".join(g)
            parsed = phonenumbers.parse(number, "JP")
            if phonenumbers.is_valid_number(parsed):
                return g
        raise RuntimeError(f"no valid {kind} number")

    def passport(self) -> list[str]:
        return [self.r.choice(["TK", "TR", "TZ", "MU", "MZ", "TS", "RE", "TH"]), self.digits(7)]

    def licence(self) -> list[str]:
        code = self.r.choice(
            [
                "10",
                "11",
                "20",
                "23",
                "30",
                "30",
                "30",
                "41",
                "45",
                "46",
                "49",
                "53",
                "62",
                "63",
                "72",
                "81",
                "90",
                "97",
            ]
        )
        year = f"{self.r.randint(1975, 2023) % 100:02d}"
        serial = self.digits(6)
        first10 = code + year + serial
        full = first10 + licence_check(first10) + self.r.choice("0001")
        return [full[0:4], full[4:8], full[8:12]]

    def residence(self) -> list[str]:
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        a = self.r.choice(letters) + self.r.choice(letters)
        b = self.r.choice(letters) + self.r.choice(letters)
        return [a, self.digits(8), b]

    def pension(self) -> list[str]:
        return [self.digits(4, True), self.digits(6)]

    # -- people ---------------------------------------------------------------------------
    def person(self) -> dict[str, str]:
        s = self.r.choice(SURNAMES)
        g = self.r.choice(GIVEN)
        return {
            "sei": s[0],
            "mei": g[0],
            "sei_kana": s[1],
            "mei_kana": g[1],
            "sei_roma": s[2],
            "mei_roma": g[2],
        }

    def email(self, p: dict[str, str] | None = None) -> str:
        p = p or self.person()
        sei, mei = p["sei_roma"].lower(), p["mei_roma"].lower()
        local = self.r.choice(
            [
                f"{mei}.{sei}",
                f"{sei}.{mei}",
                f"{mei[0]}-{sei}",
                f"{sei}_{mei}",
                f"{mei}{sei}{self.r.randint(1, 99)}",
            ]
        )
        return f"{local}@{self.r.choice(DOMAINS)}"


def render(groups: list[str], sep: str, variant: str, r: random.Random) -> str:
    if variant in ("plain", "glued"):
        return sep.join(groups)
    if variant == "fullwidth":
        return fullwidth(sep.join(groups))
    if variant == "dash_variant":
        return r.choice(DASHES).join(groups)
    if variant == "spaced":
        return r.choice([" ", " ", "\u3000"]).join(groups)
    if variant == "kanji_numeral":
        ksep = r.choice(["の", "ー", ""]) if sep == "-" else ("" if sep == "" else sep)
        return ksep.join(kanji_digits(g) for g in groups)
    if variant == "zero_width":
        out = []
        for gi, g in enumerate(groups):
            chars = []
            for ci, c in enumerate(g):
                chars.append(c)
                if ci < len(g) - 1 and c.isdigit() and g[ci + 1].isdigit() and r.random() < 0.6:
                    chars.append(ZWSP)
            out.append("".join(chars))
            _ = gi
        value = (sep or ZWSP).join(out)
        if ZWSP not in value:
            value = value[0] + ZWSP + value[1:]
        return value
    raise ValueError(variant)


def random_birth(r: random.Random) -> tuple[int, int, int]:
    y = r.randint(1950, 2005)
    m = r.randint(1, 12)
    d = r.randint(1, 28)
    return y, m, d


def to_era(y: int, m: int, d: int) -> tuple[str, int, str]:
    key = (y, m, d)
    if key >= (2019, 5, 1):
        return "令和", y - 2018, "R"
    if key >= (1989, 1, 8):
        return "平成", y - 1988, "H"
    if key >= (1926, 12, 25):
        return "昭和", y - 1925, "S"
    return "大正", y - 1911, "T"


def insurer_number(g: Gen) -> str:
    """An 8-digit 保険者番号 with its check digit (06/01/31-34 insurer kinds)."""
    base = g.r.choice(["01", "06", "31", "32", "33", "34"]) + g.digits(5)
    total = 0
    for position, char in enumerate(reversed(base)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return base + str((10 - total % 10) % 10)


def card_exp(r: random.Random) -> str:
    return f"{r.randint(1, 12):02d}/{r.randint(26, 31)}"


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rand(r: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def b64url(obj: dict[str, object]) -> str:
    raw = json.dumps(obj, separators=(",", ":"), ensure_ascii=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def password(r: random.Random) -> str:
    word = r.choice(["Sakura", "Tokyo", "Haru", "Fuji", "Midori", "Kaisha", "Spring", "Welcome"])
    return word + str(r.randint(1000, 9999)) + r.choice(["!", "#", "$", "%", "", "@"]) + rand(r, 2)
