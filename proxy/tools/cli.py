"""The ``sekimori`` command: serve, scan, check-config, mock-upstream.

Errors are printed Japanese first, English alongside, and exit non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from detectors.types import Finding
    from proxy.policy import Policy
    from proxy.relay.decision import Decision

from proxy.tools.serve import open_relay_warning, run_server
from proxy.vocabulary import JsonObject, JsonValue

__all__ = ["DEFAULT_CONFIG", "EXIT_FOR", "build_parser", "main", "open_relay_warning"]

# The shipped default policy (config/default.yaml, installed with the package), so that
# `sekimori scan` and `serve` work from any directory.
DEFAULT_CONFIG = Path(str(files("proxy.policy") / "default.yaml"))


def _fail(ja: str, en: str, code: int = 2) -> int:
    print(f"エラー: {ja}\nerror: {en}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and option, each with its help text."""
    parser = argparse.ArgumentParser(
        prog="sekimori", description="関守 Sekimori — prompt guard proxy"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the proxy / プロキシを起動")
    serve.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="policy file (default: the shipped default policy) / ポリシーファイル",
    )
    serve.add_argument("--host", default="127.0.0.1", help="proxy listener host / 待ち受けホスト")
    serve.add_argument("--port", type=int, default=8080, help="proxy port (default 8080)")
    serve.add_argument(
        "--admin-host",
        default="127.0.0.1",
        help="admin listener host: health, metrics, playground (default: loopback only)",
    )
    serve.add_argument(
        "--admin-port",
        type=int,
        default=8081,
        help="admin port: /healthz /readyz /metrics /playground (default 8081)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="scan worker processes (default: CPU cores; 0 = in-process)",
    )
    serve.add_argument(
        "--audit-file",
        type=Path,
        default=Path(os.environ["SEKIMORI_AUDIT_FILE"])
        if os.environ.get("SEKIMORI_AUDIT_FILE")
        else None,
        help="append audit lines (JSON) to this file instead of stdout",
    )

    scan = sub.add_parser("scan", help="scan text, JSON lines or files / テキスト・ファイルを検査")
    scan.add_argument(
        "input",
        nargs="*",
        default=["-"],
        help="text from stdin (-), or files: PDF, Word, Excel, PowerPoint, CSV, text, images "
        "with --ocr. Exit 0 clean, 1 mask-level findings only, 2 block-level or refused "
        "(text and files alike)",
    )
    scan.add_argument("--ocr", action="store_true", help="read images with tesseract")
    scan.add_argument(
        "--policy",
        type=Path,
        default=None,
        help="policy file (default: the shipped default policy) / ポリシーファイル",
    )
    scan.add_argument(
        "--team", default=None, help="apply this team's rules (default: the policy's top level)"
    )
    scan.add_argument(
        "--mask",
        action="store_true",
        help="print the text as it would go upstream, placeholders in; the verdict goes to stderr",
    )
    scan.add_argument(
        "--jsonl",
        action="store_true",
        help='input is JSON lines {"text": …}; one {"findings", "verdict"} line out per line',
    )
    scan.add_argument(
        "--show-values",
        action="store_true",
        help="include each found value in the output (never in logs) / 検出値も表示",
    )

    check = sub.add_parser(
        "check-config", help="validate a policy, list every error / ポリシーを検証"
    )
    check.add_argument("file", type=Path, help="the policy YAML file to check")

    mock = sub.add_parser(
        "mock-upstream",
        help="a local stand-in for the OpenAI and Anthropic APIs that echoes the prompt / "
        "プロンプトを返すだけの上流 API の代役",
    )
    from proxy.tools import mock_command

    mock_command.add_arguments(mock)
    return parser


def main(argv: list[str] | None = None) -> int:
    from proxy.tools import mock_command

    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "scan":
        return _scan(args)
    if args.command == "mock-upstream":
        asyncio.run(mock_command.serve(args.host, args.port, quiet=args.quiet))
        return 0
    from proxy.tools.check_config import run_check_config

    return run_check_config(args.file, sys.stdout)


# -- scan -----------------------------------------------------------------------------------
# The exit code of `sekimori scan`, per verdict: the same for text, JSON lines and files.
# The verdict is what enforcement would do, in the proxy's own outcome words (block, mask,
# clean): `scan` ignores the policy's monitor mode, as a CI gate must.
EXIT_FOR = {"clean": 0, "mask": 1, "block": 2}


def _load_policy_or_default(path: Path | None) -> Policy:
    from proxy.policy import PolicyError, load_policy

    try:
        return load_policy(path or DEFAULT_CONFIG)
    except PolicyError as exc:
        raise SystemExit(_fail(str(exc), "the policy is invalid (see above)")) from None
    except FileNotFoundError:
        raise SystemExit(
            _fail(f"ポリシーファイルがありません: {path}", f"policy file not found: {path}")
        ) from None


def _check_team(policy: Policy, team: str | None) -> None:
    if team is not None and team not in policy.teams():
        known = ", ".join(policy.teams()) or "-"
        raise SystemExit(
            _fail(
                f"チーム {team} はポリシーにありません（{known}）",
                f"team {team} is not in the policy (known: {known})",
            )
        )


def _verdict(findings: list[Finding], policy: Policy, team: str | None) -> Decision:
    from proxy.relay.decision import decide

    return decide(findings, lambda t: policy.action_for(team, t).value, False)


def _scan(args: argparse.Namespace) -> int:
    if args.input != ["-"] and not (args.jsonl or args.mask):
        return _scan_files(args)
    if len(args.input) != 1:
        return _fail("--jsonl と --mask は入力1つだけです", "--jsonl and --mask take one input")
    args.input = args.input[0]
    from detectors.engine import Scanner
    from proxy.relay.masking import mask_texts
    from proxy.relay.placeholders import PlaceholderMap

    policy = _load_policy_or_default(args.policy)
    _check_team(policy, args.team)
    settings = policy.detection_settings(args.team)
    try:
        source: TextIO = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    except OSError:
        return _fail(f"入力ファイルを開けません: {args.input}", f"cannot open input: {args.input}")
    scanner = Scanner.load()

    def one(text: str) -> tuple[JsonObject, Decision]:
        findings = scanner.scan(text, settings)
        rows: list[JsonValue] = []
        for f in findings:
            row: JsonObject = dict(f.to_dict())
            row.pop("segment", None)
            if args.show_values:
                row["value"] = text[f.start : f.end]
            rows.append(row)
        decision = _verdict(findings, policy, args.team)
        out: JsonObject = {"findings": rows, "verdict": decision.would}
        if decision.counts:
            out["counts"] = dict(decision.counts)
        if args.mask:
            masked = mask_texts(
                [text],
                findings,
                lambda t: policy.action_for(args.team, t).value != "allow",
                PlaceholderMap(),
            )
            out["masked"] = masked.get(0, text)
        return out, decision

    worst = 0
    with source:
        if args.jsonl:
            for n, line in enumerate(source, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    text = obj["text"]
                    if not isinstance(text, str):
                        raise TypeError
                except (ValueError, KeyError, TypeError):
                    return _fail(
                        f'{n}行目: {{"text": "..."}} 形式のJSONではありません',
                        f'line {n}: not a JSON object with a string "text"',
                    )
                result, decision = one(text)
                print(json.dumps(result, ensure_ascii=False), flush=True)
                worst = max(worst, EXIT_FOR[decision.would])
            return worst
        text = source.read()
    result, decision = one(text)
    if args.mask:
        print(result["masked"])
        print(_verdict_line(decision), file=sys.stderr)
    else:
        for row in result["findings"] if isinstance(result["findings"], list) else []:
            print(json.dumps(row, ensure_ascii=False))
        summary = {"verdict": decision.would, "counts": decision.counts}
        print(json.dumps(summary, ensure_ascii=False))
    return EXIT_FOR[decision.would]


def _verdict_line(decision: Decision) -> str:
    """The verdict for stderr, Japanese first: what the proxy would do with this text."""
    counts = ", ".join(f"{kind} {n}" for kind, n in sorted(decision.counts.items()))
    ja = {
        "block": "送信は止められます",
        "mask": "伏せ字にして送られます",
        "clean": "そのまま送られます",
    }
    en = {
        "block": "the request would be blocked",
        "mask": "it would be sent masked",
        "clean": "it would be sent unchanged",
    }
    found = f" ({counts})" if counts else ""
    return f"判定 / verdict: {decision.would}{found} — {ja[decision.would]} / {en[decision.would]}"


def _scan_files(args: argparse.Namespace) -> int:
    """Each file through the proxy's own extractors; the worst verdict is the exit code."""
    from detectors.attachments import ExtractionError, extract
    from detectors.engine import Scanner

    policy = _load_policy_or_default(args.policy)
    _check_team(policy, args.team)
    settings = policy.detection_settings(args.team)
    scanner = Scanner.load()
    worst = 0
    for path in args.input:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return _fail(f"入力ファイルを開けません: {path}", f"cannot open input: {path}")
        try:
            extracted = extract(data, None, ocr=args.ocr)
        except ExtractionError as exc:
            print(f"{path}: {exc.ja} / {exc.en}", file=sys.stderr)
            refused = {"file": path, "verdict": "block", "reason": exc.reason.value}
            print(json.dumps(refused, ensure_ascii=False), flush=True)
            worst = 2
            continue
        if extracted.unread_image:
            print(
                f"{path}: 画像は --ocr なしでは検査できません / use --ocr for images",
                file=sys.stderr,
            )
            refused = {"file": path, "verdict": "block", "reason": "attachment_image_not_read"}
            print(json.dumps(refused, ensure_ascii=False), flush=True)
            worst = 2
            continue
        findings = []
        for chunk in extracted.chunks:
            for f in scanner.scan(chunk.text, settings):
                findings.append(f)
                row: JsonObject = {"file": path, "part": chunk.location.en, **f.to_dict()}
                row.pop("segment", None)
                if args.show_values:
                    row["value"] = chunk.text[f.start : f.end]
                print(json.dumps(row, ensure_ascii=False))
        decision = _verdict(findings, policy, args.team)
        summary = {"file": path, "verdict": decision.would, "counts": decision.counts}
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        worst = max(worst, EXIT_FOR[decision.would])
    return worst


# -- serve ----------------------------------------------------------------------------------
def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=os.environ.get("SEKIMORI_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    policy = _load_policy_or_default(args.config)
    try:
        asyncio.run(run_server(args, policy))
    except OSError as exc:
        return _fail(
            f"待ち受けを開始できません（{exc.strerror}）", f"cannot listen: {exc.strerror}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
