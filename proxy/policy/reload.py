"""Hot reload of the policy: on SIGHUP or when the file changes. A bad new file keeps
the old policy (log line + metric); requests in flight finish under the policy they
started with, since each handler reads ``state.policy`` once."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Protocol

from proxy.observability.metrics import Metrics
from proxy.policy import Policy, PolicyError, load_policy

log = logging.getLogger("sekimori.policy")


class Reloadable(Protocol):
    """What the reloader swaps and reports on (the proxy's state)."""

    policy: Policy
    policy_error: str | None
    metrics: Metrics


class PolicyReloader:
    def __init__(self, state: Reloadable, path: Path, interval: float = 2.0) -> None:
        self.state = state
        self.path = path
        self.interval = interval
        self._mtime = self._stat()

    def _stat(self) -> float | None:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return None

    def reload_now(self) -> bool:
        try:
            policy = load_policy(self.path)
        except (PolicyError, OSError) as exc:
            self.state.policy_error = str(exc)
            self.state.metrics.reloads.labels("failure").inc()
            log.error("policy reload failed, keeping the previous policy: %s", exc)
            return False
        self.state.policy = policy
        self.state.policy_error = None
        self.state.metrics.reloads.labels("success").inc()
        log.info("policy reloaded (digest %s)", policy.digest[:12])
        return True

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            mtime = self._stat()
            if mtime is not None and mtime != self._mtime:
                self._mtime = mtime
                self.reload_now()
