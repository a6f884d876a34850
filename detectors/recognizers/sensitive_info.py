"""SENSITIVE_PERSONAL_INFO (要配慮個人情報) candidates: illness, health checks, pregnancy,
disability, criminal records, victimisation, creed, origin and the like, from the keyword
lists in detectors/data/sensitive_terms.json.

A keyword alone is ordinary (うつ病の社員への対応方法 is an HR question): candidates score
below the threshold, and detectors.sensitive raises only those tied to a person in the
same sentence.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import ClassVar

import ahocorasick
import regex as re
from presidio_analyzer import Pattern, RecognizerResult

from detectors.recognizers.base import JaPatternRecognizer


def load_terms() -> dict[str, list[str]]:
    raw = json.loads(
        resources.files("detectors")
        .joinpath("data/sensitive_terms.json")
        .read_text(encoding="utf-8")
    )
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def _words() -> list[str]:
    return sorted({w for ws in load_terms().values() for w in ws}, key=len, reverse=True)


CANDIDATE_SCORE = 0.4


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """A Latin-letter keyword (BMI, HIV) inside a longer English word: "submit", "archive"."""
    before = start > 0 and _is_latin_letter(text[start - 1]) and _is_latin_letter(text[start])
    after = end < len(text) and _is_latin_letter(text[end]) and _is_latin_letter(text[end - 1])
    return before or after


class JpSensitiveInfoRecognizer(JaPatternRecognizer):
    ENTITY = "SENSITIVE_PERSONAL_INFO"
    # The keyword list is matched with Aho-Corasick (one pass, whatever its length; a
    # regex alternation of 144 words cost 0.2 ms per 1,000 characters), see extra_results.
    PATTERNS: ClassVar[list[Pattern]] = [
        # 〜病 / 〜症 / 〜罪 names not in the list (パーキンソン病, 睡眠時無呼吸症候群, 窃盗罪).
        Pattern(
            "disease_or_offense_suffix",
            r"[一-龥ァ-ヴー]{2,10}(?:病|症候群|障害|罪)(?![院棟気室])"
            r"|[一-龥]{1,4}がん",
            CANDIDATE_SCORE,
        ),
        Pattern(
            "religion",
            r"(?:キリスト|イスラム|ユダヤ|ヒンドゥー|ヒンズー|仏|天理|カトリック|"
            r"プロテスタント)教(?:徒|会)?|神道|創価学会|モルモン教",
            CANDIDATE_SCORE,
        ),
    ]
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "disease_or_offense_suffix": ("病", "症候群", "障害", "罪", "がん"),
        "religion": ("教", "神道", "創価学会"),
    }
    # A word ending in 病 or 罪 stands on one line: only the lines with one are searched.
    LINE_LOCAL: ClassVar[frozenset[str]] = frozenset({"disease_or_offense_suffix"})
    # Context is handled by tie_to_person, not by keyword boosts.
    CONTEXT: ClassVar[list[str]] = []

    def __init__(self, extra_context: list[str] | None = None) -> None:
        super().__init__(extra_context)
        words = _words()
        self._terms = ahocorasick.Automaton()
        for word in words:
            self._terms.add_word(word.lower(), len(word))
        self._terms.make_automaton()
        # For the rare text whose lower-casing changes its length (offsets would shift).
        self._terms_regex = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def extra_results(self, text: str) -> list[RecognizerResult]:
        return [
            self._result(start, end, CANDIDATE_SCORE, "sensitive_term")
            for start, end in self._terms_in(text)
            if not _inside_latin_word(text, start, end)
        ]

    def _terms_in(self, text: str) -> list[tuple[int, int]]:
        """Leftmost-longest, non-overlapping keyword hits (what the alternation gave)."""
        folded = text.lower()
        if len(folded) != len(text):
            return [m.span() for m in self._terms_regex.finditer(text)]
        hits = sorted(
            ((end - length + 1, end + 1) for end, length in self._terms.iter(folded)),
            key=lambda h: (h[0], -h[1]),
        )
        kept: list[tuple[int, int]] = []
        for start, end in hits:
            if not kept or start >= kept[-1][1]:
                kept.append((start, end))
        return kept
