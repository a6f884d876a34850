"""Incremental Server-Sent Events parsing and writing, for streams that arrive in arbitrary chunks.

Follows the WHATWG event-stream rules (LF, CRLF or lone CR end a line; one leading space
after the colon is dropped; ``data`` lines join with LF) with two deliberate differences,
both so a proxy can pass a stream on faithfully: comment lines are kept as events, and a
block with only ``event``/``id``/``retry`` is dispatched even without ``data``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SSEEvent", "SSEParser", "SSEProtocolError", "encode"]

_LINE_END = re.compile(rb"\r\n|\r|\n")
_BOM = "\ufeff"
DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024


class SSEProtocolError(ValueError):
    """The stream cannot be parsed within bounds (a line longer than the limit)."""


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event; an event with only ``comment`` set is a keep-alive."""

    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None
    comment: str | None = None


def encode(event: SSEEvent) -> bytes:
    """Wire form of ``event``, LF-terminated and followed by the blank line that dispatches it."""
    lines: list[str] = []
    if event.event is not None:
        lines.append("event: " + event.event)
    if event.id is not None:
        lines.append("id: " + event.id)
    if event.retry is not None:
        lines.append(f"retry: {event.retry}")
    has_field = bool(lines)
    if event.data or not (has_field or event.comment is not None):
        lines.extend("data: " + part for part in event.data.split("\n"))
    if event.comment is not None:
        # After the fields, so a parser attaches it to this block instead of emitting it alone.
        lines.extend(":" + part for part in event.comment.split("\n"))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


class SSEParser:
    """Turns byte chunks into events; chunks may split lines and UTF-8 characters anywhere."""

    def __init__(self, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        self._buf = bytearray()
        self._scanned = 0
        self._max_line = max_line_bytes
        self._first_line = True
        self._reset_block()

    def _reset_block(self) -> None:
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None
        self._comments: list[str] = []
        self._has_field = False

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Parse ``chunk``; return the events it completed."""
        self._buf += chunk
        events: list[SSEEvent] = []
        pos = 0
        while True:
            match = _LINE_END.search(self._buf, max(pos, self._scanned))
            if match is None:
                break
            # A CR at the very end may be the first half of CRLF: wait for the next chunk.
            if match.group() == b"\r" and match.end() == len(self._buf):
                break
            self._line(bytes(self._buf[pos : match.start()]), events)
            pos = match.end()
        del self._buf[:pos]
        # What is left holds no line end (bar a trailing CR): later searches skip it.
        self._scanned = max(0, len(self._buf) - 1)
        if len(self._buf) > self._max_line:
            raise SSEProtocolError("SSE line exceeds the size limit")
        return events

    def close(self) -> list[SSEEvent]:
        """End of stream: complete an unterminated last line and a block without blank line."""
        events: list[SSEEvent] = []
        if self._buf:
            rest = bytes(self._buf).removesuffix(b"\r")
            self._buf.clear()
            self._scanned = 0
            self._line(rest, events)
        self._dispatch(events)
        return events

    def _line(self, raw: bytes, events: list[SSEEvent]) -> None:
        line = raw.decode("utf-8", errors="replace")
        if self._first_line:
            self._first_line = False
            line = line.removeprefix(_BOM)
        if not line:
            self._dispatch(events)
            return
        if line.startswith(":"):
            if self._has_field:
                self._comments.append(line[1:])
            else:
                # Outside a block it is a keep-alive: pass it on now, not with the next event.
                events.append(SSEEvent(comment=line[1:]))
            return
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" in value:
                return
            self._id = value
        elif name == "retry":
            if not value.isascii() or not value.isdigit():
                return
            self._retry = int(value)
        else:
            return
        self._has_field = True

    def _dispatch(self, events: list[SSEEvent]) -> None:
        if self._has_field:
            events.append(
                SSEEvent(
                    event=self._event,
                    data="\n".join(self._data),
                    id=self._id,
                    retry=self._retry,
                    comment="\n".join(self._comments) if self._comments else None,
                )
            )
        self._reset_block()
