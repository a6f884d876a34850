"""What the audit line and the metrics say about one request, and the one place that
records it when the request ends (types and counts, never values)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from proxy import vocabulary
from proxy.observability.audit import AuditLog, AuditRecord
from proxy.observability.metrics import Metrics, model_label
from proxy.vocabulary import Family

if TYPE_CHECKING:
    from proxy.relay.attachments import FileNote


class Outcome:
    """Filled in while a request is handled; :func:`record` writes it once at the end."""

    def __init__(self, route: str, family: Family, request_id: str) -> None:
        self.route = route
        self.family = family
        self.request_id = request_id
        self.team = "default"
        self.model: str | None = None
        self.action: vocabulary.Outcome = "error"
        self.reason = "ok"
        self.counts: dict[str, int] = {}
        self.status = 500
        self.upstream_status: int | None = None
        self.started = time.perf_counter()
        self.scan_seconds = 0.0
        self.prompt_chars = 0
        self.files: list[FileNote] = []


def record(metrics: Metrics, audit: AuditLog, outcome: Outcome) -> None:
    status_class = f"{outcome.status // 100}xx"
    metrics.requests.labels(
        outcome.route, outcome.family, outcome.action, status_class, outcome.team
    ).inc()
    if outcome.action == "block":
        metrics.blocks.labels(outcome.reason, outcome.team).inc()
    metrics.team_requests.labels(outcome.team, model_label(outcome.model)).inc()
    if outcome.prompt_chars:
        metrics.team_chars.labels(outcome.team).inc(outcome.prompt_chars)
    for note in outcome.files:
        if note.scanned:
            metrics.attachments.labels(note.kind, "scanned").inc()
        if note.result != "scanned":
            metrics.attachments.labels(note.kind, note.result).inc()
        if note.reason is not None:
            metrics.attachment_failures.labels(note.reason).inc()
    audit.write(
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
            attachments=[note.audit() for note in outcome.files],
        )
    )
