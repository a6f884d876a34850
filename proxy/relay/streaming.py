"""Putting real values back into upstream answers: SSE streams (through the handler the
request's Shape picks, proxy.relay.stream_handlers) and whole JSON bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.sse import SSEEvent, SSEParser, encode
from proxy.relay.stream_handlers import StreamHandler, restore_tree

if TYPE_CHECKING:
    from proxy.relay.shapes.base import Shape

__all__ = ["StreamRewriter", "restore_json_body", "stream_rewriter"]

Json = Any


class StreamRewriter:
    """Rewrites one streamed response; feed upstream bytes, send what comes back at once."""

    def __init__(self, handler: StreamHandler, mapping: PlaceholderMap) -> None:
        self._handler = handler
        # Decided once: with nothing to restore the bytes go through untouched.
        self._passthrough = not mapping
        self._parser = SSEParser()
        self._closed = False

    def feed(self, chunk: bytes) -> bytes:
        """Rewrite ``chunk``; may return less (held back) or more (released) than it got."""
        if self._passthrough:
            return chunk
        return self._emit(self._parser.feed(chunk))

    def close(self) -> bytes:
        """End of the upstream stream: everything still parsed or held, in order."""
        if self._passthrough or self._closed:
            return b""
        self._closed = True
        out = self._emit(self._parser.close())
        return out + b"".join(encode(e) for e in self._handler.finish())

    def _emit(self, events: list[SSEEvent]) -> bytes:
        out: list[bytes] = []
        for event in events:
            try:
                out.extend(encode(e) for e in self._handler.on_event(event))
            except RecursionError:
                # Nested deeper than the stack (no real event is): passed on unrestored,
                # which shows placeholders, never a value.
                out.append(encode(event))
        return b"".join(out)


def stream_rewriter(shape: Shape, mapping: PlaceholderMap) -> StreamRewriter:
    """A rewriter for one streamed answer on ``shape``'s route (the shape picks the handler)."""
    return StreamRewriter(shape.stream_handler(mapping), mapping)


def restore_json_body(shape: Shape, body: Json, mapping: PlaceholderMap) -> Json:
    """A non-streamed JSON answer with every string restored (``arguments`` JSON-escaped)."""
    if not mapping or not shape.restores_answer:
        return body
    return restore_tree(body, mapping)
