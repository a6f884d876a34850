"""The proxy's request handler, as the steps a request goes through, in order:

route (deny what is not understood) -> pre-checks on the headers (staff and team) ->
read the body (limits, JSON rules, segments) -> content rules (non-text parts, server-side
state) -> scan (fail closed) -> decide -> rewrite with placeholders -> forward, restoring
the answer -> metrics and one audit line (types and counts, never values).

Each step either returns what the next one needs or raises a refusal (proxy.errors);
:func:`_answer` is the one place a refusal becomes the response, the audit reason and
the metric labels, so the three always say the same code.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from detectors.types import ScanError, ScanLimitError
from proxy.edge.error_response import error_response, guess_family
from proxy.edge.passthrough import passthrough_get
from proxy.edge.staff import identify_team
from proxy.edge.state import STATE, ProxyState
from proxy.errors import (
    AttachmentBlocked,
    NonTextContent,
    PayloadTooLarge,
    ProxyError,
    ScanLimitRefused,
    ScanUnavailableRefused,
    SensitiveDataBlocked,
    ServerStateRefused,
    UnknownRoute,
    UnsupportedMediaType,
)
from proxy.errors import BadRequest as _BadRequest
from proxy.observability.outcome import Outcome, record
from proxy.policy import Action, Policy
from proxy.policy.schema import LimitsPolicy
from proxy.relay import attachments
from proxy.relay.attachments import ReadFile
from proxy.relay.body import parse_json_body
from proxy.relay.decision import Decision, decide
from proxy.relay.forward import forward
from proxy.relay.masking import mask_texts
from proxy.relay.offload import off_loop
from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.shapes import Segment, Shape, check_limits, shape_for
from proxy.scanning.service import ScanOutcome
from proxy.vocabulary import EntityAction

PASSTHROUGH_GET = {"/v1/models": "openai"}
STORAGE_ONLY = frozenset({"store", "store_default"})
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "x-sekimori-key"})
JsonBody = dict[str, Any]


def _request_id() -> str:
    return "req_" + secrets.token_hex(8)


async def handle(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    request_id = _request_id()
    if request.method == "GET" and request.path in PASSTHROUGH_GET:
        outcome = Outcome("/v1/models", "openai", request_id)
        return await _answer(state, outcome, passthrough_get(request, state, outcome))
    shape = shape_for(request.method, request.path) if request.method == "POST" else None
    if shape is None:
        outcome = Outcome("unknown", guess_family(request.path, request), request_id)
        method_not_allowed = shape_for("POST", request.path) is not None
        return await _answer(state, outcome, _refuse_route(method_not_allowed))
    outcome = Outcome(shape.route, shape.family, request_id)
    return await _answer(state, outcome, _guarded(request, state, shape, outcome))


async def _answer(
    state: ProxyState, outcome: Outcome, work: Awaitable[web.StreamResponse]
) -> web.StreamResponse:
    """Run the work; turn a refusal into its response and its recorded reason; record."""
    try:
        response = await work
    except (ProxyError, ScanError) as exc:
        refusal = exc if isinstance(exc, ProxyError) else scan_refusal(exc)
        outcome.reason = refusal.code
        if refusal.action is not None:
            outcome.action = refusal.action
        if refusal.fail_closed:
            state.metrics.fail_closed.labels(refusal.code).inc()
        response = error_response(
            outcome.family,
            refusal.status,
            refusal.code,
            refusal.message(outcome.request_id),
            outcome.request_id,
            retry_after=refusal.retry_after,
        )
    outcome.status = response.status
    record(state.metrics, state.audit, outcome)
    return response


def scan_refusal(exc: ScanError) -> ProxyError:
    """The scanner's own errors (detectors/ knows no HTTP) as refusals."""
    if isinstance(exc, ScanLimitError):
        return ScanLimitRefused(exc.reason_code)
    return ScanUnavailableRefused(exc.reason_code)


async def _refuse_route(method_not_allowed: bool) -> web.StreamResponse:
    raise UnknownRoute(method_not_allowed=method_not_allowed)


# -- the steps -----------------------------------------------------------------------------
async def _guarded(
    request: web.Request, state: ProxyState, shape: Shape, outcome: Outcome
) -> web.StreamResponse:
    policy = state.policy  # read once: a reload does not change a request in flight
    team = _pre_checks(request, policy, outcome)
    body, segments, size = await _read_body(request, policy, shape, outcome)
    monitor = policy.mode_for(team) == "monitor"
    _content_rules(shape, body, policy, monitor)
    files = await _read_files(state, policy, team, shape, body, len(segments), monitor, outcome)
    chunks = [Segment(f.part.path, c.text, "user") for f in files for c in f.chunks]
    all_texts = [*segments, *chunks]
    check_limits(all_texts, max_segments=len(all_texts), max_chars=policy.limits.max_scan_chars)
    texts = [s.text for s in all_texts]
    scanned = await _scan(state, policy, team, texts, outcome)
    action_for = _entity_actions(policy, team)
    decision = _decide(state, scanned, action_for, monitor, files, outcome)
    body, mapping, expected = await _rewrite(
        shape, body, size, segments, files, scanned, decision, action_for, policy, team, outcome
    )
    return await forward(
        request,
        state.session,
        state.upstream,
        state.metrics,
        shape,
        body,
        mapping,
        decision,
        outcome,
        scanned_segments=expected,
        body_bytes=size,
    )


def _pre_checks(request: web.Request, policy: Policy, outcome: Outcome) -> str | None:
    """Headers only, before any body byte is read; returns the team (None: default)."""
    if request.headers.get("Upgrade"):
        raise _BadRequest(
            "upgrade_refused",
            "接続のアップグレードには対応していません。",
            "Connection upgrades are not supported.",
        )
    _check_credential_headers(request)
    team = identify_team(policy, request.headers, request.remote)
    outcome.team = team or "default"
    limits = policy.limits
    if request.content_length is not None and request.content_length > limits.max_body_bytes:
        raise _body_too_large()
    encoding = request.headers.get("Content-Encoding", "identity").lower()
    if encoding not in ("", "identity"):
        raise UnsupportedMediaType(
            "unsupported_encoding",
            "圧縮されたリクエストは受け付けません。",
            "Compressed request bodies are not accepted.",
        )
    ctype = request.headers.get("Content-Type", "application/json").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise UnsupportedMediaType(
            "unsupported_media", "JSON 形式で送ってください。", "Send the body as application/json."
        )
    return team


def _body_too_large() -> PayloadTooLarge:
    return PayloadTooLarge(
        "body_too_large", "リクエストが大きすぎます。", "The request body is too large."
    )


def _check_credential_headers(request: web.Request) -> None:
    """Two credentials, or one spelled with underscores (x_api_key), are ambiguous: a
    front proxy and this one could read different ones. Refuse."""
    for name in request.headers:
        lowered = name.lower()
        if "_" in lowered and lowered.replace("_", "-") in CREDENTIAL_HEADERS:
            raise _BadRequest(
                "ambiguous_credentials",
                "認証ヘッダーの形式が正しくありません。",
                "Credential header names must not contain underscores.",
            )
    for name in CREDENTIAL_HEADERS:
        if len(request.headers.getall(name, [])) > 1:
            raise _BadRequest(
                "ambiguous_credentials",
                "認証ヘッダーが重複しています。",
                "A credential header appears more than once.",
            )


async def _read_body(
    request: web.Request, policy: Policy, shape: Shape, outcome: Outcome
) -> tuple[JsonBody, list[Segment], int]:
    """The parsed body, its text segments and its size, within the policy's limits."""
    limits = policy.limits
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise _body_too_large() from None
    body, segments = await off_loop(len(raw), _parse_body, raw, limits, shape)
    outcome.model = body.get("model") if isinstance(body.get("model"), str) else None
    outcome.prompt_chars = sum(len(s.text) for s in segments)
    return body, segments, len(raw)


def _parse_body(raw: bytes, limits: LimitsPolicy, shape: Shape) -> tuple[JsonBody, list[Segment]]:
    # Pure, so a large body runs it in a thread (proxy.relay.offload).
    body: JsonBody = parse_json_body(
        raw, max_depth=limits.max_json_depth, max_bytes=limits.max_body_bytes
    )
    shape.validate(body)
    segments = shape.segments(body)
    check_limits(segments, max_segments=limits.max_segments, max_chars=limits.max_scan_chars)
    return body, segments


def _content_rules(shape: Shape, body: JsonBody, policy: Policy, monitor: bool) -> None:
    """What the scanner cannot read is refused where the policy says so (not in monitor)."""
    non_text = shape.non_text_parts(body)
    if non_text and policy.non_text_parts == "block" and not monitor:
        raise NonTextContent(sorted(set(non_text)))
    # Storing a scanned (masked) request is no leak; referencing state the guard never
    # saw (previous responses, conversations, files) is.
    state_features = [f for f in shape.server_state(body) if f not in STORAGE_ONLY]
    if state_features and policy.server_state == "block" and not monitor:
        raise ServerStateRefused(sorted(set(state_features)))


async def _read_files(
    state: ProxyState,
    policy: Policy,
    team: str | None,
    shape: Shape,
    body: JsonBody,
    first_index: int,
    monitor: bool,
    outcome: Outcome,
) -> list[ReadFile]:
    """Inline files read in the scan workers, per the policy's action for their kind; their
    text chunks follow the segments in the scan texts (from ``first_index``)."""
    parts = shape.file_parts(body)
    if not parts:
        return []
    rules = policy.attachments_for(team)
    jobs = attachments.jobs_for(parts, policy, rules)
    results = await state.scanner.read_files(jobs)
    return attachments.settle(parts, results, monitor, first_index, outcome.files)


async def _scan(
    state: ProxyState, policy: Policy, team: str | None, texts: list[str], outcome: Outcome
) -> ScanOutcome:
    settings = policy.detection_settings(team)
    metrics = state.metrics
    metrics.queue_depth.set(state.scanner.queue_depth + 1)
    try:
        scanned = await state.scanner.scan(texts, settings)
    finally:
        metrics.queue_depth.set(state.scanner.queue_depth)
    outcome.scan_seconds = scanned.seconds
    metrics.scan_seconds.labels("request").observe(scanned.seconds)
    metrics.scanned_chars.inc(scanned.scanned_chars)
    metrics.cache_hits.inc(scanned.cached_segments)
    return scanned


_ENTITY_ACTIONS: dict[Action, EntityAction] = {
    Action.BLOCK: "block",
    Action.MASK: "mask",
    Action.MONITOR: "monitor",
    Action.ALLOW: "allow",
}


def _entity_actions(policy: Policy, team: str | None) -> Callable[[str], EntityAction]:
    def action_for(entity_type: str) -> EntityAction:
        return _ENTITY_ACTIONS[policy.action_for(team, entity_type)]

    return action_for


def _decide(
    state: ProxyState,
    scanned: ScanOutcome,
    action_for: Callable[[str], EntityAction],
    monitor: bool,
    files: list[ReadFile],
    outcome: Outcome,
) -> Decision:
    decision = decide(scanned.findings, action_for, monitor)
    outcome.counts = decision.counts
    outcome.reason = decision.reason
    for action, counts in decision.findings_by_outcome:
        for entity_type, n in counts.items():
            state.metrics.findings.labels(entity_type, action, outcome.team).inc(n)
    if decision.action == "block":
        in_files = attachments.blocked_files(files, scanned.findings, action_for, "block")
        if in_files:
            _mark(files, in_files, "blocked")
            raise AttachmentBlocked("attachment_sensitive_data", in_files)
        raise SensitiveDataBlocked(decision.blocked)
    return decision


def _mark(files: list[ReadFile], which: list[tuple[int, str, dict[str, int]]], result: str) -> None:
    numbers = {number for number, _, _ in which}
    for read in files:
        if read.part.number in numbers:
            read.note.result = result


async def _rewrite(
    shape: Shape,
    body: JsonBody,
    size: int,
    segments: list[Segment],
    files: list[ReadFile],
    scanned: ScanOutcome,
    decision: Decision,
    action_for: Callable[[str], EntityAction],
    policy: Policy,
    team: str | None,
    outcome: Outcome,
) -> tuple[JsonBody, PlaceholderMap, int]:
    """Placeholders in for what the policy masks; the map restores them in the answer.

    A file with something to mask (found in it, or a value masked elsewhere that it also
    holds) is refused or, where the policy flattens, replaced by its masked text. Returns
    the body, the map and how many segments the new body must have (all of them scanned).
    """
    mapping = PlaceholderMap()
    expected = len(segments)
    if decision.action != "mask":
        outcome.action = decision.outcome
        return body, mapping, expected
    texts = [s.text for s in segments] + [c.text for f in files for c in f.chunks]
    # Every masked value is also looked for in every other segment: on a long document with
    # hundreds of names that is tens of milliseconds, so a large body does it in a thread.
    masked = await off_loop(
        size, mask_texts, texts, scanned.findings, lambda t: action_for(t) == "mask", mapping
    )
    changed = [f for f in files if any(i in masked for i in f.indexes)]
    if changed and policy.attachments_for(team).on_mask == "block":
        which: list[tuple[int, str, dict[str, int]]] = [
            (f.part.number, f.kind, _mask_counts(f, scanned, action_for) or decision.masked)
            for f in changed
        ]
        _mark(files, which, "blocked")
        raise attachments.refuse_unmasked(which)
    body = await off_loop(
        size,
        shape.apply,
        body,
        {segments[i].path: text for i, text in masked.items() if i < len(segments)},
    )
    if changed:
        paths = {f.part.path for f in changed}
        inside = sum(1 for s in segments if any(s.path[: len(p)] == p for p in paths))
        expected += len(changed) - inside  # each file becomes one text segment
        body = shape.replace_parts(
            body,
            {f.part.path: shape.text_part(attachments.flattened_text(f, masked)) for f in changed},
        )
        for f in changed:
            f.note.result = "flattened"
    outcome.action = "mask"
    return body, mapping, expected


def _mask_counts(
    read: ReadFile, scanned: ScanOutcome, action_for: Callable[[str], EntityAction]
) -> dict[str, int]:
    found = attachments.blocked_files([read], scanned.findings, action_for, "mask")
    return found[0][2] if found else {}
