"""SSEParser framing (any chunk split, LF/CRLF/CR, comments, no final blank line) and encode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.relay.sse import SSEEvent, SSEParser, SSEProtocolError, encode

ANTHROPIC_ERROR = (
    b'event: message_start\ndata: {"type":"message_start"}\n\n'
    b": keep-alive\n\n"
    b'event: content_block_delta\ndata: {"text":"\xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x97\xbc"}\n\n'
    b'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n'
)
OPENAI_DONE = b'data: {"a":1}\n\ndata: {"b":"\xc3\xa9"}\n\ndata: [DONE]\n\n'


def _parse(chunks: list[bytes]) -> list[SSEEvent]:
    parser = SSEParser()
    events = [e for chunk in chunks for e in parser.feed(chunk)]
    return events + parser.close()


@pytest.mark.parametrize(
    ("raw", "events"),
    [
        (b"data: x\n\n", [SSEEvent(data="x")]),
        (b"data:x\n\n", [SSEEvent(data="x")]),
        (b"data:  x\n\n", [SSEEvent(data=" x")]),
        (b"data: a\ndata: b\n\n", [SSEEvent(data="a\nb")]),
        (b"data\n\n", [SSEEvent(data="")]),
        (
            b"event: e\r\nid: 7\r\nretry: 300\r\ndata: x\r\n\r\n",
            [SSEEvent(event="e", data="x", id="7", retry=300)],
        ),
        (b"data: a\rdata: b\r\r", [SSEEvent(data="a\nb")]),
        (b": ping\n\n", [SSEEvent(comment=" ping")]),
        (b":\n\n", [SSEEvent(comment="")]),
        (b"data: a\n: inside\ndata: b\n\n", [SSEEvent(data="a\nb", comment=" inside")]),
        (b"retry: 1x\ndata: x\n\n", [SSEEvent(data="x")]),
        (b"id: a\x00b\ndata: x\n\n", [SSEEvent(data="x")]),
        (b"foo: bar\ndata: x\n\n", [SSEEvent(data="x")]),
        (b"foo: bar\n\n", []),
        (b"\n\n\n", []),
        (b"event: only\n\n", [SSEEvent(event="only")]),
        (b"\xef\xbb\xbfdata: bom\n\n", [SSEEvent(data="bom")]),
        # no trailing blank line, with and without a final line end
        (b"data: last", [SSEEvent(data="last")]),
        (b"data: last\n", [SSEEvent(data="last")]),
        (b"data: last\r", [SSEEvent(data="last")]),
        (b"data: [DONE]\n\n", [SSEEvent(data="[DONE]")]),
    ],
)
def test_parse_table(raw: bytes, events: list[SSEEvent]) -> None:
    assert _parse([raw]) == events


def test_keep_alive_is_released_before_the_next_event_arrives() -> None:
    parser = SSEParser()
    assert parser.feed(b": ping\n") == [SSEEvent(comment=" ping")]
    assert parser.feed(b"\ndata: x") == []
    assert parser.feed(b"\n\n") == [SSEEvent(data="x")]


def test_cr_at_chunk_end_waits_for_a_possible_lf() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: x\r") == []
    assert parser.feed(b"\n\r") == []
    assert parser.feed(b"\n") == [SSEEvent(data="x")]


def test_line_over_the_limit_is_refused() -> None:
    parser = SSEParser(max_line_bytes=10)
    parser.feed(b"data: 1234")
    with pytest.raises(SSEProtocolError):
        parser.feed(b"56789")


@pytest.mark.parametrize(
    ("event", "wire"),
    [
        (SSEEvent(data="x"), b"data: x\n\n"),
        (SSEEvent(data="a\nb"), b"data: a\ndata: b\n\n"),
        (SSEEvent(event="ping", data="{}"), b"event: ping\ndata: {}\n\n"),
        (SSEEvent(event="e", data="x", id="1", retry=5), b"event: e\nid: 1\nretry: 5\ndata: x\n\n"),
        (SSEEvent(comment=" ping"), b": ping\n\n"),
        (SSEEvent(data="a", comment=" c"), b"data: a\n: c\n\n"),
        (SSEEvent(event="only"), b"event: only\n\n"),
        (SSEEvent(), b"data: \n\n"),
        (SSEEvent(data="東京"), "data: 東京\n\n".encode()),
    ],
)
def test_encode_table(event: SSEEvent, wire: bytes) -> None:
    assert encode(event) == wire
    assert _parse([wire]) == [event]


def _split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    return [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]


@pytest.mark.parametrize("raw", [ANTHROPIC_ERROR, OPENAI_DONE])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_single_split_point(raw: bytes, newline: bytes) -> None:
    wire = raw.replace(b"\n", newline)
    expected = _parse([wire])
    assert len(expected) == raw.count(b"\n\n")
    for cut in range(len(wire) + 1):
        assert _parse([wire[:cut], wire[cut:]]) == expected, cut


FIELD_TEXT = st.text(
    st.characters(blacklist_characters="\r\n\x00", blacklist_categories=["Cs"]), max_size=12
)
EVENTS = st.lists(
    st.one_of(
        st.builds(
            SSEEvent,
            event=st.none() | FIELD_TEXT,
            data=st.lists(FIELD_TEXT, min_size=1, max_size=3).map("\n".join),
            id=st.none() | FIELD_TEXT,
            retry=st.none() | st.integers(0, 10**6),
        ),
        st.builds(SSEEvent, comment=FIELD_TEXT),
    ),
    max_size=8,
)


@given(
    events=EVENTS,
    newline=st.sampled_from([b"\n", b"\r\n"]),
    cuts=st.lists(st.integers(min_value=0), max_size=20),
    trailing_blank=st.booleans(),
)
def test_random_splits_give_the_same_events(
    events: list[SSEEvent], newline: bytes, cuts: list[int], trailing_blank: bool
) -> None:
    wire = b"".join(encode(e) for e in events).replace(b"\n", newline)
    if not trailing_blank and wire:
        wire = wire.removesuffix(newline)  # last event ends without its blank line
    whole = _parse([wire])
    assert whole == events
    assert _parse(_split(wire, cuts)) == whole
