"""Loading a policy: read, compose with marks, validate, check what the schema cannot
(references between parts), load dictionaries, then resolve the layers per team
(proxy.policy.resolve)."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import ValidationError

from proxy.policy.issues import PolicyError, PolicyIssue
from proxy.policy.marks import Flag, KeyPath, compose, dotted
from proxy.policy.messages import nearest_spot, validation_issues
from proxy.policy.model import Policy
from proxy.policy.resolve import defined_types, resolve_scope
from proxy.policy.salvage import salvage
from proxy.policy.schema import MAX_POLICY_BYTES, DictionaryPolicy, EntityPolicy, PolicyDocument


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
    data, spots = compose(text, source)
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
    issues: list[PolicyIssue] = []

    def flag(path: KeyPath, ja: str, en: str) -> None:
        spot = nearest_spot(spots, path)
        issues.append(PolicyIssue(source, spot.line, spot.column, dotted(path), ja, en))

    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as exc:
        # Report every error in one run: what the schema finds, then what the checks below
        # find in the rest of the file.
        issues.extend(validation_issues(exc, data, spots, source))
        rest = salvage(data, exc)
        if rest is not None:
            _semantic_issues(rest.document, rest.flag(flag), _written_types(data))
            _load_dictionaries(rest.document, base_dir, rest.flag(flag))
        raise PolicyError(issues) from None

    _semantic_issues(document, flag)
    terms = _load_dictionaries(document, base_dir, flag)
    if issues:
        raise PolicyError(issues)

    default = resolve_scope(document, None, terms, flag)
    teams = {name: resolve_scope(document, name, terms, flag) for name in document.teams}
    if issues:
        raise PolicyError(issues)
    return Policy(document=document, source=source, digest=digest, _default=default, _teams=teams)


def _written_types(data: object) -> set[str]:
    """Entity types a file defines, read from the raw data (parts of it may be invalid)."""
    found: set[str] = set()
    if not isinstance(data, dict):
        return found
    holders = [data, *(t for t in (data.get("teams") or {}).values() if isinstance(t, dict))]
    for holder in holders:
        for key in ("custom_patterns", "dictionaries"):
            items = holder.get(key)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("entity_type"), str):
                    found.add(item["entity_type"])
    return found


def _semantic_issues(
    document: PolicyDocument, flag: Flag, also_defined: Iterable[str] = ()
) -> None:
    known = defined_types(document) | set(also_defined)

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
