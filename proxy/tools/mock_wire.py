"""What the fake upstream (proxy.tools.mock_upstream) reads from a request, and the small
pieces of its answers: token counts, usage blocks, tool names, Anthropic error types."""

from __future__ import annotations

import json
from dataclasses import dataclass

from proxy.vocabulary import JsonObject, JsonValue

ANTHROPIC_ERRORS = {400: "invalid_request_error", 429: "rate_limit_error"}
ANTHROPIC_ERRORS |= {401: "authentication_error", 529: "overloaded_error"}
ECHO_PREFIX = "受け取った内容: "  # "what I received: ", so an answer is visibly an echo


@dataclass(frozen=True)
class RecordedRequest:
    """One request exactly as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    json: JsonValue  # the parsed body; None when it was empty or not JSON


def last_user_text(messages: JsonValue, kinds: tuple[str, ...]) -> str:
    """Text of the last user message: a string, or its text parts of the given kinds joined."""
    for message in reversed(messages if isinstance(messages, list) else []):
        if isinstance(message, dict) and message.get("role", "user") == "user":
            content = message.get("content")
            parts = content if isinstance(content, list) else [{"type": kinds[0], "text": content}]
            texts = [p.get("text") for p in parts if isinstance(p, dict) and p.get("type") in kinds]
            return "".join(t for t in texts if isinstance(t, str))
    return ""


def token_count(text: str) -> int:
    return max(1, len(text) // 4)


def usage_block(prompt: JsonValue, text: str, input_key: str, output_key: str) -> JsonObject:
    used = {
        input_key: token_count(json.dumps(prompt, ensure_ascii=False)),
        output_key: token_count(text),
    }
    return {**used, "total_tokens": used[input_key] + used[output_key]}


def tool_name(tools: JsonValue, *, nested: bool) -> str:
    """The first declared tool's name (chat nests it under ``function``), else ``echo``."""
    if isinstance(tools, list) and tools and isinstance(tools[0], dict):
        holder = tools[0].get("function", {}) if nested else tools[0]
        if isinstance(holder, dict) and isinstance(holder.get("name"), str):
            return str(holder["name"])
    return "echo"


def prompt_text(request: RecordedRequest) -> str:
    """The prompt text a request carried, as the echo will answer it (for the console)."""
    body = request.json if isinstance(request.json, dict) else {}
    if request.path.endswith(("/chat/completions", "/messages", "/messages/count_tokens")):
        return last_user_text(body.get("messages"), ("text",))
    raw = body.get("input", body.get("prompt", ""))
    if isinstance(raw, list) and request.path.endswith("/responses"):
        return last_user_text(raw, ("input_text", "text"))
    return raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
