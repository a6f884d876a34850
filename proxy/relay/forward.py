"""The rewritten request to the provider, and its answer back with the placeholders
restored (whole or streamed). Upstream failures before the answer starts are refusals
(proxy.errors); once a stream has started they end it with an error event in-band."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from detectors.types import ScanError
from proxy.errors import (
    UpstreamBroken,
    UpstreamRedirect,
    UpstreamTimeout,
    UpstreamUnreachable,
    UpstreamUnreadable,
)
from proxy.observability.metrics import Metrics
from proxy.observability.outcome import Outcome
from proxy.observability.usage import UsageSniffer, count_usage
from proxy.relay.decision import Decision
from proxy.relay.offload import off_loop
from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.shapes import Shape
from proxy.relay.streaming import restore_json_body, stream_rewriter
from proxy.relay.upstream import UpstreamConfig, request_headers, response_headers
from proxy.vocabulary import Family

JsonBody = dict[str, object]


def guard_headers(decision: Decision, request_id: str) -> dict[str, str]:
    counts = ",".join(f"{k}={v}" for k, v in sorted(decision.counts.items()))
    headers = {"x-sekimori-request-id": request_id, "x-sekimori-action": decision.outcome}
    if counts:
        headers["x-sekimori-findings"] = counts
    return headers


async def forward(
    request: web.Request,
    session: aiohttp.ClientSession | None,
    cfg: UpstreamConfig,
    metrics: Metrics,
    shape: Shape,
    body: JsonBody,
    mapping: PlaceholderMap,
    decision: Decision,
    outcome: Outcome,
    *,
    scanned_segments: int,
    body_bytes: int,
) -> web.StreamResponse:
    # Tripwire: every segment of the request went through the scanner, or nothing leaves.
    segments, payload = await off_loop(body_bytes, _recount_and_dump, shape, body)
    if scanned_segments != segments:
        metrics.unscanned_forward.inc()
        raise ScanError("segment count changed between scan and forward")
    if session is None:
        raise ScanError("no upstream session")
    url = cfg.url(shape.family, shape.route)
    headers = request_headers(cfg, shape.family, request.headers)
    began = time.perf_counter()
    try:
        upstream = await asyncio.wait_for(
            session.post(url, data=payload, headers=headers, allow_redirects=False),
            cfg.timeouts.first_byte,
        )
    except TimeoutError:
        metrics.upstream_errors.labels(shape.family, "timeout").inc()
        raise UpstreamTimeout() from None
    except aiohttp.ClientError as exc:
        metrics.upstream_errors.labels(shape.family, type(exc).__name__[:40]).inc()
        raise UpstreamUnreachable() from None
    metrics.upstream_seconds.labels(shape.family).observe(time.perf_counter() - began)
    outcome.upstream_status = upstream.status
    try:
        if 300 <= upstream.status < 400:
            metrics.upstream_errors.labels(shape.family, "redirect").inc()
            raise UpstreamRedirect()
        ctype = upstream.headers.get("Content-Type", "")
        out_headers = response_headers(upstream.headers)
        out_headers.update(guard_headers(decision, outcome.request_id))
        if ctype.startswith("text/event-stream"):
            return await _stream(
                request, cfg, metrics, shape, upstream, out_headers, mapping, outcome
            )
        raw = await read_limited(upstream, cfg.timeouts.idle, cfg.timeouts.max_response_bytes)
        if mapping and raw:
            raw = await off_loop(len(raw), _restore_whole, shape, raw, mapping)
        count_usage(metrics, outcome, raw)
        return web.Response(body=raw, status=upstream.status, headers=out_headers)
    except UpstreamBroken as exc:
        metrics.upstream_errors.labels(shape.family, exc.kind).inc()
        raise
    finally:
        if upstream.content.at_eof():
            upstream.release()
        else:  # unread rest (client gone, stream cut): drop the connection, not reuse it
            upstream.close()


def _recount_and_dump(shape: Shape, body: JsonBody) -> tuple[int, bytes]:
    # Pure, so a large body runs it in a thread (proxy.relay.offload).
    payload = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return len(shape.segments(body)), payload


def _restore_whole(shape: Shape, raw: bytes, mapping: PlaceholderMap) -> bytes:
    """A whole answer with the placeholders restored; pure, so a large one runs in a thread."""
    try:
        parsed = json.loads(raw)
        if parsed is None:
            raise ValueError
    except ValueError:
        return mapping.restore(raw.decode("utf-8", "replace")).encode("utf-8")
    except RecursionError:
        raise UpstreamUnreadable() from None
    try:
        restored = restore_json_body(shape, parsed, mapping)
        return json.dumps(restored, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        # Nesting deeper than Python's stack: no real answer looks like that.
        raise UpstreamUnreadable() from None


async def read_limited(resp: aiohttp.ClientResponse, idle: float, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = await asyncio.wait_for(resp.content.readany(), idle)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise UpstreamBroken("too_large")
            chunks.append(chunk)
    except TimeoutError:
        raise UpstreamBroken("stalled") from None
    except aiohttp.ClientPayloadError:
        raise UpstreamBroken("truncated") from None
    except aiohttp.ClientError:
        raise UpstreamBroken("reset") from None
    return b"".join(chunks)


async def _stream(
    request: web.Request,
    cfg: UpstreamConfig,
    metrics: Metrics,
    shape: Shape,
    upstream: aiohttp.ClientResponse,
    headers: CIMultiDict[str] | Mapping[str, str],
    mapping: PlaceholderMap,
    outcome: Outcome,
) -> web.StreamResponse:
    response = web.StreamResponse(status=upstream.status, headers=headers)
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)
    rewriter = stream_rewriter(shape, mapping)
    usage = UsageSniffer()
    idle = cfg.timeouts.idle
    metrics.streams.inc()
    first = True
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(upstream.content.readany(), idle)
            except TimeoutError:
                metrics.upstream_errors.labels(shape.family, "stalled").inc()
                outcome.reason = "upstream_stalled"
                await response.write(
                    rewriter.close() + _stream_error(shape.family, "upstream_stalled")
                )
                break
            except (aiohttp.ClientPayloadError, aiohttp.ClientError):
                metrics.upstream_errors.labels(shape.family, "reset").inc()
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
                metrics.first_token_seconds.labels(shape.family).observe(
                    time.perf_counter() - outcome.started
                )
                first = False
            usage.feed(chunk)
            out = rewriter.feed(chunk)
            if out:
                await response.write(out)
        await response.write_eof()
    except (ConnectionResetError, asyncio.CancelledError):
        # The client went away: stop reading; forward() closes the upstream connection.
        outcome.reason = "client_disconnected"
        upstream.close()
        raise
    finally:
        metrics.streams.dec()
        usage.record(metrics, outcome)
    return response


def _stream_error(family: Family, code: str) -> bytes:
    message = "上流APIのストリームが途切れました。/ The provider's stream broke off."
    if family == "anthropic":
        data = {"type": "error", "error": {"type": "api_error", "message": message}}
        return b"event: error\ndata: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n"
    data = {"error": {"message": message, "type": "server_error", "code": code}}
    return b"data: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n"
