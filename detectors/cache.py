"""The per-segment scan cache: findings keyed by settings fingerprint + content hash.

Kept apart from the engine so the proxy's event-loop process can use it without
importing Presidio and spaCy (the scanning happens in worker processes).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from detectors.settings import DetectionSettings
from detectors.types import Finding


class ScanCache:
    """LRU of per-segment findings, so a conversation's history is not scanned again."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(settings: DetectionSettings, text: str) -> str:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
        return settings.fingerprint() + ":" + digest.hexdigest()

    def get(self, key: str) -> tuple[Finding, ...] | None:
        found = self._data.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._data.move_to_end(key)
        return found

    def put(self, key: str, findings: tuple[Finding, ...]) -> None:
        self._data[key] = findings
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)
