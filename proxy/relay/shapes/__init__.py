"""API shapes: which routes are scanned, and per route how to list and rewrite body text.

Adding a shape is adding a module with a ``Shape`` and one line in ``_REGISTRY``.
A route missing here is not scanned, so the proxy must deny it.
"""

from __future__ import annotations

from typing import Any

from proxy.relay.shapes.anthropic_messages import AnthropicMessages
from proxy.relay.shapes.base import (
    JSON_MARK,
    KEY_MARK,
    Path,
    Segment,
    Shape,
    WalkRules,
    check_limits,
)
from proxy.relay.shapes.openai_chat import OpenAIChat
from proxy.relay.shapes.openai_completions import OpenAICompletions
from proxy.relay.shapes.openai_embeddings import OpenAIEmbeddings
from proxy.relay.shapes.openai_responses import OpenAIResponses
from proxy.relay.shapes.walk import KeyCollision, ReplacementError
from proxy.vocabulary import Family

__all__ = [
    "JSON_MARK",
    "KEY_MARK",
    "Family",
    "Path",
    "KeyCollision",
    "ReplacementError",
    "Segment",
    "Shape",
    "WalkRules",
    "check_limits",
    "is_stream",
    "model_of",
    "routes",
    "shape_for",
]

_REGISTRY: dict[str, Shape] = {
    "/v1/chat/completions": OpenAIChat("/v1/chat/completions"),
    "/v1/responses": OpenAIResponses("/v1/responses"),
    "/v1/completions": OpenAICompletions("/v1/completions"),
    "/v1/embeddings": OpenAIEmbeddings("/v1/embeddings"),
    "/v1/messages": AnthropicMessages("/v1/messages"),
    "/v1/messages/count_tokens": AnthropicMessages("/v1/messages/count_tokens"),
}


def shape_for(method: str, path: str) -> Shape | None:
    """The shape for an exact POST route, else None (deny).

    No normalisation happens here on purpose: the caller normalises the path once, and a
    variant that does not match exactly is refused rather than guessed at.
    """
    if method != "POST":
        return None
    return _REGISTRY.get(path)


def routes() -> list[str]:
    """Every scanned route, for the router and for docs."""
    return list(_REGISTRY)


def model_of(body: dict[str, Any]) -> str | None:
    """The requested model name, when it is a string."""
    model = body.get("model")
    return model if isinstance(model, str) else None


def is_stream(body: dict[str, Any]) -> bool:
    """True only for a literal ``"stream": true``."""
    return body.get("stream") is True
