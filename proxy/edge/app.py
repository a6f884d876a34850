"""The guard's two aiohttp apps: the proxy (every route goes to proxy.edge.handlers) and
the admin app (health, readiness, metrics, the playground)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from proxy.edge.admin_guard import playground_guard
from proxy.edge.handlers import handle
from proxy.edge.state import STATE, ProxyState
from proxy.relay.upstream import new_session
from proxy.tools.playground import add_playground_routes

__all__ = ["STATE", "ProxyState", "create_admin_app", "create_app"]


# -- the proxy app ---------------------------------------------------------------------------
def create_app(state: ProxyState) -> web.Application:
    limit = state.policy.limits.max_body_bytes
    app = web.Application(client_max_size=limit, handler_args={"max_field_size": 8190})
    app[STATE] = state
    app.router.add_route("*", "/{tail:.*}", handle)
    app.cleanup_ctx.append(_session_ctx)
    return app


async def _session_ctx(app: web.Application) -> AsyncIterator[None]:
    state = app[STATE]
    if state.session is None:
        state.session = new_session(state.upstream.timeouts)
        owned = True
    else:
        owned = False
    yield
    if owned and state.session is not None:
        await state.session.close()
        state.session = None


# -- the admin app ---------------------------------------------------------------------------
def create_admin_app(state: ProxyState) -> web.Application:
    # Room for the playground's largest sample, JSON-escaped.
    app = web.Application(client_max_size=8 * 1024 * 1024, middlewares=[playground_guard])
    app[STATE] = state
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)
    add_playground_routes(app, STATE)
    return app


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    state = request.app[STATE]
    ready = (
        state.scanner.ready
        and state.scanner.has_capacity()
        and not state.shutting_down
        and state.policy is not None
    )
    state.metrics.ready.set(1 if ready else 0)
    body = {
        "ready": ready,
        "scanner": state.scanner.ready,
        "shutting_down": state.shutting_down,
        "policy_digest": state.policy.digest[:12],
    }
    return web.json_response(body, status=200 if ready else 503)


async def _metrics(request: web.Request) -> web.Response:
    state = request.app[STATE]
    state.metrics.queue_depth.set(state.scanner.queue_depth)
    return web.Response(
        body=generate_latest(state.metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )
