"""The scan worker pool: real spawned processes with the real model, driven from the loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from detectors.settings import DetectionSettings
from detectors.types import ScanError
from proxy.scanning.workers import WorkerPool

SMALL = "担当の山本健一さんに090-1234-5678まで連絡してください。"
# ~24,000 characters: a pasted document, a few hundred milliseconds of scanning.
LARGE = "来期の予算配分について、関係部署と調整のうえ改めてご連絡いたします。" * 700


@pytest_asyncio.fixture(scope="module")
async def pool() -> AsyncIterator[WorkerPool]:
    workers = WorkerPool(2, large_chars=10_000)
    await workers.start()
    yield workers
    await workers.close()


async def test_a_job_is_scanned_by_a_worker(pool: WorkerPool) -> None:
    per_text, per_seam = await pool.run(DetectionSettings(), [SMALL], [("末尾は山本", "健一です")])
    found = {(f.entity_type, SMALL[f.start : f.end]) for f in per_text[0]}
    assert ("PERSON", "山本健一") in found and ("PHONE_NUMBER", "090-1234-5678") in found
    assert len(per_seam) == 1
    assert len(pool.pids()) == 2


async def test_small_prompts_are_not_stuck_behind_documents(pool: WorkerPool) -> None:
    settings = DetectionSettings()
    await pool.run(settings, [SMALL], [])  # both sides know the settings
    done: list[str] = []

    async def job(name: str, text: str) -> None:
        await pool.run(settings, [text], [])
        done.append(name)

    tasks = [
        asyncio.create_task(job("large-1", LARGE * 4 + "1")),
        asyncio.create_task(job("large-2", LARGE * 4 + "2")),
    ]
    await asyncio.sleep(0)  # both large jobs are queued first
    tasks += [asyncio.create_task(job(f"small-{i}", f"{SMALL}{i}")) for i in range(6)]
    await asyncio.gather(*tasks)
    # The second document waits for the first instead of taking the last worker, and
    # every small prompt goes to that worker.
    assert done.index("large-1") < done.index("large-2")
    assert all(done.index(f"small-{i}") < done.index("large-1") for i in range(6)), done


async def test_a_job_cancelled_while_waiting_leaves_the_queue(pool: WorkerPool) -> None:
    settings = DetectionSettings()
    # Documents run one at a time (the other worker is kept for small prompts), so while
    # either of the first two runs, the third waits in the queue.
    running = [asyncio.create_task(pool.run(settings, [LARGE * 4 + str(i)], [])) for i in range(2)]
    text = LARGE * 4 + "w"
    waiting = asyncio.create_task(pool.run(settings, [text], []))

    def queued() -> bool:
        return any(job.texts == [text] for job in pool._waiting)

    await asyncio.sleep(0.05)
    assert queued()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert not queued()
    await asyncio.gather(*running)
    assert pool.pending == 0


async def test_a_worker_that_lost_its_settings_gets_them_again(pool: WorkerPool) -> None:
    settings = DetectionSettings(dictionaries={"CUSTOMER": ("山本商事",)})
    # The parent believes every worker already has these settings; the workers do not,
    # ask for them, and the job still runs with them.
    for worker in pool._workers:
        worker.known[settings.fingerprint()] = None
    text = "山本商事の件で" + SMALL
    per_text, _ = await pool.run(settings, [text], [])
    assert ("CUSTOMER", "山本商事") in {(f.entity_type, text[f.start : f.end]) for f in per_text[0]}


async def test_a_scanner_error_in_the_worker_fails_the_job() -> None:
    # A custom pattern the worker cannot compile fails inside the worker, not here.
    from detectors.settings import CustomPattern

    broken = DetectionSettings(custom_patterns=(CustomPattern("broken", "X", "(unclosed", 0.9),))
    workers = WorkerPool(1)
    await workers.start()
    try:
        with pytest.raises(ScanError):
            await workers.run(broken, ["text"], [])
        per_text, _ = await workers.run(DetectionSettings(), [SMALL], [])  # still serves
        assert per_text[0]
    finally:
        await workers.close()
    with pytest.raises(ScanError):
        await workers.run(DetectionSettings(), [SMALL], [])


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError):
        WorkerPool(0)


async def test_a_scan_limit_in_the_worker_stays_a_scan_limit(pool: WorkerPool) -> None:
    import base64

    from detectors.types import ScanLimitError

    blob = base64.b64encode(("あ" * 3000).encode()).decode()
    with pytest.raises(ScanLimitError):
        await pool.run(DetectionSettings(), [" ".join([blob] * 70)], [])


async def test_a_job_past_its_deadline_recycles_its_worker(
    pool: WorkerPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 15: a running job was never stopped; its worker ground on after the caller
    # had answered 503. Now a job running past job_timeout has its worker replaced.
    import os

    from proxy.scanning.workers import WorkerDied

    import proxy.scanning.workers as workers_module

    monkeypatch.setattr(workers_module, "CHARS_PER_EXTRA_SECOND", 10**12)  # no length bonus
    settings = DetectionSettings()
    await pool.run(settings, [SMALL], [])
    before, restarts = set(pool.pids()), pool.restarts
    pool.job_timeout = 0.05
    try:
        with pytest.raises(WorkerDied):
            await pool.run(settings, [SMALL + LARGE * 4 + "d"], [])
    finally:
        pool.job_timeout = None
    assert pool.restarts == restarts + 1
    gone = before - set(pool.pids())
    assert len(gone) == 1
    (pid,) = gone
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left running
    for _ in range(600):  # the replacement loads the model
        if pool.alive == 2:
            break
        await asyncio.sleep(0.1)
    per_text, _ = await pool.run(settings, [SMALL + "r"], [])
    assert per_text[0] and len(pool.pids()) == 2


async def test_a_caller_that_goes_away_does_not_kill_a_worker(pool: WorkerPool) -> None:
    # A client disconnect cancels the scan; the job finishes and is discarded, so
    # disconnecting cannot make the pool reload models.
    settings = DetectionSettings()
    await pool.run(settings, [SMALL], [])
    before, restarts = pool.pids(), pool.restarts
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(pool.run(settings, [SMALL + LARGE * 4 + "g"], []), 0.05)
    per_text, _ = await pool.run(settings, [SMALL + "after"], [])
    assert per_text[0]
    assert pool.pids() == before and pool.restarts == restarts


@pytest.mark.parametrize(
    ("chars", "seconds"),
    [(0, 5.0), (1_000, 5.04), (100_000, 9.0), (1_000_000, 45.0)],
)
def test_the_deadline_grows_with_the_text(chars: int, seconds: float) -> None:
    """Issue 14: a long document is never refused for its length alone."""
    from proxy.scanning.workers import deadline_for

    assert deadline_for(5.0, chars) == pytest.approx(seconds)
