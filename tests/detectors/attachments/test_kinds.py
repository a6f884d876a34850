"""Real Japanese files of every kind: the text comes out, and the scanner finds the values."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest

from detectors.attachments import ExtractionError, Kind, Location, Part, Reason, extract
from detectors.engine import Scanner
from detectors.settings import DetectionSettings
from tests.detectors.attachments import samples

needs_ipa = pytest.mark.skipif(
    not samples.IPA_GOTHIC.exists(),
    reason="fonts-ipafont-gothic not installed (make test installs it: scripts/install_attachment_fonts.sh)",
)

CASES: list[tuple[str, Callable[[], bytes], str | None, Kind, tuple[str, ...], set[str]]] = [
    (
        "word memo with a My Number",
        samples.word_memo,
        Kind.DOCX.media_type,
        Kind.DOCX,
        (samples.MY_NUMBER, samples.PERSON, samples.ADDRESS, "社外秘"),
        {"JP_MY_NUMBER", "PERSON", "PHONE_NUMBER", "ADDRESS", "CONFIDENTIAL_MARKER"},
    ),
    (
        "excel customer list",
        samples.excel_customers,
        Kind.XLSX.media_type,
        Kind.XLSX,
        ("山田太郎", "佐藤花子", "03-3210-4567", "東京都新宿区西新宿2-8-1", samples.MY_NUMBER),
        {"PERSON", "PHONE_NUMBER", "ADDRESS"},
    ),
    pytest.param(
        "pdf invoice with an embedded Japanese font",
        samples.pdf_invoice,
        "application/pdf",
        Kind.PDF,
        ("請求書", samples.ADDRESS, samples.PERSON, samples.PHONE),
        {"ADDRESS", "PERSON", "PHONE_NUMBER"},
        marks=needs_ipa,
    ),
    (
        "pptx visit report with notes",
        samples.pptx_deck,
        None,
        Kind.PPTX,
        ("顧客訪問報告", samples.PHONE, samples.MY_NUMBER),
        {"PERSON", "PHONE_NUMBER", "ADDRESS", "JP_MY_NUMBER"},
    ),
    (
        "shift_jis csv",
        samples.sjis_csv,
        "text/csv",
        Kind.CSV,
        ("氏名,電話番号,住所", "山田太郎", "大阪府大阪市北区梅田1-1-1"),
        {"PERSON", "PHONE_NUMBER", "ADDRESS"},
    ),
]


@pytest.mark.parametrize(("name", "build", "declared", "kind", "snippets", "entities"), CASES)
def test_text_comes_out_and_the_values_are_found(
    scanner: Scanner,
    name: str,
    build: Callable[[], bytes],
    declared: str | None,
    kind: Kind,
    snippets: tuple[str, ...],
    entities: set[str],
) -> None:
    extracted = extract(build(), declared)
    assert extracted.kind is kind
    for snippet in snippets:
        assert snippet in extracted.text, snippet
    found = {
        f.entity_type for c in extracted.chunks for f in scanner.scan(c.text, DetectionSettings())
    }
    assert entities <= found


def test_parts_are_named_by_position_never_by_file_name() -> None:
    deck = extract(samples.pptx_deck(slides=3), None)
    where = [c.location for c in deck.chunks]
    assert Location(Part.SLIDE, 3) in where and Location(Part.NOTES, 2) in where
    assert Location(Part.SLIDE, 3).ja == "3枚目のスライド"
    assert Location(Part.SLIDE, 3).en == "slide 3"
    book = extract(samples.excel_customers(), None)
    sheets = [c for c in book.chunks if c.location.part is Part.SHEET]
    assert [c.location.number for c in sheets] == [1, 2]  # the hidden sheet is read too
    assert sheets[1].text.startswith("控え")  # a sheet's name is content: scanned, not a label


def test_a_number_typed_into_a_cell_reads_as_written() -> None:
    text = extract(samples.excel_customers(), None).text
    assert samples.MY_NUMBER in text and samples.MY_NUMBER + ".0" not in text


def test_word_header_and_properties_are_read() -> None:
    memo = extract(samples.word_memo(), None)
    by_part = {c.location.part: c.text for c in memo.chunks}
    assert by_part[Part.HEADER] == "社外秘"
    assert "総務部" in by_part[Part.PROPERTIES]  # the author travels with the file
    assert "2013-12-23" not in by_part[Part.PROPERTIES]  # dates and counts are left out


@pytest.mark.parametrize(
    ("text", "encoding", "declared"),
    [
        ("氏名,電話\n山田太郎,090-2345-6789\n", "cp932", "text/csv"),
        ("顧客ID,氏名\n1,鈴木一郎\n", "cp932", "text/csv"),  # short: looks Korean to a detector
        ("顧客ID,氏名\n1,鈴木一郎\n", "euc_jp", "text/csv"),
        ("①髙橋さん ﾔﾏﾀﾞ", "cp932", "text/plain"),  # CP932-only characters
        ("件名: 見積\n", "iso2022_jp", "text/plain"),
        ("# 議事録\n- 山田\n", "utf-8", "text/markdown"),
        ("氏名\t電話\n佐藤花子\t03-3210-4567\n", "utf-16", "text/tab-separated-values"),
        ("氏名,電話\n佐藤\n", "utf-8-sig", None),
    ],
)
def test_text_encodings_are_detected(text: str, encoding: str, declared: str | None) -> None:
    assert extract(text.encode(encoding), declared).text == text


def test_a_declared_charset_is_used_when_it_decodes() -> None:
    data = "山田太郎".encode("cp932")
    assert extract(data, "text/plain; charset=Shift_JIS").text == "山田太郎"


def test_json_strings_numbers_and_escapes_are_read() -> None:
    data = b'{"customer": {"name": "\\u5c71\\u7530\\u592a\\u90ce", "my_number": 615237485127}}'
    text = extract(data, "application/json").text
    assert "name: 山田太郎" in text and "my_number: 615237485127" in text


def test_broken_json_is_refused() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(b'{"customer": ', "application/json")
    assert (caught.value.reason, caught.value.status) == (Reason.MALFORMED, 422)


def test_images_are_detected_and_left_unread_unless_ocr_is_asked() -> None:
    pytest.importorskip("PIL")
    for fmt, kind in (
        ("PNG", Kind.PNG),
        ("JPEG", Kind.JPEG),
        ("GIF", Kind.GIF),
        ("WEBP", Kind.WEBP),
    ):
        image = _blank_image(fmt)
        extracted = extract(image, kind.media_type)
        assert extracted.kind is kind and extracted.unread_image and extracted.chunks == ()


def test_errors_cross_the_worker_boundary_intact() -> None:
    error = ExtractionError(Reason.TOO_MANY_PAGES, Location(Part.PAGE, 301))
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.reason, copy.where, copy.status) == (Reason.TOO_MANY_PAGES, error.where, 413)
    assert copy.ja.endswith("（301ページ目）") and copy.en.endswith("(page 301)")


def _blank_image(fmt: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format=fmt)
    return out.getvalue()
