"""Put placeholders in: rewrite each segment's text, replacing exactly the found spans.

Overlapping findings in one segment are merged into one span, typed by the finding that
covers most of it. The same value gets the same placeholder across the whole request, and
a value found once is masked wherever else it occurs in the request (a name detected next
to 様 in one message is masked where it stands bare in another), except inside a longer
Latin-letter word: a name "Read" is not masked in "already" or "thread_id".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from detectors.types import Finding
from proxy.relay.placeholders import PlaceholderMap


def _merge(findings: list[Finding]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str, int]] = []  # start, end, type, length of that type
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if spans and f.start < spans[-1][1]:
            start, end, kind, width = spans[-1]
            if f.end - f.start > width:
                kind, width = f.entity_type, f.end - f.start
            spans[-1] = (start, max(end, f.end), kind, width)
        else:
            spans.append((f.start, f.end, f.entity_type, f.end - f.start))
    return [(s, e, k) for s, e, k, _ in spans]


# Values shorter than this are not searched for elsewhere (a one-character name would
# hit ordinary words).
MIN_PROPAGATED_CHARS = 2


def _word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """A value that begins or ends with a Latin letter and continues an ASCII word there.
    Digit edges never count, so a number stays masked inside "ID615237485127"."""
    before = start > 0 and _latin_letter(text[start]) and _word_char(text[start - 1])
    after = end < len(text) and _latin_letter(text[end - 1]) and _word_char(text[end])
    return before or after


def mask_texts(
    texts: Sequence[str],
    findings: Sequence[Finding],
    should_mask: Callable[[str], bool],
    mapping: PlaceholderMap,
) -> dict[int, str]:
    """New text for every segment that changes, by segment index."""
    # A placeholder the request already contains is never issued (proxy.relay.placeholders).
    mapping.reserve(texts)
    by_segment: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if should_mask(f.entity_type):
            by_segment[f.segment].append(f)
    values: dict[str, str] = {}
    for index, found in by_segment.items():
        for start, end, kind in _merge(found):
            value = texts[index][start:end]
            if len(value) >= MIN_PROPAGATED_CHARS:
                values.setdefault(value, kind)
    if values:
        for index, text in enumerate(texts):
            for value, kind in values.items():
                pos = text.find(value)
                while pos != -1:
                    if not _inside_latin_word(text, pos, pos + len(value)):
                        by_segment[index].append(
                            Finding(kind, pos, pos + len(value), 1.0, "propagated", index)
                        )
                    pos = text.find(value, pos + len(value))
    out: dict[int, str] = {}
    for index in sorted(by_segment):
        text = texts[index]
        pieces: list[str] = []
        pos = 0
        for start, end, kind in _merge(by_segment[index]):
            pieces.append(text[pos:start])
            pieces.append(mapping.placeholder_for(kind, text[start:end]))
            pos = end
        pieces.append(text[pos:])
        out[index] = "".join(pieces)
    return out
