"""Prometheus metrics. Every label value comes from a closed set, never from user input:
routes and families are fixed, teams come from the policy, models pass an exact allow-list."""

from __future__ import annotations

import re

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# The client library's per-series ``*_created`` timestamps double the size of /metrics and
# no dashboard or alert reads them. The switch is process-wide in prometheus_client.
prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]

SCAN_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
UPSTREAM_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

# Model names kept as a label (metrics and audit): an exact list, since a prefix check let
# ``gpt-<anything>`` (a My Number, a name) into /metrics and the audit log as a new series.
# A dated snapshot of a listed model (gpt-4o-2024-08-06, claude-3-5-haiku-20241022) keeps
# its name too; anything else is ``other``.
KNOWN_MODELS = frozenset(
    {
        "gpt-3.5-turbo",
        "gpt-4",
        "gpt-4-turbo",
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "gpt-4.5-preview",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "gpt-5-chat-latest",
        "chatgpt-4o-latest",
        "o1",
        "o1-mini",
        "o1-pro",
        "o3",
        "o3-mini",
        "o3-pro",
        "o4-mini",
        "text-embedding-3-small",
        "text-embedding-3-large",
        "text-embedding-ada-002",
        "claude-3-haiku",
        "claude-3-opus",
        "claude-3-5-haiku",
        "claude-3-5-sonnet",
        "claude-3-7-sonnet",
        "claude-3-5-haiku-latest",
        "claude-3-5-sonnet-latest",
        "claude-3-7-sonnet-latest",
        "claude-sonnet-4",
        "claude-opus-4",
        "claude-opus-4-1",
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
        "claude-opus-4-5",
        "claude-sonnet-4-0",
        "claude-opus-4-0",
    }
)
_SNAPSHOT = re.compile(r"(.+)-(?:20[0-9]{2}-[01][0-9]-[0-3][0-9]|20[0-9]{2}[01][0-9][0-3][0-9])")


def model_label(model: str | None) -> str:
    """A listed model (or a dated snapshot of one) keeps its name; everything else is ``other``."""
    if not model or len(model) > 64:
        return "other"
    if model in KNOWN_MODELS:
        return model
    snapshot = _SNAPSHOT.fullmatch(model)
    return model if snapshot and snapshot.group(1) in KNOWN_MODELS else "other"


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "sekimori_requests_total",
            "Requests handled by the proxy.",
            ["route", "family", "action", "status_class", "team"],
            registry=r,
        )
        self.findings = Counter(
            "sekimori_findings_total",
            "Detected entities.",
            ["entity_type", "action", "team"],
            registry=r,
        )
        self.blocks = Counter(
            "sekimori_blocks_total",
            "Blocked requests by reason code.",
            ["reason", "team"],
            registry=r,
        )
        # kind: pdf, docx, xlsx, pptx, text, image, unknown; result: scanned (read and
        # scanned), then blocked or flattened; allowed (forwarded unread); refused.
        self.attachments = Counter(
            "sekimori_attachments_total",
            "Attached files by kind and what happened to them.",
            ["kind", "result"],
            registry=r,
        )
        self.attachment_failures = Counter(
            "sekimori_attachment_failures_total",
            "Attached files refused because they could not be read safely, by reason code.",
            ["reason"],
            registry=r,
        )
        self.fail_closed = Counter(
            "sekimori_fail_closed_total",
            "Requests refused because scanning failed (never forwarded).",
            ["reason"],
            registry=r,
        )
        self.unscanned_forward = Counter(
            "sekimori_unscanned_forward_total",
            "Requests forwarded without a completed scan. Must stay 0.",
            registry=r,
        )
        self.scan_seconds = Histogram(
            "sekimori_scan_duration_seconds",
            "Time spent scanning.",
            ["stage"],
            buckets=SCAN_BUCKETS,
            registry=r,
        )
        self.scanned_chars = Counter(
            "sekimori_scanned_characters_total",
            "Characters that went through the scanner (cache misses).",
            registry=r,
        )
        # Not on /metrics: whether a prompt was answered from the cache tells an outsider who
        # sends a guess whether someone sent it before. Kept for tests and local debugging.
        self.private_registry = CollectorRegistry()
        self.cache_hits = Counter(
            "sekimori_scan_cache_hits_total",
            "Segments answered from the scan cache.",
            registry=self.private_registry,
        )
        self.queue_depth = Gauge(
            "sekimori_scan_queue_depth", "Scans waiting or running.", registry=r
        )
        self.upstream_seconds = Histogram(
            "sekimori_upstream_duration_seconds",
            "Time to upstream response headers.",
            ["family"],
            buckets=UPSTREAM_BUCKETS,
            registry=r,
        )
        self.first_token_seconds = Histogram(
            "sekimori_time_to_first_token_seconds",
            "Time from request to first streamed byte.",
            ["family"],
            buckets=UPSTREAM_BUCKETS,
            registry=r,
        )
        self.upstream_errors = Counter(
            "sekimori_upstream_errors_total", "Upstream failures.", ["family", "kind"], registry=r
        )
        self.streams = Gauge(
            "sekimori_streams_in_flight", "Streaming responses in flight.", registry=r
        )
        self.reloads = Counter(
            "sekimori_policy_reloads_total", "Policy reload attempts.", ["result"], registry=r
        )
        self.team_requests = Counter(
            "sekimori_team_requests_total",
            "Requests per team (adoption).",
            ["team", "model"],
            registry=r,
        )
        self.team_chars = Counter(
            "sekimori_team_prompt_characters_total",
            "Prompt characters per team.",
            ["team"],
            registry=r,
        )
        self.team_tokens = Counter(
            "sekimori_team_tokens_total",
            "Tokens reported by the provider, per team.",
            ["team", "direction"],
            registry=r,
        )
        self.ready = Gauge(
            "sekimori_ready", "1 when the model is loaded and the policy valid.", registry=r
        )
