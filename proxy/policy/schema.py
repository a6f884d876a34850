"""The policy's schema: pydantic models, strict, with validators that explain
themselves (a regex that could backtrack without bound is refused)."""

from __future__ import annotations

import ipaddress
import re
import re._parser as sre_parse  # the stdlib's own regex parser; used read-only
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from proxy.policy.issues import custom_error
from proxy.vocabulary import EntityAction

ModeName = Literal["enforce", "monitor"]
DetectionModeName = Literal["fast", "thorough"]
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

TEAM_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
ENTITY_TYPE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,47}$")
ENV_NAME_RE = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
HEADER_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")
# "default" is the metric label and audit name of requests without a team.
RESERVED_TEAM_NAMES = frozenset({"default"})

MAX_POLICY_BYTES = 4 * 1024 * 1024
MAX_YAML_NODES = 200_000  # alias bombs expand; a real policy has a few hundred nodes


# -- schema ---------------------------------------------------------------------------------
def _team_name(value: str) -> str:
    if value in RESERVED_TEAM_NAMES:
        raise custom_error(
            f"チーム名 '{value}' は予約されています（チームなしの呼び名です）",
            f"team name '{value}' is reserved (it names requests without a team)",
        )
    if not TEAM_NAME_RE.match(value):
        raise custom_error(
            f"チーム名 '{value}' は使えません（英小文字・数字・_・- で32文字まで、先頭は英小文字か数字）",
            f"team name '{value}' must match ^[a-z0-9][a-z0-9_-]{{0,31}}$",
        )
    return value


def _entity_type(value: str) -> str:
    if not ENTITY_TYPE_RE.match(value):
        raise custom_error(
            f"エンティティ種別 '{value}' は使えません（英大文字・数字・_ で48文字まで、先頭は英大文字）",
            f"entity type '{value}' must match ^[A-Z][A-Z0-9_]{{1,47}}$",
        )
    return value


def _env_name(value: str) -> str:
    if not ENV_NAME_RE.match(value):
        raise custom_error(
            f"環境変数名 '{value}' は使えません（英大文字・数字・_）",
            f"'{value}' is not an environment variable name (A-Z, 0-9, _)",
        )
    return value


def _header_name(value: str) -> str:
    if not HEADER_NAME_RE.match(value):
        raise custom_error(
            f"ヘッダー名 '{value}' は使えません（英数字と - のみ）",
            f"'{value}' is not a header name (letters, digits, -)",
        )
    return value


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise custom_error(
            f"'{value}' は IP アドレスか CIDR（例 10.0.0.0/8）ではありません",
            f"'{value}' is not an IP address or CIDR range (e.g. 10.0.0.0/8)",
        ) from None


def _sha256_hex(value: str) -> str:
    if not SHA256_RE.match(value):
        raise custom_error(
            "SHA-256 の16進数64桁を指定してください（キーそのものは書かないでください）",
            "expected 64 hex digits of a SHA-256 (never the key itself)",
        )
    return value.lower()


def _base_url(value: str) -> str:
    problem = base_url_problem(value)
    if problem is not None:
        raise custom_error(*problem)
    return value


def base_url_problem(value: str) -> tuple[str, str] | None:
    """Why ``value`` is not a usable upstream base URL (ja, en), or None when it is."""
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return ("URL の形式が正しくありません", "not a valid URL")
    if parts.scheme not in ("https", "http") or not host:
        return (
            "http(s)://ホスト名 で始まる URL を指定してください",
            "expected an http(s):// URL with a host",
        )
    if parts.username is not None or parts.password is not None:
        # Credentials in a URL end up in logs; keys belong in credentials.*_key_env.
        return ("URL に認証情報を含めないでください", "the URL must not contain credentials")
    if parts.query or parts.fragment or any(c.isspace() for c in value):
        return (
            "URL にクエリ・フラグメント・空白は含められません",
            "the URL must not contain a query, fragment or whitespace",
        )
    return None


_NESTED_QUANTIFIER = (
    "正規表現に入れ子の繰り返しがあり、処理時間が爆発するおそれがあります",
    "nested quantifiers can cause catastrophic backtracking",
)


def _regex(value: str) -> str:
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise custom_error(
            f"正規表現が正しくありません（{exc.msg}、位置 {exc.pos}）",
            f"invalid regular expression: {exc.msg} at position {exc.pos}",
        ) from None
    if compiled.fullmatch("") is not None:
        raise custom_error(
            "正規表現が空文字列に一致します", "the regular expression matches the empty string"
        )
    if _has_nested_quantifier(sre_parse.parse(value)):
        raise custom_error(*_NESTED_QUANTIFIER)
    # The static check misses overlapping alternatives such as (a|aa)+$: time the pattern
    # on inputs built to make backtracking explode.
    from detectors.custom import too_slow

    if too_slow(value):
        raise custom_error(*_NESTED_QUANTIFIER)
    return value


_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)


def _has_nested_quantifier(parsed: Any, inside_unbounded: bool = False) -> bool:
    # The cheap, well-known half of ReDoS: a variable-length repeat inside an unbounded one,
    # like (\w+\s?)+ or (a{1,3})*. Overlapping alternations are not detected.
    for op, arg in parsed:
        if op in _REPEATS:
            low, high, body = arg
            if inside_unbounded and high > 1 and high != low:
                return True
            if _has_nested_quantifier(body, inside_unbounded or high == sre_parse.MAXREPEAT):
                return True
        elif op is sre_parse.SUBPATTERN:
            if _has_nested_quantifier(arg[-1], inside_unbounded):
                return True
        elif op is sre_parse.BRANCH:
            if any(_has_nested_quantifier(b, inside_unbounded) for b in arg[1]):
                return True
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            if _has_nested_quantifier(arg[1], inside_unbounded):
                return True
        elif op is sre_parse.ATOMIC_GROUP:
            continue  # atomic groups do not backtrack into themselves
    return False


TeamName = Annotated[
    str,
    AfterValidator(_team_name),
    WithJsonSchema({"type": "string", "pattern": TEAM_NAME_RE.pattern}),
]
EntityType = Annotated[
    str,
    AfterValidator(_entity_type),
    WithJsonSchema({"type": "string", "pattern": ENTITY_TYPE_RE.pattern}),
]
EnvName = Annotated[
    str,
    AfterValidator(_env_name),
    WithJsonSchema({"type": "string", "pattern": ENV_NAME_RE.pattern}),
]
HeaderName = Annotated[
    str,
    AfterValidator(_header_name),
    WithJsonSchema({"type": "string", "pattern": HEADER_NAME_RE.pattern}),
]
Network = Annotated[
    str,
    Field(min_length=1, max_length=50),
    AfterValidator(_network),
    WithJsonSchema({"type": "string", "description": "an IP address or CIDR range"}),
]
Sha256Hex = Annotated[
    str,
    AfterValidator(_sha256_hex),
    WithJsonSchema({"type": "string", "pattern": SHA256_RE.pattern}),
]
BaseUrl = Annotated[
    str,
    AfterValidator(_base_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Regex = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_regex)]
Word = Annotated[str, Field(min_length=1, max_length=200)]
Score = Annotated[float, Field(ge=0.0, le=1.0)]


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
    detection_mode: DetectionModeName = "fast"
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
