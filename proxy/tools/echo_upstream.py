"""A tiny stand-in for the OpenAI chat API that answers with what it received, so the
demo shows masking and restoring without any API key. It remembers the last body."""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

LAST_BODY = web.AppKey("last_body", list)
KEEP_BODIES = web.AppKey("keep_bodies", bool)


def _last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


async def _chat(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    if request.app[KEEP_BODIES]:
        request.app[LAST_BODY].append(body)
    answer = "受け取った内容: " + _last_user_text(body)
    created = int(time.time())
    if body.get("stream"):
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        for i in range(0, len(answer), 4):
            chunk = {
                "id": "chatcmpl-echo",
                "object": "chat.completion.chunk",
                "created": created,
                "model": body.get("model", "echo"),
                "choices": [
                    {"index": 0, "delta": {"content": answer[i : i + 4]}, "finish_reason": None}
                ],
            }
            await resp.write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")
        done = {
            "id": "chatcmpl-echo",
            "object": "chat.completion.chunk",
            "created": created,
            "model": body.get("model", "echo"),
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        await resp.write(b"data: " + json.dumps(done).encode() + b"\n\ndata: [DONE]\n\n")
        await resp.write_eof()
        return resp
    return web.json_response(
        {
            "id": "chatcmpl-echo",
            "object": "chat.completion",
            "created": created,
            "model": body.get("model", "echo"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": answer},
                }
            ],
            "usage": {
                "prompt_tokens": len(answer),
                "completion_tokens": len(answer),
                "total_tokens": 2 * len(answer),
            },
        }
    )


def create_echo_app(keep_bodies: bool = True) -> web.Application:
    app = web.Application()
    app[LAST_BODY] = []
    app[KEEP_BODIES] = keep_bodies
    app.router.add_post("/v1/chat/completions", _chat)
    return app
