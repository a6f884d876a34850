"""``sekimori scan FILE…``: the attachment extractors as a CI gate, one exit code per verdict."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run
from tests.detectors.attachments import samples


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_exit_code_is_the_worst_verdict(tmp_path: Path) -> None:
    memo = tmp_path / "memo.docx"
    memo.write_bytes(samples.word_memo())  # My Number: block-level
    customers = tmp_path / "customers.csv"
    customers.write_bytes(samples.sjis_csv())  # names, phones, addresses: mask-level
    clean = tmp_path / "notes.txt"
    clean.write_text("本日の会議は15時からです。\n", encoding="utf-8")

    assert run("scan", str(clean)).returncode == 0
    masked = run("scan", str(customers))
    assert masked.returncode == 1, masked.stderr
    rows = lines(masked.stdout)
    assert rows[-1]["verdict"] == "mask" and rows[0]["part"] == "text"
    assert "山田太郎" not in masked.stdout  # no values unless --show-values

    both = run("scan", str(clean), str(customers), str(memo))
    assert both.returncode == 2, both.stderr
    summaries = [r for r in lines(both.stdout) if "verdict" in r]
    assert [(s["file"], s["verdict"]) for s in summaries] == [
        (str(clean), "clean"),
        (str(customers), "mask"),
        (str(memo), "block"),
    ]
    assert any(
        r.get("type") == "JP_MY_NUMBER" and r.get("part") == "body" for r in lines(both.stdout)
    )


def test_a_refused_file_is_a_block_with_its_reason(tmp_path: Path) -> None:
    locked = tmp_path / "invoice.pdf"
    locked.write_bytes(samples.encrypted_pdf())
    out = run("scan", str(locked))
    assert out.returncode == 2
    assert lines(out.stdout) == [
        {"file": str(locked), "verdict": "block", "reason": "attachment_encrypted"}
    ]
    assert "暗号化" in out.stderr and "encrypted" in out.stderr


def test_stdin_text_exits_by_its_verdict_like_files() -> None:
    out = run("scan", stdin="マイナンバー 615237485127")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 2 and rows[0]["type"] == "JP_MY_NUMBER"
    assert rows[-1]["verdict"] == "block"
