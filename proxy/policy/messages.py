"""Pydantic's errors translated into located, bilingual policy issues."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from proxy.policy.issues import PolicyIssue
from proxy.policy.marks import KeyPath, Spot, dotted
from proxy.policy.schema import (
    AuthPolicy,
    CredentialsPolicy,
    CustomPatternPolicy,
    DictionaryPolicy,
    EntityPolicy,
    LimitsPolicy,
    PolicyDocument,
    StaffKey,
    TeamPolicy,
    TrustedHeaderPolicy,
    UpstreamPolicy,
    UpstreamsPolicy,
)

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


def nearest_spot(spots: Mapping[KeyPath, Spot], path: KeyPath) -> Spot:
    for end in range(len(path), -1, -1):
        found = spots.get(path[:end])
        if found is not None:
            return found
    return Spot(1, 1)


def validation_issues(
    exc: ValidationError, data: Any, spots: Mapping[KeyPath, Spot], source: str
) -> list[PolicyIssue]:
    issues: list[PolicyIssue] = []
    for err in exc.errors():
        missing = err["type"] == "missing"
        path = _locate(data, err["loc"], missing)
        spot = nearest_spot(spots, path)
        shown: KeyPath = (*path, err["loc"][-1]) if missing and err["loc"] else path
        ja, en = _translate(err)
        issues.append(PolicyIssue(source, spot.line, spot.column, dotted(shown), ja, en))
    return issues
