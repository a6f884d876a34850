"""check-config reports every error of a file in one run: the schema's and, in the rest of
the file, the ones found after it (unknown types, duplicates, files, team references)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from proxy.policy import PolicyError, load_policy
from proxy.tools.check_config import run_check_config

HASH = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
FILE = f"""version: 1
mode: sometimes
entities:
  JP_MY_NUMBR: {{action: block}}
  EMPLOYEE_ID: {{action: block}}
  PHONE_NUMBER:
    threshold: 2
custom_patterns:
  - {{name: emp, entity_type: EMPLOYEE_ID, regex: "EMP-[0-9]{{6}}", score: 7}}
  - {{name: ticket, entity_type: TICKET, regex: "T-[0-9]+", score: 0.8}}
  - {{name: ticket, entity_type: TICKET, regex: "TK-[0-9]+", score: 0.8}}
dictionaries:
  - {{entity_type: CUSTOMER, file: customers-missing.csv, action: mask}}
auth:
  keys:
    - {{sha256: {HASH}, team: nobody}}
teams:
  hr:
    entities:
      PERSON: {{action: nope}}
"""
# (line, dotted key, a word of the English message)
EXPECTED = [
    (2, "mode", "not one of"),
    (4, "entities.JP_MY_NUMBR", "unknown entity type"),
    (7, "entities.PHONE_NUMBER.threshold", "out of range"),
    (9, "custom_patterns[0].score", "at most"),
    (11, "custom_patterns[2].name", "duplicate pattern name"),
    (13, "dictionaries[0].file", "not found"),
    (16, "auth.keys[0].team", "not defined under teams"),
    (20, "teams.hr.entities.PERSON.action", "not one of"),
]


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_every_error_in_one_run(bad: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(bad)
    found = [(i.line, i.path, i.en) for i in caught.value.issues]
    assert [(line, key) for line, key, _ in found] == [(line, key) for line, key, _ in EXPECTED]
    for (_, _, en), (_, _, word) in zip(found, EXPECTED, strict=True):
        assert word in en
    # EMPLOYEE_ID is defined by a pattern that is itself invalid: not reported as unknown.
    assert not any(i.path == "entities.EMPLOYEE_ID" for i in caught.value.issues)


def test_check_config_prints_them_all(bad: Path) -> None:
    out = io.StringIO()
    assert run_check_config(bad, out, environ={}) == 2
    text = out.getvalue()
    for line, key, _ in EXPECTED:
        assert f"bad.yaml:{line}:" in text and key in text


def test_a_file_with_only_schema_errors_reports_only_those(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("version: 1\nentities:\n  JP_MY_NUMBER: {action: blokc}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert [i.path for i in caught.value.issues] == ["entities.JP_MY_NUMBER.action"]
