"""Errors the proxy answers with itself: each carries its HTTP status and a stable reason code.

The code is the same string in the HTTP error body, the log line and the metric label.
Messages are fixed texts: they never contain any part of the request body.
"""

from __future__ import annotations


class ProxyError(Exception):
    """A request the proxy refuses on its own; ``status`` is what the client gets."""

    default_status = 500

    def __init__(
        self,
        code: str,
        message_ja: str,
        message_en: str,
        status: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en
        self.status = self.default_status if status is None else status


class BadRequest(ProxyError):
    """The body is malformed or has a shape we refuse to forward (400)."""

    default_status = 400


class PayloadTooLarge(ProxyError):
    """The body, or the text extracted from it, is over a configured bound (413)."""

    default_status = 413


class UnsupportedMediaType(ProxyError):
    """The body's encoding or content type is one we do not parse (415)."""

    default_status = 415
