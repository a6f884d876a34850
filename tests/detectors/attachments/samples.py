"""Real files for the attachment tests and the bench, made by the libraries themselves.

Each builder returns the bytes of one file. The Japanese values are the suite's canaries
(tests/conftest.py CANARIES) or obviously fictional ones. Hostile files are built cheaply:
the 10,000-page PDF is written by hand (one shared empty page body), the zip bomb streams
zeros through zipfile's deflate.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")

MY_NUMBER = "615237485127"
PERSON = "山本健一"
PHONE = "090-2345-6789"
ADDRESS = "東京都千代田区丸の内1-2-3"
CUSTOMERS = (
    ("山田太郎", "090-2345-6789", "東京都新宿区西新宿2-8-1"),
    ("佐藤花子", "03-3210-4567", "大阪府大阪市北区梅田1-1-1"),
    ("鈴木一郎", "045-671-0000", "神奈川県横浜市中区本町6-50-10"),
)


def word_memo() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "総務部"
    document.add_heading("社内メモ（人事）", level=1)
    document.add_paragraph(f"従業員 {PERSON}さんのマイナンバーは{MY_NUMBER}です。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "連絡先"
    table.cell(0, 1).text = PHONE
    table.cell(1, 0).text = "住所"
    table.cell(1, 1).text = ADDRESS
    document.sections[0].header.paragraphs[0].text = "社外秘"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel_customers(rows: int = 0, *, my_number: bool = True) -> bytes:
    """The customer list; ``rows`` more generated rows make it bigger (for the bench);
    without ``my_number`` it holds names, phones and addresses only."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("顧客一覧")
    sheet.write_row(0, 0, ["氏名", "電話番号", "住所", "個人番号"])
    for r, (name, phone, address) in enumerate(CUSTOMERS, 1):
        sheet.write_row(r, 0, [name, phone, address])
    if my_number:
        sheet.write_number(1, 3, float(MY_NUMBER))  # typed as a number, as people do
    for r in range(rows):
        name, phone, address = CUSTOMERS[r % len(CUSTOMERS)]
        sheet.write_row(len(CUSTOMERS) + 1 + r, 0, [name, phone, f"{address}-{r}", r])
    hidden = workbook.add_worksheet("控え")
    hidden.write(0, 0, "非表示シートのメモ")
    hidden.hide()
    workbook.close()
    return out.getvalue()


def pdf_invoice(pages: int = 1) -> bytes:
    """An invoice drawn with IPA Gothic embedded (a subset, as real invoices carry it)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IPAGothic", str(IPA_GOTHIC)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in range(pages):
        pdf.setFont("IPAGothic", 14)
        pdf.drawString(72, 770, "請求書")
        pdf.setFont("IPAGothic", 10)
        lines = [
            "株式会社サンプル商事 御中",
            f"ご住所: {ADDRESS} サンプルビル5階",
            f"ご担当: {PERSON} 様　電話 {PHONE}",
            "ご請求金額: 110,000円（税込）",
        ]
        lines += [f"明細{page}-{i}: 事務用品一式 数量{i} 単価1,000円" for i in range(40)]
        for i, line in enumerate(lines):
            pdf.drawString(72, 740 - i * 16, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt="user-password")
    pdf.drawString(72, 720, "secret")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_of_pages(count: int) -> bytes:
    """A valid PDF of ``count`` empty pages, written by hand in a few milliseconds."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [" % count
        + b" ".join(b"%d 0 R" % (i + 3) for i in range(count))
        + b"] >>",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * count
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pptx_deck(slides: int = 1) -> bytes:
    import pptx

    deck = pptx.Presentation()
    for n in range(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"顧客訪問報告 {n + 1}"
        body = slide.placeholders[1].text_frame
        body.text = f"訪問先: {CUSTOMERS[0][0]}様"
        body.add_paragraph().text = f"連絡先: 電話 {PHONE}"
        body.add_paragraph().text = f"所在地: {ADDRESS}"
        slide.notes_slide.notes_text_frame.text = f"本人確認: マイナンバー {MY_NUMBER}"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def csv_text(rows: int = 0) -> str:
    lines = ["氏名,電話番号,住所"]
    lines += [",".join(c) for c in CUSTOMERS]
    lines += [",".join(CUSTOMERS[r % 3][:2]) + f",{CUSTOMERS[r % 3][2]}-{r}" for r in range(rows)]
    return "\n".join(lines) + "\n"


def sjis_csv(rows: int = 0) -> bytes:
    return csv_text(rows).encode("cp932")


def with_extra_entries(package: bytes, extra: dict[str, bytes]) -> bytes:
    """The same OOXML package with more entries (deflated)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb_docx(mib: int = 128) -> bytes:
    """A real Word memo plus one entry that inflates to ``mib`` MiB of zeros (~130 KB)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(word_memo())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        block = bytes(1024 * 1024)
        entry = zipfile.ZipInfo("word/media/image1.png")
        entry.compress_type = zipfile.ZIP_DEFLATED
        with target.open(entry, "w", force_zip64=True) as w:
            for _ in range(mib):
                w.write(block)
    return out.getvalue()


def lying_size_docx() -> bytes:
    """A memo with an entry whose directory says 1,000 bytes but inflates to 8 MiB."""
    data = bytearray(
        with_extra_entries(word_memo(), {"word/media/image1.png": bytes(8 * 1024 * 1024)})
    )
    name = b"word/media/image1.png"
    local = data.rfind(b"PK\x03\x04", 0, data.find(name))
    data[local + 22 : local + 26] = (1000).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    return bytes(data)


def nested_zip_docx() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("customers.csv", csv_text())
    return with_extra_entries(word_memo(), {"word/embeddings/oleObject1.bin": inner.getvalue()})


def sparse_xlsx() -> bytes:
    """Two cells, A1 and XFD1048576: a 17-billion-cell used range in 6 KB."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write(0, 0, "a")
    sheet.write(1048575, 16383, "z")
    workbook.close()
    return out.getvalue()


def japanese_image(lines: tuple[str, ...], kind: str = "PNG") -> bytes:
    """Black Japanese text on white, drawn with IPA Gothic (what a screenshot looks like)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(IPA_GOTHIC), 32)
    image = Image.new("RGB", (900, 60 + 56 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((30, 30 + 56 * i), line, font=font, fill="black")
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def xlsx_without_cell_refs() -> bytes:
    """The customer list with every cell's r="B7" removed (positions implied, as the
    format allows and some exporters write)."""
    import re

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(excel_customers())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(<c)\s+r="[A-Z]+[0-9]+"', rb"\1", data)
            target.writestr(info, data)
    return out.getvalue()
