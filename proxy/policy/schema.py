"""The policy's schema: strict pydantic models of the file, section by section. The value
types they use (team names, regexes, URLs) and their validators are in proxy.policy.fields."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy.policy.fields import (
    BaseUrl,
    EntityType,
    EnvName,
    HeaderName,
    Network,
    Regex,
    Score,
    Sha256Hex,
    TeamName,
    Word,
)
from proxy.vocabulary import EntityAction

ModeName = Literal["enforce", "monitor"]
DetectionModeName = Literal["rules", "fast", "thorough"]
ActionName = EntityAction
# Must equal the keys of detectors.checksums.VALIDATORS (a test holds them together);
# spelled out so the JSON schema and mypy both see the choices.
ValidatorName = Literal[
    "my_number", "corporate_number", "luhn", "driver_license", "insurer_number", "icao"
]


class Action(StrEnum):
    """What happens to a finding of one entity type."""

    BLOCK = "block"
    MASK = "mask"
    MONITOR = "monitor"
    ALLOW = "allow"


ENV_OPENAI_BASE_URL = "SEKIMORI_OPENAI_BASE_URL"
ENV_ANTHROPIC_BASE_URL = "SEKIMORI_ANTHROPIC_BASE_URL"

# The built-in defaults; config/default.yaml spells out the same table (a test checks).
DEFAULT_ACTIONS: dict[str, Action] = {
    **{
        t: Action.BLOCK
        for t in (
            "JP_MY_NUMBER",
            "CREDIT_CARD",
            "JP_BANK_ACCOUNT",
            "JP_PASSPORT",
            "JP_DRIVER_LICENSE",
            "JP_RESIDENCE_CARD",
            "JP_PENSION_NUMBER",
            "JP_HEALTH_INSURANCE",
            "JP_EMPLOYMENT_INSURANCE",
            "JP_RESIDENT_CODE",
            "SECRET",
            "CONFIDENTIAL_MARKER",
            "SENSITIVE_PERSONAL_INFO",
            "CODENAME",
        )
    },
    **{
        t: Action.MASK
        for t in (
            "PERSON",
            "PHONE_NUMBER",
            "EMAIL_ADDRESS",
            "ADDRESS",
            "JP_POSTAL_CODE",
            "DATE_OF_BIRTH",
            "CUSTOMER",
        )
    },
    # Published by the National Tax Agency for every company: recording is enough.
    "JP_CORPORATE_NUMBER": Action.MONITOR,
}
# A type the company invented (EMPLOYEE_ID...) but gave no action: the safe side.
UNLISTED_ACTION = Action.BLOCK

MAX_POLICY_BYTES = 4 * 1024 * 1024
MAX_YAML_NODES = 200_000  # alias bombs expand; a real policy has a few hundred nodes


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class EntityPolicy(_Strict):
    """One entity type's rule; a field left out is inherited from the layer below."""

    action: ActionName | None = None
    threshold: Score | None = None
    context: list[Word] | None = Field(default=None, max_length=200)
    allow_list: list[Word] | None = Field(default=None, max_length=10_000)


class CustomPatternPolicy(_Strict):
    """A company's own regex recognizer."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    entity_type: EntityType
    regex: Regex
    score: Score = 0.6
    context: list[Word] = Field(default_factory=list, max_length=200)
    validator: ValidatorName | None = None


class DictionaryPolicy(_Strict):
    """A term list file (customers, code names) matched literally."""

    entity_type: EntityType
    file: Annotated[str, Field(min_length=1, max_length=1000)]
    action: ActionName | None = None


DocumentAction = Literal["block", "scan", "allow"]
ImageAction = Literal["block", "ocr", "allow"]
OnMask = Literal["block", "flatten"]
MiB = 1024 * 1024


class AttachmentLimitsPolicy(_Strict):
    """Bounds on one attached file (detectors.attachments.ExtractLimits); the extracted
    text also counts against limits.max_scan_chars."""

    max_files: Annotated[int, Field(ge=1, le=100)] = 20
    max_file_bytes: Annotated[int, Field(ge=1024, le=32 * MiB)] = 16 * MiB
    max_pages: Annotated[int, Field(ge=1, le=5_000)] = 300
    max_sheets: Annotated[int, Field(ge=1, le=1_000)] = 50
    max_cells: Annotated[int, Field(ge=1, le=20_000_000)] = 1_000_000
    max_decompressed_bytes: Annotated[int, Field(ge=1024, le=1024 * MiB)] = 100 * MiB
    max_seconds: Annotated[float, Field(ge=0.1, le=60.0)] = 4.0


class TeamAttachmentsPolicy(_Strict):
    """A team's overrides of ``attachments``; a kind left out is inherited."""

    pdf: DocumentAction | None = None
    docx: DocumentAction | None = None
    xlsx: DocumentAction | None = None
    pptx: DocumentAction | None = None
    text: DocumentAction | None = None
    image: ImageAction | None = None
    on_mask: OnMask | None = None


class AttachmentsPolicy(_Strict):
    """Inline files (PDF, Office, text, images) per kind: ``scan`` extracts their text and
    scans it like the prompt, ``block`` refuses them, ``allow`` forwards them unread.
    Images are read only by OCR (``ocr``). ``on_mask``: a mask-level finding in a file
    blocks the request (``block``), or the file is replaced by its masked text
    (``flatten``)."""

    pdf: DocumentAction = "scan"
    docx: DocumentAction = "scan"
    xlsx: DocumentAction = "scan"
    pptx: DocumentAction = "scan"
    text: DocumentAction = "scan"
    image: ImageAction = "block"
    on_mask: OnMask = "block"
    limits: AttachmentLimitsPolicy = Field(default_factory=AttachmentLimitsPolicy)


class TeamPolicy(_Strict):
    """A team's overrides over the top level."""

    mode: ModeName | None = None
    detection_mode: DetectionModeName | None = None
    entities: dict[EntityType, EntityPolicy] = Field(default_factory=dict)
    dictionaries: list[DictionaryPolicy] = Field(default_factory=list, max_length=100)
    attachments: TeamAttachmentsPolicy = Field(default_factory=TeamAttachmentsPolicy)


class UpstreamPolicy(_Strict):
    base_url: BaseUrl | None = None  # None: the provider's public API


class UpstreamsPolicy(_Strict):
    openai: UpstreamPolicy = Field(default_factory=UpstreamPolicy)
    anthropic: UpstreamPolicy = Field(default_factory=UpstreamPolicy)


class CredentialsPolicy(_Strict):
    """Whose provider key goes upstream: the proxy's own (proxy) or the caller's."""

    mode: Literal["proxy", "passthrough"] = "proxy"
    openai_key_env: EnvName = "OPENAI_API_KEY"
    anthropic_key_env: EnvName = "ANTHROPIC_API_KEY"
    openai_key_file: Annotated[str, Field(min_length=1)] | None = None
    anthropic_key_file: Annotated[str, Field(min_length=1)] | None = None


class LimitsPolicy(_Strict):
    """Bounds on the work one request may cause (see threats.md, recommended defaults)."""

    max_body_bytes: Annotated[int, Field(ge=1024, le=32 * 1024 * 1024)] = 16 * 1024 * 1024
    max_json_depth: Annotated[int, Field(ge=2, le=128)] = 64
    max_segments: Annotated[int, Field(ge=1, le=100_000)] = 10_000
    max_scan_chars: Annotated[int, Field(ge=1_000, le=5_000_000)] = 1_000_000
    scan_timeout_seconds: Annotated[float, Field(ge=0.1, le=60.0)] = 5.0
    max_queue: Annotated[int, Field(ge=1, le=4096)] = 64


class StaffKey(_Strict):
    sha256: Sha256Hex
    team: TeamName | None = None  # None: the top-level (default) policy


class TrustedHeaderPolicy(_Strict):
    """A team header set by an SSO front proxy, honoured only from that proxy's addresses."""

    enabled: bool = False
    name: HeaderName = "X-Sekimori-Team"
    # The peers (TCP source addresses) whose header counts; from anywhere else it is ignored.
    trusted_sources: list[Network] = Field(
        default_factory=lambda: ["127.0.0.1/32", "::1/128"], max_length=100
    )


class AuthPolicy(_Strict):
    required: bool = False
    keys: list[StaffKey] = Field(default_factory=list, max_length=100_000)
    trusted_header: TrustedHeaderPolicy = Field(default_factory=TrustedHeaderPolicy)


class PolicyDocument(_Strict):
    """The whole policy file as written."""

    model_config = ConfigDict(title="Sekimori policy", extra="forbid", strict=True, frozen=True)

    version: Literal[1]
    mode: ModeName = "enforce"
    detection_mode: DetectionModeName = "rules"
    entities: dict[EntityType, EntityPolicy] = Field(default_factory=dict)
    custom_patterns: list[CustomPatternPolicy] = Field(default_factory=list, max_length=500)
    dictionaries: list[DictionaryPolicy] = Field(default_factory=list, max_length=100)
    non_text_parts: Literal["block", "allow"] = "block"
    server_state: Literal["block", "allow"] = "block"
    attachments: AttachmentsPolicy = Field(default_factory=AttachmentsPolicy)
    upstreams: UpstreamsPolicy = Field(default_factory=UpstreamsPolicy)
    credentials: CredentialsPolicy = Field(default_factory=CredentialsPolicy)
    limits: LimitsPolicy = Field(default_factory=LimitsPolicy)
    auth: AuthPolicy = Field(default_factory=AuthPolicy)
    teams: dict[TeamName, TeamPolicy] = Field(default_factory=dict)


def export_schema() -> dict[str, Any]:
    """The JSON Schema of the policy file (committed as config/policy.schema.json)."""
    schema = PolicyDocument.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
