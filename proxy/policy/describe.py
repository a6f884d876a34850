"""``check-config``'s plain-language summary of what a policy does, per team."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from detectors.entities import describe as describe_entity
from proxy.policy.schema import Action

if TYPE_CHECKING:
    from proxy.policy.model import Policy, ResolvedEntity


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


def describe_policy(policy: Policy, team: str | None) -> str:
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
