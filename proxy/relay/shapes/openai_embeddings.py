"""OpenAI Embeddings (/v1/embeddings): ``input`` as a string or a list of strings."""

from __future__ import annotations

from typing import Any, Literal

from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.shapes.openai_rules import (
    OPENAI_NON_TEXT,
    OPENAI_RULES,
    reject_token_ids,
    require_model,
)
from proxy.relay.shapes.walk import RuleShape
from proxy.relay.stream_handlers import PassThroughHandler, StreamHandler


class OpenAIEmbeddings(RuleShape):
    """Embeddings body: the text to embed is data sent upstream like any prompt."""

    family: Literal["openai"] = "openai"
    rules = OPENAI_RULES
    non_text_types = OPENAI_NON_TEXT
    restores_answer = False  # vectors: nothing of the prompt comes back

    def stream_handler(self, mapping: PlaceholderMap) -> StreamHandler:
        return PassThroughHandler()

    def validate(self, body: dict[str, Any]) -> None:
        require_model(body)
        reject_token_ids(body.get("input"), "input")
