"""Scan worker processes, driven from the event loop without threads.

Each worker is a spawned process (its loop is proxy.scanning.worker_main) that loads GiNZA
once and then answers one job at a time over its own Unix socket pair: a frame is an 8-byte
length and a pickle. The parent reads the sockets with asyncio streams, so a job costs one
write and one read on the event loop (no executor threads handing results across the GIL:
the round trip of an empty job is ~0.2 ms instead of ~1 ms through ``ProcessPoolExecutor``).

The pool schedules, not the kernel:
- a job goes to an idle worker, or waits in this process (first come, first served);
- a large job (a pasted contract) never takes the last idle worker: with two or more
  workers, small prompts always have one, so they are never stuck behind a document;
- a worker that dies fails the job it was running (the caller fails closed) and is
  replaced; jobs waiting in the queue run on the replacement;
- a job still running ``job_timeout`` seconds after it started (the scan deadline) has
  its worker killed and replaced: a scan cannot be interrupted, and a worker left grinding
  on a hostile text would turn every later prompt into a 503. A caller that merely goes
  away (a client disconnect) does not kill anything: its job finishes and is discarded,
  so disconnecting cannot be used to make the pool reload models.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import pickle
import socket
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from detectors.settings import DetectionSettings
from detectors.types import Finding, ScanError, ScanLimitError
from proxy.scanning.files import FileJob, FileResult
from proxy.scanning.worker_main import FILES_JOB, FRAME_HEADER, SETTINGS_KEPT, worker_main

log = logging.getLogger("sekimori.workers")

# A long document gets more time than a prompt: the deadline grows by one second per this
# many characters (a 100,000-character report: +4 s; the 1,000,000 limit: +40 s), so length
# alone never turns into 503, while a stuck scan of a prompt is still stopped in seconds.
CHARS_PER_EXTRA_SECOND = 25_000


def deadline_for(base: float, chars: int) -> float:
    """Seconds a scan of ``chars`` characters may take, from the policy's deadline."""
    return base + chars / CHARS_PER_EXTRA_SECOND


# A job with at least this many characters is "large" for scheduling.
LARGE_JOB_CHARS = 20_000
# Files to read: at least this many bytes make a large job too.
LARGE_JOB_BYTES = 64 * 1024

Result = tuple[list[list[Finding]], list[list[Finding]]]


class WorkerDied(ScanError):
    """The worker running a job exited (killed, out of memory) before answering."""


@dataclass(eq=False)
class _Job:
    job_id: int
    fingerprint: str
    settings: DetectionSettings | None  # None: a files job (FILES_JOB)
    texts: list[Any]  # strings to scan, or FileJobs to read
    seams: list[tuple[str, str]]
    large: bool
    future: asyncio.Future[Any]
    timer: asyncio.TimerHandle | None = None
    chars: int = 0  # the deadline grows with the text (deadline_for)


@dataclass(eq=False)
class _Worker:
    process: Any
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    pid: int
    known: OrderedDict[str, None] = field(default_factory=OrderedDict)
    job: _Job | None = None
    task: asyncio.Task[None] | None = None


class WorkerPool:
    """``size`` scan processes with a queue in front of them."""

    def __init__(
        self,
        size: int,
        model_name: str = "ja_ginza",
        large_chars: int = LARGE_JOB_CHARS,
        job_timeout: float | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size = size
        self.job_timeout = job_timeout
        self.model_name = model_name
        self.large_chars = large_chars
        self.restarts = 0
        self._ctx = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._waiting: deque[_Job] = deque()
        self._next_id = 0
        self._closed = False
        self._spawning: set[asyncio.Task[None]] = set()

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Spawn every worker and wait until each has loaded the model."""
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        parent_sock, child_sock = socket.socketpair()
        process = self._ctx.Process(
            target=worker_main,
            args=(child_sock, self.model_name),
            name="sekimori-scan",
            daemon=True,
        )
        process.start()
        child_sock.close()
        reader, writer = await asyncio.open_connection(sock=parent_sock)
        try:
            status, pid = await self._read(reader)
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as exc:
            writer.close()
            process.join(timeout=1)
            raise ScanError(f"scan worker failed to start (exit code {process.exitcode})") from exc
        if status != "ready":
            raise ScanError("scan worker sent an unexpected greeting")
        worker = _Worker(process, reader, writer, pid)
        if self._closed:
            self._stop(worker)
            return
        worker.task = asyncio.create_task(self._serve(worker), name=f"sekimori-scan-{pid}")
        self._workers.append(worker)
        self._dispatch()

    async def close(self) -> None:
        self._closed = True
        for task in list(self._spawning):
            task.cancel()
        for job in self._waiting:
            if not job.future.done():
                job.future.set_exception(ScanError("scanner is shutting down"))
        self._waiting.clear()
        for worker in list(self._workers):
            self._stop(worker)
        self._workers.clear()

    def _stop(self, worker: _Worker) -> None:
        if worker.task is not None:
            worker.task.cancel()
        worker.writer.close()
        # A worker holds no state worth a goodbye; SIGTERM ends it at once (its socket
        # would only close once this loop runs again).
        worker.process.terminate()
        worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=2)
        self._fail_job(worker, ScanError("scanner is shutting down"))

    @staticmethod
    def _fail_job(worker: _Worker, error: ScanError) -> None:
        if worker.job is not None and not worker.job.future.done():
            worker.job.future.set_exception(error)

    def pids(self) -> list[int]:
        return sorted(w.pid for w in self._workers)

    @property
    def alive(self) -> int:
        """Workers that have loaded the model and are serving (not the ones restarting)."""
        return len(self._workers)

    @property
    def pending(self) -> int:
        """Jobs waiting for a worker (not counting the running ones)."""
        return len(self._waiting)

    # -- jobs ----------------------------------------------------------------------------
    async def run(
        self, settings: DetectionSettings, texts: Sequence[str], seams: Sequence[tuple[str, str]]
    ) -> Result:
        """Findings per text and per seam, from a worker. Raises ScanError (fail closed)."""
        if self._closed:
            raise ScanError("scanner is not running")
        chars = sum(len(t) for t in texts) + sum(len(a) + len(b) for a, b in seams)
        self._next_id += 1
        job = _Job(
            self._next_id,
            settings.fingerprint(),
            settings,
            list(texts),
            list(seams),
            chars >= self.large_chars,
            asyncio.get_running_loop().create_future(),
            chars=chars,
        )
        return await self._submit(job)  # type: ignore[no-any-return]

    async def read_files(self, jobs: Sequence[FileJob]) -> list[FileResult]:
        """Each file read (kind, action, text or refusal) by a worker. Raises ScanError."""
        if self._closed:
            raise ScanError("scanner is not running")
        self._next_id += 1
        job = _Job(
            self._next_id,
            FILES_JOB,
            None,
            list(jobs),
            [],
            sum(len(j.data) for j in jobs) >= LARGE_JOB_BYTES,
            asyncio.get_running_loop().create_future(),
        )
        return await self._submit(job)  # type: ignore[no-any-return]

    async def _submit(self, job: _Job) -> Any:
        self._waiting.append(job)
        self._dispatch()
        try:
            return await job.future
        finally:
            # Cancelled while still waiting: drop it from the queue. A job that is running
            # finishes on its worker and its answer is discarded (job_timeout bounds it).
            if not job.future.done():
                job.future.cancel()
            with contextlib.suppress(ValueError):
                self._waiting.remove(job)

    def _dispatch(self) -> None:
        while self._waiting:
            idle = next((w for w in self._workers if w.job is None), None)
            if idle is None:
                return
            busy_large = sum(1 for w in self._workers if w.job is not None and w.job.large)
            job = self._take(len(self._workers), busy_large)
            if job is None:
                return
            self._start(idle, job)

    def _take(self, worker_count: int, busy_large: int) -> _Job | None:
        """The oldest waiting job, except that a large job may not occupy the last
        worker: with two or more, one is always left for small prompts."""
        for job in list(self._waiting):
            if job.future.done():  # cancelled while waiting
                self._waiting.remove(job)
                continue
            if job.large and worker_count > 1 and busy_large + 1 >= worker_count:
                continue
            self._waiting.remove(job)
            return job
        return None

    def _start(self, worker: _Worker, job: _Job) -> None:
        worker.job = job
        if self.job_timeout is not None:
            job.timer = asyncio.get_running_loop().call_later(
                deadline_for(self.job_timeout, job.chars), self._overdue, worker, job
            )
        if job.settings is None:
            self._write(worker, job, None)
            return
        send_settings = job.fingerprint not in worker.known
        self._write(worker, job, job.settings if send_settings else None)
        if send_settings:
            worker.known[job.fingerprint] = None
            while len(worker.known) > SETTINGS_KEPT:
                worker.known.popitem(last=False)
        else:
            worker.known.move_to_end(job.fingerprint)

    @staticmethod
    def _write(worker: _Worker, job: _Job, settings: DetectionSettings | None) -> None:
        payload = pickle.dumps(
            (job.job_id, job.fingerprint, settings, job.texts, job.seams),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        worker.writer.write(FRAME_HEADER.pack(len(payload)) + payload)

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> Any:
        (size,) = FRAME_HEADER.unpack(await reader.readexactly(FRAME_HEADER.size))
        return pickle.loads(await reader.readexactly(size))

    async def _serve(self, worker: _Worker) -> None:
        """Read the worker's answers; on its death fail its job and replace it."""
        try:
            while True:
                job_id, status, payload = await self._read(worker.reader)
                job = worker.job
                if job is None or job.job_id != job_id:
                    continue
                if status == "need-settings" and job.settings is not None:
                    # the worker forgot them: send them again
                    self._write(worker, job, job.settings)
                    continue
                worker.job = None
                if job.timer is not None:
                    job.timer.cancel()
                if not job.future.done():
                    if status == "ok":
                        job.future.set_result(payload)
                    else:
                        reason, message = payload
                        error = (
                            ScanLimitError if reason == ScanLimitError.reason_code else ScanError
                        )
                        job.future.set_exception(error(message))
                self._dispatch()
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        except asyncio.CancelledError:
            raise
        self._lost(worker)

    def _overdue(self, worker: _Worker, job: _Job) -> None:
        if worker.job is job and worker in self._workers:
            self._recycle(worker)

    def _recycle(self, worker: _Worker) -> None:
        """Kill a worker whose job ran past its deadline, and start a replacement."""
        log.warning("scan worker %d ran past the scan deadline; replacing it", worker.pid)
        if worker.task is not None:
            worker.task.cancel()
        worker.process.kill()
        self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        worker.writer.close()
        worker.process.join(timeout=1)  # already exited: this reaps it
        self._fail_job(worker, WorkerDied("a scan worker died"))
        if self._closed:
            return
        self.restarts += 1
        log.error(
            "scan worker %d exited (code %s); starting a replacement",
            worker.pid,
            worker.process.exitcode,
        )
        task = asyncio.create_task(self._respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _respawn(self) -> None:
        delay = 0.5
        while not self._closed:
            try:
                await self._spawn()
                return
            except ScanError:
                log.exception("could not start a scan worker; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
