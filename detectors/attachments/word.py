"""Word (.docx), opened with python-docx; text read from every story part in reading order.

Read: the body (paragraphs, tables, text boxes, tracked deletions and field codes — all of it
goes to the model with the file), headers, footers, footnotes, endnotes, comments and the
document properties. Limits: the package checks of ``ooxml`` (zip bomb, nested archives),
the character limit and the time budget between parts. Pictures are counted, not read.
"""

from __future__ import annotations

import io
import re

import docx

from detectors.attachments.budget import Budget
from detectors.attachments.ooxml import (
    Package,
    TextTags,
    add_properties,
    parse_xml,
    xml_text,
)
from detectors.attachments.types import ExtractionError, Location, Part, Reason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAGS = TextTags(
    text=frozenset({W + "t", W + "delText", W + "instrText"}),
    paragraph=frozenset({W + "p"}),
    tab=frozenset({W + "tab"}),
    newline=frozenset({W + "br", W + "cr"}),
)
# Story parts other than the body, by part name; numbered ones (header1, header2…) are
# joined per kind so a message names "header", not an internal part number.
STORIES: tuple[tuple[re.Pattern[str], Part], ...] = (
    (re.compile(r"^word/header\d*\.xml$"), Part.HEADER),
    (re.compile(r"^word/footer\d*\.xml$"), Part.FOOTER),
    (re.compile(r"^word/(footnotes|endnotes)\.xml$"), Part.FOOTNOTES),
    (re.compile(r"^word/comments[A-Za-z]*\.xml$"), Part.COMMENTS),
)


def extract_docx(data: bytes, package: Package, budget: Budget) -> None:
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception:  # any parser failure on hostile input is "malformed"
        raise ExtractionError(Reason.MALFORMED) from None
    budget.add(Location(Part.BODY), xml_text(body, TAGS))
    for pattern, part in STORIES:
        where = Location(part)
        texts = []
        for name in package.matching(pattern):
            budget.check(where)
            texts.append(xml_text(parse_xml(package.read(name)), TAGS))
        budget.add(where, "\n".join(t for t in texts if t))
    add_properties(package, budget)
