"""What is left of a policy once its schema errors are cut out, so that one run of
check-config also reports the errors found after the schema (unknown entity types,
duplicate names, missing dictionary files, teams nobody defined).

The salvaged document is only ever used to look for more errors, never loaded.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from proxy.policy.marks import Flag, KeyPath
from proxy.policy.messages import _locate
from proxy.policy.schema import PolicyDocument

MAX_ROUNDS = 20  # each round cuts at least one part; a policy has few nesting levels


@dataclass
class Salvage:
    document: PolicyDocument
    # list path (as in the cut data) -> original index of each remaining item
    kept: dict[KeyPath, list[int]] = field(default_factory=dict)

    def original(self, path: KeyPath) -> KeyPath:
        """A key path of the salvaged document as a key path of the file."""
        out: list[str | int] = []
        for part in path:
            indices = self.kept.get(tuple(out))
            if isinstance(part, int) and indices is not None and 0 <= part < len(indices):
                part = indices[part]
            out.append(part)
        return tuple(out)

    def flag(self, flag: Flag) -> Flag:
        """``flag`` for paths of the salvaged document."""

        def remapped(path: KeyPath, ja: str, en: str) -> None:
            flag(self.original(path), ja, en)

        return remapped


def _cut(data: Any, path: KeyPath, kept: dict[KeyPath, list[int]]) -> bool:
    """Remove the part at ``path``; False if that would remove the whole document."""
    if not path:
        return False
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    last = path[-1]
    if isinstance(holder, list) and isinstance(last, int) and 0 <= last < len(holder):
        indices = kept.setdefault(path[:-1], list(range(len(holder))))
        del holder[last]
        del indices[last]
        return True
    if isinstance(holder, dict) and last in holder:
        del holder[last]
        return True
    return False


def salvage(data: Any, first: ValidationError) -> Salvage | None:
    """Cut every part that fails the schema (and parents left without a required field)
    until the rest validates; None if nothing sensible is left."""
    work = copy.deepcopy(data)
    kept: dict[KeyPath, list[int]] = {}
    error: ValidationError = first
    for _ in range(MAX_ROUNDS):
        paths = set()
        for err in error.errors():
            # A missing field: the object holding it goes.
            paths.add(_locate(work, err["loc"], err["type"] == "missing"))
        # Deepest and highest index first, so earlier cuts do not move later ones.
        for path in sorted(paths, key=_order, reverse=True):
            if not _cut(work, path, kept):
                return None
        try:
            return Salvage(PolicyDocument.model_validate(work), kept)
        except ValidationError as again:
            error = again
    return None


def _order(path: KeyPath) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    # Indices and keys never compare with each other.
    parts = tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)
    return len(path), parts
