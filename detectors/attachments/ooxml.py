"""OOXML packages (Word, Excel, PowerPoint files are zip archives), checked before parsing.

Rules, in the order they are applied:
1. From the central directory alone: at most ``max_zip_entries`` entries and at most
   ``max_decompressed_bytes`` declared uncompressed in total (a zip bomb is refused before any
   byte is inflated); no duplicate names (two parsers could read two different entries);
   no encrypted entries; only stored or deflated entries (all Office writes).
2. Every entry is then inflated once, streaming, and must produce exactly its declared size
   and CRC (a central directory that lies is malformed), must not be another archive or an
   embedded OLE object (nested archives are refused, including the workbook a chart embeds
   and a macro project), and an XML entry must not carry a DTD (no entity expansion).
Only then do the format libraries open the file.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from detectors.attachments.budget import Budget
from detectors.attachments.types import ExtractionError, Location, Part, Reason

NESTED_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: embedded objects, vbaProject.bin
    b"%PDF-",
)
HEAD_BYTES = 8
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … file name length, extra field length
INFLATE_STEP = 1024 * 1024
MEDIA_PART = re.compile(r"^(word|xl|ppt)/media/")
# Document properties people type (or Office fills in from the user's name); dates, counts
# and template names are left out. Every custom property is read.
PROPERTY_PARTS: dict[str, frozenset[str] | None] = {
    "docProps/core.xml": frozenset(
        {"title", "subject", "creator", "keywords", "description", "lastModifiedBy", "category"}
    ),
    "docProps/app.xml": frozenset({"Company", "Manager", "HyperlinkBase", "TitlesOfParts"}),
    "docProps/custom.xml": None,
}

# One parser for every XML part: no entities, no network, no huge-tree mode.
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


@dataclass(frozen=True, slots=True)
class Package:
    """A checked package: its entries' names and how many pictures it carries."""

    zf: zipfile.ZipFile
    names: frozenset[str]
    media_entries: int

    def read(self, name: str) -> bytes:
        return self.zf.read(name)

    def matching(self, pattern: re.Pattern[str]) -> list[str]:
        return sorted((n for n in self.names if pattern.match(n)), key=_natural)


def _natural(name: str) -> list[Any]:
    # header2.xml before header10.xml
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def open_package(data: bytes, budget: Budget) -> Package:
    limits = budget.limits
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ExtractionError(Reason.MALFORMED) from None
    if len(infos) > limits.max_zip_entries:
        raise ExtractionError(Reason.TOO_MANY_ENTRIES)
    if sum(i.file_size for i in infos) > limits.max_decompressed_bytes:
        raise ExtractionError(Reason.DECOMPRESSED_TOO_LARGE)
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise ExtractionError(Reason.MALFORMED)
    for info in infos:
        if info.flag_bits & 0x1:
            raise ExtractionError(Reason.ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ExtractionError(Reason.UNSUPPORTED)
    view = memoryview(data)
    for info in infos:
        budget.check()
        _verify_entry(view, info)
    return Package(
        zf, frozenset(names), sum(1 for n in names if MEDIA_PART.match(n) and not n.endswith("/"))
    )


def _verify_entry(data: memoryview, info: zipfile.ZipInfo) -> None:
    """Inflate one entry, streaming, and hold it to its declared size and CRC."""
    offset = info.header_offset
    header = bytes(data[offset : offset + LOCAL_HEADER.size])
    if len(header) < LOCAL_HEADER.size:
        raise ExtractionError(Reason.MALFORMED)
    signature, name_len, extra_len = LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise ExtractionError(Reason.MALFORMED)
    start = offset + LOCAL_HEADER.size + name_len + extra_len
    raw = data[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise ExtractionError(Reason.MALFORMED)
    is_xml = info.filename.endswith((".xml", ".rels"))
    produced = 0
    crc = 0
    tail = b""
    head = b""
    for piece in _inflate(raw, info):
        if len(head) < HEAD_BYTES:
            head = (head + piece)[:HEAD_BYTES]
            if len(head) == HEAD_BYTES and head.startswith(NESTED_MAGIC):
                raise ExtractionError(Reason.NESTED_ARCHIVE)
        produced += len(piece)
        if produced > info.file_size:
            raise ExtractionError(Reason.MALFORMED)  # the directory lies about the size
        crc = zlib.crc32(piece, crc)
        if is_xml:
            window = tail + piece
            if any(marker in window for marker in DTD_MARKERS):
                raise ExtractionError(Reason.MALFORMED)
            tail = window[-16:]
    if head.startswith(NESTED_MAGIC):
        raise ExtractionError(Reason.NESTED_ARCHIVE)
    if produced != info.file_size or crc != info.CRC:
        raise ExtractionError(Reason.MALFORMED)


def _inflate(raw: memoryview, info: zipfile.ZipInfo) -> Iterable[bytes]:
    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(raw), INFLATE_STEP):
            yield bytes(raw[pos : pos + INFLATE_STEP])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pos = 0
    pending = b""
    try:
        while not inflater.eof:
            if not pending:
                if pos >= len(raw):
                    raise ExtractionError(Reason.MALFORMED)  # truncated deflate stream
                pending = bytes(raw[pos : pos + INFLATE_STEP])
                pos += INFLATE_STEP
            # max_length bounds memory per step whatever the compression ratio.
            out = inflater.decompress(pending, INFLATE_STEP)
            pending = inflater.unconsumed_tail
            if out:
                yield out
    except zlib.error:
        raise ExtractionError(Reason.MALFORMED) from None


# -- text out of WordprocessingML / DrawingML ---------------------------------------------
@dataclass(frozen=True, slots=True)
class TextTags:
    """Which elements hold text, end a paragraph, or stand for a tab or a line break."""

    text: frozenset[str]
    paragraph: frozenset[str]
    tab: frozenset[str]
    newline: frozenset[str]


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def xml_text(root: Any, tags: TextTags) -> str:
    """The text of an element tree in document order, one line per paragraph.

    ``mc:Fallback`` branches are skipped: they repeat the ``mc:Choice`` content (text boxes).
    """
    out: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag == MC_FALLBACK:
                walker.skip_subtree()
            elif tag in tags.text:
                if el.text:
                    out.append(el.text)
            elif tag in tags.tab:
                out.append("\t")
            elif tag in tags.newline:
                out.append("\n")
        elif tag in tags.paragraph:
            out.append("\n")
    return "".join(out).strip("\n")


def parse_xml(blob: bytes) -> Any:
    try:
        return etree.fromstring(blob, XML_PARSER)
    except etree.XMLSyntaxError:
        raise ExtractionError(Reason.MALFORMED) from None


def all_text(blob: bytes) -> str:
    """Every text node of an XML part, one per line (comments, properties)."""
    root = parse_xml(blob)
    return "\n".join(t.strip() for t in root.itertext() if t.strip())


def add_properties(package: Package, budget: Budget) -> None:
    """Author, title, company, custom properties…: they travel with the file, so they are
    scanned like its content."""
    texts: list[str] = []
    for name, wanted in PROPERTY_PARTS.items():
        if name not in package.names:
            continue
        root = parse_xml(package.read(name))
        elements = [root] if wanted is None else [e for e in root if _local(e) in wanted]
        texts += [t.strip() for e in elements for t in e.itertext() if t.strip()]
    budget.add(Location(Part.PROPERTIES), "\n".join(texts))


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
