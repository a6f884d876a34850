"""Error bodies in each API's own shape, so SDKs raise their usual exceptions.

OpenAI: ``{"error": {"message", "type", "param", "code"}}``.
Anthropic: ``{"type": "error", "error": {"type", "message"}}``.
"""

from __future__ import annotations

import functools
import json

from aiohttp import web

from proxy.vocabulary import Family

_OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    502: "server_error",
    503: "server_error",
    504: "server_error",
}
_ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "request_too_large",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    502: "api_error",
    503: "overloaded_error",
    504: "api_error",
}


def error_response(
    family: Family,
    status: int,
    code: str,
    message: str,
    request_id: str,
    *,
    retry_after: int | None = None,
) -> web.Response:
    if family == "anthropic":
        body: dict[str, object] = {
            "type": "error",
            "error": {"type": _ANTHROPIC_TYPES.get(status, "api_error"), "message": message},
            "request_id": request_id,
        }
    else:
        body = {
            "error": {
                "message": message,
                "type": _OPENAI_TYPES.get(status, "server_error"),
                "param": None,
                "code": code,
            }
        }
    headers = {"x-sekimori-request-id": request_id, "x-sekimori-reason": code}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    # Readable Japanese for curl users too; SDKs parse either form.
    return web.json_response(
        body,
        status=status,
        headers=headers,
        dumps=functools.partial(json.dumps, ensure_ascii=False),
    )


def guess_family(path: str, headers: web.BaseRequest | None = None) -> Family:
    """The error shape for a request we could not route: Anthropic if it looks like one."""
    if headers is not None:
        h = headers.headers
        if "anthropic-version" in h or "x-api-key" in h:
            return "anthropic"
    return "anthropic" if path.startswith("/v1/messages") else "openai"
