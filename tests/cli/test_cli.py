"""The ``sekimori`` command as a user runs it: scan, scan --jsonl, --mask, check-config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy.tools.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_scan_prints_findings_without_values() -> None:
    out = run("scan", stdin="山本健一さんのマイナンバーは615237485127です")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["type"] for r in rows} >= {"PERSON", "JP_MY_NUMBER"}
    assert "615237485127" not in out.stdout and "山本健一" not in out.stdout


def test_scan_show_values_and_mask() -> None:
    shown = run("scan", "--show-values", stdin="山本健一さんへ")
    assert any(json.loads(l).get("value") == "山本健一" for l in shown.stdout.splitlines())
    masked = run("scan", "--mask", stdin="山本健一さんへ")
    assert masked.stdout.strip() == "[[PERSON_1]]さんへ"


def test_scan_jsonl_keeps_order_one_result_per_line(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(
        "\n".join(
            json.dumps({"text": t}, ensure_ascii=False)
            for t in ["こんにちは", "担当の鈴木です", "マイナンバー 615237485127"]
        ),
        encoding="utf-8",
    )
    out = run("scan", "--jsonl", "--mask", str(data))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [len(r["findings"]) > 0 for r in rows] == [False, True, True]
    assert rows[1]["masked"] == "担当の[[PERSON_1]]です"


def test_scan_jsonl_bad_line_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    out = run("scan", "--jsonl", str(data))
    assert out.returncode == 2
    assert "2行目" in out.stderr and "line 2" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_config_valid_and_invalid(tmp_path: Path) -> None:
    ok = run("check-config", "config/default.yaml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentities:\n  JP_MY_NUMBER:\n    action: blokc\n", encoding="utf-8")
    out = run("check-config", str(bad))
    assert out.returncode == 2
    assert "bad.yaml:4" in out.stdout + out.stderr
    assert "Traceback" not in out.stdout + out.stderr


def test_serve_refuses_a_broken_policy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nmode: sometimes\n", encoding="utf-8")
    out = run("serve", "--config", str(bad), "--port", "0")
    assert out.returncode != 0
    assert "エラー" in out.stderr and "error" in out.stderr
    assert "Traceback" not in out.stderr
