"""EMAIL_ADDRESS: ASCII addresses with explicit non-ASCII boundaries, so one glued to
Japanese text (メールはkenichi.sato@example.co.jpです) is found exactly; ＠ and full-width
forms arrive folded by normalisation; [at] / (アット) spellings are found too."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?"
_DOMAIN = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}"
# Spaces only: "null\n\tat jp.co.example…" in a stack trace is not a spelled-out address.
_AT_WORD = r"[ \u3000]?(?:\[at\]|\(at\)|[ \u3000]at[ \u3000]|\(アット\)|\[アット\]|アット|あっと|★|☆)[ \u3000]?"


class JpEmailRecognizer(JaPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS: ClassVar[list[Pattern]] = [
        # Not the user-info of a URL (https://token@github.com/…): that is a credential.
        Pattern(
            "email",
            r"(?<!//)(?<![A-Za-z0-9._%+\-])" + _LOCAL + "@" + _DOMAIN + r"(?![A-Za-z0-9\-])",
            0.9,
        ),
        # Not the words before a real address (Smith at john.smith@example.com).
        Pattern(
            "email_obfuscated",
            r"(?<![A-Za-z0-9._%+\-])"
            + _LOCAL
            + _AT_WORD
            + _DOMAIN
            + r"(?![A-Za-z0-9\-@])(?!\.[A-Za-z0-9])",
            0.6,
        ),
    ]
    # A spelled-out address needs one of its at-words.
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "email_obfuscated": (
            "[at]",
            "(at)",
            " at ",
            " at\u3000",
            "\u3000at ",
            "\u3000at\u3000",
            "アット",
            "あっと",
            "★",
            "☆",
        ),
    }
    CONTEXT: ClassVar[list[str]] = [
        "メール",
        "メールアドレス",
        "Eメール",
        "E-mail",
        "email",
        "mail",
        "連絡先",
        "アドレス",
        "宛先",
        "送付先",
        "CC",
        "BCC",
    ]
