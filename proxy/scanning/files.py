"""Reading attached files, the job a scan worker runs for them (never the event loop).

A job is one file's bytes, its declared media type, the limits and the action per file kind.
The worker sniffs the real kind first: a kind the policy blocks or allows is not parsed at
all; a kind it scans (or an image it OCRs) is extracted under the limits. Every outcome,
refusals included, comes back as a value that pickles across the worker boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detectors.attachments.extract import extract
from detectors.attachments.sniff import resolve_kind, sniff
from detectors.attachments.types import (
    Extracted,
    ExtractionError,
    ExtractLimits,
    Kind,
    Reason,
)

if TYPE_CHECKING:
    from proxy.policy.model import FileAction, FileKind

log = logging.getLogger("sekimori.files")


def file_kind(kind: Kind) -> FileKind:
    """The policy's name for a detected kind (the text kinds and image kinds together)."""
    if kind.is_image:
        return "image"
    if kind.is_text:
        return "text"
    return kind.value  # type: ignore[return-value]  # pdf, docx, xlsx, pptx


@dataclass(frozen=True, slots=True)
class FileJob:
    data: bytes
    media_type: str | None
    limits: ExtractLimits
    actions: Mapping[FileKind, FileAction]


@dataclass(frozen=True, slots=True)
class FileResult:
    """``kind`` is None only when the file was refused before its kind was known."""

    kind: Kind | None
    action: FileAction | None
    extracted: Extracted | None = None
    error: ExtractionError | None = None


def read_file(job: FileJob) -> FileResult:
    """Sniff, apply the kind's action, extract when it says scan or ocr. Never raises."""
    kind: Kind | None = None
    try:
        if len(job.data) > job.limits.max_input_bytes:
            raise ExtractionError(Reason.TOO_LARGE)
        kind = resolve_kind(sniff(job.data), job.media_type)
        action = job.actions[file_kind(kind)]
        if action in ("block", "allow"):
            return FileResult(kind, action)
        if kind.is_image and action != "ocr":
            return FileResult(kind, "block")
        extracted = extract(job.data, job.media_type, job.limits, ocr=action == "ocr")
        return FileResult(kind, action, extracted)
    except ExtractionError as exc:
        return FileResult(kind, None, error=exc)
    except Exception as exc:  # a parser bug on hostile input: refuse the file, fail closed
        log.warning("attachment extractor failed: %s", type(exc).__name__)
        return FileResult(kind, None, error=ExtractionError(Reason.MALFORMED))


def read_files(jobs: list[FileJob]) -> list[FileResult]:
    return [read_file(job) for job in jobs]
