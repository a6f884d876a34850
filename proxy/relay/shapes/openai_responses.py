"""OpenAI Responses (/v1/responses): instructions, input items, prompt variables, state."""

from __future__ import annotations

from typing import Any, Literal

from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.shapes.base import unsupported
from proxy.relay.shapes.openai_rules import (
    OPENAI_NON_TEXT,
    OPENAI_RULES,
    openai_file_payload,
    require_model,
    require_parts,
)
from proxy.relay.shapes.walk import RuleShape
from proxy.relay.stream_handlers import StreamHandler, responses_stream

MESSAGE_ROLES = frozenset({"user", "assistant", "system", "developer"})


class OpenAIResponses(RuleShape):
    """Responses body: ``input`` is a string or a list of items of many types."""

    family: Literal["openai"] = "openai"
    rules = OPENAI_RULES
    non_text_types = OPENAI_NON_TEXT

    def stream_handler(self, mapping: PlaceholderMap) -> StreamHandler:
        return responses_stream(mapping)

    def file_payload(self, part: dict[str, Any]) -> tuple[str, str | None] | None:
        return openai_file_payload(part)

    def non_text_kind(self, part: dict[str, Any]) -> str | None:
        # Inline files are attachments (proxy.relay.attachments); references stay non-text.
        return None if openai_file_payload(part) is not None else super().non_text_kind(part)

    def text_part(self, text: str) -> dict[str, Any]:
        return {"type": "input_text", "text": text}

    def validate(self, body: dict[str, Any]) -> None:
        # A stored prompt template may supply the model.
        require_model(body, optional="prompt" in body)
        items = body.get("input")
        if items is None or isinstance(items, str):
            return
        if not isinstance(items, list):
            raise unsupported("input の形式が不正です。", "input must be a string or a list.")
        for item in items:
            if not isinstance(item, dict):
                raise unsupported(
                    "input の各要素はオブジェクトにしてください。",
                    "Each input item must be an object.",
                )
            if "role" in item or item.get("type") == "message":
                if item.get("role") not in MESSAGE_ROLES:
                    raise unsupported("未対応の role です。", "Unsupported message role.")
                require_parts(item.get("content"), "content ", "message content")

    def server_state(self, body: dict[str, Any]) -> list[str]:
        found = super().server_state(body)
        for key in ("previous_response_id", "conversation"):
            if body.get(key) is not None:
                found.append(key)
        # Responses stores by default: only an explicit false keeps nothing server-side.
        if body.get("store") is True:
            found.append("store")
        elif "store" not in body:
            found.append("store_default")
        if body.get("background") is True:
            found.append("background")
        prompt = body.get("prompt")
        if isinstance(prompt, dict) and prompt.get("id") is not None:
            found.append("prompt_template")
        items = body.get("input")
        if isinstance(items, list) and any(
            isinstance(i, dict) and i.get("type") == "item_reference" for i in items
        ):
            found.append("item_reference")
        tools = body.get("tools")
        if isinstance(tools, list) and any(
            isinstance(t, dict) and t.get("type") == "file_search" for t in tools
        ):
            found.append("vector_store")
        return found
