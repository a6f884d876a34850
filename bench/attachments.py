"""How fast attachments are extracted, per kind, on generated files (``python -m bench.attachments``).

Each kind gets one generated file (sizes vary: generated text compresses well) (the same builders as the
tests, tests/detectors/attachments/samples.py), extracted a few times; the median time gives
milliseconds per file and megabytes per second of file. OCR is timed on one generated
Japanese screenshot where tesseract is installed. Extraction only: scanning the text is
bench/speed.py's subject. Quick (about half a minute); prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from detectors.attachments import ExtractLimits, extract, ocr_available
from tests.detectors.attachments import samples

MiB = 1024 * 1024
LIMITS = ExtractLimits(max_chars=20_000_000, max_seconds=60.0)

KINDS: list[tuple[str, Callable[[], bytes], str | None]] = [
    ("PDF (pypdfium2), 300 pages", lambda: samples.pdf_invoice(pages=300), "application/pdf"),
    ("DOCX (python-docx), 10,000 paragraphs", lambda: _big_docx(10_000), None),
    ("XLSX (python-calamine), 20,000 rows", lambda: samples.excel_customers(rows=20_000), None),
    ("PPTX (python-pptx), 100 slides", lambda: samples.pptx_deck(slides=100), None),
    (
        "CSV Shift_JIS (charset-normalizer), 20,000 rows",
        lambda: samples.sjis_csv(20_000),
        "text/csv",
    ),
]


def _big_docx(paragraphs: int) -> bytes:
    import io

    import docx

    document = docx.Document()
    for i in range(paragraphs):
        document.add_paragraph(
            f"{i}. 従業員{samples.PERSON}さんの連絡先は{samples.PHONE}、住所は{samples.ADDRESS}です。"
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _time(data: bytes, declared: str | None, repeat: int, ocr: bool = False) -> tuple[float, int]:
    times = []
    chars = 0
    for _ in range(repeat):
        started = time.perf_counter()
        chars = extract(data, declared, LIMITS, ocr=ocr).chars
        times.append(time.perf_counter() - started)
    return statistics.median(times), chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| kind | file size | text chars | ms per file | MB/s of file | k chars/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, build, declared in KINDS:
        data = build()
        seconds, chars = _time(data, declared, args.repeat)
        size = len(data) / MiB
        print(
            f"| {name} | {size:.2f} MiB | {chars:,} | {seconds * 1000:.0f} | {size / seconds:.1f} "
            f"| {chars / seconds / 1000:.0f} |"
        )
    if ocr_available() and samples.IPA_GOTHIC.exists():
        lines = tuple(
            f"{i + 1}. {name} 様 電話 {phone} 住所 {address}"[:28]
            for i, (name, phone, address) in enumerate(samples.CUSTOMERS * 4)
        )
        image = samples.japanese_image(lines)
        seconds, chars = _time(image, "image/png", 1, ocr=True)
        print(
            f"| PNG by OCR (tesseract jpn+eng, 1 thread), 900×{60 + 56 * len(lines)} px, "
            f"{len(lines)} lines | {len(image) / 1024:.0f} KiB | {chars:,} | "
            f"{seconds * 1000:.0f} | {len(image) / MiB / seconds:.2f} | {chars / seconds / 1000:.2f} |"
        )
    else:
        print("(OCR not timed: tesseract with jpn or fonts-ipafont-gothic is not installed)")


if __name__ == "__main__":
    main()
