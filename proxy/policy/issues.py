"""A problem in a policy file, located (file, line, column, dotted key) and told in
Japanese first, English alongside; PolicyError carries all of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

MAX_REPORTED_ISSUES = 20


# -- errors ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PolicyIssue:
    """One problem in a policy file, located for a human."""

    source: str
    line: int | None  # 1-based; None when the problem is the file itself
    column: int | None
    path: str  # dotted key path, "" for the whole document
    ja: str
    en: str

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.ja} / {self.en}"


class PolicyError(ValueError):
    """The policy does not validate; the process keeps (or never gets) a policy."""

    def __init__(self, issues: Iterable[PolicyIssue]) -> None:
        self.issues: tuple[PolicyIssue, ...] = tuple(
            sorted(issues, key=lambda i: (i.line or 0, i.column or 0, i.path))
        )
        shown = [str(i) for i in self.issues[:MAX_REPORTED_ISSUES]]
        hidden = len(self.issues) - len(shown)
        if hidden > 0:
            shown.append(f"… 他 {hidden} 件 / {hidden} more")
        super().__init__("\n".join(shown))


class UnknownTeamError(LookupError):
    """A team name the policy does not define (the caller should have checked teams())."""


def custom_error(ja: str, en: str) -> PydanticCustomError:
    # Carries both languages through pydantic to the translator below.
    return PydanticCustomError("sekimori", "{en}", {"ja": ja, "en": en})
