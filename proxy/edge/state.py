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


STATE = web.AppKey("state", ProxyState)
