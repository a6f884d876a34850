"""Walk rules shared by the OpenAI routes: which keys are identifiers, data or binary."""

from __future__ import annotations

from typing import Any

from proxy.relay.shapes.base import WalkRules, check_model_name, unsupported

# Ids a client writes (tool_calls[].id, tool_call_id, call_id) and stream_options are text
# the upstream receives: they are scanned like any string (a masked id gets the same
# placeholder wherever it recurs, so a call and its result stay linked). The model name
# stays unscanned (a scan would read "claude" as a name) but must look like an identifier.
# fmt: off
OPENAI_RULES = WalkRules(
    structural_keys=frozenset({
        "model", "role", "type", "file_id", "status",
        "previous_response_id", "conversation", "logit_bias", "encrypted_content",
        "detail", "encoding_format", "service_tier", "reasoning_effort",
    }),
    data_keys=frozenset({
        "parameters", "json_schema", "schema", "metadata", "variables", "arguments",
    }),
    # function_call.arguments and tool_calls[].function.arguments are JSON in a string.
    json_string_keys=frozenset({"arguments"}),
    binary_types=frozenset({
        "image_url", "input_image", "input_audio", "file", "input_file", "computer_screenshot",
    }),
    role_keys={"instructions": "system", "input": "user", "prompt": "user", "suffix": "user"},
)
# fmt: on

OPENAI_NON_TEXT = {
    "image_url": "image",
    "input_image": "image",
    "input_audio": "audio",
    "file": "file",
    "input_file": "file",
    "computer_screenshot": "image",  # Responses computer_call_output
}


def openai_file_payload(part: dict[str, Any]) -> tuple[str, str | None] | None:
    """(base64, declared media type) of an inline file or image part, else None.

    Chat: ``{"type": "file", "file": {"file_data": ...}}`` and ``{"type": "image_url",
    "image_url": {"url": "data:..."}}``; Responses: ``input_file`` with ``file_data`` and
    ``input_image`` with a data URL in ``image_url``. ``file_data`` may be a data URL or
    bare base64 (then the bytes alone say what it is).
    """
    from proxy.relay.shapes.files import decode_data_url

    part_type = part.get("type")
    data: object = None
    if part_type == "file" and isinstance(part.get("file"), dict):
        data = part["file"].get("file_data")
    elif part_type == "input_file":
        data = part.get("file_data")
    elif part_type in ("image_url", "input_image"):
        url = part.get("image_url")
        data = url.get("url") if isinstance(url, dict) else url
        if not (isinstance(data, str) and data[:5].lower() == "data:"):
            return None  # an http(s) image: by reference, not inline
    if not isinstance(data, str):
        return None
    return decode_data_url(data) or (data, None)


def require_model(body: dict[str, Any], *, optional: bool = False) -> None:
    """Every OpenAI route names a model; a missing or non-string one is our 400."""
    model = body.get("model")
    if model is None and optional:
        return
    if not isinstance(model, str) or not model:
        raise unsupported("model を文字列で指定してください。", "model must be a non-empty string.")
    check_model_name(model)


def require_parts(content: Any, where_ja: str, where_en: str) -> None:
    """Content is a string, null, or a list of objects that each have a string type."""
    if content is None or isinstance(content, str):
        return
    if not isinstance(content, list):
        raise unsupported(
            f"{where_ja}の形式が不正です。", f"{where_en} must be a string or a list."
        )
    for part in content:
        if not isinstance(part, dict) or not isinstance(part.get("type"), str):
            raise unsupported(
                f"{where_ja}の各要素は type を持つオブジェクトにしてください。",
                f"Each part of {where_en} must be an object with a string type.",
            )


def reject_token_ids(value: Any, field: str) -> None:
    """Token-id prompts cannot be scanned as text, so they are refused, not forwarded."""
    if isinstance(value, str):
        return
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return
    raise unsupported(
        f"{field} は文字列または文字列の配列にしてください(トークン ID は検査できません)。",
        f"{field} must be a string or a list of strings (token ids cannot be scanned).",
    )
