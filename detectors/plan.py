"""What one request's segments need scanned, and how the answers merge back: pure, no I/O.

The scan of a request is its segments one by one plus every seam between neighbours (a
value cut in two by a message boundary). Both are cached, seams keyed by both sides, so in
a conversation only the newest message and the seam before it are scanned again. The
proxy's scan service and :meth:`detectors.engine.Scanner.scan_segments` both drive this
plan; only who runs the scanner differs (a worker process or the caller).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from detectors.cache import ScanCache
from detectors.settings import DetectionSettings
from detectors.types import Finding


@dataclass(slots=True)
class ScanPlan:
    """Cached answers for one request's segments and seams, and what is still to scan."""

    texts: Sequence[str]
    cache: ScanCache | None
    keys: list[str]
    results: list[tuple[Finding, ...] | None]
    seam_index: list[int]  # seam j lies between texts[seam_index[j]] and the next one
    seam_keys: list[str]
    seam_results: list[tuple[Finding, ...] | None]

    @classmethod
    def build(
        cls, texts: Sequence[str], settings: DetectionSettings, cache: ScanCache | None = None
    ) -> ScanPlan:
        keys = [ScanCache.key(settings, t) if t and cache is not None else "" for t in texts]
        results: list[tuple[Finding, ...] | None] = [
            () if not t else (cache.get(k) if cache is not None else None)
            for t, k in zip(texts, keys)
        ]
        seam_index = [i for i in range(len(texts) - 1) if texts[i] and texts[i + 1]]
        seam_keys = ["seam:" + keys[i] + keys[i + 1] for i in seam_index]
        seam_results: list[tuple[Finding, ...] | None] = [
            cache.get(k) if cache is not None else None for k in seam_keys
        ]
        return cls(texts, cache, keys, results, seam_index, seam_keys, seam_results)

    @property
    def missing(self) -> list[int]:
        """Indexes of the segments no cache answered."""
        return [i for i, r in enumerate(self.results) if r is None]

    @property
    def texts_to_scan(self) -> list[str]:
        return [self.texts[i] for i in self.missing]

    @property
    def seams_to_scan(self) -> list[tuple[str, str]]:
        return [
            (self.texts[self.seam_index[j]], self.texts[self.seam_index[j] + 1])
            for j, r in enumerate(self.seam_results)
            if r is None
        ]

    @property
    def pending(self) -> bool:
        return any(r is None for r in self.results) or any(r is None for r in self.seam_results)

    @property
    def scanned_chars(self) -> int:
        """Characters that go through the scanner (the cache misses)."""
        return sum(len(self.texts[i]) for i in self.missing)

    def merge(
        self, per_text: Sequence[Sequence[Finding]], per_seam: Sequence[Sequence[Finding]]
    ) -> list[Finding]:
        """Fill in the scanned answers (in the order of ``texts_to_scan`` and
        ``seams_to_scan``), cache them, and return every finding with its segment index."""
        for i, found in zip(self.missing, per_text):
            self.results[i] = self._keep(self.keys[i], found)
        for j, found in zip([j for j, r in enumerate(self.seam_results) if r is None], per_seam):
            self.seam_results[j] = self._keep(self.seam_keys[j], found)
        findings: list[Finding] = []
        for index, per_segment in enumerate(self.results):
            findings.extend(_at(f, index) for f in per_segment or ())
        for offset, seam_findings in zip(self.seam_index, self.seam_results):
            findings.extend(_at(f, offset + f.segment) for f in seam_findings or ())
        return findings

    def _keep(self, key: str, found: Sequence[Finding]) -> tuple[Finding, ...]:
        frozen = tuple(found)
        if self.cache is not None:
            self.cache.put(key, frozen)
        return frozen


def _at(f: Finding, segment: int) -> Finding:
    return Finding(f.entity_type, f.start, f.end, f.score, f.recognizer, segment)
