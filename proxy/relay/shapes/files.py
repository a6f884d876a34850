"""Inline files in a body: where each file part sits, what type it declares, its bytes.

Only inline data can be inspected: a data URL or base64 payload in the part itself. A
part that points elsewhere (``file_id``, an http(s) URL, an Anthropic ``url``/``file``
source) is not a file here; the shape reports it as non-text content or server-side state
and the policy refuses it as before. Base64 is decoded strictly: a payload that is not
clean base64, or a data URL that is not base64, is refused (nothing is guessed).
"""

from __future__ import annotations

import binascii
import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from proxy.errors import AttachmentDataError
from proxy.relay.shapes.base import Path, WalkRules
from proxy.relay.shapes.walk import MAX_WALK_DEPTH, ReplacementError, too_deep

# (the payload string, the declared media type) of an inline part, or None
Payload = tuple[str, str | None]
PayloadOf = Callable[[dict[str, Any]], Payload | None]


@dataclass(frozen=True, slots=True)
class FilePart:
    """One inline file: the path of its part object, its declared type, its bytes.

    ``number`` is its 1-based position among the request's files: messages name a file by
    its position, never by its file name (file names often hold names).
    """

    number: int
    path: Path
    media_type: str | None
    data: bytes


def part_paths(body: dict[str, Any], rules: WalkRules) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every object of the API envelope with its path (real keys), in document order."""
    stack: list[tuple[Path, Any]] = [((), body)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_WALK_DEPTH:
            raise too_deep()
        children: list[tuple[Path, Any]] = []
        if isinstance(value, dict):
            yield path, value
            children = [
                ((*path, k), v)
                for k, v in value.items()
                if k not in rules.structural_keys and k not in rules.data_keys
            ]
        elif isinstance(value, list):
            children = [((*path, i), v) for i, v in enumerate(value)]
        stack.extend(reversed(children))


def decode_data_url(value: str) -> Payload | None:
    """(base64 text, media type) of a ``data:`` URL, or None when ``value`` is not one."""
    if value[:5].lower() != "data:":
        return None
    header, comma, payload = value[5:].partition(",")
    params = header.split(";")
    if not comma or params[-1].strip().lower() != "base64":
        # No payload, or percent-encoding: the empty payload is refused as malformed.
        return ("", None)
    media_type = ";".join(params[:-1]).strip() or None
    return (payload, media_type)


def decode_base64(number: int, text: str) -> bytes:
    """Strict base64 (RFC 4648 alphabet, padding, no whitespace), or the 422 refusal."""
    try:
        data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise AttachmentDataError(number) from None
    if not data:
        raise AttachmentDataError(number)
    return data


def file_parts(body: dict[str, Any], rules: WalkRules, payload_of: PayloadOf) -> list[FilePart]:
    """Every inline file of ``body`` in document order, decoded."""
    found: list[FilePart] = []
    for path, part in part_paths(body, rules):
        payload = payload_of(part)
        if payload is None:
            continue
        number = len(found) + 1
        text, media_type = payload
        found.append(FilePart(number, path, media_type, decode_base64(number, text)))
    return found


def replace_parts(body: dict[str, Any], parts: Mapping[Path, dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``body`` with the part object at each path replaced."""
    out = copy.deepcopy(body)
    for path, part in parts.items():
        if not path:
            raise ReplacementError("a part path cannot be the whole body")
        parent: Any = out
        for element in path[:-1]:
            parent = parent[element]
        last = path[-1]
        if not isinstance(parent[last], dict):
            raise ReplacementError("a part path must name an object")
        parent[last] = part
    return out
