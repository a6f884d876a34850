"""Masking a key name into another key of the same object (issue 15, item 12).

Before the fix ``{"山本健一": …, "[[PERSON_1]]": …}`` in metadata raised a bare
ReplacementError: a 500 with a traceback and no audit line. The rewrite now raises a
typed 400 (KeyCollision), and the proxy no longer issues a placeholder the body already
holds (item 6), so that body is masked without a collision at all."""

from __future__ import annotations

import json

import aiohttp

from proxy.errors import BadRequest
from proxy.relay.shapes import KeyCollision, ReplacementError, shape_for

CHAT = shape_for("POST", "/v1/chat/completions")


def test_a_colliding_key_rename_is_a_clear_400() -> None:
    assert CHAT is not None
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "metadata": {"山本健一": "a", "[[PERSON_1]]": "b"},
    }
    try:
        CHAT.apply(body, {("metadata", "$key", "山本健一"): "[[PERSON_1]]"})
    except KeyCollision as exc:
        assert isinstance(exc, BadRequest) and isinstance(exc, ReplacementError)
        assert exc.status == 400 and exc.code == "masked_key_collision"
        assert "山本健一" not in str(exc) and "山本健一" not in exc.message_ja
    else:
        raise AssertionError("a colliding rename must be refused")


async def test_the_metadata_collision_body_through_the_proxy(start_proxy, fake) -> None:
    proxy = await start_proxy()
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "山本健一さんへの連絡です。"}],
        "metadata": {"山本健一": "a", "[[PERSON_1]]": "b"},
    }
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=body) as r:
            assert r.status == 200, await r.text()
    sent = fake.requests[-1].json
    assert sent["metadata"] == {"[[PERSON_2]]": "a", "[[PERSON_1]]": "b"}
    assert "山本健一" not in json.dumps(sent, ensure_ascii=False)
