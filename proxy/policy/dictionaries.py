"""Read a company dictionary file: TXT (one term a line, # comments) or CSV (the column
named ``name``, else the first column). UTF-8 with or without BOM."""

from __future__ import annotations

import csv
import io
from pathlib import Path

MAX_TERMS = 1_000_000


def load_terms(path: Path) -> tuple[str, ...]:
    text = path.read_bytes().decode("utf-8-sig")
    terms: list[str] = []
    if path.suffix.lower() == ".csv":
        rows = list(csv.reader(io.StringIO(text)))
        column = 0
        if rows and any(cell.strip().lower() == "name" for cell in rows[0]):
            column = [cell.strip().lower() for cell in rows[0]].index("name")
            rows = rows[1:]
        for row in rows:
            if len(row) > column and row[column].strip() and not row[0].startswith("#"):
                terms.append(row[column].strip())
    else:
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                terms.append(line)
    if len(terms) > MAX_TERMS:
        raise ValueError(f"{path.name}: more than {MAX_TERMS} terms")
    return tuple(dict.fromkeys(terms))
