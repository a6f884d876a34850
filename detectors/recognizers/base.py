"""The base every Japanese pattern recognizer derives from.

A recognizer is mostly data, as in Presidio: ``ENTITY``, ``PATTERNS``, ``CONTEXT``
words (looked for before AND after the value, within ``CONTEXT_WINDOW`` characters of
the normalised text), ``NEGATIVE_CONTEXT`` words (the value is something else, e.g. an
order number), and one ``validate_result`` (True: checksum passed, score 1.0; False:
drop; None: keep the pattern score and let context decide).

Two differences from Presidio's ``PatternRecognizer``, both for safety:
- a pattern may have a named group ``v``: only that group is reported (so a keyword in
  the pattern anchors the match without being masked);
- a regex timeout raises :class:`~detectors.types.ScanError` instead of being skipped
  with a warning: a pattern that did not run must never let a request through.
"""

from __future__ import annotations

import re as stdlib_re
from collections.abc import Callable
from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.tables import cells_by_header, fields_by_header
from detectors.types import ScanError

# Seconds one pattern may spend on one text before the scan fails closed.
REGEX_TIMEOUT_SECONDS = 2.0

LANGUAGE = "ja"

# Name of the pattern built from a recognizer's LABELS and LABELLED_VALUE.
LABELLED = "labelled"
# Findings from table cells under a labelling header (see _table_cells).
TABLE_CELL = "table_cell"
TABLE_SCORE = 0.7
# Between a label and its value: spaces, a colon or equals sign, は, "No."
# (a label may end in a full stop: passport no. 2981…, TEL. 03-…; a set of literal labels
# matches its longest member without giving characters back)
_LABEL_GAP = (
    r"\.?[ \t\u3000]*[(（]?[ \t\u3000]*(?:No\.?|#)?[ \t\u3000]*(?:[:：=]|は|が)?[ \t\u3000]*"
    # a short note in brackets between the label and its value: 旅券番号：（フロント控え）3124…
    r"(?:[(（][^()（）\n0-9]{1,10}[)）][ \t\u3000]*)?(?:第[ \t\u3000]*)?"
)


def labelled_regex(labels: tuple[str, ...], value: str) -> str:
    """A value of shape ``value`` right after one of ``labels``; only the value (group v)
    is reported, the label stays readable."""
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return f"(?:{words}){_LABEL_GAP}(?P<v>{value})"


# How far past a line's end a line-local pattern may look ahead (the newline and a few
# characters after it: (?![ -]?[0-9]), (?=[ \t]*(?:$|#))).
_LOOKAHEAD_CHARS = 16


def lines_with(lowered: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """The lines of ``lowered`` holding one of ``words``, as sorted (start, end) spans
    (end at the newline or the end of the text)."""
    starts: set[int] = set()
    for word in words:
        i = lowered.find(word)
        while i >= 0:
            starts.add(lowered.rfind("\n", 0, i) + 1)
            i = lowered.find(word, i + 1)
    spans = []
    for start in sorted(starts):
        end = lowered.find("\n", start)
        spans.append((start, len(lowered) if end < 0 else end))
    return spans


def on_lines(
    compiled: re.Pattern[str], text: str, lines: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """``compiled``'s matches that lie on ``lines``; lookbehinds see the text before a line,
    lookaheads a little past its end. A match running past its line means the pattern is
    not line-local after all: then the whole text is searched (never fewer findings)."""
    found: list[re.Match[str]] = []
    for start, end in lines:
        for m in compiled.finditer(
            text, start, min(len(text), end + _LOOKAHEAD_CHARS), timeout=REGEX_TIMEOUT_SECONDS
        ):
            if m.start() > end:
                break
            if m.end() > end:
                return list(compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS))
            found.append(m)
    return found


class JaPatternRecognizer(PatternRecognizer):
    """Regex + validator + context, for text that has been through ``normalize``."""

    name: str  # set by Presidio's EntityRecognizer (untyped there)
    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[list[str]] = []
    NEGATIVE_CONTEXT: ClassVar[list[str]] = []
    # How far (in characters) before and after the value context words are looked for.
    CONTEXT_WINDOW: ClassVar[int] = 20
    # Added to the score when a context word is near; Presidio's default is 0.35.
    CONTEXT_BOOST: ClassVar[float] = 0.35
    CASE_SENSITIVE: ClassVar[bool] = False
    # Pattern name -> a necessary condition for that pattern to match anywhere in the text
    # (生 for a birth date, 記号 for a ゆうちょ number): a regex, matched case-sensitively
    # with the standard library, or a tuple of words, any of which must occur (ignoring
    # case). Most prompts fail these, so the expensive pattern is skipped.
    # tests/detectors/test_prefilters.py checks each is implied by its pattern.
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {}
    # Patterns (with a word prefilter) whose matches never cross a line: they run only on
    # the lines that hold one of their words, not over the whole text. The labelled
    # pattern is one (its words are LABELS). tests/detectors/test_prefilters.py checks
    # that each gives on its lines exactly what it gives on the whole text.
    LINE_LOCAL: ClassVar[frozenset[str]] = frozenset()
    # Pattern name -> a check its values must pass or be dropped (a check digit that
    # only one of the recognizer's patterns carries, e.g. 保険者番号).
    PATTERN_VALIDATORS: ClassVar[dict[str, Callable[[str], bool]]] = {}
    # Labels that name this identifier right before its value (運転免許証番号：…, TEL …).
    # A value of LABELLED_VALUE's shape (a plausible length) right after one is reported
    # even when a check digit, an issuer prefix or an area code fails: for a guard the
    # label is the evidence. Checks may raise its score; they never veto it. Values
    # without a label keep every check, so order numbers stay untouched.
    LABELS: ClassVar[tuple[str, ...]] = ()
    LABELLED_VALUE: ClassVar[str] = ""
    LABELLED_SCORE: ClassVar[float] = 0.6
    # Column headers that name this identifier (default: LABELS) and the shape of a cell
    # under one (default: LABELLED_VALUE), for pasted tables.
    TABLE_LABELS: ClassVar[tuple[str, ...]] = ()
    TABLE_VALUE: ClassVar[str] = ""
    # Keys that name this identifier in a record pasted as code (postal_code: "…",
    # zip=…), read like column headers; empty: keys are not read.
    FIELD_LABELS: ClassVar[tuple[str, ...]] = ()
    # The shape of a value under such a key (default: TABLE_VALUE's).
    FIELD_VALUE: ClassVar[str] = ""
    # Words that make a header or a key name something else (email_address, ip_address).
    KEY_EXCLUDES: ClassVar[tuple[str, ...]] = ()
    # Patterns whose values negative context never erases when they carry their own
    # separators (090-1234-5678 is a phone number whatever word is near it).
    NEGATIVE_CONTEXT_SPARES: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, extra_context: list[str] | None = None) -> None:
        flags = re.DOTALL | re.MULTILINE
        if not self.CASE_SENSITIVE:
            flags |= re.IGNORECASE
        patterns = [Pattern(p.name, p.regex, p.score) for p in self.PATTERNS]
        if self.LABELS:
            patterns.append(
                Pattern(
                    LABELLED, labelled_regex(self.LABELS, self.LABELLED_VALUE), self.LABELLED_SCORE
                )
            )
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=LANGUAGE,
            patterns=patterns,
            context=list(self.CONTEXT) + list(self.LABELS) + list(extra_context or []),
            global_regex_flags=flags,
        )
        self.negative_context: list[str] = list(self.NEGATIVE_CONTEXT)
        self.context_window: int = self.CONTEXT_WINDOW
        self.context_boost: float = self.CONTEXT_BOOST
        self._compiled = [(p, re.compile(p.regex, flags)) for p in patterns]
        self._table_labels = tuple(w.lower() for w in (self.TABLE_LABELS or self.LABELS))
        self._field_labels = tuple(w.lower() for w in self.FIELD_LABELS)
        table_value = self.TABLE_VALUE or self.LABELLED_VALUE
        self._table_value = re.compile(table_value, flags) if table_value else None
        self._field_value = re.compile(self.FIELD_VALUE, flags) if self.FIELD_VALUE else None
        self._header_verdicts: dict[tuple[str, tuple[str, ...]], bool] = {}
        unknown = (set(self.PREFILTERS) | set(self.PATTERN_VALIDATORS)) - {p.name for p in patterns}
        if unknown:
            raise ValueError(f"{type(self).__name__}: rules for unknown patterns {unknown}")
        # Words are checked with ``in`` on the lower-cased text, regexes with the standard
        # library (case-sensitive: IGNORECASE makes a mixed alternation much slower).
        self._prefilters: dict[str, stdlib_re.Pattern[str] | tuple[str, ...]] = {
            name: tuple(w.lower() for w in rule)
            if isinstance(rule, tuple)
            else stdlib_re.compile(rule)
            for name, rule in self.PREFILTERS.items()
        }
        self._line_local = set(self.LINE_LOCAL)
        if self.LABELS:
            # The labelled pattern matches only right after one of its labels, on one line.
            self._prefilters.setdefault(LABELLED, tuple(w.lower() for w in self.LABELS))
            self._line_local.add(LABELLED)
        unknown_lines = self._line_local - {
            name for name, rule in self._prefilters.items() if isinstance(rule, tuple)
        }
        if unknown_lines:
            raise ValueError(f"{type(self).__name__}: line-local without words {unknown_lines}")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        lowered: str | None = None
        for pattern, compiled in self._compiled:
            prefilter = self._prefilters.get(pattern.name)
            windows: list[tuple[int, int]] | None = None
            if isinstance(prefilter, tuple):
                lowered = text.lower() if lowered is None else lowered
                if not any(word in lowered for word in prefilter):
                    continue
                if pattern.name in self._line_local and len(lowered) == len(text):
                    windows = lines_with(lowered, prefilter)
            elif prefilter is not None and prefilter.search(text) is None:
                continue
            try:
                matches = (
                    list(compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS))
                    if windows is None
                    else on_lines(compiled, text, windows)
                )
            except TimeoutError:
                raise ScanError(f"pattern {self.name}/{pattern.name} timed out") from None
            for match in matches:
                if "v" in compiled.groupindex and match.group("v") is not None:
                    start, end = match.span("v")
                else:
                    start, end = match.span()
                if start == end:
                    continue
                value = text[start:end]
                score = pattern.score
                check = self.PATTERN_VALIDATORS.get(pattern.name)
                labelled = pattern.name == LABELLED
                if check is not None and not check(value) and not labelled:
                    continue
                verdict = self.validate_result(value)
                if verdict is False and not labelled:
                    continue
                if verdict is True:
                    score = self.MAX_SCORE
                if self.invalidate_result(value):
                    continue
                results.append(self._result(start, end, score, pattern.name))
        results.extend(self.extra_results(text))
        results.extend(self._table_cells(text))
        if len(results) < 2:  # what remove_duplicates would leave: no zero scores
            return self.refine(text, [r for r in results if r.score != 0])
        return self.refine(text, self.remove_duplicates(results))

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """The recognizer's last word on its own results (a score a check digit raises, a
        span that goes on past the pattern); by default, none."""
        return results

    def _table_cells(self, text: str) -> list[RecognizerResult]:
        """A table cell under a header that names this identifier (口座番号, パスワード,
        保険者番号…) is that identifier when its shape fits: in a pasted table the header is
        the cell's label, however far above it stands."""
        shape = self._table_value
        if not self._table_labels or shape is None:
            return []
        found = []
        groups = [(cells_by_header(text), self._table_labels, shape)]
        if self.FIELD_LABELS:
            groups.append((fields_by_header(text), self._field_labels, self._field_value or shape))
        for grouped, names, fits in groups:
            for header, under in grouped.items():
                if not self._names(header, names):
                    continue
                for cell in under:
                    value = text[cell.start : cell.end]
                    if fits.fullmatch(value) and self.validate_result(value) is not False:
                        found.append(self._result(cell.start, cell.end, TABLE_SCORE, TABLE_CELL))
        return found

    def _names(self, header: str, names: tuple[str, ...]) -> bool:
        """Whether a column header (or a record key) names this identifier; one verdict
        per header, kept across texts (headers repeat: 氏名, 電話, email…)."""
        key = (header, names)
        verdict = self._header_verdicts.get(key)
        if verdict is None:
            lowered = header.lower()
            verdict = any(label in lowered for label in names) and not any(
                word in lowered for word in self.KEY_EXCLUDES
            )
            if len(self._header_verdicts) > 4096:
                self._header_verdicts.clear()
            self._header_verdicts[key] = verdict
        return verdict

    def spared_by_negative_context(self, value: str, pattern: str) -> bool:
        """True when negative context must not drop this value (see NEGATIVE_CONTEXT_SPARES)."""
        return pattern in (LABELLED, TABLE_CELL) or (
            pattern in self.NEGATIVE_CONTEXT_SPARES and any(not c.isalnum() for c in value)
        )

    def extra_results(self, text: str) -> list[RecognizerResult]:
        """Findings from something other than the regex patterns (a keyword automaton);
        merged and de-duplicated with theirs."""
        return []

    def _result(self, start: int, end: int, score: float, pattern: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                "pattern": pattern,
            },
        )
