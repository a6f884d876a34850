"""What one request's segments need scanned, and how the answers merge back: pure, no I/O.

The scan of a request is its segments one by one plus every seam between consecutive
non-empty segments (a value cut by a message boundary); each side of a seam gathers up to
SEAM_WINDOW characters across short segments, so a value in three parts (6152 | 3748 | 5127)
or around an empty message is still seen whole. Both are cached, seams keyed by both sides, so in
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

# Characters on each side of a boundary that a seam scan sees (detectors.engine.SEAM_CHARS).
SEAM_WINDOW = 64

Piece = tuple[int, int, int]  # segment index, start and end in that segment


@dataclass(frozen=True, slots=True)
class Seam:
    """One boundary between consecutive non-empty segments: two strings for the scanner
    and, for each, the segment pieces it is made of (in order)."""

    left: str
    left_pieces: tuple[Piece, ...]
    right: str
    right_pieces: tuple[Piece, ...]


def seams_of(texts: Sequence[str]) -> list[Seam]:
    """A seam at every boundary between consecutive non-empty segments (empty ones are
    skipped), each side up to SEAM_WINDOW characters gathered across segments."""
    filled = [i for i, t in enumerate(texts) if t]
    out: list[Seam] = []
    for k in range(len(filled) - 1):
        left: list[Piece] = []
        need = SEAM_WINDOW
        for i in reversed(filled[: k + 1]):
            take = min(need, len(texts[i]))
            left.insert(0, (i, len(texts[i]) - take, len(texts[i])))
            need -= take
            if not need:
                break
        right: list[Piece] = []
        need = SEAM_WINDOW
        for i in filled[k + 1 :]:
            take = min(need, len(texts[i]))
            right.append((i, 0, take))
            need -= take
            if not need:
                break
        out.append(
            Seam(
                "".join(texts[i][a:b] for i, a, b in left),
                tuple(left),
                "".join(texts[i][a:b] for i, a, b in right),
                tuple(right),
            )
        )
    return out


def map_back(pieces: Sequence[Piece], start: int, end: int) -> list[Piece]:
    """The segment spans that characters ``start:end`` of a seam side come from."""
    out: list[Piece] = []
    pos = 0
    for segment, a, b in pieces:
        lo, hi = max(start, pos), min(end, pos + b - a)
        if lo < hi:
            out.append((segment, a + lo - pos, a + hi - pos))
        pos += b - a
    return out


@dataclass(slots=True)
class ScanPlan:
    """Cached answers for one request's segments and seams, and what is still to scan."""

    texts: Sequence[str]
    cache: ScanCache | None
    keys: list[str]
    results: list[tuple[Finding, ...] | None]
    seams: list[Seam]
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
        seams = seams_of(texts)
        seam_keys = [
            "seam:" + ScanCache.key(settings, s.left) + ScanCache.key(settings, s.right)
            if cache is not None
            else ""
            for s in seams
        ]
        seam_results: list[tuple[Finding, ...] | None] = [
            cache.get(k) if cache is not None else None for k in seam_keys
        ]
        return cls(texts, cache, keys, results, seams, seam_keys, seam_results)

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
            (self.seams[j].left, self.seams[j].right)
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
        # One finding per span: two seams (or a seam and a joined value) may find the
        # same part; the stronger one stays.
        best: dict[tuple[str, int, int, int], Finding] = {}
        for seam, seam_findings in zip(self.seams, self.seam_results):
            for f in seam_findings or ():
                pieces = seam.left_pieces if f.segment == 0 else seam.right_pieces
                for segment, start, end in map_back(pieces, f.start, f.end):
                    mapped = Finding(f.entity_type, start, end, f.score, f.recognizer, segment)
                    key = (f.entity_type, segment, start, end)
                    if key not in best or best[key].score < mapped.score:
                        best[key] = mapped
        spans = {(f.entity_type, f.segment, f.start, f.end) for f in findings}
        findings.extend(f for key, f in best.items() if key not in spans)
        return findings

    def _keep(self, key: str, found: Sequence[Finding]) -> tuple[Finding, ...]:
        frozen = tuple(found)
        if self.cache is not None:
            self.cache.put(key, frozen)
        return frozen


def _at(f: Finding, segment: int) -> Finding:
    return Finding(f.entity_type, f.start, f.end, f.score, f.recognizer, segment)
