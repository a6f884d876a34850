"""Tables pasted as text (CSV, TSV, Markdown pipes): each cell and its column's header;
and records pasted as code (JSON, YAML, a Ruby hash, key=value logs): each value and its key.

In a customer list the label of a value is not next to it but at the top of its column
(``生年月日`` over ``1983/09/19``, ``郵便番号`` over ``541-0053``). Recognizers read the
header as context at distance zero (detectors.context), and the name rules read name
columns (detectors.name_layout).

A header row is a row of two or more short cells without digits; the rows after it with
about as many cells are its data rows, until a line of prose ends the table.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_SPLIT = re.compile(r"\t|,|\||;")
# |---|:--:| in Markdown, ---+--- under a psql header, +----+----+ around a MySQL one
_MARKDOWN_RULE = re.compile(r"^\s*[|+]?\s*:?-{2,}:?\s*(?:[|+]\s*:?-{2,}:?\s*)*[|+]?\s*$")
_MAX_HEADER_CELL = 24
# A heading has no digits, but may end in a column number: 住所1, 住所2, tel_2, Address 2.
_HEADER_CELL = re.compile(r"[^0-9]+?(?:[ _\-]?[0-9]{1,2})?")


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    header: str


def _split(line: str, offset: int) -> list[tuple[int, int]]:
    """Trimmed (start, end) of each cell; a Markdown row's outer pipes open no cell."""
    body_start, body_end = 0, len(line)
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        body_start = line.index("|") + 1
        body_end = line.rindex("|")
    cells = []
    pos = body_start
    for m in _SPLIT.finditer(line, body_start, body_end):
        cells.append(_trim(line, pos, m.start(), offset))
        pos = m.end()
    cells.append(_trim(line, pos, body_end, offset))
    return cells


def _trim(line: str, start: int, end: int, offset: int) -> tuple[int, int]:
    while start < end and (line[start].isspace() or line[start] in "\"'"):
        start += 1
    while end > start and (line[end - 1].isspace() or line[end - 1] in "\"'"):
        end -= 1
    return offset + start, offset + end


def _is_header(values: list[str]) -> bool:
    named = [v for v in values if v]
    return (
        len(named) >= 2
        and all(len(v) <= _MAX_HEADER_CELL and _HEADER_CELL.fullmatch(v) for v in named)
        and any(not v.isascii() or v[:1].isalpha() for v in named)
    )


# A transfer record pasted from a 全銀 (Zengin) file or an Excel of one: bank code, branch
# code (names may sit beside them), deposit type, the account (group v), the holder's name
# in katakana (group holder), the amount — 0009,123,1,0482219,ｱｵﾔｷﾞ ﾀﾂﾔ,285000. A pattern
# string: the account recognizer and the name rules compile it with their own engines.
TRANSFER_RECORD = (
    r"(?m)^[ \t]*(?:[12],)?[0-9]{4},(?:[^,\n]{1,15},)?[0-9]{3},(?:[^,\n]{1,15},)?[1249],"
    r"(?P<v>[0-9]{7}),(?P<holder>[ァ-ヴー][ァ-ヴー・ 　()（）]{1,40}?)[ 　]*,[0-9]{1,10}[ \t]*$"
)


# INSERT INTO customers (name, kana, zip) VALUES ('乙部 和歌子', 'オトベ ワカコ', '060-0005'), …
# (column names may be quoted: (`id`,`name`) in a MySQL dump, ("name") or [name])
_SQL_COLUMNS = re.compile(
    r"\(\s*([`\"\[]?[A-Za-z_][\w\s,`\"\[\]]{0,400})\)\s*VALUES\s*", re.IGNORECASE
)
_SQL_ROW = re.compile(r"\s*,?\s*\(((?:'(?:[^'\\]|\\.|'')*'|[^'()])*)\)")
_SQL_VALUE = re.compile(r"'((?:[^'\\]|\\.|'')*)'|([^,\s][^,]*)")


def _sql_rows(text: str) -> list[Cell]:
    """The values of a pasted SQL INSERT, each under its column name."""
    out: list[Cell] = []
    for head in _SQL_COLUMNS.finditer(text):
        columns = [c.strip(' `"[]\n\t') for c in head.group(1).split(",")]
        pos = head.end()
        while (row := _SQL_ROW.match(text, pos)) is not None:
            for i, value in enumerate(_SQL_VALUE.finditer(text, row.start(1), row.end(1))):
                group = 1 if value.group(1) is not None else 2
                start, end = value.span(group)
                while end > start and text[end - 1].isspace():
                    end -= 1
                if i < len(columns) and start < end:
                    out.append(Cell(start, end, columns[i]))
            pos = row.end()
    return out


@lru_cache(maxsize=8)
def cells(text: str) -> tuple[Cell, ...]:
    """Every data cell of every table in ``text``, with its column header (cached: every
    recognizer of one scan asks for the same text)."""
    if "\t" not in text and "," not in text and "|" not in text and ";" not in text:
        return ()
    out: list[Cell] = _sql_rows(text) if "VALUES" in text.upper() else []
    header: list[str] | None = None
    offset = 0
    for line in text.split("\n"):
        if _MARKDOWN_RULE.match(line) and header is not None:
            offset += len(line) + 1
            continue
        spans = _split(line, offset) if _SPLIT.search(line) else []
        if len(spans) >= 2:
            values = [text[a:b] for a, b in spans]
            if _is_header(values) and (header is None or len(values) != len(header)):
                header = values
            elif header is not None and abs(len(spans) - len(header)) <= 1:
                out.extend(
                    Cell(a, b, header[i]) for i, (a, b) in enumerate(spans) if i < len(header)
                )
            elif _is_header(values):
                header = values
        elif line.strip():
            header = None  # prose ends the table
        offset += len(line) + 1
    return tuple(out)


# "postal_code": "330-0854", birthDate: '1972-08-19', :kana => "シライシ オサム", zip=5300017,
# ?last_name=鈴鹿&first_name=未来 (a query string: a bare value — https://x.jp/path too — ends
# before the next ?key= or &key=)
_FIELD = re.compile(
    r"(?:^|(?<=[{,(\s?&;]))[:\"']?(?P<k>[A-Za-z_][A-Za-z0-9_\-]{1,40}|[一-龥ァ-ヴー]{2,10})[\"']?"
    r"[ \t]*(?::|=>|=)[ \t]*"
    r"(?:\"(?P<dq>[^\"\n]{1,80})\"|'(?P<sq>[^'\n]{1,80})'"
    r"|(?P<bare>(?:(?![?&][A-Za-z_][A-Za-z0-9_]*=)[^\s\"',}\]]){1,80}))",
    re.MULTILINE,
)


# <input type="text" name="addr2" value="サンハイツ船橋 302">: the name attribute is the key
_HTML_FIELD = re.compile(
    r"<(?:input|textarea|option)\b[^<>]{0,200}?\bname=[\"'](?P<k>[A-Za-z_][\w\-\[\]]{0,40})[\"']"
    r"[^<>]{0,200}?\bvalue=[\"'](?P<v>[^\"'<>\n]{1,80})[\"']",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def fields(text: str) -> tuple[Cell, ...]:
    """Every value of a key-value record in ``text``, with its key as the header: in a
    pasted record the key is the value's label (cached like ``cells``)."""
    if ":" not in text and "=" not in text:
        return ()
    out = []
    if "<" in text:
        for m in _HTML_FIELD.finditer(text):
            out.append(Cell(m.start("v"), m.end("v"), m.group("k")))
    for m in _FIELD.finditer(text):
        group = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "bare"
        start, end = m.span(group)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Cell(start, end, m.group("k")))
    return tuple(out)


@lru_cache(maxsize=8)
def labelled_cells(text: str) -> tuple[Cell, ...]:
    """Table cells and record fields together: every value whose label is its header."""
    return cells(text) + fields(text)


def by_header(found: tuple[Cell, ...]) -> dict[str, tuple[Cell, ...]]:
    """The cells grouped under their headers, in text order within each."""
    groups: dict[str, list[Cell]] = {}
    for cell in found:
        groups.setdefault(cell.header, []).append(cell)
    return {header: tuple(group) for header, group in groups.items()}


@lru_cache(maxsize=8)
def cells_by_header(text: str) -> dict[str, tuple[Cell, ...]]:
    """``cells`` grouped by header (cached: each recognizer looks only under its own)."""
    return by_header(cells(text))


@lru_cache(maxsize=8)
def fields_by_header(text: str) -> dict[str, tuple[Cell, ...]]:
    """``fields`` grouped by key."""
    return by_header(fields(text))


class CellIndex:
    """The cell (if any) that holds a span, found by bisection."""

    def __init__(self, found: Sequence[Cell]) -> None:
        self._cells = sorted(found, key=lambda c: c.start)
        self._starts = [c.start for c in self._cells]

    def __bool__(self) -> bool:
        return bool(self._cells)

    def header_of(self, start: int, end: int) -> str | None:
        k = bisect.bisect_right(self._starts, start) - 1
        if k >= 0:
            cell = self._cells[k]
            if cell.start <= start and end <= cell.end:
                return cell.header
        return None


@lru_cache(maxsize=8)
def cell_index(text: str) -> CellIndex:
    """A :class:`CellIndex` of ``cells(text)``, built once per text (cached like ``cells``)."""
    return CellIndex(cells(text))
