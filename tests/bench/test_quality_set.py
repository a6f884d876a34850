"""The labelled quality set is generated, not hand-edited: regenerating it from
bench/quality_set/ gives the committed file byte for byte."""

from __future__ import annotations

from pathlib import Path

from bench import quality_set

QUALITY_SET = Path(__file__).parents[1] / "data" / "quality" / "quality.jsonl"


def test_the_committed_quality_set_is_what_the_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "quality.jsonl"
    assert quality_set.main(["--out", str(out)]) == 0
    assert out.read_bytes() == QUALITY_SET.read_bytes()
    assert quality_set.main(["--out", str(QUALITY_SET), "--check"]) == 0


def test_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "quality.jsonl"
    stale.write_bytes(QUALITY_SET.read_bytes()[:-200])
    assert quality_set.main(["--out", str(stale), "--check"]) == 1
