"""Context words, looked for before AND after a value (Japanese often puts the label
after it: ``123456789018（マイナンバー）``), in characters of the normalised text.

Presidio's own enhancer looks at lemmas of the tokens before the value only; this one
needs no tokens, so it costs nothing when NER does not run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from presidio_analyzer import RecognizerResult

from detectors.recognizers.base import JaPatternRecognizer

MAX_SCORE = 1.0


def _window(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    return text[max(0, start - width) : start].lower(), text[end : end + width].lower()


def has_word(text: str, start: int, end: int, words: Iterable[str], width: int) -> bool:
    """True when one of ``words`` occurs within ``width`` characters of ``[start, end)``."""
    before, after = _window(text, start, end, width)
    return any(w and (w.lower() in before or w.lower() in after) for w in words)


def apply_context(
    text: str,
    results: list[RecognizerResult],
    recognizers: Mapping[str, JaPatternRecognizer],
) -> list[RecognizerResult]:
    """Raise scores near context words; drop results near negative context words.

    ``recognizers`` maps a recognizer name to the instance that produced the result;
    results of other recognizers (NER, dictionaries) pass through unchanged.
    """
    kept: list[RecognizerResult] = []
    for result in results:
        meta = result.recognition_metadata or {}
        recognizer = recognizers.get(str(meta.get(RecognizerResult.RECOGNIZER_NAME_KEY)))
        if recognizer is None:
            kept.append(result)
            continue
        width = recognizer.context_window
        if recognizer.negative_context and has_word(
            text, result.start, result.end, recognizer.negative_context, width
        ):
            # A positive word closer than the negative one still wins: 注文番号とマイナンバー…
            if not (recognizer.context and has_word(
                text, result.start, result.end, recognizer.context, width // 2
            )):
                continue
        if (
            result.score < MAX_SCORE
            and recognizer.context
            and has_word(text, result.start, result.end, recognizer.context, width)
        ):
            result.score = min(MAX_SCORE, result.score + recognizer.context_boost)
            meta["context_boost"] = True
            result.recognition_metadata = meta
        kept.append(result)
    return kept
