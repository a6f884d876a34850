"""GET /v1/models: nothing to scan, only the staff and credential rules, then the
upstream's answer as it is (a refusal goes through the handler's one ``_answer``)."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from detectors.types import ScanError
from proxy.edge.staff import identify_team
from proxy.edge.state import ProxyState
from proxy.errors import UpstreamBroken, UpstreamUnreachable
from proxy.observability.outcome import Outcome
from proxy.relay.forward import read_limited
from proxy.relay.upstream import request_headers, response_headers


async def passthrough_get(
    request: web.Request, state: ProxyState, outcome: Outcome
) -> web.StreamResponse:
    team = identify_team(state.policy, request.headers, request.remote)
    outcome.team = team or "default"
    session = state.session
    if session is None:
        raise ScanError("no upstream session")
    cfg = state.upstream
    headers = request_headers(cfg, "openai", request.headers)
    try:
        async with session.get(
            cfg.url("openai", request.path), headers=headers, allow_redirects=False
        ) as upstream:
            raw = await read_limited(upstream, cfg.timeouts.idle, 8 * 1024 * 1024)
            out_headers = response_headers(upstream.headers)
            out_headers["x-sekimori-request-id"] = outcome.request_id
            outcome.action, outcome.status = "clean", upstream.status
            return web.Response(body=raw, status=upstream.status, headers=out_headers)
    except (TimeoutError, aiohttp.ClientError, UpstreamBroken):
        raise UpstreamUnreachable() from None
