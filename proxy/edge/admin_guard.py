"""Who may use the rule playground on the admin port (issue 15, item 3).

The playground runs the confidential dictionaries (customers, code names) against any text
and lists the teams, so its API needs the admin token (``SEKIMORI_ADMIN_TOKEN``, compared
in constant time) in the ``X-Sekimori-Admin-Token`` header: 401 without it, 403 while no
token is configured (the playground is then off). Every ``/playground`` path also checks
the Host header against DNS rebinding: loopback names, IP literals and the names in
``SEKIMORI_ADMIN_HOSTS`` only. /healthz, /readyz and /metrics stay open on this port
(probes and Prometheus); the port itself listens on loopback unless told otherwise.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Iterable

from aiohttp import web
from aiohttp.typedefs import Handler

from proxy.edge.state import STATE

TOKEN_HEADER = "X-Sekimori-Admin-Token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def parse_hosts(value: str | None) -> frozenset[str]:
    """``SEKIMORI_ADMIN_HOSTS``: comma-separated extra Host names, lower-cased."""
    return frozenset(h.strip().lower() for h in (value or "").split(",") if h.strip())


def host_allowed(host_header: str | None, extra: Iterable[str]) -> bool:
    """An IP literal (cannot be rebound), a loopback name or one of ``extra``; the port is
    ignored."""
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):  # [v6]:port
        name = host[1 : host.find("]")] if "]" in host else ""
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name in LOOPBACK_NAMES or name in extra


def token_matches(given: str | None, expected: str | None) -> bool:
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _refuse(status: int, ja: str, en: str) -> web.Response:
    return web.json_response(
        {"error": {"message_ja": ja, "message_en": en}},
        status=status,
        dumps=lambda o: json.dumps(o, ensure_ascii=False),
    )


@web.middleware
async def playground_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/playground"):
        return await handler(request)
    state = request.app[STATE]
    if not host_allowed(request.headers.get("Host"), state.admin_hosts):
        return _refuse(
            403,
            "この Host 名ではプレイグラウンドを開けません（SEKIMORI_ADMIN_HOSTS に追加）",
            "this Host name is not allowed for the playground (add it to SEKIMORI_ADMIN_HOSTS)",
        )
    if request.path.startswith("/playground/api/"):
        if not state.admin_token:
            return _refuse(
                403,
                "管理トークン（SEKIMORI_ADMIN_TOKEN）が未設定のため、プレイグラウンドは無効です",
                "the playground is off until an admin token (SEKIMORI_ADMIN_TOKEN) is set",
            )
        if not token_matches(request.headers.get(TOKEN_HEADER), state.admin_token):
            return _refuse(
                401,
                "管理トークンが違うか、ありません",
                f"missing or wrong admin token ({TOKEN_HEADER})",
            )
    return await handler(request)
