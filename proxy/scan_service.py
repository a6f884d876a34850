"""Runs the scanner off the event loop: worker processes, a bounded queue, a deadline.

Every failure here is an exception the handler turns into 503 + Retry-After: a request
whose text was not scanned is never forwarded (fail closed).

- Worker processes (one per core by default, proxy.workers) each load GiNZA once. The
  event loop only hashes segments, looks them up in the cache and exchanges one frame
  with a worker per request.
- Per-segment cache in this process, keyed by settings fingerprint + content hash: the
  history of a conversation is not scanned again, so turn n costs its new text only.
- Settings travel to a worker once per fingerprint (a 100,000-term dictionary is not
  pickled with every request).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detectors.cache import ScanCache
from detectors.settings import DetectionSettings
from detectors.types import Finding, ScanError
from proxy.workers import WorkerDied, WorkerPool

if TYPE_CHECKING:  # the model lives in the workers; this process needs no Presidio
    from detectors.engine import Scanner


class ScanOverloaded(ScanError):
    reason_code = "scanner_overloaded"


class ScanTimeout(ScanError):
    reason_code = "scanner_timeout"


class ScanUnavailable(ScanError):
    reason_code = "scanner_unavailable"


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    findings: list[Finding]
    scanned_chars: int  # characters that actually went through the scanner (cache misses)
    cached_segments: int
    seconds: float


# -- seams -----------------------------------------------------------------------------------
# Characters on each side of a boundary that a seam scan sees (detectors.engine.SEAM_CHARS;
# a test keeps the two equal). A side gathers them across several short segments, so a
# value cut in three (6152 | 3748 | 5127) or around an empty message is still seen whole.
SEAM_WINDOW = 64

Piece = tuple[int, int, int]  # segment index, start and end in that segment


@dataclass(frozen=True, slots=True)
class Seam:
    """One boundary between consecutive non-empty segments, as two strings for the
    scanner and, for each, the segment pieces it is made of (in order)."""

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


def _map_back(pieces: Sequence[Piece], start: int, end: int) -> list[Piece]:
    """The segment spans that characters ``start:end`` of a seam side come from."""
    out: list[Piece] = []
    pos = 0
    for segment, a, b in pieces:
        lo, hi = max(start, pos), min(end, pos + b - a)
        if lo < hi:
            out.append((segment, a + lo - pos, a + hi - pos))
        pos += b - a
    return out


# -- service -------------------------------------------------------------------------------
class ScanService:
    """Async front of the scanner. ``workers=0`` scans in a thread of this process."""

    def __init__(
        self,
        *,
        workers: int | None = None,
        max_queue: int = 64,
        timeout: float = 5.0,
        model_name: str = "ja_ginza",
        cache: ScanCache | None = None,
    ) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.timeout = timeout
        self.model_name = model_name
        self.cache = cache if cache is not None else ScanCache()
        self._capacity = max(1, self.workers) + max_queue
        self._in_flight = 0
        self._pool: WorkerPool | None = None
        # workers=0: one thread of this process scans (tests, the demo, small machines).
        self._executor: concurrent.futures.Executor | None = None
        self._local: Scanner | None = None
        self.ready = False

    @property
    def queue_depth(self) -> int:
        return self._in_flight

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.workers == 0:
            from detectors.engine import Scanner

            self._executor = concurrent.futures.ThreadPoolExecutor(1, "sekimori-scan")
            self._local = await loop.run_in_executor(self._executor, Scanner.load, self.model_name)
        else:
            # Every worker loads the model before the service says ready.
            # A job still running at the scan deadline has its worker replaced.
            self._pool = WorkerPool(self.workers, self.model_name, job_timeout=self.timeout)
            await self._pool.start()
        self.ready = True

    async def close(self) -> None:
        self.ready = False
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    @property
    def restarts(self) -> int:
        """Scan workers replaced after dying."""
        return self._pool.restarts if self._pool is not None else 0

    def has_capacity(self) -> bool:
        """False while every scan worker is dead or restarting, or the queue is full:
        requests would only wait or be refused (readiness sends them to other pods)."""
        if self._in_flight >= self._capacity:
            return False
        return self._pool is None or self._pool.alive > 0

    def worker_pids(self) -> list[int]:
        return self._pool.pids() if self._pool is not None else []

    async def scan(self, texts: Sequence[str], settings: DetectionSettings) -> ScanOutcome:
        """All findings for the segments of one request, or an exception (fail closed)."""
        began = time.perf_counter()
        keys = [ScanCache.key(settings, t) if t else "" for t in texts]
        results: list[tuple[Finding, ...] | None] = [
            (() if not t else self.cache.get(k)) for t, k in zip(texts, keys)
        ]
        missing = [i for i, r in enumerate(results) if r is None]
        # Seams are cached too, keyed by both sides: in a conversation only the seam to
        # the newest message is new.
        seam_specs = seams_of(texts)
        seam_keys = [
            "seam:" + ScanCache.key(settings, spec.left) + ScanCache.key(settings, spec.right)
            for spec in seam_specs
        ]
        seam_found: list[tuple[Finding, ...] | None] = [self.cache.get(k) for k in seam_keys]
        seam_missing = [j for j, r in enumerate(seam_found) if r is None]
        seams = [(seam_specs[j].left, seam_specs[j].right) for j in seam_missing]
        scanned_chars = sum(len(texts[i]) for i in missing)

        if missing or seams:
            if self._in_flight >= self._capacity:
                raise ScanOverloaded("scan queue is full")
            self._in_flight += 1
            try:
                per_text, per_seam = await asyncio.wait_for(
                    self._run(settings, [texts[i] for i in missing], seams), self.timeout
                )
            except TimeoutError:
                raise ScanTimeout(f"scan took longer than {self.timeout}s") from None
            finally:
                self._in_flight -= 1
            for i, found in zip(missing, per_text):
                frozen = tuple(found)
                self.cache.put(keys[i], frozen)
                results[i] = frozen
            for j, found in zip(seam_missing, per_seam):
                frozen = tuple(found)
                self.cache.put(seam_keys[j], frozen)
                seam_found[j] = frozen

        findings: list[Finding] = []
        for index, per_segment in enumerate(results):
            for f in per_segment or ():
                findings.append(
                    Finding(f.entity_type, f.start, f.end, f.score, f.recognizer, index)
                )
        seen: set[Finding] = set()
        for spec, seam_findings in zip(seam_specs, seam_found):
            for f in seam_findings or ():
                pieces = spec.left_pieces if f.segment == 0 else spec.right_pieces
                for segment, start, end in _map_back(pieces, f.start, f.end):
                    mapped = Finding(f.entity_type, start, end, f.score, f.recognizer, segment)
                    if mapped not in seen:
                        seen.add(mapped)
                        findings.append(mapped)
        return ScanOutcome(
            findings, scanned_chars, len(texts) - len(missing), time.perf_counter() - began
        )

    async def _run(
        self, settings: DetectionSettings, texts: list[str], seams: list[tuple[str, str]]
    ) -> tuple[list[list[Finding]], list[list[Finding]]]:
        if self._pool is not None:
            try:
                return await self._pool.run(settings, texts, seams)
            except WorkerDied:
                # This request fails closed; the pool is already starting a replacement.
                raise ScanUnavailable("a scan worker died") from None
        if self._executor is None or self._local is None:
            raise ScanUnavailable("scanner is not running")
        local = self._local

        def run_local() -> tuple[list[list[Finding]], list[list[Finding]]]:
            return (
                [local.scan(t, settings) for t in texts],
                [local.scan_seam(a, b, settings) for a, b in seams],
            )

        return await asyncio.get_running_loop().run_in_executor(self._executor, run_local)
