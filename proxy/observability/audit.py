"""One JSON line per request: who (team), what (route, model, action, entity types and
counts, reason code), how long — never a value, a prompt or a key."""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import IO

from proxy.vocabulary import Outcome


@dataclass(frozen=True, slots=True)
class AuditRecord:
    request_id: str
    team: str
    route: str
    model: str
    action: Outcome
    reason: str
    entities: dict[str, int] = field(default_factory=dict)
    status: int = 0
    upstream_status: int | None = None
    latency_ms: float = 0.0
    scan_ms: float = 0.0
    # per attached file: its position, kind, result and (refused) reason code
    attachments: list[dict[str, str | int]] = field(default_factory=list)


class AuditLog:
    """Writes records as JSON lines to a stream (stdout by default) or a file."""

    def __init__(self, stream: IO[str] | None = None, enabled: bool = True) -> None:
        self._stream = stream
        self.enabled = enabled
        self._log = logging.getLogger("sekimori.audit")

    def write(self, record: AuditRecord) -> None:
        if not self.enabled:
            return
        line = json.dumps(
            {"ts": round(time.time(), 3), **asdict(record)},
            ensure_ascii=True,
            separators=(",", ":"),
        )
        stream = self._stream or sys.stdout
        try:
            stream.write(line + "\n")
            stream.flush()
        except (OSError, ValueError):
            self._log.error("audit write failed")
