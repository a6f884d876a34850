"""The work budget of one extraction: a wall-clock deadline and a running character count.

The deadline is checked between pages, sheets, slides and zip entries, so it works the same
in the proxy's scan worker processes (no signals, no threads). A single parser call cannot
be interrupted: the caller's worker deadline is the hard stop.
"""

from __future__ import annotations

import time

from detectors.attachments.types import Chunk, ExtractionError, ExtractLimits, Location, Reason


class Budget:
    def __init__(self, limits: ExtractLimits) -> None:
        self.limits = limits
        self._deadline = time.monotonic() + limits.max_seconds
        self._chars = 0
        self.chunks: list[Chunk] = []

    def remaining(self) -> float:
        return self._deadline - time.monotonic()

    def check(self, where: Location | None = None) -> None:
        if time.monotonic() > self._deadline:
            raise ExtractionError(Reason.TIME_EXCEEDED, where)

    def add(self, where: Location, text: str) -> None:
        """Keep one chunk of text (blank ones are dropped), counting it against the limits."""
        self.check(where)
        if not text.strip():
            return
        self._chars += len(text)
        if self._chars > self.limits.max_chars:
            raise ExtractionError(Reason.TOO_MANY_CHARS, where)
        self.chunks.append(Chunk(where, text))
