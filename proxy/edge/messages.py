"""What staff read when something is stopped: Japanese first, English alongside.

Messages name the kinds of data and how many were found, and what to do — never a value.
"""

from __future__ import annotations

from collections.abc import Mapping

from detectors.entities import describe


def _kinds(counts: Mapping[str, int], lang: str) -> str:
    parts = []
    for entity_type, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        info = describe(entity_type)
        parts.append(f"{info.ja} {n}件" if lang == "ja" else f"{info.en} x{n}")
    return "、".join(parts) if lang == "ja" else ", ".join(parts)


def blocked_message(counts: Mapping[str, int], request_id: str) -> str:
    ja = (
        f"送信を止めました：{_kinds(counts, 'ja')} が含まれています。"
        "該当する情報を削除するか伏せ字にしてから、もう一度送ってください。"
        "業務上どうしても必要な場合は情報システム部門に相談してください。"
        f"（リクエストID: {request_id}）"
    )
    en = (
        f"Blocked: the request contains {_kinds(counts, 'en')}. "
        "Remove or redact that information and send again; if your work needs it, "
        f"ask your IT department. (request id: {request_id})"
    )
    return f"{ja}\n{en}"


def non_text_message(kinds: list[str], request_id: str) -> str:
    ja_names = {"image": "画像", "file": "ファイル", "audio": "音声"}
    ja = "、".join(ja_names.get(k, k) for k in kinds)
    return (
        f"送信を止めました：{ja}は中身を検査できないため、このプロキシでは送信できません"
        "（URL や file_id で参照したファイル・画像は検査できません。データとして直接添付してください）。"
        f"文章で送るか、情報システム部門に相談してください。（リクエストID: {request_id}）\n"
        f"Blocked: {', '.join(kinds)} content cannot be inspected, so this proxy does not "
        "send it (files and images given by URL or file_id cannot be read; attach the data "
        f"itself). Send text instead or ask your IT department. (request id: {request_id})"
    )


# A file kind of the policy (proxy.policy.model.FILE_KINDS) as staff know it.
FILE_KIND_LABELS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF", "PDF"),
    "docx": ("Word", "Word"),
    "xlsx": ("Excel", "Excel"),
    "pptx": ("PowerPoint", "PowerPoint"),
    "text": ("テキスト", "text"),
    "image": ("画像", "image"),
}


def file_label(number: int, kind: str | None) -> tuple[str, str]:
    """ "添付ファイル2（PDF）" / "attachment 2 (PDF)": by position, never by file name."""
    if kind is None:
        return (f"添付ファイル{number}", f"attachment {number}")
    ja, en = FILE_KIND_LABELS.get(kind, (kind, kind))
    return (f"添付ファイル{number}（{ja}）", f"attachment {number} ({en})")


def attachment_blocked_message(
    files: list[tuple[int, str, dict[str, int]]], *, masked: bool, request_id: str
) -> str:
    ja_files = "、".join(f"{file_label(n, k)[0]}に{_kinds(c, 'ja')}" for n, k, c in files)
    en_files = "; ".join(f"{file_label(n, k)[1]} contains {_kinds(c, 'en')}" for n, k, c in files)
    if masked:
        ja_do = "ファイルの中身は伏せ字にして送れない設定です。該当する情報を削除してから添付し直してください。"
        en_do = (
            "Files are not rewritten under this policy: remove that information from the "
            "file and attach it again."
        )
    else:
        ja_do = "該当する情報を削除してから添付し直してください。"
        en_do = "Remove that information from the file and attach it again."
    return (
        f"送信を止めました：{ja_files}が含まれています。{ja_do}"
        "業務上どうしても必要な場合は情報システム部門に相談してください。"
        f"（リクエストID: {request_id}）\n"
        f"Blocked: {en_files}. {en_do} If your work needs it, ask your IT department. "
        f"(request id: {request_id})"
    )


def server_state_message(features: list[str], request_id: str) -> str:
    return (
        "送信を止めました：プロバイダ側に保存された会話やファイル"
        f"（{', '.join(features)}）は検査できないため使えません。会話の全文を送ってください。"
        f"（リクエストID: {request_id}）\n"
        f"Blocked: server-side state ({', '.join(features)}) cannot be inspected. Send the "
        f"whole conversation instead. (request id: {request_id})"
    )


def scan_limit_message(request_id: str) -> str:
    return (
        "送信を止めました：エンコードされた内容（base64 など）が多すぎて、すべてを検査できません。"
        "元の文章のまま、または分けて送ってください。"
        f"（リクエストID: {request_id}）\n"
        "Blocked: the request carries more encoded content (base64 and the like) than the "
        "guard can inspect. Send the plain text, or send it in parts. "
        f"(request id: {request_id})"
    )


def unavailable_message(request_id: str) -> str:
    return (
        "検査が一時的にできないため送信しませんでした。しばらくしてからもう一度送ってください。"
        f"（リクエストID: {request_id}）\n"
        "The guard could not inspect this request right now, so nothing was sent. "
        f"Please try again shortly. (request id: {request_id})"
    )


def unauthorized_message(request_id: str) -> str:
    return (
        "認証できませんでした。情報システム部門から配布されたプロキシ用のキーを設定してください。"
        f"（リクエストID: {request_id}）\n"
        "Not authenticated: set the proxy key your IT department gave you. "
        f"(request id: {request_id})"
    )
