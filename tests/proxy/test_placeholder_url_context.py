"""in_url: is a placeholder inside a URL? It scans back from the placeholder for the start
of its run of non-space text; the answer must be the one a forward scan for the last
break gives (the former implementation), for plain and JSON-escaped text alike."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from proxy.relay.placeholders import URL_CONTEXT_CHARS, in_url

_PLAIN = re.compile(r"\s")
_JSON = re.compile(r"\s|\\[nrt]")


def reference(before: str, json_text: bool) -> bool:
    window = before[-URL_CONTEXT_CHARS:]
    breaks = list((_JSON if json_text else _PLAIN).finditer(window))
    if not breaks:
        if len(before) >= URL_CONTEXT_CHARS:
            return True
        run = window
    else:
        run = window[breaks[-1].end() :]
    if json_text:
        run = run.replace("\\/", "/")
    lowered = run.lower()
    return "//" in lowered or "www." in lowered or "](" in lowered


_PIECES = st.lists(
    st.sampled_from(
        [" ", "\n", "\\n", "\\t", "\\\\", "\\/", "/", "//", "www.", "](", "https:", "a", "名", "x"]
    ),
    max_size=60,
)


@given(_PIECES, st.booleans())
def test_in_url_agrees_with_a_forward_scan(pieces: list[str], json_text: bool) -> None:
    before = "".join(pieces)
    assert in_url(before, json_text=json_text) == reference(before, json_text)


def test_a_run_longer_than_the_window_counts_as_a_url() -> None:
    assert in_url("x" * URL_CONTEXT_CHARS) is True
    assert in_url("see " + "x" * 10) is False
    assert in_url("see https://example.com/?q=") is True
