"""What the handlers share, built once by the composition root (``sekimori serve``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from proxy.observability.audit import AuditLog
from proxy.observability.metrics import Metrics
from proxy.policy import Policy
from proxy.relay.upstream import UpstreamConfig
from proxy.scanning.service import ScanService


@dataclass
class ProxyState:
    """Everything the handlers share; ``policy`` is swapped whole on reload."""

    policy: Policy
    upstream: UpstreamConfig
    scanner: ScanService
    metrics: Metrics = field(default_factory=Metrics)
    audit: AuditLog = field(default_factory=AuditLog)
    session: aiohttp.ClientSession | None = None
    shutting_down: bool = False
    policy_error: str | None = None
    # The playground's API key (SEKIMORI_ADMIN_TOKEN; None: the playground is off) and the
    # Host names it answers to besides loopback and IP literals (proxy.edge.admin_guard).
    admin_token: str | None = None
    admin_hosts: frozenset[str] = frozenset()


STATE = web.AppKey("state", ProxyState)
