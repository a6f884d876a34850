"""The ``sekimori`` command as a user runs it: scan, scan --jsonl, --mask, check-config."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from proxy.tools.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy.tools.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


def test_scan_prints_findings_without_values_and_the_verdict() -> None:
    out = run("scan", stdin="山本健一さんのマイナンバーは615237485127です")
    assert out.returncode == 2, out.stderr  # My Number: the proxy would block this text
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["type"] for r in rows[:-1]} >= {"PERSON", "JP_MY_NUMBER"}
    assert rows[-1] == {"verdict": "block", "counts": {"PERSON": 1, "JP_MY_NUMBER": 1}}
    assert "615237485127" not in out.stdout and "山本健一" not in out.stdout


def test_scan_show_values_and_mask() -> None:
    shown = run("scan", "--show-values", stdin="山本健一さんへ")
    assert any(json.loads(l).get("value") == "山本健一" for l in shown.stdout.splitlines())
    masked = run("scan", "--mask", stdin="山本健一さんへ")
    assert masked.stdout.strip() == "[[PERSON_1]]さんへ"
    assert masked.returncode == 1 and "verdict: mask (PERSON 1)" in masked.stderr


@pytest.mark.parametrize(
    ("text", "verdict", "code"),
    [
        ("明日の会議は10時からです", "clean", 0),
        ("担当の鈴木です", "mask", 1),
        ("マイナンバー 615237485127 です", "block", 2),
    ],
)
def test_scan_mask_says_the_verdict_and_exits_by_it(text: str, verdict: str, code: int) -> None:
    out = run("scan", "--mask", stdin=text)
    assert out.returncode == code, out.stderr
    assert f"verdict: {verdict}" in out.stderr and "判定" in out.stderr
    if verdict == "block":  # masked text is shown, but nobody is told it would be sent
        assert "[[JP_MY_NUMBER_1]]" in out.stdout and "送信は止められます" in out.stderr


def test_scan_works_from_any_directory_with_the_shipped_policy(tmp_path: Path) -> None:
    out = run("scan", "--mask", stdin="担当の鈴木です", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert out.stdout.strip() == "担当の[[PERSON_1]]です"
    own = tmp_path / "own.yaml"
    own.write_text("version: 1\nentities:\n  PERSON: {action: allow}\n", encoding="utf-8")
    allowed = run("scan", "--policy", str(own), stdin="担当の鈴木です", cwd=tmp_path)
    assert (
        allowed.returncode == 0
        and json.loads(allowed.stdout.splitlines()[-1])["verdict"] == "clean"
    )


def test_scan_unknown_team_is_a_clear_error() -> None:
    out = run("scan", "--team", "nobody", stdin="こんにちは")
    assert out.returncode == 2 and "nobody" in out.stderr and "Traceback" not in out.stderr


def test_every_option_of_every_subcommand_has_help() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(subparsers.choices) == {"serve", "scan", "check-config", "mock-upstream"}
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"{name} {action.option_strings or action.dest} has no help"


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
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [len(r["findings"]) > 0 for r in rows] == [False, True, True]
    assert [r["verdict"] for r in rows] == ["clean", "mask", "block"]
    assert out.returncode == 2  # the worst line decides, as for files
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


def test_the_packaged_default_policy_is_config_default_yaml() -> None:
    from importlib.resources import files

    packaged = (files("proxy.policy") / "default.yaml").read_bytes()
    assert packaged == (ROOT / "config/default.yaml").read_bytes()
