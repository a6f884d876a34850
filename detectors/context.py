"""Context words, looked for before AND after a value (Japanese often puts the label
after it: ``123456789018（マイナンバー）``), in characters of the normalised text.

Presidio's own enhancer looks at lemmas of the tokens before the value only; this one
needs no tokens, so it costs nothing when NER does not run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from presidio_analyzer import RecognizerResult

from detectors.recognizers.base import JaPatternRecognizer
from detectors.tables import CellIndex, labelled_cells

MAX_SCORE = 1.0


def _is_ascii_word(word: str) -> bool:
    return word.isascii() and any(c.isalnum() for c in word)


def _occurs(haystack: str, word: str, base: int) -> list[int]:
    """Positions (relative to the window start + base) where ``word`` occurs; an ASCII
    word must not sit inside a longer ASCII word (TEL is not in hotel)."""
    found: list[int] = []
    pos = haystack.find(word)
    while pos != -1:
        end = pos + len(word)
        if not _is_ascii_word(word) or (
            (pos == 0 or not haystack[pos - 1].isascii() or not haystack[pos - 1].isalnum())
            and (end >= len(haystack) or not haystack[end].isascii() or not haystack[end].isalnum())
        ):
            found.append(base + pos)
        pos = haystack.find(word, pos + 1)
    return found


_SENTENCE_END = "。！？!?\n"


def _local(before: str, after: str) -> tuple[str, str]:
    """The parts of the two windows in the value's own sentence (or line)."""
    cut = max(before.rfind(c) for c in _SENTENCE_END)
    if cut >= 0:
        before = before[cut + 1 :]
    ends = [i for i in (after.find(c) for c in _SENTENCE_END) if i >= 0]
    if ends:
        after = after[: min(ends)]
    return before, after


def nearest(
    text: str, start: int, end: int, words: Iterable[str], width: int, local: bool = False
) -> int | None:
    """Distance in characters from ``[start, end)`` to the nearest of ``words`` within
    ``width`` characters before or after it, or None. ``local``: only words in the
    value's own sentence or line count."""
    lo = max(0, start - width)
    before = text[lo:start].lower()
    after = text[end : end + width].lower()
    if local:
        before, after = _local(before, after)
    best: int | None = None
    for w in words:
        word = w.lower()
        if not word:
            continue
        if word in before:
            for pos in _occurs(before, word, 0):
                d = len(before) - (pos + len(word))
                best = d if best is None or d < best else best
        if word in after:
            for pos in _occurs(after, word, 0):
                best = pos if best is None or pos < best else best
    return best


def has_word(text: str, start: int, end: int, words: Iterable[str], width: int) -> bool:
    """True when one of ``words`` occurs within ``width`` characters of ``[start, end)``."""
    return nearest(text, start, end, words, width) is not None


def _header_verdict(header: str, recognizer: JaPatternRecognizer) -> bool | None:
    """True: the column header names this identifier; False: it names something else."""
    low = header.lower()
    if any(w.lower() in low for w in recognizer.context if w):
        return True
    if any(w.lower() in low for w in recognizer.negative_context if w):
        return False
    return None


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
    table: CellIndex | None = None
    for result in results:
        meta = result.recognition_metadata or {}
        recognizer = recognizers.get(str(meta.get(RecognizerResult.RECOGNIZER_NAME_KEY)))
        if recognizer is None:
            kept.append(result)
            continue
        width = recognizer.context_window
        positive = nearest(text, result.start, result.end, recognizer.context, width)
        # In a pasted table the column header is the value's label (生年月日 over 1983/09/19).
        if table is None:
            table = CellIndex(labelled_cells(text))
        header = table.header_of(result.start, result.end) if table else None
        if header is not None:
            verdict = _header_verdict(header, recognizer)
            if verdict is False:
                continue
            if verdict is True:
                positive = 0
        pattern = str(meta.get("pattern", ""))
        value = text[result.start : result.end]
        if recognizer.negative_context and not recognizer.spared_by_negative_context(
            value, pattern
        ):
            # Negative context is local: a word for another identifier in the next
            # sentence (…。マイナンバーは後日) says nothing about this value.
            negative = nearest(
                text, result.start, result.end, recognizer.negative_context, width, local=True
            )
            # The closer word decides: 注文番号 123… is an order number, but
            # 注文番号とマイナンバー 123… is still a My Number.
            if negative is not None and (positive is None or negative < positive):
                continue
        if result.score < MAX_SCORE and positive is not None:
            _boost(result, recognizer)
        kept.append(result)
    _boost_list_items(text, kept, recognizers)
    return kept


def _boost(result: RecognizerResult, recognizer: JaPatternRecognizer) -> None:
    result.score = min(MAX_SCORE, result.score + recognizer.context_boost)
    meta = result.recognition_metadata or {}
    meta["context_boost"] = True
    result.recognition_metadata = meta


def _boosted(result: RecognizerResult) -> bool:
    return bool((result.recognition_metadata or {}).get("context_boost"))


_SHAPE = re.compile(r"[0-9]+|[^\W0-9_]+")


def _line_shape(text: str, start: int) -> tuple[int, int, str]:
    """The line holding ``start``: its span and its skeleton (digit runs 0, word runs a),
    so that the items of one list have the same shape."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    return line_start, line_end, _SHAPE.sub(lambda m: "0" if m.group()[0].isdigit() else "a", line)


def _boost_list_items(
    text: str, results: list[RecognizerResult], recognizers: Mapping[str, JaPatternRecognizer]
) -> None:
    """個人番号を一覧に… then 青柳 美穂 435257…, 布施 和也 617292…: the label stands once, over
    the first item. An item of the same shape on the next line of the same list (no blank
    line between) is the same kind of value as the labelled one, and so on down the list."""
    by_recognizer: dict[str, list[RecognizerResult]] = {}
    for r in results:
        name = str((r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY))
        if name in recognizers:
            by_recognizer.setdefault(name, []).append(r)
    for name, group in by_recognizer.items():
        if all(_boosted(r) for r in group) or not any(_boosted(r) for r in group):
            continue
        # One walk down the text: the list continues while each next line has its shape.
        list_end, list_shape = -2, ""
        for r in sorted(group, key=lambda x: x.start):
            line_start, line_end, shape = _line_shape(text, r.start)
            if _boosted(r):
                list_end, list_shape = line_end, shape
            elif line_start == list_end + 1 and shape == list_shape:
                _boost(r, recognizers[name])
                list_end = line_end
