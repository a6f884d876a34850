"""Attachments: the text of the files staff upload (PDF, Word, Excel, PowerPoint, CSV and
text; images by OCR on request), extracted under limits, for the scanner to read.

Pure like the rest of ``detectors``: bytes in, text chunks or a typed refusal out; no I/O
but the optional Tesseract subprocess. Call :func:`extract` in a scan worker process.
"""

from __future__ import annotations

from detectors.attachments.extract import extract
from detectors.attachments.ocr import ocr_available
from detectors.attachments.types import (
    REASONS,
    Chunk,
    Extracted,
    ExtractionError,
    ExtractLimits,
    Kind,
    Location,
    Part,
    Reason,
)

__all__ = [
    "REASONS",
    "Chunk",
    "ExtractLimits",
    "Extracted",
    "ExtractionError",
    "Kind",
    "Location",
    "Part",
    "Reason",
    "extract",
    "ocr_available",
]
