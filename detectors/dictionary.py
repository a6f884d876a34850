"""Company dictionaries (customer names, project code names…) matched with Aho-Corasick.

Terms are normalised like the text (NFKC, variants, case-folded), so ＡＣＭＥ and acme
both hit ACME. Among overlapping hits the longest wins. A Latin/digit term never matches
inside a longer Latin word (ACME is not in ACMEX) but does next to Japanese (ACME社).
Building is linear in the total term length and a scan is one pass over the text, so a
100,000-entry list costs about the same per character as a ten-entry one.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.normalize import normalize


def _key(term: str) -> str:
    return normalize(term).text.strip().lower()


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class DictionaryRecognizer(EntityRecognizer):
    """Reports every occurrence of a dictionary term as ``entity_type``."""

    name: str

    def __init__(self, entity_type: str, terms: Iterable[str], score: float = 0.85) -> None:
        super().__init__(
            supported_entities=[entity_type],
            name=f"Dictionary[{entity_type}]",
            supported_language="ja",
        )
        self.entity_type = entity_type
        self.score = score
        self._automaton = ahocorasick.Automaton()
        count = 0
        for term in terms:
            key = _key(term)
            if len(key) < 2:  # one character would match everywhere
                continue
            self._automaton.add_word(key, len(key))
            count += 1
        self.size = count
        if count:
            self._automaton.make_automaton()

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if not self.size:
            return []
        # Lower-casing keeps length for the text we see (ASCII and Japanese); if it would
        # not, match on the text as is.
        folded = text.lower()
        if len(folded) != len(text):
            folded = text
        hits: list[tuple[int, int]] = []
        for end_index, length in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if _is_word_char(folded[start]) and start > 0 and _is_word_char(folded[start - 1]):
                continue
            if _is_word_char(folded[end - 1]) and end < len(folded) and _is_word_char(folded[end]):
                continue
            hits.append((start, end))
        results: list[RecognizerResult] = []
        last_end = -1
        # Longest first among hits that start at the same place; drop hits inside a kept one.
        for start, end in sorted(hits, key=lambda h: (h[0], -h[1])):
            if start < last_end:
                continue
            last_end = end
            results.append(
                RecognizerResult(
                    self.entity_type,
                    start,
                    end,
                    self.score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
