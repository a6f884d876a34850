"""The YAML policy IT writes: its schema (pydantic, strict), its loader with file:line errors,
and the frozen, per-team view of it (actions, modes, DetectionSettings) the proxy reads.

Rules, stated once:
- Fail closed. Anything that does not validate raises :class:`PolicyError`, whose message
  names the file, line, column and dotted key, Japanese first then English.
- Layers, from weakest to strongest: built-in defaults (identical to config/default.yaml),
  the policy's top level, then a team's overrides. An entity the policy does not mention
  keeps its built-in action, so a short company policy never silently stops blocking
  My Number; turning something off takes an explicit ``action: allow``.
- Within one entity a team overrides field by field; a list (context, allow_list) given by
  a team replaces the inherited list rather than extending it.
- An entity type nobody gave an action (a custom pattern's new type) is blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from detectors.settings import DetectionSettings
from proxy.policy.describe import describe_policy
from proxy.policy.fields import base_url_problem
from proxy.policy.issues import PolicyError, PolicyIssue, UnknownTeamError
from proxy.policy.schema import (
    ENV_ANTHROPIC_BASE_URL,
    ENV_OPENAI_BASE_URL,
    UNLISTED_ACTION,
    Action,
    AttachmentLimitsPolicy,
    AuthPolicy,
    CredentialsPolicy,
    DetectionModeName,
    LimitsPolicy,
    ModeName,
    OnMask,
    PolicyDocument,
    UpstreamsPolicy,
)
from proxy.vocabulary import DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OPENAI_BASE_URL


# -- the resolved policy --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ResolvedEntity:
    """One entity type's effective rule for one team (or the top level)."""

    action: Action
    threshold: float
    context: tuple[str, ...]
    allow_list: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DictionaryInfo:
    """A dictionary as loaded, for describe() and check-config."""

    entity_type: str
    file: str  # as written in the policy
    terms: int


@dataclass(frozen=True, slots=True)
class EffectiveUpstreams:
    openai: str
    anthropic: str


# The file kinds a policy names (detectors.attachments.Kind, with the text kinds and the
# image kinds each taken together).
FILE_KINDS = ("pdf", "docx", "xlsx", "pptx", "text", "image")
FileKind = Literal["pdf", "docx", "xlsx", "pptx", "text", "image"]
FileAction = Literal["block", "scan", "ocr", "allow"]


@dataclass(frozen=True, slots=True)
class AttachmentRules:
    """What happens to an attached file of each kind, for one team."""

    actions: Mapping[FileKind, FileAction]
    on_mask: OnMask


@dataclass(frozen=True, slots=True)
class Scope:
    mode: ModeName
    detection_mode: DetectionModeName
    entities: Mapping[str, ResolvedEntity]
    dictionaries: tuple[DictionaryInfo, ...]
    settings: DetectionSettings
    attachments: AttachmentRules


@dataclass(frozen=True, slots=True)
class Policy:
    """A validated policy: what the proxy does, per team. Immutable; reload swaps it."""

    document: PolicyDocument
    source: str
    digest: str  # sha256 of the policy file bytes
    _default: Scope = field(repr=False)
    _teams: Mapping[str, Scope] = field(repr=False)

    # Settings the proxy reads directly.
    @property
    def limits(self) -> LimitsPolicy:
        return self.document.limits

    @property
    def auth(self) -> AuthPolicy:
        return self.document.auth

    @property
    def credentials(self) -> CredentialsPolicy:
        return self.document.credentials

    @property
    def upstreams(self) -> UpstreamsPolicy:
        return self.document.upstreams

    @property
    def non_text_parts(self) -> Literal["block", "allow"]:
        return self.document.non_text_parts

    @property
    def server_state(self) -> Literal["block", "allow"]:
        return self.document.server_state

    @property
    def attachment_limits(self) -> AttachmentLimitsPolicy:
        return self.document.attachments.limits

    def teams(self) -> list[str]:
        return sorted(self._teams)

    def _scope(self, team: str | None) -> Scope:
        if team is None:
            return self._default
        found = self._teams.get(team)
        if found is None:
            raise UnknownTeamError(team)
        return found

    def detection_settings(self, team: str | None) -> DetectionSettings:
        return self._scope(team).settings

    def action_for(self, team: str | None, entity_type: str) -> Action:
        found = self._scope(team).entities.get(entity_type)
        # A finding of a type the policy never heard of is treated like the worst case.
        return found.action if found else UNLISTED_ACTION

    def mode_for(self, team: str | None) -> ModeName:
        return self._scope(team).mode

    def attachments_for(self, team: str | None) -> AttachmentRules:
        return self._scope(team).attachments

    def entities_for(self, team: str | None) -> Mapping[str, ResolvedEntity]:
        return self._scope(team).entities

    def dictionaries_for(self, team: str | None) -> tuple[DictionaryInfo, ...]:
        return self._scope(team).dictionaries

    def describe(self, team: str | None) -> str:
        return describe_policy(self, team)


def effective_upstreams(policy: Policy, environ: Mapping[str, str]) -> EffectiveUpstreams:
    """Upstream base URLs: environment over policy over the providers' public APIs."""
    issues: list[PolicyIssue] = []

    def pick(env: str, configured: str | None, default: str) -> str:
        value = environ.get(env, "").strip()
        if not value:
            return configured or default
        problem = base_url_problem(value)
        if problem is not None:
            issues.append(PolicyIssue(f"${env}", None, None, "", *problem))
        return value

    result = EffectiveUpstreams(
        openai=pick(ENV_OPENAI_BASE_URL, policy.upstreams.openai.base_url, DEFAULT_OPENAI_BASE_URL),
        anthropic=pick(
            ENV_ANTHROPIC_BASE_URL, policy.upstreams.anthropic.base_url, DEFAULT_ANTHROPIC_BASE_URL
        ),
    )
    if issues:
        raise PolicyError(issues)
    return result
