"""Generic body walk shared by every shape: list every readable leaf, and write text back.

The walk is deny-by-default: every string leaf is a segment unless a family's closed
``WalkRules`` say it is structural or a binary payload. Unknown fields and unknown part
types are therefore scanned as plain strings, never skipped.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from proxy.errors import BadRequest
from proxy.relay.body import loads_strict
from proxy.relay.shapes.base import (
    JSON_MARK,
    KEY_MARK,
    KNOWN_KEYS,
    Path,
    Segment,
    WalkRules,
    escape_key,
)

if TYPE_CHECKING:
    from proxy.relay.shapes.files import FilePart

# parse_json_body caps depth at 64 and embedded JSON adds at most 64 more; anything
# deeper came from somewhere else and is refused rather than recursed into.
MAX_WALK_DEPTH = 160
EMBEDDED_MAX_DEPTH = 64


class ReplacementError(ValueError):
    """A replacement path does not name a segment of this body (a caller bug)."""


class KeyCollision(BadRequest, ReplacementError):
    """Masking two keys of one object gave the same name (400, not a caller bug): the
    body cannot be rewritten without losing one of them, so it is refused."""

    def __init__(self) -> None:
        super().__init__(
            "masked_key_collision",
            "伏せ字にしたキー名が同じオブジェクトの別のキーと重なるため、送信を止めました。"
            "キー名を変えてから、もう一度送ってください。",
            "Masking a key name made it equal to another key of the same object; rename the "
            "key and send again.",
        )


def too_deep() -> BadRequest:
    return BadRequest("too_deep", "JSON の入れ子が深すぎます。", "JSON nesting is too deep.")


def parse_embedded(text: str) -> dict[str, Any] | list[Any] | None:
    """The container held in a JSON-string field, or None when it must be scanned raw."""
    try:
        value = loads_strict(text, max_depth=EMBEDDED_MAX_DEPTH)
    except BadRequest:
        return None
    # A bare number or string is read by the model as the raw text: keep it one segment.
    return value if isinstance(value, (dict, list)) else None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Walker:
    def __init__(self, rules: WalkRules) -> None:
        self.rules = rules
        self.out: list[Segment] = []

    def walk(
        self,
        value: Any,
        path: Path,
        key: str | None,
        role: str | None,
        data: bool,
        binary: bool,
        depth: int,
    ) -> None:
        if depth > MAX_WALK_DEPTH:
            raise too_deep()
        rules = self.rules
        if isinstance(value, dict):
            if not data:
                if isinstance(value.get("role"), str):
                    role = value["role"]
                part_type = value.get("type")
                if isinstance(part_type, str) and part_type in rules.binary_types:
                    binary = True
            for child_key, child in value.items():
                element = escape_key(child_key)
                if child_key not in KNOWN_KEYS:
                    self.out.append(Segment((*path, KEY_MARK, element), child_key, role))
                if not data and child_key in rules.structural_keys:
                    continue
                child_role = rules.role_keys.get(child_key, role) if not path else role
                self.walk(
                    child,
                    (*path, element),
                    child_key,
                    child_role,
                    data or child_key in rules.data_keys,
                    binary,
                    depth + 1,
                )
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.walk(item, (*path, index), key, role, data, binary, depth + 1)
        elif isinstance(value, str):
            if binary and not data and self._is_payload(key, value):
                return
            if key in rules.json_string_keys:
                embedded = parse_embedded(value)
                if embedded is not None:
                    self.walk(embedded, (*path, JSON_MARK), None, role, True, False, depth + 1)
                    return
            self.out.append(Segment(path, value, role))
        elif _is_number(value) and (data or key not in KNOWN_KEYS):
            # Inside tool inputs and schemas numbers are read by the model (an enum of
            # card numbers, an order id); masking turns them into strings.
            self.out.append(Segment(path, json.dumps(value), role))

    def _is_payload(self, key: str | None, value: str) -> bool:
        if key in self.rules.binary_keys:
            return True
        return key in self.rules.url_keys and value[:5].lower() == "data:"


def walk_segments(
    body: dict[str, Any], rules: WalkRules, *, role: str | None = None
) -> list[Segment]:
    """Every readable leaf of ``body`` in document order."""
    walker = _Walker(rules)
    walker.walk(body, (), None, role, False, False, 0)
    return walker.out


def part_dicts(body: dict[str, Any], rules: WalkRules) -> Iterator[dict[str, Any]]:
    """Every object of the API envelope (not inside free-form data), depth first."""
    stack: list[tuple[Any, int]] = [(body, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_WALK_DEPTH:
            raise too_deep()
        if isinstance(value, dict):
            yield value
            children = [
                v
                for k, v in value.items()
                if k not in rules.structural_keys and k not in rules.data_keys
            ]
        elif isinstance(value, list):
            children = list(value)
        else:
            continue
        stack.extend((child, depth + 1) for child in reversed(children))


class _Node:
    __slots__ = ("children", "text")

    def __init__(self) -> None:
        self.children: dict[Any, _Node] = {}
        self.text: str | None = None


def _trie(replacements: Mapping[Path, str]) -> _Node:
    root = _Node()
    for path, text in replacements.items():
        if not isinstance(text, str) or not path:
            raise ReplacementError("replacement must be a string at a non-empty path")
        node = root
        for element in path:
            node = node.children.setdefault(element, _Node())
        node.text = text
    return root


def _rebuild(value: Any, node: _Node, depth: int) -> Any:
    if depth > MAX_WALK_DEPTH:
        raise too_deep()
    if not node.children:
        if node.text is not None and (isinstance(value, str) or _is_number(value)):
            return node.text
        raise ReplacementError("replacement path does not end at a string or number")
    if node.text is not None:
        raise ReplacementError("replacement path is both a leaf and a container")
    if isinstance(value, dict):
        return _rebuild_dict(value, node, depth)
    if isinstance(value, list):
        pending = dict(node.children)
        items = []
        for index, item in enumerate(value):
            child = pending.pop(index, None)
            items.append(copy.deepcopy(item) if child is None else _rebuild(item, child, depth + 1))
        if pending:
            raise ReplacementError("replacement path names a missing list index")
        return items
    if isinstance(value, str) and set(node.children) == {JSON_MARK}:
        embedded = parse_embedded(value)
        if embedded is None:
            raise ReplacementError("replacement path enters a string that is not JSON")
        rebuilt = _rebuild(embedded, node.children[JSON_MARK], depth + 1)
        return json.dumps(rebuilt, ensure_ascii=False, allow_nan=False)
    raise ReplacementError("replacement path does not match the body")


def _rebuild_dict(value: dict[str, Any], node: _Node, depth: int) -> dict[str, Any]:
    renames: dict[Any, str] = {}
    key_node = node.children.get(KEY_MARK)
    if key_node is not None:
        for element, leaf in key_node.children.items():
            if leaf.children or leaf.text is None:
                raise ReplacementError("key replacement must be a leaf")
            renames[element] = leaf.text
    pending = {k: v for k, v in node.children.items() if k != KEY_MARK}
    out: dict[str, Any] = {}
    for key, child_value in value.items():
        element = escape_key(key)
        child = pending.pop(element, None)
        new_value = (
            copy.deepcopy(child_value) if child is None else _rebuild(child_value, child, depth + 1)
        )
        out[renames.pop(element, key)] = new_value
    if pending or renames:
        raise ReplacementError("replacement path names a missing key")
    if len(out) != len(value):
        raise KeyCollision()
    return out


def apply_replacements(
    body: dict[str, Any], replacements: Mapping[Path, str], allowed: set[Path]
) -> dict[str, Any]:
    """A new body with each segment path's text replaced; nothing else changes.

    Only paths in ``allowed`` (the body's segment paths) may be written, so structural
    fields such as ``model`` or ``tool_call_id`` can never be rewritten by accident.
    """
    for path in replacements:
        if path not in allowed:
            raise ReplacementError("replacement path is not a segment of this body")
    if not replacements:
        return copy.deepcopy(body)
    result = _rebuild(body, _trie(replacements), 0)
    if not isinstance(result, dict):
        raise ReplacementError("replacement changed the top level")
    return result


class RuleShape:
    """Base for shapes driven by ``WalkRules``: subclasses add validation and state checks."""

    family: Any
    rules: WalkRules
    # part ``type`` -> kind ("image", "file", "audio") reported by non_text_parts
    non_text_types: Mapping[str, str] = {}
    restores_answer = True

    def __init__(self, route: str) -> None:
        self.route = route

    def validate(self, body: dict[str, Any]) -> None:
        """Raise BadRequest for shapes the upstream would reject anyway."""

    def segments(self, body: dict[str, Any]) -> list[Segment]:
        self.validate(body)
        return walk_segments(body, self.rules)

    def non_text_kind(self, part: dict[str, Any]) -> str | None:
        part_type = part.get("type")
        return self.non_text_types.get(part_type) if isinstance(part_type, str) else None

    def non_text_parts(self, body: dict[str, Any]) -> list[str]:
        kinds: list[str] = []
        parts = list(part_dicts(body, self.rules))
        # The source object of an inline file is read with the file (an attachment), not
        # reported again as stray binary content.
        sources = {
            id(part["source"])
            for part in parts
            if isinstance(part.get("source"), dict) and self.file_payload(part) is not None
        }
        for part in parts:
            if id(part) in sources:
                continue
            kind = self.non_text_kind(part)
            if kind is not None and kind not in kinds:
                kinds.append(kind)
        return kinds

    def server_state(self, body: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for part in part_dicts(body, self.rules):
            if part.get("file_id") is not None and "file_id" not in found:
                found.append("file_id")
        return found

    def apply(self, body: dict[str, Any], replacements: Mapping[Path, str]) -> dict[str, Any]:
        allowed = {segment.path for segment in self.segments(body)}
        return apply_replacements(body, replacements, allowed)

    # Inline files: none by default (the route takes no files; its file parts stay
    # non-text content, refused by policy).
    def file_payload(self, part: dict[str, Any]) -> tuple[str, str | None] | None:
        return None

    def file_parts(self, body: dict[str, Any]) -> list[FilePart]:
        from proxy.relay.shapes.files import file_parts

        return file_parts(body, self.rules, self.file_payload)

    def text_part(self, text: str) -> dict[str, Any]:
        return {"type": "text", "text": text}

    def replace_parts(
        self, body: dict[str, Any], parts: Mapping[Path, dict[str, Any]]
    ) -> dict[str, Any]:
        from proxy.relay.shapes.files import replace_parts

        return replace_parts(body, parts)
