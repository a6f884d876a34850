"""The policy's value types: strings and numbers with validators that explain themselves
(a regex that could backtrack without bound is refused), each with its JSON schema."""

from __future__ import annotations

import ipaddress
import re
import re._parser as sre_parse  # the stdlib's own regex parser; used read-only
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, WithJsonSchema

from proxy.policy.issues import custom_error

TEAM_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
ENTITY_TYPE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,47}$")
ENV_NAME_RE = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
HEADER_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")
# "default" is the metric label and audit name of requests without a team.
RESERVED_TEAM_NAMES = frozenset({"default"})


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
