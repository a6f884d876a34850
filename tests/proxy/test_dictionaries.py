"""Dictionary files: TXT and CSV, BOM or not, comments and duplicates."""

from __future__ import annotations

from pathlib import Path

from proxy.policy.dictionaries import load_terms


def test_txt(tmp_path: Path) -> None:
    f = tmp_path / "c.txt"
    f.write_bytes("\ufeff# 顧客\n山田商事\n\nACME\n山田商事\n".encode())
    assert load_terms(f) == ("山田商事", "ACME")


def test_csv_first_column(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("山田商事,大阪\n東和物産,東京\n", encoding="utf-8")
    assert load_terms(f) == ("山田商事", "東和物産")


def test_csv_named_column(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text('id,name\n1,山田商事\n2,"ACME, Inc."\n', encoding="utf-8")
    assert load_terms(f) == ("山田商事", "ACME, Inc.")
