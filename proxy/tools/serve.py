"""``sekimori serve``: the proxy and admin listeners, their state, and a graceful stop.

The heavy imports (aiohttp, the app, the scanner) happen inside ``run_server`` so that the
other subcommands start quickly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proxy.policy import Policy


def read_key(env: str, file_env: str) -> str | None:
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


def open_relay_warning(policy: Policy) -> str | None:
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


async def run_server(args: argparse.Namespace, policy: Policy) -> None:
    """Both listeners, the scan workers and the policy reloader, until SIGTERM or SIGINT;
    then readiness goes false and in-flight requests drain before it returns."""
    from aiohttp import web

    from proxy.edge.admin_guard import parse_hosts
    from proxy.edge.app import ProxyState, create_admin_app, create_app
    from proxy.edge.server import GuardRunner
    from proxy.observability.audit import AuditLog
    from proxy.policy import effective_upstreams
    from proxy.policy.reload import PolicyReloader
    from proxy.relay.upstream import UpstreamConfig
    from proxy.scanning.service import ScanService
    from proxy.tools.startup import Listeners, missing_key_warning, summary

    upstreams = effective_upstreams(policy, os.environ)
    creds = policy.credentials
    upstream = UpstreamConfig(
        openai_base_url=upstreams.openai,
        anthropic_base_url=upstreams.anthropic,
        credentials=creds.mode,
        openai_api_key=read_key(creds.openai_key_env, creds.openai_key_env + "_FILE"),
        anthropic_api_key=read_key(creds.anthropic_key_env, creds.anthropic_key_env + "_FILE"),
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
        admin_token=read_key("SEKIMORI_ADMIN_TOKEN", "SEKIMORI_ADMIN_TOKEN_FILE"),
        admin_hosts=parse_hosts(os.environ.get("SEKIMORI_ADMIN_HOSTS")),
    )
    log = logging.getLogger("sekimori")
    listeners = Listeners(args.host, args.port, args.admin_host or args.host, args.admin_port)
    for line in summary(policy, upstream, listeners):
        log.info("%s", line)
    warning = missing_key_warning(upstream, policy)
    if warning is not None:
        log.warning("%s", warning)
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
