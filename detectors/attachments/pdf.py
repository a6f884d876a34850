"""PDF, read with pypdfium2 (PDFium, the engine of Chrome's PDF viewer).

Limits: ``max_pages`` from the page count before any page is parsed (a 10,000-page file is
refused in milliseconds); the time budget between pages. A PDF that needs a password to open
is refused as encrypted; one with only an owner password (printing/copy restrictions) opens
and is read. The document information (author, title…) is scanned too. Text inside pictures
is not read: pages with pictures and no text are listed in ``Extracted.image_only_pages``.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from detectors.attachments.budget import Budget
from detectors.attachments.types import ExtractionError, Location, Part, Reason

METADATA_SKIP = frozenset({"CreationDate", "ModDate", "Trapped"})


def extract_pdf(data: bytes, budget: Budget) -> tuple[Location, ...]:
    """Add each page's text to the budget; return the pages that are pictures only."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ExtractionError(Reason.ENCRYPTED) from None
        raise ExtractionError(Reason.MALFORMED) from None
    image_only: list[Location] = []
    try:
        pages = len(pdf)
        if pages > budget.limits.max_pages:
            raise ExtractionError(Reason.TOO_MANY_PAGES)
        meta = pdf.get_metadata_dict(skip_empty=True)
        budget.add(
            Location(Part.PROPERTIES),
            "\n".join(v for k, v in meta.items() if k not in METADATA_SKIP),
        )
        for index in range(pages):
            where = Location(Part.PAGE, index + 1)
            budget.check(where)
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                if not text.strip() and _has_image(page):
                    image_only.append(where)
            finally:
                page.close()
            budget.add(where, text.replace("\r\n", "\n"))
    except pdfium.PdfiumError:
        raise ExtractionError(Reason.MALFORMED) from None
    finally:
        pdf.close()
    return tuple(image_only)


def _has_image(page: pdfium.PdfPage) -> bool:
    objects = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)
    return next(iter(objects), None) is not None
