"""Table-driven: every recognizer through the whole scanner, hits and near-misses side by
side (tests/data/recognizers/scanner_cases.yaml). Spans are checked in the ORIGINAL text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from detectors.engine import Scanner
from detectors.settings import DetectionSettings

CASES = yaml.safe_load(
    (Path(__file__).parents[1] / "data/recognizers/scanner_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:30] for c in CASES])
def test_case(scanner: Scanner, case: dict) -> None:
    text = case["text"]
    found = {
        (f.entity_type, text[f.start : f.end]) for f in scanner.scan(text, DetectionSettings())
    }
    if "hit" in case:
        assert tuple(case["hit"]) in found
    else:
        entity = case["miss"]
        if "span" in case:
            assert (entity, case["span"]) not in found
        else:
            assert not [v for e, v in found if e == entity], found
