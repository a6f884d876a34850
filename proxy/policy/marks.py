"""YAML with marks: the document as plain data plus the line and column of every key,
so a pydantic error can point at the file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from proxy.policy.issues import PolicyError, PolicyIssue
from proxy.policy.schema import MAX_YAML_NODES

# -- YAML with marks ------------------------------------------------------------------------
KeyPath = tuple[str | int, ...]
Flag = Callable[[KeyPath, str, str], None]  # reports one problem at a key path


@dataclass(frozen=True, slots=True)
class Spot:
    line: int
    column: int


class _YamlProblem(Exception):
    def __init__(self, issues: list[tuple[KeyPath, Spot, str, str]]) -> None:
        super().__init__(issues)
        self.issues = issues


class _MarkedBuilder:
    """Builds plain data from a composed YAML tree, remembering where each key was."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.spots: dict[KeyPath, Spot] = {}
        self.problems: list[tuple[KeyPath, Spot, str, str]] = []
        self._nodes = 0
        self._stack: set[int] = set()

    @staticmethod
    def spot(node: yaml.Node) -> Spot:
        return Spot(node.start_mark.line + 1, node.start_mark.column + 1)

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


def compose(text: str, source: str) -> tuple[Any, dict[KeyPath, Spot]]:
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
            spot = Spot(mark.line + 1, mark.column + 1) if mark else Spot(1, 1)
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
                PolicyIssue(source, s.line, s.column, dotted(p), ja, en)
                for p, s, ja, en in builder.problems
            )
        return data, builder.spots
    finally:
        loader.dispose()


def dotted(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
