"""From findings to one decision: block, mask or forward, with counts and a reason code.

Pure and small so it is tested without a server. The reason code is the same string in
the HTTP error, the audit line and the metric label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from detectors.types import Finding
from proxy.vocabulary import EntityAction

Verdict = Literal["allow", "mask", "block"]


@dataclass(frozen=True, slots=True)
class Decision:
    """What happens to one request.

    ``action`` is what the proxy does; ``would`` what enforcement would do (they differ
    in monitor mode, where everything is forwarded unchanged and ``would`` is recorded).
    """

    action: Verdict
    would: Verdict
    reason: str
    blocked: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)
    monitored: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for part in (self.blocked, self.masked, self.monitored):
            total.update(part)
        return dict(total)


def decide(
    findings: Iterable[Finding], action_for: Callable[[str], EntityAction], monitor: bool
) -> Decision:
    blocked: Counter[str] = Counter()
    masked: Counter[str] = Counter()
    monitored: Counter[str] = Counter()
    for f in findings:
        action = action_for(f.entity_type)
        if action == "block":
            blocked[f.entity_type] += 1
        elif action == "mask":
            masked[f.entity_type] += 1
        elif action == "monitor":
            monitored[f.entity_type] += 1
    would: Verdict = "block" if blocked else "mask" if masked else "allow"
    if monitor:
        action_taken: Verdict = "allow"
        reason = {"block": "would_block", "mask": "would_mask", "allow": "clean"}[would]
    else:
        action_taken = would
        reason = {"block": "sensitive_data_blocked", "mask": "masked", "allow": "clean"}[would]
    return Decision(action_taken, would, reason, dict(blocked), dict(masked), dict(monitored))
