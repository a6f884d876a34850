"""OpenAI Chat Completions (/v1/chat/completions): messages, tool calls, tools and schemas."""

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
from proxy.relay.stream_handlers import StreamHandler, chat_stream

CHAT_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


class OpenAIChat(RuleShape):
    """Chat body: every message field, tool-call argument and tool schema string is text."""

    family: Literal["openai"] = "openai"
    rules = OPENAI_RULES
    non_text_types = OPENAI_NON_TEXT

    def stream_handler(self, mapping: PlaceholderMap) -> StreamHandler:
        return chat_stream(mapping)

    def file_payload(self, part: dict[str, Any]) -> tuple[str, str | None] | None:
        return openai_file_payload(part)

    def non_text_kind(self, part: dict[str, Any]) -> str | None:
        # Inline files are attachments (proxy.relay.attachments); references stay non-text.
        return None if openai_file_payload(part) is not None else super().non_text_kind(part)

    def validate(self, body: dict[str, Any]) -> None:
        require_model(body)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise unsupported(
                "messages は空でない配列にしてください。", "messages must be a non-empty list."
            )
        for message in messages:
            if not isinstance(message, dict):
                raise unsupported(
                    "messages の各要素はオブジェクトにしてください。",
                    "Each message must be an object.",
                )
            if message.get("role") not in CHAT_ROLES:
                raise unsupported("未対応の role です。", "Unsupported message role.")
            require_parts(message.get("content"), "content ", "message content")
            tool_calls = message.get("tool_calls")
            if tool_calls is not None and not (
                isinstance(tool_calls, list) and all(isinstance(c, dict) for c in tool_calls)
            ):
                raise unsupported(
                    "tool_calls の形式が不正です。", "tool_calls must be a list of objects."
                )

    def server_state(self, body: dict[str, Any]) -> list[str]:
        found = super().server_state(body)
        if body.get("store") is True:
            found.append("store")
        for message in body.get("messages") or []:
            # An assistant message may point at audio the server kept from an earlier reply.
            if isinstance(message, dict) and isinstance(message.get("audio"), dict):
                found.append("audio_reference")
                break
        return found
