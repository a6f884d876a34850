"""Resolving a validated policy into scopes: the built-in defaults, then the top level,
then a team's overrides, per entity type; dictionaries merged; attachment rules per kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import cast

from detectors.entities import ENTITIES
from detectors.settings import DEFAULT_THRESHOLD, CustomPattern, DetectionSettings, EntitySettings
from proxy.policy.marks import Flag, KeyPath, dotted
from proxy.policy.model import (
    FILE_KINDS,
    AttachmentRules,
    DictionaryInfo,
    FileAction,
    FileKind,
    ResolvedEntity,
    Scope,
)
from proxy.policy.schema import (
    DEFAULT_ACTIONS,
    UNLISTED_ACTION,
    Action,
    DictionaryPolicy,
    EntityPolicy,
    PolicyDocument,
    TeamPolicy,
)


def defined_types(document: PolicyDocument) -> set[str]:
    """Every entity type the policy can name: the built-in ones and its own."""
    types = set(ENTITIES)
    types.update(p.entity_type for p in document.custom_patterns)
    types.update(d.entity_type for d in document.dictionaries)
    for team in document.teams.values():
        types.update(d.entity_type for d in team.dictionaries)
    return types


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
                f"{entry.entity_type} の action が {dotted(earlier[1])} と食い違います",
                f"{entry.entity_type} action conflicts with {dotted(earlier[1])}",
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


def resolve_scope(
    document: PolicyDocument,
    team_name: str | None,
    terms: Mapping[KeyPath, tuple[str, ...]],
    flag: Flag,
) -> Scope:
    """One scope (the top level, or a team over it): each entity's action, threshold and
    words, its dictionaries and its attachment rules; conflicts go to ``flag``."""
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
        for name in defined_types(document)
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
    return Scope(
        mode=mode,
        detection_mode=settings.mode,
        entities=dict(sorted(table.items())),
        dictionaries=tuple(infos),
        settings=settings,
        attachments=_attachment_rules(document, team),
    )


def _attachment_rules(document: PolicyDocument, team: TeamPolicy | None) -> AttachmentRules:
    """The top level's attachments, with the team's kinds and on_mask over them."""
    base = document.attachments
    override = team.attachments if team is not None else None
    actions: dict[FileKind, FileAction] = {}
    for kind in cast(tuple[FileKind, ...], FILE_KINDS):
        chosen = getattr(override, kind, None) if override is not None else None
        actions[kind] = chosen if chosen is not None else getattr(base, kind)
    on_mask = override.on_mask if override is not None and override.on_mask else base.on_mask
    return AttachmentRules(actions=actions, on_mask=on_mask)
