"""Token counts per team, read from the ``usage`` objects of an answer (whole or streamed)
without holding the answer."""

from __future__ import annotations

import json

from proxy.observability.metrics import Metrics
from proxy.observability.outcome import Outcome


class UsageSniffer:
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
            except (ValueError, RecursionError):
                continue
            self.add(obj)

    def add(self, obj: object) -> None:
        """Take the counts of one answer object (chat, Responses or Anthropic shapes)."""
        if not isinstance(obj, dict):
            return
        candidates = [
            obj.get("usage"),
            (obj.get("message") or {}).get("usage")
            if isinstance(obj.get("message"), dict)
            else None,
            (obj.get("response") or {}).get("usage")
            if isinstance(obj.get("response"), dict)
            else None,
        ]
        for usage in candidates:
            if not isinstance(usage, dict):
                continue
            for key in ("prompt_tokens", "input_tokens"):
                if isinstance(usage.get(key), int):
                    self.input = max(self.input, usage[key])
            for key in ("completion_tokens", "output_tokens"):
                if isinstance(usage.get(key), int):
                    self.output = max(self.output, usage[key])

    def record(self, metrics: Metrics, outcome: Outcome) -> None:
        if self.input:
            metrics.team_tokens.labels(outcome.team, "input").inc(self.input)
        if self.output:
            metrics.team_tokens.labels(outcome.team, "output").inc(self.output)


def count_usage(metrics: Metrics, outcome: Outcome, raw: bytes) -> None:
    """Token counts of a whole (not streamed) answer."""
    if b'"usage"' not in raw:
        return
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        return
    acc = UsageSniffer()
    acc.add(obj)
    acc.record(metrics, outcome)
