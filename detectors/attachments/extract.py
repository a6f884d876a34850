"""One entry point: bytes and a declared media type in, text chunks (or a typed refusal) out.

Order: input size; the real kind from magic bytes; the declared type checked against it; for
OOXML the package checks (zip bomb, nested archives) before any parser opens it; then the
kind's extractor under the page, sheet, cell, character and time limits.
"""

from __future__ import annotations

from detectors.attachments.budget import Budget
from detectors.attachments.excel import extract_xlsx
from detectors.attachments.ocr import LANGUAGES, ocr_image
from detectors.attachments.ooxml import open_package
from detectors.attachments.pdf import extract_pdf
from detectors.attachments.powerpoint import extract_pptx
from detectors.attachments.sniff import parse_media_type, resolve_kind, sniff
from detectors.attachments.text import extract_text
from detectors.attachments.types import (
    Extracted,
    ExtractionError,
    ExtractLimits,
    Kind,
    Location,
    Reason,
)
from detectors.attachments.word import extract_docx

OOXML = {Kind.DOCX: extract_docx, Kind.XLSX: extract_xlsx, Kind.PPTX: extract_pptx}


def extract(
    data: bytes,
    declared_media_type: str | None,
    limits: ExtractLimits | None = None,
    *,
    ocr: bool = False,
    ocr_languages: str = LANGUAGES,
) -> Extracted:
    """The text of one file. Raises :class:`ExtractionError` (413/422/503) when refused.

    An image comes back with no text and ``unread_image=True`` unless ``ocr`` is asked for.
    """
    limits = limits or ExtractLimits()
    if len(data) > limits.max_input_bytes:
        raise ExtractionError(Reason.TOO_LARGE)
    kind = resolve_kind(sniff(data), declared_media_type)
    budget = Budget(limits)
    image_only: tuple[Location, ...] = ()
    embedded = 0
    if kind is Kind.PDF:
        image_only = extract_pdf(data, budget)
    elif kind in OOXML:
        package = open_package(data, budget)
        try:
            OOXML[kind](data, package, budget)
        finally:
            package.zf.close()
        embedded = package.media_entries
    elif kind.is_text:
        _, params = parse_media_type(declared_media_type)
        extract_text(data, kind, params.get("charset"), budget)
    elif ocr:
        ocr_image(data, kind, budget, ocr_languages)
    else:
        return Extracted(kind, (), unread_image=True)
    return Extracted(
        kind,
        tuple(budget.chunks),
        ocr=kind.is_image,
        image_only_pages=image_only,
        embedded_images=embedded,
    )
