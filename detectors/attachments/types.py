"""The values attachment extraction takes and returns: limits, kinds, chunks, typed errors.

Rules stated once: every refusal is an :class:`ExtractionError` with a stable ``reason`` (the
same string in the HTTP error, the audit line and the metric label) and the HTTP ``status``
the caller should answer with — 413 when a limit is exceeded, 422 when the file cannot be
read safely (malformed, encrypted, unsupported, lying about its type, nested archive), 503
when OCR was asked for but this machine cannot do it. Messages name a file's part (page,
sheet, slide), never the file's name or any of its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a file really is, from its magic bytes (the declared media type only refines text)."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"
    TEXT = "text"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"
    JSON = "json"
    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    WEBP = "webp"

    @property
    def is_image(self) -> bool:
        return self in IMAGE_KINDS

    @property
    def is_text(self) -> bool:
        return self in TEXT_KINDS

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]


IMAGE_KINDS = frozenset({Kind.PNG, Kind.JPEG, Kind.GIF, Kind.WEBP})
TEXT_KINDS = frozenset({Kind.TEXT, Kind.CSV, Kind.TSV, Kind.MARKDOWN, Kind.JSON})

# The canonical media type of each kind (what a flattened or forwarded part would carry).
MEDIA_TYPES: dict[Kind, str] = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    Kind.TEXT: "text/plain",
    Kind.CSV: "text/csv",
    Kind.TSV: "text/tab-separated-values",
    Kind.MARKDOWN: "text/markdown",
    Kind.JSON: "application/json",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
    Kind.GIF: "image/gif",
    Kind.WEBP: "image/webp",
}


class Part(StrEnum):
    """Which part of a file a chunk of text came from (messages name it, never the file)."""

    PAGE = "page"
    SHEET = "sheet"
    SLIDE = "slide"
    NOTES = "notes"
    BODY = "body"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTES = "footnotes"
    COMMENTS = "comments"
    PROPERTIES = "properties"
    TEXT = "text"
    IMAGE = "image"


# (Japanese, English) labels; "{n}" is the 1-based number of the page, sheet or slide.
PART_LABELS: dict[Part, tuple[str, str]] = {
    Part.PAGE: ("{n}ページ目", "page {n}"),
    Part.SHEET: ("{n}枚目のシート", "sheet {n}"),
    Part.SLIDE: ("{n}枚目のスライド", "slide {n}"),
    Part.NOTES: ("{n}枚目のスライドのノート", "notes of slide {n}"),
    Part.BODY: ("本文", "body"),
    Part.HEADER: ("ヘッダー", "header"),
    Part.FOOTER: ("フッター", "footer"),
    Part.FOOTNOTES: ("脚注・文末脚注", "footnotes and endnotes"),
    Part.COMMENTS: ("コメント", "comments"),
    Part.PROPERTIES: ("文書プロパティ", "document properties"),
    Part.TEXT: ("本文", "text"),
    Part.IMAGE: ("画像", "image"),
}


@dataclass(frozen=True, slots=True)
class Location:
    """A part of a file: ``Location(Part.PAGE, 3)`` is page 3; ``number`` is None for parts
    that are not numbered (body, properties)."""

    part: Part
    number: int | None = None

    @property
    def ja(self) -> str:
        return PART_LABELS[self.part][0].format(n=self.number)

    @property
    def en(self) -> str:
        return PART_LABELS[self.part][1].format(n=self.number)


@dataclass(frozen=True, slots=True)
class Chunk:
    location: Location
    text: str


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of one file, chunk by chunk, in reading order.

    ``unread_image`` is true for an image that was not OCR'd (the caller blocks it or asks for
    OCR). ``image_only_pages`` lists PDF pages with pictures but no text (a scan: its text is
    not here); ``embedded_images`` counts pictures inside an Office file — both unread, so a
    caller that must be sure can refuse them.
    """

    kind: Kind
    chunks: tuple[Chunk, ...]
    unread_image: bool = False
    ocr: bool = False
    image_only_pages: tuple[Location, ...] = ()
    embedded_images: int = 0

    @property
    def text(self) -> str:
        return "\n\n".join(c.text for c in self.chunks)

    @property
    def chars(self) -> int:
        return sum(len(c.text) for c in self.chunks)


MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    """Bounds on the work one file may cause. Each one exceeded is a 413 with its own reason.

    ``max_seconds`` is checked between pages, sheets, slides and zip entries: one call into a
    parser (a single PDF page) cannot be interrupted, so the caller's worker deadline (which
    kills the worker) is the hard stop; this budget makes the common case end cleanly first.
    """

    max_input_bytes: int = 32 * MiB
    max_pages: int = 300  # PDF pages and PPTX slides
    max_sheets: int = 50
    max_cells: int = 1_000_000  # the sum of every sheet's used range (rows × columns)
    max_decompressed_bytes: int = 100 * MiB  # an OOXML file's zip entries, all together
    max_zip_entries: int = 5_000
    max_chars: int = 1_000_000  # extracted text, all chunks together
    max_seconds: float = 10.0
    max_image_pixels: int = 40_000_000  # images given to OCR

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) <= 0:
                raise ValueError(f"ExtractLimits.{name} must be positive")


class Reason(StrEnum):
    """Stable reason codes: the HTTP error code, the audit reason and the metric label."""

    TOO_LARGE = "attachment_too_large"
    TOO_MANY_PAGES = "attachment_too_many_pages"
    TOO_MANY_SHEETS = "attachment_too_many_sheets"
    TOO_MANY_CELLS = "attachment_too_many_cells"
    TOO_MANY_CHARS = "attachment_too_many_chars"
    TOO_MANY_ENTRIES = "attachment_too_many_entries"
    DECOMPRESSED_TOO_LARGE = "attachment_decompressed_too_large"
    IMAGE_TOO_LARGE = "attachment_image_too_large"
    TIME_EXCEEDED = "attachment_time_exceeded"
    MALFORMED = "attachment_malformed"
    ENCRYPTED = "attachment_encrypted"
    UNSUPPORTED = "attachment_unsupported"
    TYPE_MISMATCH = "attachment_type_mismatch"
    NESTED_ARCHIVE = "attachment_nested_archive"
    UNDECODABLE_TEXT = "attachment_undecodable_text"
    OCR_UNAVAILABLE = "attachment_ocr_unavailable"


# reason -> (HTTP status, Japanese message, English message)
REASONS: dict[Reason, tuple[int, str, str]] = {
    Reason.TOO_LARGE: (413, "添付ファイルが大きすぎます", "the attachment is too large"),
    Reason.TOO_MANY_PAGES: (
        413,
        "添付ファイルのページ（スライド）数が上限を超えています",
        "the attachment has more pages (slides) than allowed",
    ),
    Reason.TOO_MANY_SHEETS: (
        413,
        "添付ファイルのシート数が上限を超えています",
        "the attachment has more sheets than allowed",
    ),
    Reason.TOO_MANY_CELLS: (
        413,
        "添付ファイルのセル範囲が上限を超えています",
        "the attachment's cell ranges exceed the limit",
    ),
    Reason.TOO_MANY_CHARS: (
        413,
        "添付ファイルの文字数が上限を超えています",
        "the attachment holds more text than allowed",
    ),
    Reason.TOO_MANY_ENTRIES: (
        413,
        "添付ファイル（zip形式）の要素数が上限を超えています",
        "the attachment (a zip package) has more entries than allowed",
    ),
    Reason.DECOMPRESSED_TOO_LARGE: (
        413,
        "添付ファイルの展開後のサイズが上限を超えています（zip爆弾の疑い）",
        "the attachment decompresses to more than allowed (possible zip bomb)",
    ),
    Reason.IMAGE_TOO_LARGE: (
        413,
        "画像の画素数が上限を超えています",
        "the image has more pixels than allowed",
    ),
    Reason.TIME_EXCEEDED: (
        413,
        "添付ファイルの読み取りが制限時間を超えました",
        "reading the attachment took longer than allowed",
    ),
    Reason.MALFORMED: (
        422,
        "添付ファイルが壊れているか、正しい形式ではありません",
        "the attachment is malformed",
    ),
    Reason.ENCRYPTED: (
        422,
        "暗号化（パスワード保護）された添付ファイルは検査できません",
        "encrypted (password-protected) attachments cannot be inspected",
    ),
    Reason.UNSUPPORTED: (
        422,
        "この種類の添付ファイルには対応していません",
        "this kind of attachment is not supported",
    ),
    Reason.TYPE_MISMATCH: (
        422,
        "添付ファイルの種類の申告が中身と一致しません",
        "the attachment's declared media type does not match its content",
    ),
    Reason.NESTED_ARCHIVE: (
        422,
        "添付ファイルの中に別のアーカイブや埋め込みファイルがあります",
        "the attachment contains another archive or embedded file",
    ),
    Reason.UNDECODABLE_TEXT: (
        422,
        "テキストの文字コードを判別できません",
        "the text's character encoding could not be determined",
    ),
    Reason.OCR_UNAVAILABLE: (
        503,
        "画像の文字認識（OCR）がこのサーバーでは使えません",
        "OCR of images is not available on this server",
    ),
}


class ExtractionError(Exception):
    """A file refused. ``where`` names the part being read when it happened, if any.

    Its args are (reason, where), so it pickles across the scan worker boundary unchanged.
    """

    def __init__(self, reason: Reason, where: Location | None = None) -> None:
        super().__init__(reason, where)
        self.reason = reason
        self.where = where

    @property
    def status(self) -> int:
        return REASONS[self.reason][0]

    @property
    def ja(self) -> str:
        message = REASONS[self.reason][1]
        return f"{message}（{self.where.ja}）" if self.where else message

    @property
    def en(self) -> str:
        message = REASONS[self.reason][2]
        return f"{message} ({self.where.en})" if self.where else message

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.en}"
