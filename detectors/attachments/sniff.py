"""What a file really is, from its first bytes, and whether its declared media type agrees.

Magic bytes decide; the declared media type may only pick among text kinds (CSV, Markdown…),
because text has no magic. A declared type that names another kind than the bytes show is a
lie and refused (type mismatch); an unknown declared type is unsupported; no declared type
(or application/octet-stream) accepts what the bytes show.
"""

from __future__ import annotations

import io
import zipfile

from detectors.attachments.types import TEXT_KINDS, ExtractionError, Kind, Reason

PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024  # PDF readers accept junk before the header; so do we, this far
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: legacy Office or encrypted OOXML
)
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted OOXML holds
IMAGE_MAGIC: tuple[tuple[bytes, Kind], ...] = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
)
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Other binary formats we recognise only to refuse them as unsupported.
OTHER_BINARY = (b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")

# The main part of each OOXML kind, by its usual name in the package.
OOXML_MAIN_PARTS: tuple[tuple[str, Kind], ...] = (
    ("word/document.xml", Kind.DOCX),
    ("xl/workbook.xml", Kind.XLSX),
    ("ppt/presentation.xml", Kind.PPTX),
)

GENERIC_MEDIA_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
DECLARED: dict[str, frozenset[Kind]] = {
    "application/pdf": frozenset({Kind.PDF}),
    Kind.DOCX.media_type: frozenset({Kind.DOCX}),
    "application/vnd.ms-word.document.macroenabled.12": frozenset({Kind.DOCX}),
    Kind.XLSX.media_type: frozenset({Kind.XLSX}),
    "application/vnd.ms-excel.sheet.macroenabled.12": frozenset({Kind.XLSX}),
    Kind.PPTX.media_type: frozenset({Kind.PPTX}),
    "application/vnd.ms-powerpoint.presentation.macroenabled.12": frozenset({Kind.PPTX}),
    "text/plain": TEXT_KINDS,
    "text/csv": TEXT_KINDS,
    "text/tab-separated-values": TEXT_KINDS,
    "text/markdown": TEXT_KINDS,
    "text/x-markdown": TEXT_KINDS,
    "application/json": TEXT_KINDS,
    "image/png": frozenset({Kind.PNG}),
    "image/jpeg": frozenset({Kind.JPEG}),
    "image/jpg": frozenset({Kind.JPEG}),
    "image/gif": frozenset({Kind.GIF}),
    "image/webp": frozenset({Kind.WEBP}),
}
# For text, the declared type says which text kind it is.
TEXT_KIND_BY_TYPE: dict[str, Kind] = {
    "text/csv": Kind.CSV,
    "text/tab-separated-values": Kind.TSV,
    "text/markdown": Kind.MARKDOWN,
    "text/x-markdown": Kind.MARKDOWN,
    "application/json": Kind.JSON,
}


def parse_media_type(declared: str | None) -> tuple[str, dict[str, str]]:
    """``"Text/CSV; charset=Shift_JIS"`` -> ``("text/csv", {"charset": "shift_jis"})``."""
    if declared is None:
        return "", {}
    base, *rest = declared.split(";")
    params: dict[str, str] = {}
    for item in rest:
        key, sep, value = item.partition("=")
        if sep:
            params[key.strip().lower()] = value.strip().strip('"').lower()
    return base.strip().lower(), params


def sniff(data: bytes) -> Kind:
    """The kind the bytes show. Text kinds come back as ``Kind.TEXT``."""
    if PDF_MAGIC in data[:PDF_MAGIC_WINDOW]:
        return Kind.PDF
    if data.startswith(ZIP_MAGIC):
        return _ooxml_kind(data)
    if data.startswith(CFB_MAGIC):
        # Password-protected Word/Excel/PowerPoint files are OLE containers holding an
        # EncryptedPackage stream; anything else in one is a legacy .doc/.xls/.ppt.
        if ENCRYPTED_PACKAGE in data[: 1024 * 1024]:
            raise ExtractionError(Reason.ENCRYPTED)
        raise ExtractionError(Reason.UNSUPPORTED)
    for magic, kind in IMAGE_MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind.WEBP
    if data.startswith(TEXT_BOMS) or data.startswith(b"\x00\x00\xfe\xff"):
        return Kind.TEXT
    if data.startswith(OTHER_BINARY) or b"\x00" in data[:8192]:
        raise ExtractionError(Reason.UNSUPPORTED)
    return Kind.TEXT


def _ooxml_kind(data: bytes) -> Kind:
    # Only the central directory is read here; entries are checked by ooxml.open_package.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ExtractionError(Reason.MALFORMED) from None
    for main, kind in OOXML_MAIN_PARTS:
        if main in names:
            return kind
    raise ExtractionError(Reason.UNSUPPORTED)  # a plain zip, an ODF file, a JAR…


def resolve_kind(sniffed: Kind, declared: str | None) -> Kind:
    """The kind to extract as, or a refusal when the declared type lies or is unknown."""
    media_type, _ = parse_media_type(declared)
    if media_type in GENERIC_MEDIA_TYPES:
        return sniffed
    allowed = DECLARED.get(media_type)
    if allowed is None:
        raise ExtractionError(Reason.UNSUPPORTED)
    if sniffed not in allowed:
        raise ExtractionError(Reason.TYPE_MISMATCH)
    if sniffed is Kind.TEXT:
        return TEXT_KIND_BY_TYPE.get(media_type, Kind.TEXT)
    return sniffed
