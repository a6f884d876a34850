"""The scanner: normalise, run Presidio's AnalyzerEngine with the Japanese registry,
tie, filter and resolve the results, and map them back to the original text.

One entry point: :meth:`Scanner.scan` for a text, :meth:`Scanner.scan_segments` for all
the strings of one request (a value split across two messages is caught at the seam; the
segments and seams are planned and merged by detectors.plan, as in the proxy).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

from detectors.birth_dates import births_beside_names
from detectors.cache import ScanCache
from detectors.context import apply_context
from detectors.decode import MAX_DEPTH, View
from detectors.decode import views as decoded_views
from detectors.fragments import SCORE as SPLIT_VALUE_SCORE
from detectors.fragments import split_values
from detectors.nlp import JaNlpEngine, Mode
from detectors.normalize import Normalized, normalize
from detectors.offline import use_bundled_suffix_list
from detectors.person import PersonRecognizer, ner_triggers
from detectors.plan import ScanPlan
from detectors.recognizers import pattern_recognizer_classes
from detectors.recognizers.base import JaPatternRecognizer
from detectors.settings import DetectionSettings
from detectors.stand_ins import drop_stand_ins
from detectors.types import Finding, ScanError

# How much of each neighbour is joined when looking for a value split across segments.
SEAM_CHARS = 64

# Structured (pattern, checksum) findings outrank NER and dictionary ones when they
# overlap: GiNZA labels e-mail addresses as Person, dates inside card numbers, etc.
_SOFT_ENTITIES = frozenset({"PERSON", "CUSTOMER", "CODENAME", "SENSITIVE_PERSONAL_INFO"})


class _WindowContextEnhancer(ContextAwareEnhancer):
    """Presidio's enhancer hook, doing character-window context (see detectors.context)."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.35,
            min_score_with_context_similarity=0.4,
            context_prefix_count=0,
            context_suffix_count=0,
        )
        self.recognizers: dict[str, JaPatternRecognizer] = {}

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        by_name = {r.name: r for r in recognizers if isinstance(r, JaPatternRecognizer)}
        return apply_context(text, raw_results, by_name)


class _AnalyzerEngine(AnalyzerEngine):
    """Presidio's engine, with context applied in one pass. Presidio first offers every
    recognizer its own results (two list scans of all results per recognizer, ~20 of
    them); none of Sekimori's recognizers overrides that hook, so only the enhancer runs.
    A recognizer that does override it gets Presidio's own loop back."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        if any(
            type(r).enhance_using_context is not EntityRecognizer.enhance_using_context
            for r in recognizers
        ):
            return super()._enhance_using_context(
                text, raw_results, nlp_artifacts, recognizers, context
            )
        return self.context_aware_enhancer.enhance_using_context(
            text=text,
            raw_results=raw_results,
            nlp_artifacts=nlp_artifacts,
            recognizers=recognizers,
            context=context,
        )


class Scanner:
    """Loads the model once; scans text under a :class:`DetectionSettings`."""

    def __init__(self, nlp_engine: JaNlpEngine) -> None:
        use_bundled_suffix_list()
        self.nlp_engine = nlp_engine
        registry = RecognizerRegistry(supported_languages=["ja"])
        self._patterns: list[JaPatternRecognizer] = [cls() for cls in pattern_recognizer_classes()]
        for recognizer in self._patterns:
            registry.add_recognizer(recognizer)
        registry.add_recognizer(PersonRecognizer())
        self.analyzer = _AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["ja"],
            context_aware_enhancer=_WindowContextEnhancer(),
        )
        self._ad_hoc: OrderedDict[str, list[EntityRecognizer]] = OrderedDict()

    @classmethod
    def load(cls, model_name: str = "ja_ginza") -> Scanner:
        engine = JaNlpEngine(model_name, triggers=ner_triggers)
        engine.load()
        return cls(engine)

    # -- public API ----------------------------------------------------------------------
    def scan(self, text: str, settings: DetectionSettings) -> list[Finding]:
        """Findings in ``text`` (offsets into ``text`` as given), above threshold."""
        return self._scan_one(text, settings, settings.mode, segment=0)

    def scan_segments(
        self, texts: Sequence[str], settings: DetectionSettings, cache: ScanCache | None = None
    ) -> list[Finding]:
        """Findings in every segment, plus values split across neighbouring segments."""
        plan = ScanPlan.build(texts, settings, cache)
        per_text = [self.scan(t, settings) for t in plan.texts_to_scan]
        per_seam = [self.scan_seam(a, b, settings) for a, b in plan.seams_to_scan]
        return plan.merge(per_text, per_seam)

    # -- internals -----------------------------------------------------------------------
    def _ad_hoc_for(self, settings: DetectionSettings) -> list[EntityRecognizer]:
        key = settings.fingerprint()
        found = self._ad_hoc.get(key)
        if found is None:
            found = []
            if settings.custom_patterns:
                from detectors.custom import build_custom_recognizers

                found.extend(build_custom_recognizers(settings.custom_patterns))
            for entity_type, terms in sorted(settings.dictionaries.items()):
                if terms:
                    from detectors.dictionary import DictionaryRecognizer

                    found.append(DictionaryRecognizer(entity_type, terms))
            self._ad_hoc[key] = found
            while len(self._ad_hoc) > 16:
                self._ad_hoc.popitem(last=False)
        self._ad_hoc.move_to_end(key)
        return found

    def _analyze(
        self, norm: str, settings: DetectionSettings, mode: Mode, patterns_only: bool = False
    ) -> list[RecognizerResult]:
        ad_hoc = self._ad_hoc_for(settings)
        if patterns_only:
            results: list[RecognizerResult] = []
            for recognizer in [*self._patterns, *ad_hoc]:
                results.extend(recognizer.analyze(norm, recognizer.supported_entities, None))  # type: ignore[arg-type]
            by_name = {
                r.name: r for r in [*self._patterns, *ad_hoc] if isinstance(r, JaPatternRecognizer)
            }
            return apply_context(norm, results, by_name)
        self.nlp_engine.mode = mode
        try:
            return self.analyzer.analyze(
                norm, language="ja", score_threshold=0.0, ad_hoc_recognizers=ad_hoc or None
            )
        except ScanError:
            raise
        except Exception as exc:  # never let a detector bug forward an unscanned text
            raise ScanError(f"analyzer failed: {type(exc).__name__}") from None

    def _scan_one(
        self,
        text: str,
        settings: DetectionSettings,
        mode: Mode,
        segment: int,
        patterns_only: bool = False,
        depth: int = 0,
    ) -> list[Finding]:
        # Encoded parts first: too much of them fails the scan before any work is spent.
        views = decoded_views(text) if not patterns_only and depth < MAX_DEPTH else []
        normalized = normalize(text)
        results = self._analyze(normalized.text, settings, mode, patterns_only)
        results.extend(_split_value_results(normalized.text))
        results = self._tie_sensitive(normalized.text, results)
        results = births_beside_names(normalized.text, results)
        results = [
            r
            for r in results
            if settings.wants(r.entity_type) and r.score >= settings.threshold(r.entity_type)
        ]
        results = _drop_allowed(normalized.text, results, settings)
        results = _resolve_overlaps(normalized.text, results)
        results = drop_stand_ins(normalized.text, results)  # the joined spans: テスト 太郎
        results = _drop_names_in_placeholders(normalized.text, results, settings)
        found = [f for r in results if (f := _to_finding(r, normalized, text, segment)) is not None]
        if views:
            found.extend(self._decoded(views, settings, mode, segment, depth, found))
        return found

    def _decoded(
        self,
        views: list[View],
        settings: DetectionSettings,
        mode: Mode,
        segment: int,
        depth: int,
        plain: list[Finding],
    ) -> list[Finding]:
        """Findings in the base64 / hex / escaped / stacked parts of ``text``, decoded,
        pointing at the characters that encode them (detectors.decode). A blob already
        covered by a finding of the plain scan (a JWT is a SECRET) is not decoded."""
        found: list[Finding] = []
        for view in views:
            if view.mapped is None and any(
                f.start <= view.span[0] and view.span[1] <= f.end for f in plain
            ):
                continue
            for f in self._scan_one(view.text, settings, mode, segment, depth=depth + 1):
                start, end = view.to_original(f.start, f.end)
                found.append(
                    Finding(
                        f.entity_type, start, end, f.score, f"{f.recognizer}<{view.kind}>", segment
                    )
                )
        return found

    @staticmethod
    def _tie_sensitive(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        candidates = [r for r in results if r.entity_type == "SENSITIVE_PERSONAL_INFO"]
        if not candidates:
            return results
        from detectors.sensitive import tie_to_person

        persons = [r for r in results if r.entity_type == "PERSON" and r.score >= 0.5]
        rest = [r for r in results if r.entity_type != "SENSITIVE_PERSONAL_INFO"]
        return rest + list(tie_to_person(text, candidates, persons))

    def scan_seam(self, left: str, right: str, settings: DetectionSettings) -> list[Finding]:
        """Values cut in two by the boundary between ``left`` and ``right``: the parts in
        ``left`` (segment 0) and in ``right`` (segment 1). Structured patterns only."""
        if not left or not right:
            return []
        tail, head = left[-SEAM_CHARS:], right[:SEAM_CHARS]
        cut = len(tail)
        offset = len(left) - cut
        found: dict[tuple[str, int, int, int], Finding] = {}
        # Joined as they are (090123 + 45678) and with a space (6152 3748 + 5127), since
        # the two halves of a grouped number lose the separator between messages.
        for glue in ("", " "):
            joint = tail + glue + head
            for f in self._scan_one(joint, settings, "fast", segment=0, patterns_only=True):
                if not (f.start < cut and f.end > cut + len(glue)):
                    continue
                for seg, start, end in (
                    (0, offset + f.start, len(left)),
                    (1, 0, f.end - cut - len(glue)),
                ):
                    found[(f.entity_type, seg, start, end)] = Finding(
                        f.entity_type, start, end, f.score, f.recognizer, seg
                    )
        return list(found.values())


def _split_value_results(text: str) -> list[RecognizerResult]:
    """Parts of an identifier given in pieces (detectors.fragments), as results."""
    return [
        RecognizerResult(
            entity_type=entity,
            start=start,
            end=end,
            score=SPLIT_VALUE_SCORE,
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "SplitValue"},
        )
        for _index, start, end, entity in split_values([text])
    ]


def _compact(value: str) -> str:
    return "".join(c for c in value.lower() if not c.isspace() and c not in "-()")


def _drop_allowed(
    text: str, results: list[RecognizerResult], settings: DetectionSettings
) -> list[RecognizerResult]:
    kept = []
    for r in results:
        entity = settings.entities.get(r.entity_type)
        if entity and entity.allow_list:
            value = _compact(text[r.start : r.end])
            if any(_compact(normalize(phrase).text) == value for phrase in entity.allow_list):
                continue
        kept.append(r)
    return kept


# The proxy's placeholder shape (proxy.placeholders): a prompt that quotes one, or a
# conversation that carries one back, must not have PHONE in [[PHONE_NUMBER_1]] read as a name.
_PLACEHOLDER_SHAPE = re.compile(r"\[\[([A-Z][A-Z0-9_]*)_[1-9][0-9]*\]\]")


def _drop_names_in_placeholders(
    text: str, results: list[RecognizerResult], settings: DetectionSettings
) -> list[RecognizerResult]:
    """Drop PERSON findings inside placeholder-shaped text of a known entity type (only
    known types: [[YAMADA_TARO_1]] is still scanned as text)."""
    if "[[" not in text or not any(r.entity_type == "PERSON" for r in results):
        return results
    known = set(settings.entities) | set(settings.dictionaries)
    known.update(p.entity_type for p in settings.custom_patterns)
    spans = [m.span() for m in _PLACEHOLDER_SHAPE.finditer(text) if m.group(1) in known]
    if not spans:
        return results
    return [
        r
        for r in results
        if r.entity_type != "PERSON" or not any(s <= r.start and r.end <= e for s, e in spans)
    ]


def _joins(text: str, last: RecognizerResult, r: RecognizerResult) -> bool:
    """Same-type findings that overlap are one; so are two parts of one name that touch
    or stand one space apart (李 承 + 哲, GiNZA's halves of 李 承哲)."""
    if r.start < last.end:
        return True
    return r.entity_type == "PERSON" and text[last.end : r.start] in ("", " ", "\u3000")


def _resolve_overlaps(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Drop a soft finding (name, dictionary) that overlaps a structured one, and any
    finding wholly inside a longer finding of another type with at least its score.

    Both checks are sweeps over sorted spans, O(n log n): comparing every pair was
    quadratic (a text of 8,000 short names spent seconds here)."""
    hard = sorted((r.start, r.end) for r in results if r.entity_type not in _SOFT_ENTITIES)
    hard_starts = [s for s, _ in hard]
    hard_reach = list(itertools.accumulate((e for _, e in hard), max))
    contained = _contained(results)
    kept: list[RecognizerResult] = []
    for i, r in enumerate(results):
        if r.entity_type in _SOFT_ENTITIES and r.entity_type != "SENSITIVE_PERSONAL_INFO":
            # The hard findings that start before r ends; one of them overlaps r iff the
            # furthest end among them lies after r's start.
            k = bisect.bisect_left(hard_starts, r.end)
            if k and hard_reach[k - 1] > r.start:
                continue
        if i not in contained:
            kept.append(r)
    # Same type, overlapping: keep the union as one finding with the best score.
    kept.sort(key=lambda r: (r.entity_type, r.start, -r.end))
    merged: list[RecognizerResult] = []
    for r in kept:
        last = merged[-1] if merged else None
        if last is not None and last.entity_type == r.entity_type and _joins(text, last, r):
            last.end = max(last.end, r.end)
            last.score = max(last.score, r.score)
            continue
        merged.append(
            RecognizerResult(
                r.entity_type, r.start, r.end, r.score, recognition_metadata=r.recognition_metadata
            )
        )
    merged.sort(key=lambda r: (r.start, r.end))
    return merged


def _contained(results: list[RecognizerResult]) -> set[int]:
    """Indices of findings wholly inside a longer finding of another type with at least
    their score (a soft finding never swallows a structured one)."""
    scores = sorted({r.score for r in results})
    rank = {score: len(scores) - 1 - i for i, score in enumerate(scores)}  # best score first
    # Per type, a max-Fenwick tree over score ranks: the furthest end among the findings
    # of that type seen so far (those that start earlier) with a score of at least k.
    trees: dict[str, list[int]] = {}
    found: set[int] = set()
    order = sorted(range(len(results)), key=lambda i: results[i].start)

    def furthest(tree: list[int], score: float) -> int:
        best, k = -1, rank[score] + 1
        while k:
            best = max(best, tree[k])
            k -= k & -k
        return best

    def allowed(outer: str, inner: str) -> bool:
        return outer != inner and (outer not in _SOFT_ENTITIES or inner in _SOFT_ENTITIES)

    for _, same_start in itertools.groupby(order, key=lambda i: results[i].start):
        group = list(same_start)
        for i in group:
            r = results[i]
            # Started earlier and ends no sooner: longer, so it contains r.
            if any(
                allowed(kind, r.entity_type) and furthest(tree, r.score) >= r.end
                for kind, tree in trees.items()
            ) or any(  # same start, ends later
                allowed(results[j].entity_type, r.entity_type)
                and results[j].end > r.end
                and results[j].score >= r.score
                for j in group
            ):
                found.add(i)
        for i in group:
            r = results[i]
            tree = trees.setdefault(r.entity_type, [-1] * (len(scores) + 1))
            k = rank[r.score] + 1
            while k <= len(scores):
                tree[k] = max(tree[k], r.end)
                k += k & -k
    return found


def _to_finding(
    r: RecognizerResult, normalized: Normalized, original: str, segment: int
) -> Finding | None:
    start, end = normalized.to_original(r.start, r.end)
    while end > start and original[end - 1].isspace():
        end -= 1
    while start < end and original[start].isspace():
        start += 1
    if end <= start:
        return None
    meta = r.recognition_metadata or {}
    recognizer = str(meta.get(RecognizerResult.RECOGNIZER_NAME_KEY, "unknown"))
    return Finding(r.entity_type, start, end, float(r.score), recognizer, segment)
