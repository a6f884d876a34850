"""Anthropic Messages (/v1/messages and /v1/messages/count_tokens): system, blocks, tools."""

from __future__ import annotations

from typing import Any, Literal

from proxy.relay.placeholders import PlaceholderMap
from proxy.relay.shapes.base import WalkRules, check_model_name, unsupported
from proxy.relay.shapes.walk import RuleShape
from proxy.relay.stream_handlers import StreamHandler, anthropic_stream

# tool_use ids and tool_use_id are client-written text: scanned like any string.
# fmt: off
ANTHROPIC_RULES = WalkRules(
    structural_keys=frozenset({
        "model", "role", "type", "media_type", "signature", "file_id", "service_tier",
    }),
    data_keys=frozenset({"input", "input_schema", "schema", "metadata"}),
    json_string_keys=frozenset(),
    # Binary payloads sit in a source of type base64 (images and PDF documents); a
    # document source of type "text" is plain text and stays a segment.
    binary_types=frozenset({"base64"}),
    role_keys={"system": "system"},
)
# fmt: on

# Claude Code sends mid-conversation instructions as messages with role "system"; their text
# is scanned like the top-level system prompt.
MESSAGE_ROLES = frozenset({"user", "assistant", "system"})
# Document sources the proxy cannot read as text: the upstream fetches or decodes them.
OPAQUE_DOCUMENT_SOURCES = frozenset({"base64", "url", "file"})


def _require_blocks(content: Any, where_en: str) -> None:
    if isinstance(content, str):
        return
    if not isinstance(content, list) or not all(
        isinstance(block, dict) and isinstance(block.get("type"), str) for block in content
    ):
        raise unsupported(
            "content は文字列か type を持つブロックの配列にしてください。",
            f"{where_en} must be a string or a list of typed blocks.",
        )


class AnthropicMessages(RuleShape):
    """Messages body; count_tokens has the same shape and is scanned the same way."""

    family: Literal["anthropic"] = "anthropic"
    rules = ANTHROPIC_RULES

    def stream_handler(self, mapping: PlaceholderMap) -> StreamHandler:
        return anthropic_stream(mapping)

    def validate(self, body: dict[str, Any]) -> None:
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise unsupported(
                "model を文字列で指定してください。", "model must be a non-empty string."
            )
        check_model_name(model)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise unsupported(
                "messages は空でない配列にしてください。", "messages must be a non-empty list."
            )
        for message in messages:
            if not isinstance(message, dict) or message.get("role") not in MESSAGE_ROLES:
                raise unsupported(
                    "messages の各要素は role が user・assistant・system のオブジェクトにしてください。",
                    "Each message must be an object with role user, assistant or system.",
                )
            _require_blocks(message.get("content"), "message content")
        if "system" in body:
            _require_blocks(body["system"], "system")

    def file_payload(self, part: dict[str, Any]) -> tuple[str, str | None] | None:
        """An ``image`` or ``document`` with a base64 source (text and content sources are
        text, read as segments)."""
        if part.get("type") not in ("image", "document"):
            return None
        source = part.get("source")
        if not isinstance(source, dict) or source.get("type") != "base64":
            return None
        data, media_type = source.get("data"), source.get("media_type")
        if not isinstance(data, str):
            return None
        return (data, media_type if isinstance(media_type, str) else None)

    def text_part(self, text: str) -> dict[str, Any]:
        return {
            "type": "document",
            "source": {"type": "text", "media_type": "text/plain", "data": text},
        }

    def non_text_kind(self, part: dict[str, Any]) -> str | None:
        if self.file_payload(part) is not None:
            return None  # an inline file: an attachment (proxy.relay.attachments)
        part_type = part.get("type")
        if part_type == "image":
            return "image"
        if part_type == "container_upload":
            return "file"
        if part_type == "base64":
            # A base64 source is skipped by the walk wherever it sits (a citation, a tool
            # result): report it by what it holds, so policy decides (files: blocked by
            # default) instead of letting its data through unread.
            media = part.get("media_type")
            return "image" if isinstance(media, str) and media.startswith("image/") else "file"
        if part_type == "document":
            source = part.get("source")
            source_type = source.get("type") if isinstance(source, dict) else None
            return "file" if source_type in OPAQUE_DOCUMENT_SOURCES else None
        return None

    def server_state(self, body: dict[str, Any]) -> list[str]:
        found = super().server_state(body)
        if body.get("container") is not None:
            found.append("container")
        return found
