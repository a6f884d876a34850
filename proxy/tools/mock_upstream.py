"""The one fake OpenAI / Anthropic upstream: it records requests and echoes the user text.

Answers use the wire formats the official ``openai`` and ``anthropic`` SDKs parse, so the
placeholders a proxy puts into a prompt come back in the answer, split into small deltas
when streamed. Tests, the demo, the benchmark and the soak script steer it through plain
attributes (see :class:`FakeUpstream`); ``sekimori mock-upstream`` (proxy.tools.mock_command)
runs it on its own, printing what each request carried, so ``make try`` needs no provider key.
What it reads from a request and the small pieces of its answers are in proxy.tools.mock_wire.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal

from aiohttp import web

from proxy.tools.mock_wire import (
    ANTHROPIC_ERRORS,
    ECHO_PREFIX,
    RecordedRequest,
    last_user_text,
    prompt_text,
    token_count,
    tool_name,
    usage_block,
)
from proxy.vocabulary import JsonObject, JsonValue

__all__ = ["ECHO_PREFIX", "FakeUpstream", "RecordedRequest", "prompt_text"]

Behaviour = Literal["echo", "tool_call"]
Event = tuple[str | None, JsonValue]  # (SSE event name, data object or "[DONE]")
Answer = Callable[[web.Request, JsonObject], Awaitable[web.StreamResponse]]


class _StopStream(Exception):
    """The stream is cut short on purpose (stall or reset) or the client went away."""


class FakeUpstream:
    """Loopback fake of both APIs.

    Knobs: ``behaviour`` ("echo" or "tool_call"), ``chunk_size`` (characters per delta),
    ``status`` (answer every call with this error status and the API's error JSON),
    ``retry_after`` (Retry-After header on errors), ``stall_seconds`` (wait before headers),
    ``delta_delay`` (seconds between deltas), ``stall_mid_stream`` (stop sending halfway and
    hang), ``reset_mid_stream`` (abort the connection halfway), ``prefix`` (put before every
    echoed text), ``record`` (keep requests in ``requests``; off for long runs), ``on_request``
    (called with each recorded request). ``client_disconnects`` counts streams the client
    abandoned; ``active_streams`` counts streams in progress. ``GET /healthz`` answers ``ok``.
    """

    def __init__(self) -> None:
        self.behaviour: Behaviour = "echo"
        self.prefix = ""
        self.record = True
        self.on_request: Callable[[RecordedRequest], None] | None = None
        self.chunk_size = 3
        self.status: int | None = None
        self.retry_after: str | None = None
        self.stall_seconds = 0.0
        self.delta_delay = 0.0
        self.stall_mid_stream = False
        self.reset_mid_stream = False
        self.requests: list[RecordedRequest] = []
        self.client_disconnects = 0
        self.active_streams = 0
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._app = web.Application(client_max_size=64 * 1024 * 1024)
        for method, path, answer in [
            ("POST", "/v1/chat/completions", self._chat),
            ("POST", "/v1/responses", self._responses),
            ("POST", "/v1/completions", self._completions),
            ("POST", "/v1/embeddings", self._embeddings),
            ("GET", "/v1/models", self._models),
            ("POST", "/v1/messages", self._messages),
            ("POST", "/v1/messages/count_tokens", self._count_tokens),
        ]:
            self._app.router.add_route(method, path, self._route(answer))
        self._app.router.add_get("/healthz", _healthz)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (by default on 127.0.0.1, a free port); return the base URL, no trailing slash."""
        self._runner = web.AppRunner(
            self._app, handle_signals=False, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        return f"http://{shown}:{bound_port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- plumbing ---------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    async def _record(self, request: web.Request) -> JsonObject:
        body = await request.read()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        headers = {k.lower(): v for k, v in request.headers.items()}
        query = dict(request.query)
        recorded = RecordedRequest(request.method, request.path, query, headers, body, parsed)
        if self.record:
            self.requests.append(recorded)
        if self.on_request is not None:
            self.on_request(recorded)
        return parsed if isinstance(parsed, dict) else {}

    def _route(self, answer: Answer) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """Record the request, apply the stall and forced-error knobs, then answer."""

        async def handle(request: web.Request) -> web.StreamResponse:
            body = await self._record(request)
            if self.stall_seconds and not await self._sleep(request, self.stall_seconds):
                return web.Response(status=499)  # nobody is listening any more
            if self.status is None:
                return await answer(request, body)
            headers = {"retry-after": self.retry_after} if self.retry_after is not None else {}
            message = f"fake upstream error {self.status}"
            body = {"error": {"message": message, "type": "fake_error", "code": "fake"}}
            if request.path.startswith("/v1/messages"):
                kind = ANTHROPIC_ERRORS.get(self.status, "api_error")
                body = {"type": "error", "error": {"type": kind, "message": message}}
            return web.json_response(body, status=self.status, headers=headers)

        return handle

    async def _sleep(self, request: web.Request, seconds: float) -> bool:
        """Sleep, watching the client; False if it went away meanwhile."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            transport = request.transport
            if transport is None or transport.is_closing():
                self.client_disconnects += 1
                return False
            await asyncio.sleep(min(0.02, max(0.0, deadline - time.monotonic())))
        return True

    async def _stream(
        self, request: web.Request, events: AsyncIterator[Event]
    ) -> web.StreamResponse:
        headers = {"content-type": "text/event-stream", "cache-control": "no-cache"}
        response = web.StreamResponse(headers=headers)
        if self.retry_after is not None:
            response.headers["retry-after"] = self.retry_after
        await response.prepare(request)
        self.active_streams += 1
        try:
            async for name, data in events:
                head = f"event: {name}\n" if name else ""
                payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
                await response.write(f"{head}data: {payload}\n\n".encode())
            await response.write_eof()
        except _StopStream:
            pass  # cut short on purpose; a client that left was counted where it was seen
        except ConnectionError:
            self.client_disconnects += 1
        finally:
            self.active_streams -= 1
        return response

    async def _deltas(self, request: web.Request, text: str) -> AsyncIterator[str]:
        """``text`` in ``chunk_size`` pieces, applying the pacing and mid-stream faults."""
        size = max(1, self.chunk_size)
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        half = max(1, len(pieces) // 2)
        for n, piece in enumerate(pieces):
            if n == half and self.reset_mid_stream and request.transport is not None:
                request.transport.abort()
                raise _StopStream
            if n == half and self.stall_mid_stream:
                await self._sleep(request, 3600.0)
                raise _StopStream
            if self.delta_delay and not await self._sleep(request, self.delta_delay):
                raise _StopStream
            yield piece

    # -- OpenAI -----------------------------------------------------------------------------

    async def _chat(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        text = self.prefix + last_user_text(body.get("messages"), ("text",))
        tool = self.behaviour == "tool_call"
        model, created = body.get("model", "fake-model"), int(time.time())
        base: JsonObject = {"id": self._id("chatcmpl-"), "created": created, "model": model}
        arguments = json.dumps({"text": text}, ensure_ascii=False)
        name = tool_name(body.get("tools"), nested=True)
        function: JsonObject = {"name": name}
        call: JsonObject = {"id": self._id("call_"), "type": "function", "function": function}
        usage = usage_block(body.get("messages"), text, "prompt_tokens", "completion_tokens")
        finish = "tool_calls" if tool else "stop"
        if not body.get("stream"):
            message: JsonObject = {"role": "assistant", "content": None if tool else text}
            if tool:
                message["tool_calls"] = [call]
                function["arguments"] = arguments
            choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            return web.json_response(
                {**base, "object": "chat.completion", "choices": [choice], "usage": usage}
            )

        def chunk(delta: JsonObject, finish: str | None = None) -> JsonObject:
            choice: JsonObject = {
                "index": 0,
                "delta": delta,
                "logprobs": None,
                "finish_reason": finish,
            }
            return {**base, "object": "chat.completion.chunk", "choices": [choice]}

        async def events() -> AsyncIterator[Event]:
            if tool:
                function["arguments"] = ""
                first: JsonObject = {**call, "index": 0}
                yield None, chunk({"role": "assistant", "tool_calls": [first]})
                async for piece in self._deltas(request, arguments):
                    delta: JsonObject = {
                        "tool_calls": [{"index": 0, "function": {"arguments": piece}}]
                    }
                    yield None, chunk(delta)
            else:
                yield None, chunk({"role": "assistant", "content": ""})
                async for piece in self._deltas(request, text):
                    yield None, chunk({"content": piece})
            yield None, chunk({}, finish)
            options = body.get("stream_options")
            if isinstance(options, dict) and options.get("include_usage"):
                yield None, {**chunk({}), "choices": [], "usage": usage}
            yield None, "[DONE]"

        return await self._stream(request, events())

    async def _completions(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        prompt = body.get("prompt", "")
        text = self.prefix + (
            str(prompt[-1]) if isinstance(prompt, list) and prompt else str(prompt)
        )
        model, created = body.get("model", "fake-model"), int(time.time())
        base: JsonObject = {
            "id": self._id("cmpl-"),
            "object": "text_completion",
            "created": created,
        }

        def answer(piece: str, finish: str | None) -> JsonObject:
            choice: JsonObject = {
                "index": 0,
                "text": piece,
                "logprobs": None,
                "finish_reason": finish,
            }
            return {**base, "model": model, "choices": [choice]}

        if not body.get("stream"):
            usage = usage_block(prompt, text, "prompt_tokens", "completion_tokens")
            return web.json_response({**answer(text, "stop"), "usage": usage})

        async def events() -> AsyncIterator[Event]:
            async for piece in self._deltas(request, text):
                yield None, answer(piece, None)
            yield None, answer("", "stop")
            yield None, "[DONE]"

        return await self._stream(request, events())

    async def _responses(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        raw = body.get("input", "")
        text = raw if isinstance(raw, str) else last_user_text(raw, ("input_text", "text"))
        text = self.prefix + text
        tool = self.behaviour == "tool_call"
        arguments = json.dumps({"text": text}, ensure_ascii=False)
        part: JsonObject = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
        item: JsonObject = {"id": self._id("fc_" if tool else "msg_"), "status": "completed"}
        if tool:
            name = tool_name(body.get("tools"), nested=False)
            item |= {"type": "function_call", "call_id": self._id("call_"), "name": name}
            item["arguments"] = arguments
        else:
            item |= {"type": "message", "role": "assistant", "content": [part]}
        usage = usage_block(raw, text, "input_tokens", "output_tokens")
        usage["input_tokens_details"] = {"cached_tokens": 0}
        usage["output_tokens_details"] = {"reasoning_tokens": 0}
        full: JsonObject = {"id": self._id("resp_"), "object": "response", "status": "completed"}
        full |= {"created_at": int(time.time()), "model": body.get("model", "fake-model")}
        full |= {"output": [item], "usage": usage, "error": None, "incomplete_details": None}
        full |= {"parallel_tool_calls": True, "tool_choice": "auto", "tools": []}
        if not body.get("stream"):
            return web.json_response(full)
        seq = itertools.count()

        def ev(kind: str, **fields: JsonValue) -> Event:
            return kind, {"type": kind, "sequence_number": next(seq), **fields}

        async def events() -> AsyncIterator[Event]:
            start = {**full, "status": "in_progress", "output": [], "usage": None}
            yield ev("response.created", response=start)
            yield ev("response.in_progress", response=start)
            empty: JsonObject = {**item, "status": "in_progress", "arguments": "", "content": []}
            del empty["content" if tool else "arguments"]
            yield ev("response.output_item.added", output_index=0, item=empty)
            at: JsonObject = {"item_id": item["id"], "output_index": 0}
            if tool:
                async for piece in self._deltas(request, arguments):
                    yield ev("response.function_call_arguments.delta", **at, delta=piece)
                yield ev("response.function_call_arguments.done", **at, arguments=arguments)
            else:
                at["content_index"] = 0
                yield ev("response.content_part.added", **at, part={**part, "text": ""})
                async for piece in self._deltas(request, text):
                    yield ev("response.output_text.delta", **at, delta=piece, logprobs=[])
                yield ev("response.output_text.done", **at, text=text, logprobs=[])
                yield ev("response.content_part.done", **at, part=part)
            yield ev("response.output_item.done", output_index=0, item=item)
            yield ev("response.completed", response=full)

        return await self._stream(request, events())

    async def _embeddings(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        raw = body.get("input", "")
        inputs = raw if isinstance(raw, list) else [raw]
        vector = [0.1, 0.2, 0.3]
        data = [
            {"object": "embedding", "index": i, "embedding": vector} for i in range(len(inputs))
        ]
        tokens = sum(token_count(str(x)) for x in inputs)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        model = body.get("model", "fake-embedding")
        return web.json_response({"object": "list", "data": data, "model": model, "usage": usage})

    async def _models(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        model = {"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}
        return web.json_response({"object": "list", "data": [model]})

    # -- Anthropic --------------------------------------------------------------------------

    async def _messages(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        text = self.prefix + last_user_text(body.get("messages"), ("text",))
        tool = self.behaviour == "tool_call"
        usage = usage_block(body.get("messages"), text, "input_tokens", "output_tokens")
        del usage["total_tokens"]
        block: JsonObject = {"type": "text", "text": text}
        if tool:
            name = tool_name(body.get("tools"), nested=False)
            block = {"type": "tool_use", "id": self._id("toolu_"), "name": name}
            block["input"] = {"text": text}
        stop = "tool_use" if tool else "end_turn"
        message: JsonObject = {"id": self._id("msg_"), "type": "message", "role": "assistant"}
        message |= {"model": body.get("model", "claude-fake"), "content": [block]}
        message |= {"stop_reason": stop, "stop_sequence": None, "usage": usage}
        if not body.get("stream"):
            return web.json_response(message)

        def ev(kind: str, **fields: JsonValue) -> Event:
            return kind, {"type": kind, **fields}

        async def events() -> AsyncIterator[Event]:
            start = {**message, "content": [], "stop_reason": None}
            yield ev("message_start", message=start | {"usage": {**usage, "output_tokens": 1}})
            opening = {**block, "input": {}} if tool else {**block, "text": ""}
            yield ev("content_block_start", index=0, content_block=opening)
            yield ev("ping")
            source = json.dumps(block["input"], ensure_ascii=False) if tool else text
            async for piece in self._deltas(request, source):
                delta: JsonObject = {"type": "text_delta", "text": piece}
                if tool:
                    delta = {"type": "input_json_delta", "partial_json": piece}
                yield ev("content_block_delta", index=0, delta=delta)
            yield ev("content_block_stop", index=0)
            out = {"output_tokens": usage["output_tokens"]}
            yield ev("message_delta", delta={"stop_reason": stop, "stop_sequence": None}, usage=out)
            yield ev("message_stop")

        return await self._stream(request, events())

    async def _count_tokens(self, request: web.Request, body: JsonObject) -> web.StreamResponse:
        return web.json_response({"input_tokens": token_count(json.dumps(body.get("messages")))})


async def _healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")
