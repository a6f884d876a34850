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

import difflib
import hashlib
import re
import re._parser as sre_parse  # the stdlib's own regex parser; used read-only
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from detectors.entities import ENTITIES
from detectors.entities import describe as describe_entity
from detectors.settings import DEFAULT_THRESHOLD, CustomPattern, DetectionSettings, EntitySettings
from proxy.vocabulary import DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OPENAI_BASE_URL, EntityAction

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


def _custom(ja: str, en: str) -> PydanticCustomError:
    # Carries both languages through pydantic to the translator below.
    return PydanticCustomError("sekimori", "{en}", {"ja": ja, "en": en})


# -- schema ---------------------------------------------------------------------------------
def _team_name(value: str) -> str:
    if value in RESERVED_TEAM_NAMES:
        raise _custom(
            f"チーム名 '{value}' は予約されています（チームなしの呼び名です）",
            f"team name '{value}' is reserved (it names requests without a team)",
        )
    if not TEAM_NAME_RE.match(value):
        raise _custom(
            f"チーム名 '{value}' は使えません（英小文字・数字・_・- で32文字まで、先頭は英小文字か数字）",
            f"team name '{value}' must match ^[a-z0-9][a-z0-9_-]{{0,31}}$",
        )
    return value


def _entity_type(value: str) -> str:
    if not ENTITY_TYPE_RE.match(value):
        raise _custom(
            f"エンティティ種別 '{value}' は使えません（英大文字・数字・_ で48文字まで、先頭は英大文字）",
            f"entity type '{value}' must match ^[A-Z][A-Z0-9_]{{1,47}}$",
        )
    return value


def _env_name(value: str) -> str:
    if not ENV_NAME_RE.match(value):
        raise _custom(
            f"環境変数名 '{value}' は使えません（英大文字・数字・_）",
            f"'{value}' is not an environment variable name (A-Z, 0-9, _)",
        )
    return value


def _header_name(value: str) -> str:
    if not HEADER_NAME_RE.match(value):
        raise _custom(
            f"ヘッダー名 '{value}' は使えません（英数字と - のみ）",
            f"'{value}' is not a header name (letters, digits, -)",
        )
    return value


def _sha256_hex(value: str) -> str:
    if not SHA256_RE.match(value):
        raise _custom(
            "SHA-256 の16進数64桁を指定してください（キーそのものは書かないでください）",
            "expected 64 hex digits of a SHA-256 (never the key itself)",
        )
    return value.lower()


def _base_url(value: str) -> str:
    problem = base_url_problem(value)
    if problem is not None:
        raise _custom(*problem)
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
        raise _custom(
            f"正規表現が正しくありません（{exc.msg}、位置 {exc.pos}）",
            f"invalid regular expression: {exc.msg} at position {exc.pos}",
        ) from None
    if compiled.fullmatch("") is not None:
        raise _custom(
            "正規表現が空文字列に一致します", "the regular expression matches the empty string"
        )
    if _has_nested_quantifier(sre_parse.parse(value)):
        raise _custom(*_NESTED_QUANTIFIER)
    # The static check misses overlapping alternatives such as (a|aa)+$: time the pattern
    # on inputs built to make backtracking explode.
    from detectors.custom import too_slow

    if too_slow(value):
        raise _custom(*_NESTED_QUANTIFIER)
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


class TeamPolicy(_Strict):
    """A team's overrides over the top level."""

    mode: ModeName | None = None
    detection_mode: DetectionModeName | None = None
    entities: dict[EntityType, EntityPolicy] = Field(default_factory=dict)
    dictionaries: list[DictionaryPolicy] = Field(default_factory=list, max_length=100)


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
    """A team header set by an SSO front proxy; only safe when clients cannot reach us."""

    enabled: bool = False
    name: HeaderName = "X-Sekimori-Team"


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
    upstreams: UpstreamsPolicy = Field(default_factory=UpstreamsPolicy)
    credentials: CredentialsPolicy = Field(default_factory=CredentialsPolicy)
    limits: LimitsPolicy = Field(default_factory=LimitsPolicy)
    auth: AuthPolicy = Field(default_factory=AuthPolicy)
    teams: dict[TeamName, TeamPolicy] = Field(default_factory=dict)


def export_schema() -> dict[str, Any]:
    """The JSON Schema of the policy file (committed as config/policy.schema.json)."""
    schema = PolicyDocument.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# -- YAML with marks ------------------------------------------------------------------------
KeyPath = tuple[str | int, ...]
Flag = Callable[[KeyPath, str, str], None]  # reports one problem at a key path


@dataclass(frozen=True, slots=True)
class _Spot:
    line: int
    column: int


class _YamlProblem(Exception):
    def __init__(self, issues: list[tuple[KeyPath, _Spot, str, str]]) -> None:
        super().__init__(issues)
        self.issues = issues


class _MarkedBuilder:
    """Builds plain data from a composed YAML tree, remembering where each key was."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.spots: dict[KeyPath, _Spot] = {}
        self.problems: list[tuple[KeyPath, _Spot, str, str]] = []
        self._nodes = 0
        self._stack: set[int] = set()

    @staticmethod
    def spot(node: yaml.Node) -> _Spot:
        return _Spot(node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _YamlProblem(
                [
                    (
                        path,
                        self.spot(node),
                        "YAML の要素が多すぎます（エイリアスの展開）",
                        "too many YAML nodes (alias expansion)",
                    )
                ]
            )
        if id(node) in self._stack:
            raise _YamlProblem(
                [
                    (
                        path,
                        self.spot(node),
                        "エイリアスが自分自身を参照しています",
                        "an alias refers to itself",
                    )
                ]
            )
        if isinstance(node, yaml.ScalarNode):
            return self.loader.construct_object(node, deep=True)
        self._stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for index, child in enumerate(node.value):
                    self.spots[(*path, index)] = self.spot(child)
                    items.append(self.build(child, (*path, index)))
                return items
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
        finally:
            self._stack.discard(id(node))
        raise _YamlProblem(
            [(path, self.spot(node), "解釈できない YAML の要素です", "unsupported YAML node")]
        )

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                # Merged keys would be invisible to duplicate detection and line numbers.
                self.problems.append(
                    (
                        path,
                        self.spot(key_node),
                        "マージキー（<<）は使えません。値を書き出してください",
                        "merge keys (<<) are not supported; write the values out",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    (
                        path,
                        self.spot(key_node),
                        "キーには文字列を使ってください",
                        "keys must be plain scalars",
                    )
                )
                continue
            key = self.loader.construct_object(key_node, deep=True)
            child = (*path, key)
            if key in result:
                first = self.spots[child]
                self.problems.append(
                    (
                        child,
                        self.spot(key_node),
                        f"キー '{key}' が重複しています（{first.line} 行目にもあります）",
                        f"duplicate key '{key}' (also on line {first.line})",
                    )
                )
                continue
            self.spots[child] = self.spot(key_node)
            result[key] = self.build(value_node, child)
        return result


def _compose(text: str, source: str) -> tuple[Any, dict[KeyPath, _Spot]]:
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            problem = exc.problem or exc.context or "?"
            raise PolicyError(
                [
                    PolicyIssue(
                        source,
                        line,
                        column,
                        "",
                        f"YAML の構文エラーです（{problem}）",
                        f"YAML syntax error: {problem}",
                    )
                ]
            ) from None
        except yaml.YAMLError as exc:
            raise PolicyError(
                [
                    PolicyIssue(
                        source,
                        None,
                        None,
                        "",
                        f"YAML として読めません（{exc}）",
                        f"not readable as YAML: {exc}",
                    )
                ]
            ) from None
        if root is None:
            raise PolicyError(
                [PolicyIssue(source, 1, 1, "", "ファイルが空です", "the file is empty")]
            )
        builder = _MarkedBuilder(loader)
        builder.spots[()] = builder.spot(root)
        try:
            data = builder.build(root, ())
        except _YamlProblem as exc:
            builder.problems.extend(exc.issues)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            spot = _Spot(mark.line + 1, mark.column + 1) if mark else _Spot(1, 1)
            builder.problems.append(
                (
                    (),
                    spot,
                    f"YAML の値を解釈できません（{exc.problem}）",
                    f"cannot construct a YAML value: {exc.problem}",
                )
            )
        if builder.problems:
            raise PolicyError(
                PolicyIssue(source, s.line, s.column, _dotted(p), ja, en)
                for p, s, ja, en in builder.problems
            )
        return data, builder.spots
    finally:
        loader.dispose()


def _dotted(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# -- pydantic errors -> located, bilingual issues -------------------------------------------
_ALL_FIELDS = sorted(
    {
        name
        for model in (
            PolicyDocument,
            EntityPolicy,
            CustomPatternPolicy,
            DictionaryPolicy,
            TeamPolicy,
            UpstreamPolicy,
            UpstreamsPolicy,
            CredentialsPolicy,
            LimitsPolicy,
            StaffKey,
            TrustedHeaderPolicy,
            AuthPolicy,
        )
        for name in model.model_fields
    }
)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f"'{value}'"
    return _kind(value)[1]


def _kind(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return "真偽値", "a boolean"
    if value is None:
        return "空の値", "null"
    if isinstance(value, int):
        return "整数", "an integer"
    if isinstance(value, float):
        return "小数", "a number"
    if isinstance(value, str):
        return "文字列", "a string"
    if isinstance(value, list):
        return "リスト", "a list"
    if isinstance(value, dict):
        return "マッピング", "a mapping"
    return type(value).__name__, type(value).__name__


def _choices(expected: str) -> list[str]:
    quoted = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return quoted or [p for p in re.split(r", | or ", expected) if p]


_TYPE_WORDS: dict[str, tuple[str, str]] = {
    "string_type": ("文字列", "a string"),
    "int_type": ("整数", "an integer"),
    "float_type": ("数値", "a number"),
    "bool_type": ("true か false", "true or false"),
    "list_type": ("リスト", "a list"),
    "dict_type": ("マッピング（キー: 値）", "a mapping (key: value)"),
    "model_type": ("マッピング（キー: 値）", "a mapping (key: value)"),
    "model_attributes_type": ("マッピング（キー: 値）", "a mapping (key: value)"),
}
_BOUNDS: dict[str, tuple[str, str, str]] = {
    "greater_than_equal": ("ge", "以上", "at least"),
    "less_than_equal": ("le", "以下", "at most"),
    "greater_than": ("gt", "より大きく", "greater than"),
    "less_than": ("lt", "未満で", "less than"),
}


def _translate(err: ErrorDetails) -> tuple[str, str]:
    kind = err["type"]
    value = err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    if kind == "sekimori":
        return str(ctx["ja"]), str(ctx["en"])
    if kind == "missing":
        return "必須のキーがありません", "required key is missing"
    if kind == "extra_forbidden":
        name = err["loc"][-1] if err["loc"] else "?"
        near = difflib.get_close_matches(str(name), _ALL_FIELDS, n=1, cutoff=0.75)
        if near:
            return (
                f"'{name}' というキーはありません（{near[0]} の誤りですか？）",
                f"unknown key '{name}' (did you mean {near[0]}?)",
            )
        return f"'{name}' というキーはありません", f"unknown key '{name}'"
    if kind in ("literal_error", "enum"):
        options = _choices(str(ctx.get("expected", "")))
        if len(options) == 1:
            return (
                f"{_show(value)} は使えません（{options[0]} のみ）",
                f"{_show(value)} must be {options[0]}",
            )
        return (
            f"{_show(value)} は使えません（{' / '.join(options)} のいずれか）",
            f"{_show(value)} is not one of {', '.join(options)}",
        )
    if kind in _TYPE_WORDS:
        want_ja, want_en = _TYPE_WORDS[kind]
        got_ja, got_en = _kind(value)
        return (
            f"{want_ja}を指定してください（{got_ja}が書かれています）",
            f"expected {want_en}, got {got_en}",
        )
    if kind in _BOUNDS:
        key, ja_word, en_word = _BOUNDS[kind]
        bound = _show(ctx.get(key))
        return (
            f"{_show(value)} は範囲外です（{bound} {ja_word}にしてください）",
            f"{_show(value)} is out of range (must be {en_word} {bound})",
        )
    if kind in ("string_too_short", "too_short"):
        return (
            "空にはできません"
            if ctx.get("min_length") == 1
            else f"短すぎます（{ctx.get('min_length')} 以上）",
            "must not be empty"
            if ctx.get("min_length") == 1
            else f"too short (at least {ctx.get('min_length')})",
        )
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        return f"長すぎます（{limit} まで）", f"too long (at most {limit})"
    return f"値が正しくありません（{err['msg']}）", err["msg"]


def _locate(data: Any, loc: tuple[str | int, ...], missing: bool) -> KeyPath:
    # pydantic's loc also holds union/validator tags; keep only parts that exist in the data.
    path: list[str | int] = []
    current = data
    parts = loc[:-1] if missing else loc
    for part in parts:
        if part == "[key]":
            break
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
    return tuple(path)


def _nearest_spot(spots: Mapping[KeyPath, _Spot], path: KeyPath) -> _Spot:
    for end in range(len(path), -1, -1):
        found = spots.get(path[:end])
        if found is not None:
            return found
    return _Spot(1, 1)


def _validation_issues(
    exc: ValidationError, data: Any, spots: Mapping[KeyPath, _Spot], source: str
) -> list[PolicyIssue]:
    issues: list[PolicyIssue] = []
    for err in exc.errors():
        missing = err["type"] == "missing"
        path = _locate(data, err["loc"], missing)
        spot = _nearest_spot(spots, path)
        shown: KeyPath = (*path, err["loc"][-1]) if missing and err["loc"] else path
        ja, en = _translate(err)
        issues.append(PolicyIssue(source, spot.line, spot.column, _dotted(shown), ja, en))
    return issues


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


@dataclass(frozen=True, slots=True)
class _Scope:
    mode: ModeName
    detection_mode: DetectionModeName
    entities: Mapping[str, ResolvedEntity]
    dictionaries: tuple[DictionaryInfo, ...]
    settings: DetectionSettings


@dataclass(frozen=True, slots=True)
class Policy:
    """A validated policy: what the proxy does, per team. Immutable; reload swaps it."""

    document: PolicyDocument
    source: str
    digest: str  # sha256 of the policy file bytes
    _default: _Scope = field(repr=False)
    _teams: Mapping[str, _Scope] = field(repr=False)

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

    def teams(self) -> list[str]:
        return sorted(self._teams)

    def _scope(self, team: str | None) -> _Scope:
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

    def entities_for(self, team: str | None) -> Mapping[str, ResolvedEntity]:
        return self._scope(team).entities

    def dictionaries_for(self, team: str | None) -> tuple[DictionaryInfo, ...]:
        return self._scope(team).dictionaries

    def describe(self, team: str | None) -> str:
        return _describe(self, team)


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


# -- loading --------------------------------------------------------------------------------
def load_policy(path: Path) -> Policy:
    """Read, validate and resolve a policy file; raises PolicyError (never half-loads)."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise PolicyError(
            [
                PolicyIssue(
                    source,
                    None,
                    None,
                    "",
                    f"ポリシーファイルを読めません（{exc.strerror}）",
                    f"cannot read the policy file: {exc.strerror}",
                )
            ]
        ) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(
            [
                PolicyIssue(
                    source,
                    None,
                    None,
                    "",
                    "ポリシーファイルが大きすぎます（4 MiB まで）",
                    "the policy file is too large (4 MiB at most)",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")  # Windows editors in Japan often add a BOM
    except UnicodeDecodeError:
        raise PolicyError(
            [
                PolicyIssue(
                    source,
                    None,
                    None,
                    "",
                    "UTF-8 で保存してください（Shift_JIS などは読めません）",
                    "save the file as UTF-8 (Shift_JIS is not supported)",
                )
            ]
        ) from None
    return _parse(text, source, path.parent, hashlib.sha256(raw).hexdigest())


def parse_policy(text: str, source: str, base_dir: Path | None = None) -> Policy:
    """Validate policy text; dictionary files resolve against ``base_dir`` (default: the
    directory of ``source``)."""
    base = base_dir if base_dir is not None else Path(source).parent
    return _parse(text, source, base, hashlib.sha256(text.encode("utf-8")).hexdigest())


def default_policy() -> Policy:
    """The built-in policy (config/default.yaml says the same, with comments)."""
    return parse_policy("version: 1\n", "<built-in>", Path("."))


def _parse(text: str, source: str, base_dir: Path, digest: str) -> Policy:
    data, spots = _compose(text, source)
    if not isinstance(data, dict):
        raise PolicyError(
            [
                PolicyIssue(
                    source,
                    1,
                    1,
                    "",
                    "ポリシーの最上位はマッピング（キー: 値）にしてください",
                    "the top level of the policy must be a mapping",
                )
            ]
        )
    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_validation_issues(exc, data, spots, source)) from None

    issues: list[PolicyIssue] = []

    def flag(path: KeyPath, ja: str, en: str) -> None:
        spot = _nearest_spot(spots, path)
        issues.append(PolicyIssue(source, spot.line, spot.column, _dotted(path), ja, en))

    _semantic_issues(document, flag)
    terms = _load_dictionaries(document, base_dir, flag)
    if issues:
        raise PolicyError(issues)

    default = _resolve(document, None, terms, flag)
    teams = {name: _resolve(document, name, terms, flag) for name in document.teams}
    if issues:
        raise PolicyError(issues)
    return Policy(document=document, source=source, digest=digest, _default=default, _teams=teams)


def _defined_types(document: PolicyDocument) -> set[str]:
    types = set(ENTITIES)
    types.update(p.entity_type for p in document.custom_patterns)
    types.update(d.entity_type for d in document.dictionaries)
    for team in document.teams.values():
        types.update(d.entity_type for d in team.dictionaries)
    return types


def _semantic_issues(document: PolicyDocument, flag: Flag) -> None:
    known = _defined_types(document)

    def check_entities(entities: Mapping[str, EntityPolicy], prefix: KeyPath) -> None:
        for name in entities:
            if name in known:
                continue
            near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            hint_ja = f"{near[0]} の誤りですか？ " if near else ""
            hint_en = f"did you mean {near[0]}? " if near else ""
            flag(
                (*prefix, name),
                f"'{name}' は不明なエンティティ種別です（{hint_ja}新しい種別は custom_patterns か "
                "dictionaries で定義してください）",
                f"unknown entity type '{name}' ({hint_en}define new types in custom_patterns "
                "or dictionaries)",
            )

    check_entities(document.entities, ("entities",))
    for team_name, team in document.teams.items():
        check_entities(team.entities, ("teams", team_name, "entities"))

    seen: dict[str, int] = {}
    for index, pattern in enumerate(document.custom_patterns):
        if pattern.name in seen:
            flag(
                ("custom_patterns", index, "name"),
                f"パターン名 '{pattern.name}' が重複しています（custom_patterns[{seen[pattern.name]}]）",
                f"duplicate pattern name '{pattern.name}' (custom_patterns[{seen[pattern.name]}])",
            )
        else:
            seen[pattern.name] = index

    hashes: dict[str, int] = {}
    for index, key in enumerate(document.auth.keys):
        if key.team is not None and key.team not in document.teams:
            flag(
                ("auth", "keys", index, "team"),
                f"チーム '{key.team}' は teams に定義されていません",
                f"team '{key.team}' is not defined under teams",
            )
        if key.sha256 in hashes:
            flag(
                ("auth", "keys", index, "sha256"),
                f"同じキーが auth.keys[{hashes[key.sha256]}] にもあります",
                f"the same key is already in auth.keys[{hashes[key.sha256]}]",
            )
        else:
            hashes[key.sha256] = index


def _read_terms(path: Path) -> list[str]:
    from proxy.policy.dictionaries import load_terms

    return list(load_terms(path))


def _load_dictionaries(
    document: PolicyDocument, base_dir: Path, flag: Flag
) -> dict[KeyPath, tuple[str, ...]]:
    """Terms per dictionary entry, keyed by the entry's key path."""
    entries: list[tuple[KeyPath, DictionaryPolicy]] = [
        (("dictionaries", i), d) for i, d in enumerate(document.dictionaries)
    ]
    for name, team in document.teams.items():
        entries.extend(
            (("teams", name, "dictionaries", i), d) for i, d in enumerate(team.dictionaries)
        )
    loaded: dict[KeyPath, tuple[str, ...]] = {}
    cache: dict[Path, tuple[str, ...]] = {}
    for path, entry in entries:
        file = Path(entry.file)
        resolved = file if file.is_absolute() else base_dir / file
        if resolved not in cache:
            if not resolved.is_file():
                flag(
                    (*path, "file"),
                    f"辞書ファイルが見つかりません: {resolved}",
                    f"dictionary file not found: {resolved}",
                )
                continue
            try:
                cache[resolved] = tuple(_read_terms(resolved))
            except UnicodeDecodeError:
                flag(
                    (*path, "file"),
                    f"辞書ファイルを UTF-8 で保存してください: {resolved}",
                    f"save the dictionary file as UTF-8: {resolved}",
                )
                continue
            except (OSError, ValueError) as exc:
                flag(
                    (*path, "file"),
                    f"辞書ファイルを読めません: {resolved}（{exc}）",
                    f"cannot read the dictionary file {resolved}: {exc}",
                )
                continue
        loaded[path] = cache[resolved]
    return loaded


def _dictionary_actions(
    entries: Iterable[tuple[KeyPath, DictionaryPolicy]],
    entities: Mapping[str, EntityPolicy],
    flag: Flag,
) -> dict[str, Action]:
    actions: dict[str, tuple[Action, KeyPath]] = {}
    for path, entry in entries:
        if entry.action is None:
            continue
        wanted = Action(entry.action)
        written = entities.get(entry.entity_type)
        if written is not None and written.action is not None and written.action != entry.action:
            flag(
                (*path, "action"),
                f"{entry.entity_type} の action が entities の '{written.action}' と食い違います",
                f"{entry.entity_type} action conflicts with '{written.action}' under entities",
            )
            continue
        earlier = actions.get(entry.entity_type)
        if earlier is not None and earlier[0] != wanted:
            flag(
                (*path, "action"),
                f"{entry.entity_type} の action が {_dotted(earlier[1])} と食い違います",
                f"{entry.entity_type} action conflicts with {_dotted(earlier[1])}",
            )
            continue
        actions[entry.entity_type] = (wanted, path)
    return {name: action for name, (action, _) in actions.items()}


def _apply(
    table: dict[str, ResolvedEntity],
    entities: Mapping[str, EntityPolicy],
    dictionary_actions: Mapping[str, Action],
) -> None:
    for name, action in dictionary_actions.items():
        table[name] = _replace(table[name], action=action)
    for name, rule in entities.items():
        current = table[name]
        table[name] = ResolvedEntity(
            action=Action(rule.action) if rule.action is not None else current.action,
            threshold=rule.threshold if rule.threshold is not None else current.threshold,
            context=tuple(rule.context) if rule.context is not None else current.context,
            allow_list=(
                tuple(rule.allow_list) if rule.allow_list is not None else current.allow_list
            ),
        )


def _ignore(path: KeyPath, ja: str, en: str) -> None:
    return None


def _replace(entity: ResolvedEntity, *, action: Action) -> ResolvedEntity:
    return ResolvedEntity(action, entity.threshold, entity.context, entity.allow_list)


def _resolve(
    document: PolicyDocument,
    team_name: str | None,
    terms: Mapping[KeyPath, tuple[str, ...]],
    flag: Flag,
) -> _Scope:
    team: TeamPolicy | None = None
    base_entries: list[tuple[KeyPath, DictionaryPolicy]] = [
        (("dictionaries", i), d) for i, d in enumerate(document.dictionaries)
    ]
    team_entries: list[tuple[KeyPath, DictionaryPolicy]] = []
    if team_name is not None:
        team = document.teams[team_name]
        team_entries = [
            (("teams", team_name, "dictionaries", i), d) for i, d in enumerate(team.dictionaries)
        ]

    table = {
        name: ResolvedEntity(DEFAULT_ACTIONS.get(name, UNLISTED_ACTION), DEFAULT_THRESHOLD, (), ())
        for name in _defined_types(document)
    }
    # Only report base-level conflicts once, while resolving the top level.
    base_flag: Flag = flag if team is None else _ignore
    _apply(
        table, document.entities, _dictionary_actions(base_entries, document.entities, base_flag)
    )
    if team is not None:
        _apply(table, team.entities, _dictionary_actions(team_entries, team.entities, flag))

    merged: dict[str, list[str]] = {}
    infos: list[DictionaryInfo] = []
    for path, entry in [*base_entries, *team_entries]:
        found = terms.get(path, ())
        bucket = merged.setdefault(entry.entity_type, [])
        bucket.extend(t for t in found if t not in bucket)
        infos.append(DictionaryInfo(entry.entity_type, entry.file, len(found)))

    # "allow" means the scanner need not look for it at all.
    active = {name: rule for name, rule in table.items() if rule.action is not Action.ALLOW}
    settings = DetectionSettings(
        entities={
            name: EntitySettings(rule.threshold, rule.context, rule.allow_list)
            for name, rule in sorted(active.items())
        },
        custom_patterns=tuple(
            CustomPattern(p.name, p.entity_type, p.regex, p.score, tuple(p.context), p.validator)
            for p in document.custom_patterns
            if p.entity_type in active
        ),
        dictionaries={
            name: tuple(found) for name, found in sorted(merged.items()) if name in active and found
        },
        mode=(
            team.detection_mode
            if team is not None and team.detection_mode is not None
            else document.detection_mode
        ),
    )
    mode = team.mode if team is not None and team.mode is not None else document.mode
    return _Scope(
        mode=mode,
        detection_mode=settings.mode,
        entities=dict(sorted(table.items())),
        dictionaries=tuple(infos),
        settings=settings,
    )


# -- describe -------------------------------------------------------------------------------
_ACTION_WORDS: dict[Action, tuple[str, str]] = {
    Action.BLOCK: ("遮断", "block"),
    Action.MASK: (
        "マスク（置換して送信、応答で復元）",
        "mask (replaced before sending, restored in replies)",
    ),
    Action.MONITOR: ("記録のみ", "monitor (record only)"),
    Action.ALLOW: ("許可（検出しない）", "allow (not scanned)"),
}


def _entity_lines(entities: Mapping[str, ResolvedEntity]) -> Iterator[str]:
    for action in Action:
        chosen = [(n, r) for n, r in entities.items() if r.action is action]
        ja, en = _ACTION_WORDS[action]
        yield f"  {ja} / {en}: {len(chosen)}"
        for name, rule in chosen:
            info = describe_entity(name)
            extra = f"  しきい値 threshold {rule.threshold:g}" if action is not Action.ALLOW else ""
            if rule.allow_list:
                extra += f"  許可リスト allow_list {len(rule.allow_list)}"
            yield f"    - {name}  {info.ja} / {info.en}{extra}"


def _describe(policy: Policy, team: str | None) -> str:
    scope = policy._scope(team)
    doc = policy.document
    title = (
        f"チーム {team} / team {team}"
        if team is not None
        else "既定（チーム指定なし）/ default (no team)"
    )
    mode = (
        "監視のみ：すべて転送し、遮断・マスクすべきものを記録 / monitor: forward everything, "
        "record would_block / would_mask"
        if scope.mode == "monitor"
        else "適用：遮断・マスクを実行 / enforce: block and mask as below"
    )
    parts = {"block": ("遮断", "block"), "allow": ("許可", "allow")}
    lines = [
        f"[{title}]",
        f"  モード / mode: {mode}",
        f"  検出モード / detection mode: {scope.detection_mode}",
        *_entity_lines(scope.entities),
    ]
    if scope.dictionaries:
        lines.append("  辞書 / dictionaries:")
        for d in scope.dictionaries:
            lines.append(f"    - {d.entity_type}: {d.file}  {d.terms} 語 / {d.terms} terms")
    else:
        lines.append("  辞書 / dictionaries: なし / none")
    if doc.custom_patterns:
        lines.append("  独自パターン / custom patterns:")
        for p in doc.custom_patterns:
            lines.append(
                f"    - {p.name} -> {p.entity_type}  score {p.score:g}"
                + (f"  validator {p.validator}" if p.validator else "")
            )
    nt_ja, nt_en = parts[doc.non_text_parts]
    ss_ja, ss_en = parts[doc.server_state]
    lines.append(f"  画像・ファイル・音声 / non-text parts: {nt_ja} / {nt_en}")
    lines.append(f"  サーバー側の会話状態 / server-side state: {ss_ja} / {ss_en}")
    return "\n".join(lines)
