"""Runs the scanner off the event loop: worker processes, a bounded queue, a deadline.

Every failure here is an exception the handler turns into 503 + Retry-After: a request
whose text was not scanned is never forwarded (fail closed).

- Worker processes (one per core by default, proxy.scanning.workers) each load GiNZA once. The
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
from detectors.plan import ScanPlan
from detectors.settings import DetectionSettings
from detectors.types import Finding, ScanError
from proxy.scanning.files import FileJob, FileResult, read_files
from proxy.scanning.workers import WorkerDied, WorkerPool, deadline_for

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


# -- service -------------------------------------------------------------------------------
class ScanService:
    """Async front of the scanner. ``workers=0`` scans in a thread of this process, with
    ``scanner`` when given (a model already loaded, as tests share one) or one it loads."""

    def __init__(
        self,
        *,
        workers: int | None = None,
        max_queue: int = 64,
        timeout: float = 5.0,
        model_name: str = "ja_ginza",
        cache: ScanCache | None = None,
        scanner: Scanner | None = None,
    ) -> None:
        if scanner is not None and workers != 0:
            raise ValueError("a ready scanner runs in this process: pass workers=0")
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.timeout = timeout
        self.model_name = model_name
        self.cache = cache if cache is not None else ScanCache()
        self._capacity = max(1, self.workers) + max_queue
        self._in_flight = 0
        self._pool: WorkerPool | None = None
        # workers=0: one thread of this process scans (tests, the demo, small machines).
        self._executor: concurrent.futures.Executor | None = None
        self._local: Scanner | None = scanner
        self.ready = False

    @property
    def queue_depth(self) -> int:
        return self._in_flight

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.workers == 0:
            from detectors.engine import Scanner

            self._executor = concurrent.futures.ThreadPoolExecutor(1, "sekimori-scan")
            if self._local is None:
                self._local = await loop.run_in_executor(
                    self._executor, Scanner.load, self.model_name
                )
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
        plan = ScanPlan.build(texts, settings, self.cache)
        per_text: list[list[Finding]] = []
        per_seam: list[list[Finding]] = []
        if plan.pending:
            if self._in_flight >= self._capacity:
                raise ScanOverloaded("scan queue is full")
            self._in_flight += 1
            chars = sum(map(len, plan.texts_to_scan)) + sum(
                len(a) + len(b) for a, b in plan.seams_to_scan
            )
            deadline = deadline_for(self.timeout, chars)
            try:
                per_text, per_seam = await asyncio.wait_for(
                    self._run(settings, plan.texts_to_scan, plan.seams_to_scan), deadline
                )
            except TimeoutError:
                raise ScanTimeout(f"scan took longer than {deadline:.1f}s") from None
            finally:
                self._in_flight -= 1
        scanned_chars, cached = plan.scanned_chars, len(texts) - len(plan.missing)
        findings = plan.merge(per_text, per_seam)
        return ScanOutcome(findings, scanned_chars, cached, time.perf_counter() - began)

    async def read_files(self, jobs: Sequence[FileJob]) -> list[FileResult]:
        """Attached files read in a worker (kind, text or refusal), under the same queue
        bound and deadline as a scan; raises ScanError (fail closed)."""
        if not jobs:
            return []
        if self._in_flight >= self._capacity:
            raise ScanOverloaded("scan queue is full")
        self._in_flight += 1
        try:
            return await asyncio.wait_for(self._read(list(jobs)), self.timeout)
        except TimeoutError:
            raise ScanTimeout(f"reading files took longer than {self.timeout}s") from None
        finally:
            self._in_flight -= 1

    async def _read(self, jobs: list[FileJob]) -> list[FileResult]:
        if self._pool is not None:
            try:
                return await self._pool.read_files(jobs)
            except WorkerDied:
                raise ScanUnavailable("a scan worker died") from None
        if self._executor is None:
            raise ScanUnavailable("scanner is not running")
        return await asyncio.get_running_loop().run_in_executor(self._executor, read_files, jobs)

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
