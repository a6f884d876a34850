"""Stream rewriting per API family: split placeholders, JSON arguments, flush at finish, pass-through."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import anthropic
import openai
import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.sse import SSEParser
from proxy.relay.shapes import Shape, shape_for
from proxy.relay.streaming import restore_json_body, stream_rewriter
from proxy.vocabulary import Family
from proxy.tools.mock_upstream import FakeUpstream

NAME, PHONE = '山田 "Taro" \\ 太郎', "090-1234-5678"


def _shape(route: str) -> Shape:
    shape = shape_for("POST", route)
    assert shape is not None, route
    return shape


def _mapping() -> PlaceholderMap:
    mapping = PlaceholderMap()
    mapping.placeholder_for("PERSON", NAME)
    mapping.placeholder_for("PHONE_NUMBER", PHONE)
    return mapping


MASKED = "Hi [[PERSON_1]], call [[PHONE_NUMBER_1]] [x] [[PERSON_7]]."
RESTORED = f"Hi {NAME}, call {PHONE} [x] [[PERSON_7]]."
ARGS = json.dumps({"name": "[[PERSON_1]]", "tel": ["[[PHONE_NUMBER_1]]"]})
ARGS_RESTORED = {"name": NAME, "tel": [PHONE]}


def sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"{head}data: {body}\n\n".encode()


# -- stream builders: (deltas) -> wire events, one bytes per event ---------------------------


def chat(deltas: list[str], field: str = "content") -> list[bytes]:
    def chunk(delta: Any, finish: str | None = None) -> bytes:
        return sse(
            {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "m",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
        )

    def wrap(piece: str) -> Any:
        if field == "tool":
            return {"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}
        if field == "function_call":
            return {"function_call": {"arguments": piece}}
        return {field: piece}

    return [
        chunk({"role": "assistant"}),
        *(chunk(wrap(d)) for d in deltas),
        chunk({}, "stop"),
        sse({"id": "c1", "choices": [], "usage": {"total_tokens": 3}}),
        sse("[DONE]"),
    ]


def completions(deltas: list[str]) -> list[bytes]:
    def chunk(text: str, finish: str | None) -> bytes:
        return sse(
            {
                "id": "x",
                "object": "text_completion",
                "created": 1,
                "model": "m",
                "choices": [{"index": 0, "text": text, "finish_reason": finish}],
            }
        )

    return [*(chunk(d, None) for d in deltas), chunk("", "stop"), sse("[DONE]")]


def anthropic_stream(deltas: list[str], field: str = "text") -> list[bytes]:
    kind = "text_delta" if field == "text" else "input_json_delta"
    block = (
        {"type": "text", "text": ""}
        if field == "text"
        else {"type": "tool_use", "id": "t", "name": "f", "input": {}}
    )
    ev: Callable[[str, dict[str, Any]], bytes] = lambda name, d: sse({"type": name, **d}, name)
    return [
        ev("message_start", {"message": {"id": "m", "content": []}}),
        ev("content_block_start", {"index": 0, "content_block": block}),
        ev("ping", {}),
        *(
            ev("content_block_delta", {"index": 0, "delta": {"type": kind, field: d}})
            for d in deltas
        ),
        ev("content_block_stop", {"index": 0}),
        ev("message_delta", {"delta": {"stop_reason": "end_turn"}}),
        ev("message_stop", {}),
    ]


def responses(deltas: list[str], field: str = "text") -> list[bytes]:
    kind, done_field = (
        ("output_text", "text") if field == "text" else ("function_call_arguments", "arguments")
    )
    full = "".join(deltas)
    at: dict[str, Any] = {"item_id": "i", "output_index": 0}
    if field == "text":
        at["content_index"] = 0
    seq = iter(range(1000))
    ev: Callable[[str, dict[str, Any]], bytes] = lambda name, d: sse(
        {"type": name, "sequence_number": next(seq), **d}, name
    )
    item = (
        {"type": "message", "id": "i", "content": [{"type": "output_text", "text": full}]}
        if field == "text"
        else {"type": "function_call", "id": "i", "arguments": full}
    )
    return [
        ev("response.created", {"response": {"id": "r", "output": []}}),
        *(ev(f"response.{kind}.delta", {**at, "delta": d}) for d in deltas),
        ev(f"response.{kind}.done", {**at, done_field: full}),
        ev("response.output_item.done", {"output_index": 0, "item": item}),
        ev("response.completed", {"response": {"id": "r", "output": [item]}}),
    ]


# -- output readers ----------------------------------------------------------------------


def rewrite(
    family: Family,
    route: str,
    events: list[bytes],
    mapping: PlaceholderMap,
    chunks: list[bytes] | None = None,
) -> list[Any]:
    """Rewritten stream as a list of (event name, parsed data)."""
    rewriter = stream_rewriter(_shape(route), mapping)
    raw = b"".join(rewriter.feed(c) for c in (chunks or events)) + rewriter.close()
    parser = SSEParser()
    out = parser.feed(raw) + parser.close()
    return [(e.event, e.data if e.data == "[DONE]" else json.loads(e.data)) for e in out]


def _chat_piece(delta: dict[str, Any], field: str) -> str | None:
    if field == "tool":
        return delta.get("tool_calls", [{}])[0].get("function", {}).get("arguments")
    if field == "function_call":
        return delta.get("function_call", {}).get("arguments")
    return delta.get(field)


def chat_text(out: list[Any], field: str = "content") -> str:
    text, finished = "", False
    for _, data in out:
        for choice in data["choices"] if isinstance(data, dict) else []:
            piece = _chat_piece(choice.get("delta", {}), field)
            if piece is not None:
                assert not finished, "text after finish_reason"
                text += piece
            finished |= choice.get("finish_reason") is not None
    return text


def completions_text(out: list[Any]) -> str:
    return "".join(c["text"] for _, d in out if isinstance(d, dict) for c in d["choices"])


def anthropic_text(out: list[Any], field: str = "text") -> str:
    text, stopped = "", False
    for _, data in out:
        if data["type"] == "content_block_delta":
            assert not stopped, "delta after content_block_stop"
            text += data["delta"][field]
        stopped |= data["type"] == "content_block_stop"
    return text


def responses_text(out: list[Any]) -> str:
    text, done = "", False
    for _, data in out:
        if data["type"].endswith(".delta"):
            assert not done, "delta after .done"
            text += data["delta"]
        if data["type"].endswith(".done") and data["type"] != "response.output_item.done":
            done = True
            assert data.get("text", data.get("arguments")) == text
    seqs = [d["sequence_number"] for _, d in out]
    assert seqs == sorted(set(seqs)), "sequence numbers must stay unique and increasing"
    return text


# family, route, builder, reader, JSON-escaped field
CASES: list[
    tuple[str, Family, str, Callable[[list[str]], list[bytes]], Callable[[list[Any]], str], bool]
] = [
    ("chat", "openai", "/v1/chat/completions", chat, chat_text, False),
    (
        "chat-refusal",
        "openai",
        "/v1/chat/completions",
        lambda d: chat(d, "refusal"),
        lambda o: chat_text(o, "refusal"),
        False,
    ),
    (
        "chat-tool",
        "openai",
        "/v1/chat/completions",
        lambda d: chat(d, "tool"),
        lambda o: chat_text(o, "tool"),
        True,
    ),
    (
        "chat-function-call",
        "openai",
        "/v1/chat/completions",
        lambda d: chat(d, "function_call"),
        lambda o: chat_text(o, "function_call"),
        True,
    ),
    ("completions", "openai", "/v1/completions", completions, completions_text, False),
    ("anthropic", "anthropic", "/v1/messages", anthropic_stream, anthropic_text, False),
    (
        "anthropic-tool",
        "anthropic",
        "/v1/messages",
        lambda d: anthropic_stream(d, "partial_json"),
        lambda o: anthropic_text(o, "partial_json"),
        True,
    ),
    ("responses", "openai", "/v1/responses", responses, responses_text, False),
    (
        "responses-args",
        "openai",
        "/v1/responses",
        lambda d: responses(d, "args"),
        responses_text,
        True,
    ),
]
IDS = [c[0] for c in CASES]


def _expect(json_escaped: bool) -> tuple[str, Callable[[str], Any]]:
    if json_escaped:
        return ARGS, lambda got: json.loads(got) == ARGS_RESTORED
    return MASKED, lambda got: got == RESTORED


@pytest.mark.parametrize(
    ("name", "family", "route", "build", "read", "json_escaped"), CASES, ids=IDS
)
def test_every_two_way_split_restores_exactly(
    name: str,
    family: Family,
    route: str,
    build: Callable[[list[str]], list[bytes]],
    read: Callable[[list[Any]], str],
    json_escaped: bool,
) -> None:
    text, ok = _expect(json_escaped)
    for cut in range(len(text) + 1):
        got = read(rewrite(family, route, build([text[:cut], text[cut:]]), _mapping()))
        assert ok(got), (cut, got)


@pytest.mark.parametrize(
    ("name", "family", "route", "build", "read", "json_escaped"), CASES, ids=IDS
)
def test_one_character_deltas_and_one_byte_chunks(
    name: str,
    family: Family,
    route: str,
    build: Callable[[list[str]], list[bytes]],
    read: Callable[[list[Any]], str],
    json_escaped: bool,
) -> None:
    text, ok = _expect(json_escaped)
    wire = b"".join(build(list(text)))
    chunks = [wire[i : i + 1] for i in range(len(wire))]
    assert ok(read(rewrite(family, route, [], _mapping(), chunks)))


@pytest.mark.parametrize(
    ("name", "family", "route", "build", "read", "json_escaped"), CASES, ids=IDS
)
def test_held_text_is_released_before_the_field_ends(
    name: str,
    family: Family,
    route: str,
    build: Callable[[list[str]], list[bytes]],
    read: Callable[[list[Any]], str],
    json_escaped: bool,
) -> None:
    # The stream ends on what looks like the start of a placeholder: it must still arrive.
    tail = "[[PERSON_" if not json_escaped else '{"a": "[[PHONE_NUMBER_1]'
    got = read(rewrite(family, route, build(["ok ", tail]), _mapping()))
    assert got == ("ok " + tail)


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(CASES),
    cuts=st.lists(st.integers(0, 200), max_size=10),
    byte_cuts=st.lists(st.integers(0, 5000), max_size=15),
)
def test_random_delta_and_chunk_splits(case: Any, cuts: list[int], byte_cuts: list[int]) -> None:
    _, family, route, build, read, json_escaped = case
    text, ok = _expect(json_escaped)
    points = sorted({c % (len(text) + 1) for c in cuts})
    deltas = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    wire = b"".join(build(deltas))
    marks = sorted({c % (len(wire) + 1) for c in byte_cuts})
    chunks = [wire[a:b] for a, b in zip([0, *marks], [*marks, len(wire)], strict=True)]
    assert ok(read(rewrite(family, route, [], _mapping(), chunks)))


def test_output_is_produced_as_input_arrives() -> None:
    rewriter = stream_rewriter(_shape("/v1/chat/completions"), _mapping())
    events = chat(["Hello ", "[[PERS", "ON_1]] bye"])

    def contents(out: bytes) -> list[str]:
        parsed = [json.loads(e.data) for e in SSEParser().feed(out)]
        return [d["choices"][0]["delta"].get("content") for d in parsed]

    assert contents(rewriter.feed(events[0] + events[1])) == [None, "Hello "]
    assert contents(rewriter.feed(events[2])) == [""]
    assert contents(rewriter.feed(events[3])) == [f"{NAME} bye"]


def test_finish_flush_comes_in_a_synthetic_chunk_with_the_same_envelope() -> None:
    out = rewrite("openai", "/v1/chat/completions", chat(["a [["]), _mapping())
    synthetic, finishing = out[2][1], out[3][1]
    assert synthetic["choices"][0]["delta"] == {"content": "[["}
    assert {k: synthetic[k] for k in ("id", "object", "created", "model")} == {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
    }
    assert finishing["choices"][0]["finish_reason"] == "stop"


def test_two_choices_and_two_tool_calls_keep_separate_state() -> None:
    def chunk(choices: list[Any]) -> bytes:
        return sse({"id": "c", "choices": choices})

    def calls(first: str, second: str) -> Any:
        return {
            "tool_calls": [
                {"index": 0, "function": {"arguments": first}},
                {"index": 1, "function": {"arguments": second}},
            ]
        }

    events = [
        chunk(
            [
                {"index": 0, "delta": {"content": "[[PER"}},
                {"index": 1, "delta": calls('"[[PHONE', '"[[PERSON_1')},
            ]
        ),
        chunk(
            [
                {"index": 1, "delta": calls('_NUMBER_1]]"', ']]"')},
                {"index": 0, "delta": {"content": "SON_1]]"}},
            ]
        ),
        chunk(
            [
                {"index": 0, "delta": {}, "finish_reason": "stop"},
                {"index": 1, "delta": {}, "finish_reason": "tool_calls"},
            ]
        ),
        sse("[DONE]"),
    ]
    out = rewrite("openai", "/v1/chat/completions", events, _mapping())
    content, args = "", ["", ""]
    for _, data in out[:-1]:
        for choice in data["choices"]:
            content += choice["delta"].get("content", "")
            for call in choice["delta"].get("tool_calls", []):
                args[call["index"]] += call["function"]["arguments"]
    assert content == NAME
    assert [json.loads(a) for a in args] == [PHONE, NAME]


@pytest.mark.parametrize(
    ("family", "route", "wire"),
    [
        ("anthropic", "/v1/messages", sse({"type": "future_event", "x": "[[PERSON_1]]"}, "future")),
        (
            "anthropic",
            "/v1/messages",
            sse({"type": "error", "error": {"type": "overloaded_error"}}, "error"),
        ),
        (
            "anthropic",
            "/v1/messages",
            sse(
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "thinking_delta", "thinking": "[[P"},
                }
            ),
        ),
        ("openai", "/v1/chat/completions", sse({"error": {"message": "[[PERSON_1]]"}})),
        ("openai", "/v1/chat/completions", sse("not json [[PERSON_1]]")),
        (
            "openai",
            "/v1/responses",
            sse({"type": "response.reasoning_summary_text.delta", "delta": "[[PERSON_1]]"}, "x"),
        ),
        ("openai", "/v1/chat/completions", b": keep-alive\n\n"),
        ("openai", "/v1/chat/completions", b"event: e\nid: 42\nretry: 10\ndata: {}\n\n"),
    ],
)
def test_events_it_does_not_know_pass_through(family: Family, route: str, wire: bytes) -> None:
    rewriter = stream_rewriter(_shape(route), _mapping())
    assert rewriter.feed(wire) + rewriter.close() == wire


def test_crlf_input_is_reframed_with_lf_only() -> None:
    wire = b"".join(chat(["[[PERSON_1]]"])).replace(b"\n", b"\r\n")
    rewriter = stream_rewriter(_shape("/v1/chat/completions"), _mapping())
    out = rewriter.feed(wire) + rewriter.close()
    assert (
        b"\r" not in out
        and chat_text(rewrite("openai", "/v1/chat/completions", [], _mapping(), [wire])) == NAME
    )


def test_empty_mapping_passes_bytes_untouched() -> None:
    wire = b"".join(chat(["[[PERSON_1]]"])).replace(b"\n", b"\r\n")
    rewriter = stream_rewriter(_shape("/v1/chat/completions"), PlaceholderMap())
    assert rewriter.feed(wire[:7]) + rewriter.feed(wire[7:]) + rewriter.close() == wire


def test_stream_cut_without_done_still_releases_held_text() -> None:
    rewriter = stream_rewriter(_shape("/v1/chat/completions"), _mapping())
    out = rewriter.feed(chat(["x [[PERSON_"])[1]) + rewriter.close()
    assert out.count(b"data:") == 2 and b'"content":"[[PERSON_"' in out


def test_responses_whole_objects_are_restored() -> None:
    out = rewrite("openai", "/v1/responses", responses(['"[[PERSON_1]]"'], "args"), _mapping())
    by_type = {d["type"]: d for _, d in out}
    assert json.loads(by_type["response.function_call_arguments.done"]["arguments"]) == NAME
    assert json.loads(by_type["response.output_item.done"]["item"]["arguments"]) == NAME
    final = by_type["response.completed"]["response"]["output"][0]
    assert json.loads(final["arguments"]) == NAME


def test_anthropic_start_block_text_joins_the_delta_stream() -> None:
    events = anthropic_stream(["SON_1]]!"])
    events[1] = sse(
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "text", "text": "Hi [[PER"},
        },
        "content_block_start",
    )
    out = rewrite("anthropic", "/v1/messages", events, _mapping())
    start = out[1][1]["content_block"]["text"]
    assert start + anthropic_text(out) == f"Hi {NAME}!"


@pytest.mark.parametrize(
    ("route", "body", "expected"),
    [
        (
            "/v1/chat/completions",
            {
                "choices": [
                    {
                        "message": {
                            "content": "[[PERSON_1]]",
                            "tool_calls": [
                                {"function": {"name": "f", "arguments": '{"n": "[[PERSON_1]]"}'}}
                            ],
                        }
                    }
                ]
            },
            {
                "choices": [
                    {
                        "message": {
                            "content": NAME,
                            "tool_calls": [
                                {
                                    "function": {
                                        "name": "f",
                                        "arguments": json.dumps({"n": NAME}, ensure_ascii=False),
                                    }
                                }
                            ],
                        }
                    }
                ]
            },
        ),
        (
            "/v1/messages",
            {"content": [{"type": "tool_use", "input": {"n": ["[[PHONE_NUMBER_1]]", 3, None]}}]},
            {"content": [{"type": "tool_use", "input": {"n": [PHONE, 3, None]}}]},
        ),
        (
            "/v1/responses",
            {"output": [{"type": "function_call", "arguments": '["[[PERSON_1]]"]'}], "n": 1.5},
            {
                "output": [
                    {"type": "function_call", "arguments": json.dumps([NAME], ensure_ascii=False)}
                ],
                "n": 1.5,
            },
        ),
        (
            "/v1/embeddings",
            {"data": [{"embedding": [0.1]}], "model": "[[PERSON_1]]"},
            {"data": [{"embedding": [0.1]}], "model": "[[PERSON_1]]"},
        ),
    ],
)
def test_restore_json_body(route: str, body: Any, expected: Any) -> None:
    family: Family = "anthropic" if route == "/v1/messages" else "openai"
    assert restore_json_body(_shape(route), body, _mapping()) == expected


# -- through the real SDKs: fake upstream -> rewriting relay -> SDK -------------------------


@pytest.fixture
async def relay() -> AsyncIterator[tuple[FakeUpstream, str]]:
    """A minimal loopback relay that masks nothing but restores answers with the rewriter."""
    upstream = FakeUpstream()
    upstream.chunk_size = 2
    base = await upstream.start()

    async def forward(request: web.Request) -> web.StreamResponse:
        family: Family = "anthropic" if request.path.startswith("/v1/messages") else "openai"
        async with (
            aiohttp.ClientSession() as session,
            session.post(base + request.path, data=await request.read()) as answer,
        ):
            if "text/event-stream" not in answer.headers.get("content-type", ""):
                body = restore_json_body(_shape(request.path), await answer.json(), _mapping())
                return web.json_response(body, status=answer.status)
            out = web.StreamResponse(headers={"content-type": "text/event-stream"})
            await out.prepare(request)
            rewriter = stream_rewriter(_shape(request.path), _mapping())
            async for chunk in answer.content.iter_any():
                await out.write(rewriter.feed(chunk))
            await out.write(rewriter.close())
            await out.write_eof()
            return out

    app = web.Application()
    app.router.add_post("/{tail:.*}", forward)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield upstream, f"http://{host}:{port}"
    await runner.cleanup()
    await upstream.close()


@pytest.mark.parametrize("behaviour", ["echo", "tool_call"])
async def test_sdks_read_rewritten_streams(relay: tuple[FakeUpstream, str], behaviour: str) -> None:
    upstream, url = relay
    upstream.behaviour = behaviour  # type: ignore[assignment]
    tool = behaviour == "tool_call"
    oa = openai.AsyncOpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
    an = anthropic.AsyncAnthropic(base_url=url, api_key="k", max_retries=0)
    messages: Any = [{"role": "user", "content": MASKED}]

    async with oa.chat.completions.stream(model="m", messages=messages) as chat_stream:
        message = (await chat_stream.get_final_completion()).choices[0].message
    async with oa.responses.stream(model="m", input=MASKED) as responses_stream:
        response = await responses_stream.get_final_response()
    async with an.messages.stream(model="c", max_tokens=9, messages=messages) as messages_stream:
        block = (await messages_stream.get_final_message()).content[0]
    plain = await an.messages.create(model="c", max_tokens=9, messages=messages)

    if tool:
        assert message.tool_calls and json.loads(message.tool_calls[0].function.arguments) == {
            "text": RESTORED
        }
        assert response.output[0].type == "function_call"
        assert json.loads(response.output[0].arguments) == {"text": RESTORED}
        assert block.type == "tool_use" and block.input == {"text": RESTORED}
        assert plain.content[0].type == "tool_use" and plain.content[0].input == {"text": RESTORED}
    else:
        assert message.content == RESTORED and response.output_text == RESTORED
        assert block.type == "text" and block.text == RESTORED
        assert plain.content[0].type == "text" and plain.content[0].text == RESTORED
    await oa.close()
    await an.close()
