"""The leak classes seen on text nobody here wrote (issue 13), as a table of hits and
near-misses (tests/data/recognizers/leak_classes.yaml), through the whole scanner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from detectors.engine import Scanner
from detectors.settings import DetectionSettings

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "data/recognizers/leak_classes.yaml").read_text(encoding="utf-8")
)


def _covered(text: str, spans: list[tuple[int, int]], value: str) -> bool:
    start = text.find(value)
    assert start >= 0, f"{value!r} is not in the case text"
    return all(
        text[i].isspace() or any(a <= i < b for a, b in spans)
        for i in range(start, start + len(value))
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c['class']}-{c['text'][:24]}" for c in CASES])
def test_leak_class(scanner: Scanner, case: dict[str, Any]) -> None:
    text = case["text"]
    findings = scanner.scan(text, DetectionSettings())
    if "hit" in case:
        entity, value = case["hit"]
        if case.get("span_check") == "prefix":
            value = value[:-2]  # the name in "杉浦から", not the particle
            text_at = text.rfind(value)
            spans = [(f.start, f.end) for f in findings if f.entity_type == entity]
            assert any(a <= text_at and text_at + len(value) <= b for a, b in spans), findings
            return
        spans = [(f.start, f.end) for f in findings if f.entity_type == entity]
        assert _covered(text, spans, value), [
            (f.entity_type, text[f.start : f.end]) for f in findings
        ]
    elif isinstance(case["miss"], list):  # [entity, value]: that value is not covered
        entity, value = case["miss"]
        spans = [(f.start, f.end) for f in findings if f.entity_type == entity]
        assert not _covered(text, spans, value), [
            (f.entity_type, text[f.start : f.end]) for f in findings
        ]
    else:
        found = [text[f.start : f.end] for f in findings if f.entity_type == case["miss"]]
        if "span" in case:  # only this exact span must not be found (a part may be)
            assert case["span"] not in found, found
        else:
            assert not found, found
