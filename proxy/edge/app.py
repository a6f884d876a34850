"""The guard: one aiohttp app for both API families, plus the admin app.

A request goes, in order: route (deny what is not understood) -> staff and team ->
body limits and JSON rules -> segments (every string) -> scan (fail closed) -> decision
-> block, or rewrite with placeholders -> upstream -> restore placeholders in the
answer (streaming too) -> metrics and one audit line (types and counts, never values).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from detectors.types import ScanError, ScanLimitError
from proxy.edge import messages
from proxy.edge.error_response import Family, error_response, guess_family
from proxy.edge.staff import Unauthorized, identify_team
from proxy.errors import ProxyError
from proxy.observability.audit import AuditLog, AuditRecord
from proxy.observability.metrics import Metrics, model_label
from proxy.policy import Policy
from proxy.relay.body import parse_json_body
from proxy.relay.decision import Decision, decide
from proxy.relay.masking import mask_texts
from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.shapes import Shape, check_limits, shape_for
from proxy.relay.streaming import restore_json_body, stream_rewriter
from proxy.relay.upstream import (
    MissingCredential,
    UpstreamConfig,
    new_session,
    request_headers,
    response_headers,
)
from proxy.scanning.service import ScanService
from proxy.tools.playground import add_playground_routes

log = logging.getLogger("sekimori")

PASSTHROUGH_GET = {"/v1/models": "openai"}
STORAGE_ONLY = frozenset({"store", "store_default"})


@dataclass
class ProxyState:
    """Everything the handlers share, built once by the composition root (``serve``)."""

    policy: Policy
    upstream: UpstreamConfig
    scanner: ScanService
    metrics: Metrics = field(default_factory=Metrics)
    audit: AuditLog = field(default_factory=AuditLog)
    session: aiohttp.ClientSession | None = None
    shutting_down: bool = False
    policy_error: str | None = None


STATE = web.AppKey("state", ProxyState)


def _request_id() -> str:
    return "req_" + secrets.token_hex(8)


def _status_class(status: int) -> str:
    return f"{status // 100}xx"


class _Outcome:
    """What the audit line and the metrics say about one request (mutable while handling)."""

    def __init__(self, route: str, family: Family, request_id: str) -> None:
        self.route = route
        self.family = family
        self.request_id = request_id
        self.team = "default"
        self.model: str | None = None
        self.action = "error"
        self.reason = "ok"
        self.counts: dict[str, int] = {}
        self.status = 500
        self.upstream_status: int | None = None
        self.started = time.perf_counter()
        self.scan_seconds = 0.0
        self.prompt_chars = 0


# -- the proxy app ---------------------------------------------------------------------------
def create_app(state: ProxyState) -> web.Application:
    limit = state.policy.limits.max_body_bytes
    app = web.Application(client_max_size=limit, handler_args={"max_field_size": 8190})
    app[STATE] = state
    app.router.add_route("*", "/{tail:.*}", handle)
    app.cleanup_ctx.append(_session_ctx)
    return app


async def _session_ctx(app: web.Application) -> Any:
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


async def handle(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    request_id = _request_id()
    path = request.path
    if request.method == "GET" and path in PASSTHROUGH_GET:
        return await _passthrough_get(request, state, request_id)
    shape = shape_for(request.method, path) if request.method == "POST" else None
    family: Family = shape.family if shape is not None else guess_family(path, request)
    outcome = _Outcome(shape.route if shape is not None else "unknown", family, request_id)
    try:
        if shape is None:
            status = 405 if shape_for("POST", path) is not None else 404
            raise ProxyError(
                "unknown_route" if status == 404 else "method_not_allowed",
                "このプロキシでは使えない宛先です。",
                "This path or method is not served by the guard.",
                status,
            )
        response = await _guarded(request, state, shape, outcome)
    except Unauthorized:
        outcome.reason = "unauthorized"
        response = error_response(
            family, 401, "unauthorized", messages.unauthorized_message(request_id), request_id
        )
    except ProxyError as exc:
        outcome.reason = exc.code
        msg = f"{exc.message_ja}（リクエストID: {request_id}）\n{exc.message_en} (request id: {request_id})"
        response = error_response(family, exc.status, exc.code, msg, request_id)
    except ScanLimitError as exc:
        # Not a passing fault: the same request would fail again, so no Retry-After.
        outcome.reason = exc.reason_code
        state.metrics.fail_closed.labels(exc.reason_code).inc()
        response = error_response(
            family, 413, exc.reason_code, messages.scan_limit_message(request_id), request_id
        )
    except ScanError as exc:
        outcome.reason = exc.reason_code
        state.metrics.fail_closed.labels(exc.reason_code).inc()
        response = error_response(
            family,
            503,
            exc.reason_code,
            messages.unavailable_message(request_id),
            request_id,
            retry_after=1,
        )
    except MissingCredential:
        outcome.reason = "missing_upstream_credential"
        response = error_response(
            family,
            503,
            "missing_upstream_credential",
            "上流APIのキーが設定されていません。管理者に連絡してください。\n"
            "The guard has no provider key configured; contact the "
            "administrator.",
            request_id,
        )
    outcome.status = response.status
    _record(state, outcome)
    return response


async def _guarded(
    request: web.Request, state: ProxyState, shape: Shape, outcome: _Outcome
) -> web.StreamResponse:
    policy = state.policy
    limits = policy.limits
    if request.headers.get("Upgrade"):
        raise ProxyError(
            "upgrade_refused",
            "接続のアップグレードには対応していません。",
            "Connection upgrades are not supported.",
            400,
        )
    _check_credential_headers(request)
    team = identify_team(policy, request.headers)
    outcome.team = team or "default"
    if request.content_length is not None and request.content_length > limits.max_body_bytes:
        raise ProxyError(
            "body_too_large", "リクエストが大きすぎます。", "The request body is too large.", 413
        )
    encoding = request.headers.get("Content-Encoding", "identity").lower()
    if encoding not in ("", "identity"):
        raise ProxyError(
            "unsupported_encoding",
            "圧縮されたリクエストは受け付けません。",
            "Compressed request bodies are not accepted.",
            415,
        )
    ctype = request.headers.get("Content-Type", "application/json").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise ProxyError(
            "unsupported_media",
            "JSON 形式で送ってください。",
            "Send the body as application/json.",
            415,
        )
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ProxyError(
            "body_too_large", "リクエストが大きすぎます。", "The request body is too large.", 413
        ) from None
    body = parse_json_body(raw, max_depth=limits.max_json_depth, max_bytes=limits.max_body_bytes)
    shape.validate(body)
    outcome.model = body.get("model") if isinstance(body.get("model"), str) else None
    segments = shape.segments(body)
    check_limits(segments, max_segments=limits.max_segments, max_chars=limits.max_scan_chars)
    texts = [s.text for s in segments]
    outcome.prompt_chars = sum(len(t) for t in texts)

    monitor = policy.mode_for(team) == "monitor"
    non_text = shape.non_text_parts(body)
    if non_text and policy.non_text_parts == "block" and not monitor:
        outcome.action, outcome.reason = "block", "non_text_content"
        return error_response(
            shape.family,
            400,
            "non_text_content",
            messages.non_text_message(sorted(set(non_text)), outcome.request_id),
            outcome.request_id,
        )
    # Storing a scanned (masked) request is no leak; referencing state the guard never
    # saw (previous responses, conversations, files) is.
    state_features = [f for f in shape.server_state(body) if f not in STORAGE_ONLY]
    if state_features and policy.server_state == "block" and not monitor:
        outcome.action, outcome.reason = "block", "server_state"
        return error_response(
            shape.family,
            400,
            "server_state",
            messages.server_state_message(sorted(set(state_features)), outcome.request_id),
            outcome.request_id,
        )

    settings = policy.detection_settings(team)
    state.metrics.queue_depth.set(state.scanner.queue_depth + 1)
    try:
        scanned = await state.scanner.scan(texts, settings)
    finally:
        state.metrics.queue_depth.set(state.scanner.queue_depth)
    outcome.scan_seconds = scanned.seconds
    state.metrics.scan_seconds.labels("request").observe(scanned.seconds)
    state.metrics.scanned_chars.inc(scanned.scanned_chars)
    state.metrics.cache_hits.inc(scanned.cached_segments)

    def action_for(entity_type: str) -> Any:
        return policy.action_for(team, entity_type).value

    decision = decide(scanned.findings, action_for, monitor)
    outcome.counts = decision.counts
    outcome.reason = decision.reason
    for entity_type, n in decision.blocked.items():
        state.metrics.findings.labels(entity_type, "block", outcome.team).inc(n)
    for entity_type, n in decision.masked.items():
        state.metrics.findings.labels(entity_type, "mask", outcome.team).inc(n)
    for entity_type, n in decision.monitored.items():
        state.metrics.findings.labels(entity_type, "monitor", outcome.team).inc(n)

    if decision.action == "block":
        outcome.action = "block"
        return error_response(
            shape.family,
            400,
            "sensitive_data_blocked",
            messages.blocked_message(decision.blocked, outcome.request_id),
            outcome.request_id,
        )
    mapping = PlaceholderMap()
    if decision.action == "mask":
        rewritten = mask_texts(texts, scanned.findings, lambda t: action_for(t) == "mask", mapping)
        body = shape.apply(body, {segments[i].path: text for i, text in rewritten.items()})
        outcome.action = "mask"
    else:
        outcome.action = "monitor" if decision.would != "allow" else "allow"
    return await _forward(
        request, state, shape, body, mapping, decision, outcome, scanned_segments=len(texts)
    )


CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "x-sekimori-key"})


def _check_credential_headers(request: web.Request) -> None:
    """Two credentials, or one spelled with underscores (x_api_key), are ambiguous: a
    front proxy and this one could read different ones. Refuse."""
    for name in request.headers:
        lowered = name.lower()
        if "_" in lowered and lowered.replace("_", "-") in CREDENTIAL_HEADERS:
            raise ProxyError(
                "ambiguous_credentials",
                "認証ヘッダーの形式が正しくありません。",
                "Credential header names must not contain underscores.",
                400,
            )
    for name in CREDENTIAL_HEADERS:
        if len(request.headers.getall(name, [])) > 1:
            raise ProxyError(
                "ambiguous_credentials",
                "認証ヘッダーが重複しています。",
                "A credential header appears more than once.",
                400,
            )


def _guard_headers(decision: Decision, request_id: str) -> dict[str, str]:
    counts = ",".join(f"{k}={v}" for k, v in sorted(decision.counts.items()))
    headers = {"x-sekimori-request-id": request_id, "x-sekimori-action": decision.reason}
    if counts:
        headers["x-sekimori-findings"] = counts
    return headers


async def _forward(
    request: web.Request,
    state: ProxyState,
    shape: Shape,
    body: dict[str, Any],
    mapping: PlaceholderMap,
    decision: Decision,
    outcome: _Outcome,
    *,
    scanned_segments: int,
) -> web.StreamResponse:
    # Tripwire: every segment of the request went through the scanner, or nothing leaves.
    if scanned_segments != len(shape.segments(body)):
        state.metrics.unscanned_forward.inc()
        raise ScanError("segment count changed between scan and forward")
    session = state.session
    if session is None:
        raise ScanError("no upstream session")
    cfg = state.upstream
    url = cfg.url(shape.family, shape.route)
    headers = request_headers(cfg, shape.family, request.headers)
    payload = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    began = time.perf_counter()
    try:
        upstream = await asyncio.wait_for(
            session.post(url, data=payload, headers=headers, allow_redirects=False),
            cfg.timeouts.first_byte,
        )
    except TimeoutError:
        state.metrics.upstream_errors.labels(shape.family, "timeout").inc()
        outcome.reason = "upstream_timeout"
        return error_response(
            shape.family,
            504,
            "upstream_timeout",
            "上流APIの応答がありませんでした。\nThe provider did not answer in time.",
            outcome.request_id,
        )
    except aiohttp.ClientError as exc:
        state.metrics.upstream_errors.labels(shape.family, type(exc).__name__[:40]).inc()
        outcome.reason = "upstream_unreachable"
        return error_response(
            shape.family,
            502,
            "upstream_unreachable",
            "上流APIに接続できませんでした。\nCould not reach the provider.",
            outcome.request_id,
        )
    state.metrics.upstream_seconds.labels(shape.family).observe(time.perf_counter() - began)
    outcome.upstream_status = upstream.status
    try:
        if 300 <= upstream.status < 400:
            state.metrics.upstream_errors.labels(shape.family, "redirect").inc()
            return error_response(
                shape.family,
                502,
                "upstream_redirect",
                "上流APIがリダイレクトを返しました（追従しません）。\n"
                "The provider answered with a redirect, which is not followed.",
                outcome.request_id,
            )
        ctype = upstream.headers.get("Content-Type", "")
        out_headers = response_headers(upstream.headers)
        out_headers.update(_guard_headers(decision, outcome.request_id))
        if ctype.startswith("text/event-stream"):
            return await _stream(request, state, shape, upstream, out_headers, mapping, outcome)
        raw = await _read_limited(upstream, cfg.timeouts.idle, cfg.timeouts.max_response_bytes)
        if mapping and raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
            if parsed is not None:
                parsed = restore_json_body(shape.family, shape.route, parsed, mapping)
                raw = json.dumps(parsed, ensure_ascii=False).encode("utf-8")
            else:
                raw = mapping.restore(raw.decode("utf-8", "replace")).encode("utf-8")
        _count_usage(state, outcome, raw)
        return web.Response(body=raw, status=upstream.status, headers=out_headers)
    except _UpstreamBroken as exc:
        state.metrics.upstream_errors.labels(shape.family, exc.kind).inc()
        outcome.reason = "upstream_" + exc.kind
        return error_response(
            shape.family,
            502,
            "upstream_" + exc.kind,
            "上流APIの応答が途中で途切れました。\nThe provider's answer broke off.",
            outcome.request_id,
        )
    finally:
        if upstream.content.at_eof():
            upstream.release()
        else:  # unread rest (client gone, stream cut): drop the connection, not reuse it
            upstream.close()


class _UpstreamBroken(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


async def _read_limited(resp: aiohttp.ClientResponse, idle: float, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = await asyncio.wait_for(resp.content.readany(), idle)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise _UpstreamBroken("too_large")
            chunks.append(chunk)
    except TimeoutError:
        raise _UpstreamBroken("stalled") from None
    except aiohttp.ClientPayloadError:
        raise _UpstreamBroken("truncated") from None
    except aiohttp.ClientError:
        raise _UpstreamBroken("reset") from None
    return b"".join(chunks)


async def _stream(
    request: web.Request,
    state: ProxyState,
    shape: Shape,
    upstream: aiohttp.ClientResponse,
    headers: Any,
    mapping: PlaceholderMap,
    outcome: _Outcome,
) -> web.StreamResponse:
    response = web.StreamResponse(status=upstream.status, headers=headers)
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)
    rewriter = stream_rewriter(shape.family, shape.route, mapping)
    usage = _UsageSniffer()
    idle = state.upstream.timeouts.idle
    state.metrics.streams.inc()
    first = True
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(upstream.content.readany(), idle)
            except TimeoutError:
                state.metrics.upstream_errors.labels(shape.family, "stalled").inc()
                outcome.reason = "upstream_stalled"
                await response.write(
                    rewriter.close() + _stream_error(shape.family, "upstream_stalled")
                )
                break
            except (aiohttp.ClientPayloadError, aiohttp.ClientError):
                state.metrics.upstream_errors.labels(shape.family, "reset").inc()
                outcome.reason = "upstream_reset"
                await response.write(
                    rewriter.close() + _stream_error(shape.family, "upstream_reset")
                )
                break
            if not chunk:
                tail = rewriter.close()
                if tail:
                    await response.write(tail)
                break
            if first:
                state.metrics.first_token_seconds.labels(shape.family).observe(
                    time.perf_counter() - outcome.started
                )
                first = False
            usage.feed(chunk)
            out = rewriter.feed(chunk)
            if out:
                await response.write(out)
        await response.write_eof()
    except (ConnectionResetError, asyncio.CancelledError):
        # The client went away: stop reading; _forward closes the upstream connection.
        outcome.reason = "client_disconnected"
        upstream.close()
        raise
    finally:
        state.metrics.streams.dec()
        usage.record(state, outcome)
    return response


def _stream_error(family: Family, code: str) -> bytes:
    message = "上流APIのストリームが途切れました。/ The provider's stream broke off."
    if family == "anthropic":
        data = {"type": "error", "error": {"type": "api_error", "message": message}}
        return b"event: error\ndata: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n"
    data = {"error": {"message": message, "type": "server_error", "code": code}}
    return b"data: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n"


class _UsageSniffer:
    """Reads token counts from the ``usage`` objects of a stream, without holding it."""

    def __init__(self) -> None:
        self.input = 0
        self.output = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        lines = data.split(b"\n")
        self._tail = lines.pop()[-65536:]
        for line in lines:
            if b'"usage"' not in line or not line.startswith(b"data:"):
                continue
            try:
                obj = json.loads(line[5:])
            except ValueError:
                continue
            _add_usage(self, obj)

    def record(self, state: ProxyState, outcome: _Outcome) -> None:
        if self.input:
            state.metrics.team_tokens.labels(outcome.team, "input").inc(self.input)
        if self.output:
            state.metrics.team_tokens.labels(outcome.team, "output").inc(self.output)


def _add_usage(acc: _UsageSniffer, obj: Any) -> None:
    if not isinstance(obj, dict):
        return
    candidates = [
        obj.get("usage"),
        (obj.get("message") or {}).get("usage") if isinstance(obj.get("message"), dict) else None,
        (obj.get("response") or {}).get("usage") if isinstance(obj.get("response"), dict) else None,
    ]
    for usage in candidates:
        if not isinstance(usage, dict):
            continue
        for key in ("prompt_tokens", "input_tokens"):
            if isinstance(usage.get(key), int):
                acc.input = max(acc.input, usage[key])
        for key in ("completion_tokens", "output_tokens"):
            if isinstance(usage.get(key), int):
                acc.output = max(acc.output, usage[key])


def _count_usage(state: ProxyState, outcome: _Outcome, raw: bytes) -> None:
    if b'"usage"' not in raw:
        return
    try:
        obj = json.loads(raw)
    except ValueError:
        return
    acc = _UsageSniffer()
    _add_usage(acc, obj)
    acc.record(state, outcome)


async def _passthrough_get(
    request: web.Request, state: ProxyState, request_id: str
) -> web.StreamResponse:
    outcome = _Outcome("/v1/models", "openai", request_id)
    try:
        team = identify_team(state.policy, request.headers)
        outcome.team = team or "default"
        session = state.session
        if session is None:
            raise ScanError("no upstream session")
        cfg = state.upstream
        headers = request_headers(cfg, "openai", request.headers)
        async with session.get(
            cfg.url("openai", request.path), headers=headers, allow_redirects=False
        ) as upstream:
            raw = await _read_limited(upstream, cfg.timeouts.idle, 8 * 1024 * 1024)
            out_headers = response_headers(upstream.headers)
            out_headers["x-sekimori-request-id"] = request_id
            outcome.action, outcome.status = "allow", upstream.status
            response: web.StreamResponse = web.Response(
                body=raw, status=upstream.status, headers=out_headers
            )
    except Unauthorized:
        response = error_response(
            "openai", 401, "unauthorized", messages.unauthorized_message(request_id), request_id
        )
    except (TimeoutError, aiohttp.ClientError, _UpstreamBroken):
        response = error_response(
            "openai",
            502,
            "upstream_unreachable",
            "上流APIに接続できませんでした。\nCould not reach the provider.",
            request_id,
        )
    except MissingCredential:
        response = error_response(
            "openai",
            503,
            "missing_upstream_credential",
            "上流APIのキーが設定されていません。\nNo provider key is configured.",
            request_id,
        )
    outcome.status = response.status
    _record(state, outcome)
    return response


def _record(state: ProxyState, outcome: _Outcome) -> None:
    m = state.metrics
    status_class = _status_class(outcome.status)
    m.requests.labels(
        outcome.route, outcome.family, outcome.action, status_class, outcome.team
    ).inc()
    if outcome.action == "block":
        m.blocks.labels(outcome.reason, outcome.team).inc()
    m.team_requests.labels(outcome.team, model_label(outcome.model)).inc()
    if outcome.prompt_chars:
        m.team_chars.labels(outcome.team).inc(outcome.prompt_chars)
    state.audit.write(
        AuditRecord(
            request_id=outcome.request_id,
            team=outcome.team,
            route=outcome.route,
            model=model_label(outcome.model),
            action=outcome.action,
            reason=outcome.reason,
            entities=outcome.counts,
            status=outcome.status,
            upstream_status=outcome.upstream_status,
            latency_ms=round((time.perf_counter() - outcome.started) * 1000, 1),
            scan_ms=round(outcome.scan_seconds * 1000, 1),
        )
    )


# -- the admin app ---------------------------------------------------------------------------
def create_admin_app(state: ProxyState) -> web.Application:
    # Room for the playground's largest sample, JSON-escaped.
    app = web.Application(client_max_size=8 * 1024 * 1024)
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
