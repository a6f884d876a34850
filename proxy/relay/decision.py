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
from proxy.vocabulary import EntityAction, Outcome

# What enforcement does with a request: the enforcing subset of the outcome words.
Verdict = Literal["block", "mask", "clean"]
_WOULD: dict[Verdict, Outcome] = {"block": "would_block", "mask": "would_mask", "clean": "clean"}


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

    @property
    def outcome(self) -> Outcome:
        """The word for what happened: the verdict, or in monitor mode what it would be."""
        return self.action if self.action == self.would else _WOULD[self.would]

    @property
    def findings_by_outcome(self) -> tuple[tuple[Outcome, dict[str, int]], ...]:
        """Counts per entity type under the word for what happened to those findings.

        In monitor mode they are forwarded (would_block, would_mask); an entity the policy
        only records is forwarded unchanged in either mode (clean).
        """
        enforced = self.action == self.would
        return (
            ("block" if enforced else "would_block", self.blocked),
            ("mask" if enforced else "would_mask", self.masked),
            ("clean", self.monitored),
        )


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
    would: Verdict = "block" if blocked else "mask" if masked else "clean"
    if monitor:
        action_taken: Verdict = "clean"
        reason = {"block": "would_block", "mask": "would_mask", "clean": "clean"}[would]
    else:
        action_taken = would
        reason = {"block": "sensitive_data_blocked", "mask": "masked", "clean": "clean"}[would]
    return Decision(action_taken, would, reason, dict(blocked), dict(masked), dict(monitored))
