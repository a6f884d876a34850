"""What to detect and how sure to be: the typed input the scanner takes with each text.

Built by the proxy from the YAML policy (per team); tests and the CLI build it directly.
Frozen and hashable through :meth:`DetectionSettings.fingerprint`, so compiled
recognizers and cached scan results can be keyed by it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Literal

from detectors.entities import ENTITIES

Mode = Literal["rules", "fast", "thorough"]

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class EntitySettings:
    """Per entity: the score a finding needs, extra context words, phrases to allow."""

    threshold: float = DEFAULT_THRESHOLD
    context: tuple[str, ...] = ()
    allow_list: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomPattern:
    """A company's own regex recognizer (customer IDs, employee numbers, hosts...)."""

    name: str
    entity_type: str
    regex: str
    score: float = 0.6
    context: tuple[str, ...] = ()
    validator: str | None = None  # a name from detectors.checksums.VALIDATORS


@dataclass(frozen=True)
class DetectionSettings:
    entities: dict[str, EntitySettings] = field(
        default_factory=lambda: {name: EntitySettings() for name in ENTITIES}
    )
    custom_patterns: tuple[CustomPattern, ...] = ()
    # entity type (CUSTOMER, CODENAME, or a custom one) -> terms matched literally
    dictionaries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mode: Mode = "rules"

    def fingerprint(self) -> str:
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:
        # Computed once per object: it keys the scan cache on the hot path.
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def wants(self, entity_type: str) -> bool:
        return entity_type in self.entities

    def threshold(self, entity_type: str) -> float:
        found = self.entities.get(entity_type)
        return found.threshold if found else DEFAULT_THRESHOLD
