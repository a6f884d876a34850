"""The ``sekimori`` command: serve, scan, check-config.

Errors are printed Japanese first, English alongside, and exit non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any, TextIO

DEFAULT_CONFIG = Path("config/default.yaml")


def _fail(ja: str, en: str, code: int = 2) -> int:
    print(f"エラー: {ja}\nerror: {en}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sekimori", description="関守 Sekimori — prompt guard proxy"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the proxy / プロキシを起動")
    serve.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--admin-host",
        default="127.0.0.1",
        help="admin listener host: health, metrics, playground (default: loopback only)",
    )
    serve.add_argument("--admin-port", type=int, default=8081)
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
        "with --ocr; files exit 0 clean, 1 mask-level findings only, 2 block-level or refused",
    )
    scan.add_argument("--ocr", action="store_true", help="read images with tesseract")
    scan.add_argument("--policy", type=Path, default=None)
    scan.add_argument("--team", default=None)
    scan.add_argument("--mask", action="store_true")
    scan.add_argument("--jsonl", action="store_true")
    scan.add_argument("--show-values", action="store_true")

    check = sub.add_parser("check-config", help="validate a policy / ポリシーを検証")
    check.add_argument("file", type=Path)

    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "scan":
        return _scan(args)
    from proxy.tools.check_config import run_check_config

    return run_check_config(args.file, sys.stdout)


# -- scan -----------------------------------------------------------------------------------
def _load_policy_or_default(path: Path | None) -> Any:
    from proxy.policy import PolicyError, load_policy

    try:
        return load_policy(path or DEFAULT_CONFIG)
    except PolicyError as exc:
        raise SystemExit(_fail(str(exc), "the policy is invalid (see above)")) from None
    except FileNotFoundError:
        raise SystemExit(
            _fail(f"ポリシーファイルがありません: {path}", f"policy file not found: {path}")
        ) from None


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
    settings = policy.detection_settings(args.team)
    try:
        source: TextIO = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    except OSError:
        return _fail(f"入力ファイルを開けません: {args.input}", f"cannot open input: {args.input}")
    scanner = Scanner.load()

    def one(text: str) -> dict[str, Any]:
        findings = scanner.scan(text, settings)
        rows = []
        for f in findings:
            row = f.to_dict()
            row.pop("segment", None)
            if args.show_values:
                row["value"] = text[f.start : f.end]
            rows.append(row)
        out: dict[str, Any] = {"findings": rows}
        if args.mask:
            masked = mask_texts(
                [text],
                findings,
                lambda t: policy.action_for(args.team, t).value != "allow",
                PlaceholderMap(),
            )
            out["masked"] = masked.get(0, text)
        return out

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
                print(json.dumps(one(text), ensure_ascii=False), flush=True)
            return 0
        text = source.read()
    result = one(text)
    if args.mask:
        print(result["masked"])
    else:
        for row in result["findings"]:
            print(json.dumps(row, ensure_ascii=False))
    return 0


def _scan_files(args: argparse.Namespace) -> int:
    """Each file through the proxy's own extractors; the worst verdict is the exit code."""
    from detectors.attachments import ExtractionError, extract
    from detectors.engine import Scanner
    from proxy.relay.decision import decide

    policy = _load_policy_or_default(args.policy)
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
            summary = {"file": path, "verdict": "block", "reason": exc.reason.value}
            print(json.dumps(summary, ensure_ascii=False), flush=True)
            worst = 2
            continue
        if extracted.unread_image:
            print(
                f"{path}: 画像は --ocr なしでは検査できません / use --ocr for images",
                file=sys.stderr,
            )
            summary = {"file": path, "verdict": "block", "reason": "attachment_image_not_read"}
            print(json.dumps(summary, ensure_ascii=False), flush=True)
            worst = 2
            continue
        findings = []
        for chunk in extracted.chunks:
            for f in scanner.scan(chunk.text, settings):
                findings.append(f)
                row = {"file": path, "part": chunk.location.en, **f.to_dict()}
                row.pop("segment", None)
                if args.show_values:
                    row["value"] = chunk.text[f.start : f.end]
                print(json.dumps(row, ensure_ascii=False))
        decision = decide(findings, lambda t: policy.action_for(args.team, t).value, False)
        summary = {"file": path, "verdict": decision.would, "counts": decision.counts}
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        worst = max(worst, {"allow": 0, "mask": 1, "block": 2}[decision.would])
    return worst


# -- serve ----------------------------------------------------------------------------------
def _read_key(env: str, file_env: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value.strip()
    path = os.environ.get(file_env)
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip() or None
        except OSError:
            return None
    return None


def open_relay_warning(policy: Any) -> str | None:
    """The startup warning for a policy that lets anyone spend the company's provider key:
    the proxy holds the key (``credentials.mode: proxy``) and asks for no staff key."""
    if policy.credentials.mode != "proxy" or policy.auth.required:
        return None
    header = " (or a trusted team header)" if policy.auth.trusted_header.enabled else ""
    return (
        "警告: auth.required が false のまま credentials.mode が proxy です。"
        "このポートに届く人は誰でも会社のAPIキーで上流を使えます。"
        "社員キーを設定して auth.required: true にしてください。 / "
        "WARNING: credentials.mode is proxy and auth.required is false: anyone who reaches "
        "this port spends the company's provider key without a staff key" + header + ". "
        "Set auth.keys and auth.required: true, or keep the port reachable only by staff."
    )


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=os.environ.get("SEKIMORI_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    policy = _load_policy_or_default(args.config)
    try:
        asyncio.run(_run_server(args, policy))
    except OSError as exc:
        return _fail(
            f"待ち受けを開始できません（{exc.strerror}）", f"cannot listen: {exc.strerror}"
        )
    return 0


async def _run_server(args: argparse.Namespace, policy: Any) -> None:
    from aiohttp import web

    from proxy.edge.admin_guard import parse_hosts
    from proxy.edge.app import ProxyState, create_admin_app, create_app
    from proxy.edge.server import GuardRunner
    from proxy.observability.audit import AuditLog
    from proxy.policy import effective_upstreams
    from proxy.policy.reload import PolicyReloader
    from proxy.relay.upstream import UpstreamConfig
    from proxy.scanning.service import ScanService

    upstreams = effective_upstreams(policy, os.environ)
    creds = policy.credentials
    upstream = UpstreamConfig(
        openai_base_url=upstreams.openai,
        anthropic_base_url=upstreams.anthropic,
        credentials=creds.mode,
        openai_api_key=_read_key(creds.openai_key_env, creds.openai_key_env + "_FILE"),
        anthropic_api_key=_read_key(creds.anthropic_key_env, creds.anthropic_key_env + "_FILE"),
    )
    scanner = ScanService(
        workers=args.workers,
        timeout=policy.limits.scan_timeout_seconds,
        max_queue=policy.limits.max_queue,
    )
    audit_stream = args.audit_file.open("a", encoding="utf-8") if args.audit_file else None
    state = ProxyState(
        policy=policy,
        upstream=upstream,
        scanner=scanner,
        audit=AuditLog(stream=audit_stream),
        admin_token=_read_key("SEKIMORI_ADMIN_TOKEN", "SEKIMORI_ADMIN_TOKEN_FILE"),
        admin_hosts=parse_hosts(os.environ.get("SEKIMORI_ADMIN_HOSTS")),
    )
    log = logging.getLogger("sekimori")
    relay = open_relay_warning(policy)
    if relay is not None:
        log.warning("%s", relay)
    log.info("loading the Japanese model in %s scan worker(s)…", scanner.workers or "1 local")
    await scanner.start()

    proxy_runner = GuardRunner(
        create_app(state), handler_cancellation=True, access_log=None, shutdown_timeout=25.0
    )
    admin_runner = GuardRunner(create_admin_app(state), access_log=None)
    await proxy_runner.setup()
    await admin_runner.setup()
    await web.TCPSite(proxy_runner, args.host, args.port).start()
    await web.TCPSite(admin_runner, args.admin_host, args.admin_port).start()
    log.info(
        "sekimori listening on http://%s:%d (admin :%d)", args.host, args.port, args.admin_port
    )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    reloader = PolicyReloader(state, args.config)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, reloader.reload_now)
    watch = asyncio.create_task(reloader.watch())
    try:
        await stop.wait()
    finally:
        # Readiness goes false first so the load balancer stops sending; then in-flight
        # requests and streams drain (shutdown_timeout) before the process exits.
        state.shutting_down = True
        log.info("shutting down: draining in-flight requests")
        watch.cancel()
        await proxy_runner.cleanup()
        await admin_runner.cleanup()
        await scanner.close()
        if audit_stream is not None:
            audit_stream.close()


if __name__ == "__main__":
    sys.exit(main())
