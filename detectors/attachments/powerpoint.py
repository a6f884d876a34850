"""PowerPoint (.pptx), opened with python-pptx; slides in presentation order.

Read: every shape's text on each slide (text boxes, placeholders, tables, grouped shapes),
the speaker notes, comments and the document properties. Limits: ``max_pages`` counts
slides (checked before any slide is read), the package checks of ``ooxml``, the time budget
between slides. Charts embed a workbook, which the package check refuses as a nested
archive; pictures are counted, not read.
"""

from __future__ import annotations

import io
import re

import pptx

from detectors.attachments.budget import Budget
from detectors.attachments.ooxml import Package, TextTags, add_properties, all_text, xml_text
from detectors.attachments.types import ExtractionError, Location, Part, Reason

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TAGS = TextTags(
    text=frozenset({A + "t"}),
    paragraph=frozenset({A + "p"}),
    tab=frozenset(),
    newline=frozenset({A + "br"}),
)
COMMENT_PART = re.compile(r"^ppt/comments/[^/]+\.xml$")


def extract_pptx(data: bytes, package: Package, budget: Budget) -> None:
    try:
        slides = list(pptx.Presentation(io.BytesIO(data)).slides)
    except Exception:  # any parser failure on hostile input is "malformed"
        raise ExtractionError(Reason.MALFORMED) from None
    if len(slides) > budget.limits.max_pages:
        raise ExtractionError(Reason.TOO_MANY_PAGES)
    for index, slide in enumerate(slides):
        where = Location(Part.SLIDE, index + 1)
        budget.check(where)
        try:
            text = xml_text(slide.element, TAGS)
            notes = xml_text(slide.notes_slide.element, TAGS) if slide.has_notes_slide else ""
        except Exception:
            raise ExtractionError(Reason.MALFORMED, where) from None
        budget.add(where, text)
        budget.add(Location(Part.NOTES, index + 1), notes)
    where = Location(Part.COMMENTS)
    budget.add(where, "\n".join(all_text(package.read(n)) for n in package.matching(COMMENT_PART)))
    add_properties(package, budget)
