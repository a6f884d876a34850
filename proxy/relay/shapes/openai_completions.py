"""OpenAI legacy Completions (/v1/completions): prompt and suffix as plain text."""

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
from proxy.relay.stream_handlers import StreamHandler, completions_stream


class OpenAICompletions(RuleShape):
    """Completions body: ``prompt`` must be text, since token ids cannot be scanned."""

    family: Literal["openai"] = "openai"
    rules = OPENAI_RULES
    non_text_types = OPENAI_NON_TEXT

    def stream_handler(self, mapping: PlaceholderMap) -> StreamHandler:
        return completions_stream(mapping)

    def validate(self, body: dict[str, Any]) -> None:
        require_model(body)
        if "prompt" in body:
            reject_token_ids(body["prompt"], "prompt")
