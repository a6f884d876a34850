"""Excel (.xlsx, .xlsm), read with python-calamine (the Rust calamine reader).

Every sheet, hidden ones included, becomes one chunk: its name on the first line, then one
line per row, cells separated by tabs; whole numbers are written without ".0" (a My Number
typed as a number must still read as one). Cell comments and the document properties are
read too.

Limits: ``max_sheets``; ``max_cells`` counts each sheet's used range (rows × columns), measured
by a streaming pass over the sheet XML before calamine loads it — calamine holds a sheet as a
dense grid, so a file with one cell in A1 and one in XFD1048576 would otherwise take
gigabytes; the time budget between sheets.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import python_calamine
from lxml import etree

from detectors.attachments.budget import Budget
from detectors.attachments.ooxml import Package, add_properties, all_text
from detectors.attachments.types import ExtractionError, Location, Part, Reason

SHEET_PART = re.compile(r"^xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml$")
COMMENT_PART = re.compile(r"^xl/(comments[^/]*|threadedComments/[^/]+)\.xml$")
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
# Fast path: every writer we know gives each cell its reference (r="B7"); when all do, a
# regex over the XML measures the range. Otherwise positions are implied and the XML is
# walked, streaming.
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
CELL_TAG_WITH_REF = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=[\"']([A-Z]{1,3})([0-9]{1,7})[\"']"
)


def extract_xlsx(data: bytes, package: Package, budget: Budget) -> None:
    cells = 0
    for name in package.matching(SHEET_PART):
        budget.check()
        cells += _used_range(package, name)
        if cells > budget.limits.max_cells:
            raise ExtractionError(Reason.TOO_MANY_CELLS)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(workbook.sheet_names)
    except Exception:  # any reader failure on hostile input is "malformed"
        raise ExtractionError(Reason.MALFORMED) from None
    if len(names) > budget.limits.max_sheets:
        raise ExtractionError(Reason.TOO_MANY_SHEETS)
    for index, sheet_name in enumerate(names):
        where = Location(Part.SHEET, index + 1)
        budget.check(where)
        try:
            rows = workbook.get_sheet_by_index(index).to_python()
        except Exception:
            raise ExtractionError(Reason.MALFORMED, where) from None
        lines = [sheet_name]
        for row in rows:
            line = "\t".join(_cell(v) for v in row).rstrip("\t")
            if line:
                lines.append(line)
        budget.add(where, "\n".join(lines))
    where = Location(Part.COMMENTS)
    budget.add(where, "\n".join(all_text(package.read(n)) for n in package.matching(COMMENT_PART)))
    add_properties(package, budget)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _used_range(package: Package, name: str) -> int:
    """rows × columns of the cells a sheet defines."""
    xml = package.read(name)
    refs = CELL_TAG_WITH_REF.findall(xml)
    if len(refs) != len(CELL_TAG.findall(xml)):
        return _used_range_walked(package, name)
    if not refs:
        return 0
    rows = [int(r) for _, r in refs]
    cols = {c for c, _ in refs}
    width = max(_column(c.decode()) for c in cols) - min(_column(c.decode()) for c in cols) + 1
    return (max(rows) - min(rows) + 1) * width


def _used_range_walked(package: Package, name: str) -> int:
    """The same, for cells without references: streaming, memory stays flat."""
    min_row = min_col = 1 << 30
    max_row = max_col = 0
    row = col = 0
    try:
        with package.zf.open(name) as stream:
            for event, el in etree.iterparse(
                stream,
                events=("start", "end"),
                tag=("{*}row", "{*}c"),
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
            ):
                local = etree.QName(el).localname
                if event == "start":
                    if local == "row":
                        r = el.get("r")
                        row = int(r) if r and r.isdigit() else row + 1
                        col = 0
                    else:
                        ref = CELL_REF.match(el.get("r") or "")
                        col = _column(ref.group(1)) if ref else col + 1
                        min_row, max_row = min(min_row, row), max(max_row, row)
                        min_col, max_col = min(min_col, col), max(max_col, col)
                elif local == "row":
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError:
        raise ExtractionError(Reason.MALFORMED) from None
    if max_row == 0:
        return 0
    return (max_row - min_row + 1) * (max_col - min_col + 1)


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
