"""The runner both listeners are served by: aiohttp's, except that a request aiohttp's own
parser refuses (bad Content-Length, a wrong chunk size, an invalid header) or a handler
that crashes is answered and logged without the request's bytes.

aiohttp puts the offending bytes into the exception message, and so into its log line
(``Error handling request``, with the traceback) and into the plain-text 400 it sends
back: a prompt sent with a broken Content-Length landed in the log in clear text. Here
the log line names the exception class, the status and the peer; a crash keeps its stack
frames (code, not data) but never the exception's message; the answer is our JSON error.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from aiohttp import web, web_protocol, web_server

from proxy.edge.error_response import error_response, guess_family

__all__ = ["GuardRunner", "safe_exception_text"]

_BAD_HTTP = (
    "リクエストを HTTP として読み取れません。/ The request is not valid HTTP.",
    "bad_http",
)
_INTERNAL = (
    "内部エラーが発生しました。/ An internal error occurred.",
    "internal_error",
)


def safe_exception_text(exc: BaseException | None) -> str:
    """The exception's class and stack frames, never its message (it may hold data)."""
    if exc is None:
        return ""
    frames = "".join(traceback.format_tb(exc.__traceback__)) if exc.__traceback__ else ""
    return f"{type(exc).__module__}.{type(exc).__qualname__}" + (f"\n{frames}" if frames else "")


def _exc_of(kw: dict[str, Any]) -> BaseException | None:
    info = kw.pop("exc_info", None)
    if isinstance(info, BaseException):
        return info
    if isinstance(info, tuple) and len(info) == 3 and isinstance(info[1], BaseException):
        return info[1]
    return None


class _GuardRequestHandler(web_protocol.RequestHandler):
    def log_exception(self, *args: Any, **kw: Any) -> None:
        self._log_safely(logging.ERROR, args, kw)

    def log_debug(self, *args: Any, **kw: Any) -> None:
        if self.debug:
            self._log_safely(logging.DEBUG, args, kw)

    def _log_safely(self, level: int, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
        exc = _exc_of(kw)
        # aiohttp's own messages ("Unhandled exception", "Error handling request from %s")
        # carry only the peer address as an argument; the exception is what holds data.
        text = str(args[0]) % args[1:] if args else ""
        if exc is not None:
            text += ": " + safe_exception_text(exc)
        self.logger.log(level, "%s", text)

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if status >= 500:
            self.logger.error(
                "internal error answering %s: %s", request.remote, safe_exception_text(exc)
            )
        else:
            name = type(exc).__name__ if exc is not None else "?"
            self.logger.warning(
                "refused a request from %s that is not valid HTTP (%s, %d)",
                request.remote,
                name,
                status,
            )
        if request.writer.output_size > 0:
            raise ConnectionError("the response had started; cannot send an error")
        text, code = _INTERNAL if status >= 500 else _BAD_HTTP
        try:
            family = guess_family(request.path, request)
        except Exception:  # a request the parser gave up on may lack even a path
            family = "openai"
        response = error_response(family, status, code, text, "req_unparsed")
        response.force_close()
        return response


class _GuardServer(web_server.Server):
    def __call__(self) -> web_protocol.RequestHandler:
        return _GuardRequestHandler(self, loop=self._loop, **self._kwargs)


class GuardRunner(web.AppRunner):
    """``web.AppRunner`` whose connections use the handler above."""

    async def _make_server(self) -> web_server.Server:
        plain = await super()._make_server()
        return _GuardServer(
            plain.request_handler,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            loop=plain._loop,
            **plain._kwargs,
        )
