"""Runs the scanner off the event loop: worker processes, a bounded queue, a deadline.

Every failure here is an exception the handler turns into 503 + Retry-After: a request
whose text was not scanned is never forwarded (fail closed).

- Worker processes (one per core by default) each load GiNZA once. The event loop
  only hashes segments and looks them up in the cache.
- Per-segment cache in this process, keyed by settings fingerprint + content hash: the
  history of a conversation is not scanned again, so turn n costs its new text only.
- Settings travel to a worker once per fingerprint (a 100,000-term dictionary is not
  pickled with every request).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from detectors.engine import ScanCache, Scanner
from detectors.settings import DetectionSettings
from detectors.types import Finding, ScanError


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


# -- worker side -------------------------------------------------------------------------
_WORKER_SCANNER: Scanner | None = None
_WORKER_SETTINGS: dict[str, DetectionSettings] = {}
_NEED_SETTINGS = "need-settings"


def _worker_init(model_name: str) -> None:
    global _WORKER_SCANNER
    _WORKER_SCANNER = Scanner.load(model_name)


def _worker_ping() -> int:
    return os.getpid()


def _worker_scan(fingerprint: str, settings: DetectionSettings | None, texts: list[str],
                 seams: list[tuple[str, str]]) -> Any:
    if settings is not None:
        _WORKER_SETTINGS[fingerprint] = settings
        while len(_WORKER_SETTINGS) > 64:
            _WORKER_SETTINGS.pop(next(iter(_WORKER_SETTINGS)))
    known = _WORKER_SETTINGS.get(fingerprint)
    if known is None:
        return _NEED_SETTINGS
    scanner = _WORKER_SCANNER
    if scanner is None:
        raise ScanError("worker has no scanner")
    per_text = [scanner.scan(t, known) for t in texts]
    per_seam = [scanner.scan_seam(a, b, known) for a, b in seams]
    return per_text, per_seam


# -- service -------------------------------------------------------------------------------
class ScanService:
    """Async front of the scanner. ``workers=0`` scans in a thread of this process."""

    def __init__(self, *, workers: int | None = None, max_queue: int = 64,
                 timeout: float = 5.0, model_name: str = "ja_ginza",
                 cache: ScanCache | None = None) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.timeout = timeout
        self.model_name = model_name
        self.cache = cache if cache is not None else ScanCache()
        self._capacity = max(1, self.workers) + max_queue
        self._in_flight = 0
        self._executor: concurrent.futures.Executor | None = None
        self._local: Scanner | None = None
        self.ready = False
        self.restarts = 0

    @property
    def queue_depth(self) -> int:
        return self._in_flight

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.workers == 0:
            self._executor = concurrent.futures.ThreadPoolExecutor(1, "sekimori-scan")
            self._local = await loop.run_in_executor(self._executor, Scanner.load, self.model_name)
        else:
            self._executor = self._new_pool()
            # Load the model in every worker before saying ready.
            await asyncio.gather(*(loop.run_in_executor(self._executor, _worker_ping)
                                   for _ in range(self.workers)))
        self.ready = True

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        # spawn, not fork: the parent runs an event loop and threads.
        ctx = multiprocessing.get_context("spawn")
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=ctx, initializer=_worker_init,
            initargs=(self.model_name,))

    async def close(self) -> None:
        self.ready = False
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def worker_pids(self) -> list[int]:
        pool = self._executor
        procs = getattr(pool, "_processes", None) or {}
        return sorted(procs)

    async def scan(self, texts: Sequence[str], settings: DetectionSettings) -> ScanOutcome:
        """All findings for the segments of one request, or an exception (fail closed)."""
        began = time.perf_counter()
        keys = [ScanCache.key(settings, t) if t else "" for t in texts]
        results: list[tuple[Finding, ...] | None] = [
            (() if not t else self.cache.get(k)) for t, k in zip(texts, keys)]
        missing = [i for i, r in enumerate(results) if r is None]
        # Seams between neighbours are cached too, keyed by both sides: in a conversation
        # only the seam to the newest message is new.
        seam_index = [i for i in range(len(texts) - 1) if texts[i] and texts[i + 1]]
        seam_keys = ["seam:" + keys[i] + keys[i + 1] for i in seam_index]
        seam_found: list[tuple[Finding, ...] | None] = [self.cache.get(k) for k in seam_keys]
        seam_missing = [j for j, r in enumerate(seam_found) if r is None]
        seams = [(texts[seam_index[j]], texts[seam_index[j] + 1]) for j in seam_missing]
        scanned_chars = sum(len(texts[i]) for i in missing)

        if missing or seams:
            if self._in_flight >= self._capacity:
                raise ScanOverloaded("scan queue is full")
            self._in_flight += 1
            try:
                per_text, per_seam = await asyncio.wait_for(
                    self._run(settings, [texts[i] for i in missing], seams), self.timeout)
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
                findings.append(Finding(f.entity_type, f.start, f.end, f.score, f.recognizer,
                                        index))
        for offset, seam_findings in zip(seam_index, seam_found):
            for f in seam_findings or ():
                findings.append(Finding(f.entity_type, f.start, f.end, f.score, f.recognizer,
                                        offset + f.segment))
        return ScanOutcome(findings, scanned_chars, len(texts) - len(missing),
                           time.perf_counter() - began)

    async def _run(self, settings: DetectionSettings, texts: list[str],
                   seams: list[tuple[str, str]]) -> tuple[list[list[Finding]], list[list[Finding]]]:
        loop = asyncio.get_running_loop()
        if self._executor is None:
            raise ScanUnavailable("scanner is not running")
        if self._local is not None:
            local = self._local

            def run_local() -> tuple[list[list[Finding]], list[list[Finding]]]:
                return ([local.scan(t, settings) for t in texts],
                        [local.scan_seam(a, b, settings) for a, b in seams])

            return await loop.run_in_executor(self._executor, run_local)
        fingerprint = settings.fingerprint()
        try:
            out = await loop.run_in_executor(self._executor, _worker_scan, fingerprint, None,
                                             texts, seams)
            if out == _NEED_SETTINGS:
                out = await loop.run_in_executor(self._executor, _worker_scan, fingerprint,
                                                 settings, texts, seams)
        except BrokenProcessPool:
            # A worker died (OOM, kill): this request fails closed, the pool comes back.
            self._restart()
            raise ScanUnavailable("a scan worker died") from None
        if out == _NEED_SETTINGS:
            raise ScanUnavailable("scan worker lost its settings")
        per_text, per_seam = out
        return per_text, per_seam

    def _restart(self) -> None:
        old = self._executor
        self.restarts += 1
        self._executor = self._new_pool()
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
