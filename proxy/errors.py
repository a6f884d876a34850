"""Every refusal the proxy answers with itself: each carries its HTTP status and a stable
reason code (h11's style).

The code is the same string in the HTTP error body, the audit line and the metric label:
proxy.edge.handlers turns any of these into the response and the recorded reason in one
place. Messages are fixed texts: they never contain any part of the request body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from proxy.edge import messages

# What the audit line and the requests metric record for a refusal: "block" when the
# policy stopped the content, or None to keep what the request had reached ("error"
# before a decision, the decided action when the upstream failed afterwards).
RefusalAction = Literal["block"] | None


class ProxyError(Exception):
    """A request the proxy refuses on its own; ``status`` is what the client gets."""

    default_status: ClassVar[int] = 500
    action: ClassVar[RefusalAction] = None
    retry_after: ClassVar[int | None] = None
    fail_closed: ClassVar[bool] = False  # counted in sekimori_fail_closed_total

    def __init__(
        self,
        code: str,
        message_ja: str,
        message_en: str,
        status: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en
        self.status = self.default_status if status is None else status

    def message(self, request_id: str) -> str:
        """The text staff read: Japanese first, English alongside, with the request id."""
        return (
            f"{self.message_ja}（リクエストID: {request_id}）\n"
            f"{self.message_en} (request id: {request_id})"
        )


class BadRequest(ProxyError):
    """The body is malformed or has a shape we refuse to forward (400)."""

    default_status = 400


class PayloadTooLarge(ProxyError):
    """The body, or the text extracted from it, is over a configured bound (413)."""

    default_status = 413


class UnsupportedMediaType(ProxyError):
    """The body's encoding or content type is one we do not parse (415)."""

    default_status = 415


# -- the edge ------------------------------------------------------------------------------
class UnknownRoute(ProxyError):
    def __init__(self, *, method_not_allowed: bool) -> None:
        super().__init__(
            "method_not_allowed" if method_not_allowed else "unknown_route",
            "このプロキシでは使えない宛先です。",
            "This path or method is not served by the guard.",
            405 if method_not_allowed else 404,
        )


class Unauthorized(ProxyError):
    """No valid staff credential where the policy requires one (401)."""

    def __init__(self) -> None:
        super().__init__("unauthorized", "認証できませんでした。", "Not authenticated.", 401)

    def message(self, request_id: str) -> str:
        return messages.unauthorized_message(request_id)


# -- the policy's verdicts -------------------------------------------------------------------
class NonTextContent(BadRequest):
    """Images, files or audio the scanner cannot read, where the policy blocks them."""

    action = "block"

    def __init__(self, kinds: list[str]) -> None:
        super().__init__("non_text_content", "", "non-text content")
        self.kinds = kinds

    def message(self, request_id: str) -> str:
        return messages.non_text_message(self.kinds, request_id)


class ServerStateRefused(BadRequest):
    """A reference to provider-side state the guard never saw, where the policy blocks it."""

    action = "block"

    def __init__(self, features: list[str]) -> None:
        super().__init__("server_state", "", "server-side state")
        self.features = features

    def message(self, request_id: str) -> str:
        return messages.server_state_message(self.features, request_id)


class SensitiveDataBlocked(BadRequest):
    """Findings whose action is block (the code is the decision's reason)."""

    action = "block"

    def __init__(self, blocked: Mapping[str, int]) -> None:
        super().__init__("sensitive_data_blocked", "", "sensitive data")
        self.blocked = dict(blocked)

    def message(self, request_id: str) -> str:
        return messages.blocked_message(self.blocked, request_id)


# -- attached files (proxy.relay.attachments) ---------------------------------------------
class AttachmentDataError(ProxyError):
    """An inline file whose payload is not strict base64 (or not a base64 data URL)."""

    default_status = 422

    def __init__(self, number: int) -> None:
        ja, en = messages.file_label(number, None)
        super().__init__(
            "attachment_bad_data",
            f"{ja}のデータが正しい base64 ではありません。",
            f"The data of {en} is not valid base64.",
        )


class TooManyAttachments(PayloadTooLarge):
    def __init__(self, limit: int) -> None:
        super().__init__(
            "attachment_too_many_files",
            f"添付ファイルが多すぎます（{limit} 個まで）。",
            f"The request carries too many attachments ({limit} at most).",
        )


class AttachmentRefused(ProxyError):
    """A file the extractor refused: a limit (413), unreadable or lying about its type
    (422), OCR missing (503). The code is the extractor's reason code."""

    fail_closed = True

    def __init__(
        self, number: int, kind: str | None, code: str, status: int, ja: str, en: str
    ) -> None:
        label_ja, label_en = messages.file_label(number, kind)
        super().__init__(code, f"{label_ja}：{ja}。", f"{label_en}: {en}.", status)
        self.kind = kind


class AttachmentKindBlocked(BadRequest):
    """A file of a kind the policy blocks (images, by default)."""

    action = "block"

    def __init__(self, number: int, kind: str) -> None:
        label_ja, label_en = messages.file_label(number, kind)
        super().__init__(
            "attachment_kind_blocked",
            f"{label_ja}は、この種類のファイルを送らない設定のため送信できません。"
            "内容を文章で送るか、情報システム部門に相談してください。",
            f"{label_en} is of a kind this guard's policy does not send. Send its "
            "content as text, or ask your IT department.",
        )
        self.kind = kind


class AttachmentBlocked(BadRequest):
    """Findings in files: block-level ones (``attachment_sensitive_data``), or mask-level
    ones where the policy does not flatten (``attachment_mask_blocked``). Each file is
    named by its position and kind, with the entity types and counts, never a value."""

    action = "block"

    def __init__(self, code: str, files: list[tuple[int, str, dict[str, int]]]) -> None:
        super().__init__(code, "", "sensitive data in attachments")
        self.files = files

    def message(self, request_id: str) -> str:
        return messages.attachment_blocked_message(
            self.files, masked=self.code == "attachment_mask_blocked", request_id=request_id
        )


# -- the scanner (its detectors.types.ScanError arrives here through scan_refusal) -----------
class ScanLimitRefused(PayloadTooLarge):
    """Not a passing fault: the same request would fail again, so no Retry-After."""

    fail_closed = True

    def __init__(self, code: str) -> None:
        super().__init__(code, "", "scan limit exceeded")

    def message(self, request_id: str) -> str:
        return messages.scan_limit_message(request_id)


class ScanUnavailableRefused(ProxyError):
    """The scan did not finish (overloaded, timed out, a worker died): nothing is sent."""

    default_status = 503
    retry_after = 1
    fail_closed = True

    def __init__(self, code: str) -> None:
        super().__init__(code, "", "scanner unavailable")

    def message(self, request_id: str) -> str:
        return messages.unavailable_message(request_id)


# -- the upstream ----------------------------------------------------------------------------
class MissingCredential(ProxyError):
    """The proxy has no provider key for this family and may not use the client's."""

    default_status = 503

    def __init__(self, family: str = "") -> None:
        super().__init__("missing_upstream_credential", "", "no provider key")
        self.family = family

    def message(self, request_id: str) -> str:
        return (
            "上流APIのキーが設定されていません。管理者に連絡してください。\n"
            "The guard has no provider key configured; contact the administrator."
        )


class UpstreamError(ProxyError):
    """The provider did not give a usable answer; the message carries no request id."""

    default_status = 502

    def message(self, request_id: str) -> str:
        return f"{self.message_ja}\n{self.message_en}"


class UpstreamTimeout(UpstreamError):
    default_status = 504

    def __init__(self) -> None:
        super().__init__(
            "upstream_timeout",
            "上流APIの応答がありませんでした。",
            "The provider did not answer in time.",
        )


class UpstreamUnreachable(UpstreamError):
    def __init__(self) -> None:
        super().__init__(
            "upstream_unreachable",
            "上流APIに接続できませんでした。",
            "Could not reach the provider.",
        )


class UpstreamRedirect(UpstreamError):
    def __init__(self) -> None:
        super().__init__(
            "upstream_redirect",
            "上流APIがリダイレクトを返しました（追従しません）。",
            "The provider answered with a redirect, which is not followed.",
        )


class UpstreamUnreadable(UpstreamError):
    """A whole answer nested deeper than can be walked (no real answer is)."""

    def __init__(self) -> None:
        super().__init__(
            "upstream_unreadable",
            "上流APIの応答を読み取れませんでした。",
            "The provider's answer could not be read.",
        )


class UpstreamBroken(UpstreamError):
    """The answer broke off: ``kind`` is too_large, stalled, truncated or reset."""

    def __init__(self, kind: str) -> None:
        super().__init__(
            "upstream_" + kind,
            "上流APIの応答が途中で途切れました。",
            "The provider's answer broke off.",
        )
        self.kind = kind
