"""Hostile and broken files: each refused cleanly, with the right reason and status, fast."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable

import pytest

from detectors.attachments import ExtractionError, ExtractLimits, Kind, Reason, extract
from tests.detectors.attachments import samples

DEFAULT = ExtractLimits()
# Every refusal below comes from a check made before the expensive work: well under this.
QUICK_SECONDS = 2.0


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("customers.csv", samples.csv_text())
    return out.getvalue()


CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

HOSTILE: list[tuple[str, Callable[[], bytes], str | None, ExtractLimits, Reason]] = [
    (
        "zip-bomb docx (128 MiB of zeros)",
        samples.zip_bomb_docx,
        None,
        DEFAULT,
        Reason.DECOMPRESSED_TOO_LARGE,
    ),
    (
        "docx whose directory lies about a size",
        samples.lying_size_docx,
        None,
        DEFAULT,
        Reason.MALFORMED,
    ),
    ("docx with a zip inside", samples.nested_zip_docx, None, DEFAULT, Reason.NESTED_ARCHIVE),
    (
        "pdf of 10,000 pages",
        lambda: samples.pdf_of_pages(10_000),
        "application/pdf",
        DEFAULT,
        Reason.TOO_MANY_PAGES,
    ),
    ("encrypted pdf", samples.encrypted_pdf, "application/pdf", DEFAULT, Reason.ENCRYPTED),
    ("xlsx with A1 and XFD1048576", samples.sparse_xlsx, None, DEFAULT, Reason.TOO_MANY_CELLS),
    (
        "pdf header then garbage",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8,
        None,
        DEFAULT,
        Reason.MALFORMED,
    ),
    (
        "zip header then garbage",
        lambda: b"PK\x03\x04" + b"\x00" * 64,
        None,
        DEFAULT,
        Reason.MALFORMED,
    ),
    ("truncated docx", lambda: samples.word_memo()[:-200], None, DEFAULT, Reason.MALFORMED),
    ("random binary", lambda: bytes(range(256)) * 4, None, DEFAULT, Reason.UNSUPPORTED),
    ("plain zip archive", _plain_zip, None, DEFAULT, Reason.UNSUPPORTED),
    # The sniffer reads only the OLE signature and the EncryptedPackage stream name.
    (
        "password-protected Office file (OLE container)",
        lambda: CFB + "EncryptedPackage".encode("utf-16-le"),
        None,
        DEFAULT,
        Reason.ENCRYPTED,
    ),
    (
        "legacy .doc (OLE container)",
        lambda: CFB + "WordDocument".encode("utf-16-le"),
        None,
        DEFAULT,
        Reason.UNSUPPORTED,
    ),
    ("pdf declared as png", samples.pdf_invoice, "image/png", DEFAULT, Reason.TYPE_MISMATCH),
    ("docx declared as pdf", samples.word_memo, "application/pdf", DEFAULT, Reason.TYPE_MISMATCH),
    (
        "xlsx declared as docx",
        samples.excel_customers,
        Kind.DOCX.media_type,
        DEFAULT,
        Reason.TYPE_MISMATCH,
    ),
    ("csv declared as pdf", samples.sjis_csv, "application/pdf", DEFAULT, Reason.TYPE_MISMATCH),
    ("pdf declared as text", samples.pdf_invoice, "text/plain", DEFAULT, Reason.TYPE_MISMATCH),
    ("docx declared as a zip", samples.word_memo, "application/zip", DEFAULT, Reason.UNSUPPORTED),
    # Limits, each set just below what the file needs.
    ("input bytes", samples.word_memo, None, ExtractLimits(max_input_bytes=1000), Reason.TOO_LARGE),
    (
        "slides",
        lambda: samples.pptx_deck(slides=4),
        None,
        ExtractLimits(max_pages=3),
        Reason.TOO_MANY_PAGES,
    ),
    ("sheets", samples.excel_customers, None, ExtractLimits(max_sheets=1), Reason.TOO_MANY_SHEETS),
    ("cells", samples.excel_customers, None, ExtractLimits(max_cells=15), Reason.TOO_MANY_CELLS),
    ("characters", samples.word_memo, None, ExtractLimits(max_chars=40), Reason.TOO_MANY_CHARS),
    (
        "zip entries",
        samples.word_memo,
        None,
        ExtractLimits(max_zip_entries=5),
        Reason.TOO_MANY_ENTRIES,
    ),
    (
        "decompressed bytes",
        samples.pptx_deck,
        None,
        ExtractLimits(max_decompressed_bytes=10_000),
        Reason.DECOMPRESSED_TOO_LARGE,
    ),
    (
        "time",
        lambda: samples.pdf_of_pages(200),
        None,
        ExtractLimits(max_seconds=1e-9),
        Reason.TIME_EXCEEDED,
    ),
]


@pytest.mark.parametrize(
    ("name", "build", "declared", "limits", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_refused_with_its_reason_within_its_limit(
    name: str,
    build: Callable[[], bytes],
    declared: str | None,
    limits: ExtractLimits,
    reason: Reason,
) -> None:
    data = build()
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught:
        extract(data, declared, limits)
    elapsed = time.monotonic() - started
    assert caught.value.reason is reason
    expected_status = 413 if reason.name.startswith(("TOO_", "DECOMPRESSED", "TIME")) else 422
    assert caught.value.status == expected_status
    assert elapsed < QUICK_SECONDS
    assert caught.value.ja and caught.value.en  # a message for the user, both languages


def test_the_zip_bomb_is_refused_from_the_directory_before_inflating() -> None:
    bomb = samples.zip_bomb_docx()
    assert len(bomb) < 1024 * 1024  # ~130 KB on the wire, 128 MiB inflated
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert sum(i.file_size for i in z.infolist()) > DEFAULT.max_decompressed_bytes


def test_the_same_files_pass_without_the_hostile_part() -> None:
    # The near-misses of the table above: the builders make valid files, only the hostile
    # addition (or the tight limit) gets them refused.
    for build in (samples.word_memo, samples.pptx_deck, samples.excel_customers):
        assert extract(build(), None).chunks
    assert extract(samples.pdf_of_pages(DEFAULT.max_pages), "application/pdf").chunks == ()


@pytest.mark.parametrize(
    "build",
    [samples.excel_customers, samples.xlsx_without_cell_refs],
    ids=["cells with references (regex path)", "positions implied (streaming walk)"],
)
@pytest.mark.parametrize(("max_cells", "refused"), [(16, True), (17, False)])
def test_the_cell_limit_counts_used_ranges_the_same_either_way(
    build: Callable[[], bytes], max_cells: int, refused: bool
) -> None:
    # 4 × 4 on the customer sheet plus 1 × 1 on the hidden one: 17 cells.
    data = build()
    if refused:
        with pytest.raises(ExtractionError) as caught:
            extract(data, None, ExtractLimits(max_cells=max_cells))
        assert caught.value.reason is Reason.TOO_MANY_CELLS
    else:
        assert "山田太郎" in extract(data, None, ExtractLimits(max_cells=max_cells)).text
