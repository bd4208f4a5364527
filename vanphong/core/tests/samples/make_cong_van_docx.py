"""Makes the sample drafts the conversion tests use: a công văn of the Sở Tài chính tỉnh Nghệ An laid out as
Decree 30/2020/NĐ-CP asks (Times New Roman, A4, margins 20/20/30/15 mm, the two-column header, the "Nơi nhận"
and signature block side by side), with the place markers of vanphong.core.placeholders.

    .venv/bin/pip install python-docx
    .venv/bin/python vanphong/core/tests/samples/make_cong_van_docx.py

writes cong-van-du-thao.docx (each marker inside one run), cong-van-du-thao-tach-run.docx (each marker split
over several runs with different properties, as Word leaves it after spell-checking or editing) and, when
msoffcrypto-tool is installed too (`pip install msoffcrypto-tool`), cong-van-du-thao-mat-khau.docx: the first one
protected by the password "matkhau" as Word does it (an encrypted package inside an OLE2 compound file). python-docx
and msoffcrypto-tool are needed only here, never by the platform."""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"

BODY = [
    "Thực hiện Quyết định số 1234/QĐ-UBND ngày 15 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh Nghệ An về việc giao "
    "dự toán ngân sách nhà nước năm 2026, Sở Tài chính đề nghị các sở, ban, ngành cấp tỉnh và Ủy ban nhân dân các "
    "huyện, thành phố, thị xã rà soát, tổng hợp tình hình thực hiện dự toán quý I năm 2026.",
    "Báo cáo nêu rõ kết quả giải ngân vốn đầu tư công, các khoản chi thường xuyên đã thực hiện, những khó khăn, "
    "vướng mắc và kiến nghị, đề xuất (nếu có); số liệu theo Phụ lục kèm theo Công văn này.",
    "Văn bản báo cáo gửi về Sở Tài chính (qua Văn phòng Sở) trước ngày 10 tháng 4 năm 2026, đồng thời gửi bản điện "
    "tử qua Hệ thống quản lý văn bản và điều hành để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.",
    "Sở Tài chính đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.",
]
RECIPIENTS = [
    "- Như trên;",
    "- UBND tỉnh (để b/c);",
    "- Giám đốc, các PGĐ Sở;",
    "- Lưu: VT, VP.",
]


def run(paragraph, text, *, size=13, bold=False, italic=False, lang=None):
    r = paragraph.add_run(text)
    r.font.name = FONT
    r.font.size = Pt(size)
    r.bold = bold
    r.italic = italic
    properties = r._r.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    if lang:  # a different language tag is one of the reasons Word splits a run
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), lang)
        properties.append(element)
    return r


def paragraph(cell_or_document, *, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=0, indent=None, first=False):
    p = cell_or_document.add_paragraph() if not first else cell_or_document.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.line_spacing = 1.0
    if indent is not None:
        p.paragraph_format.first_line_indent = indent
    return p


def marked(p, before, marker, after, *, split, **style):
    """`before`, the marker and `after` in one run, or the marker cut over three runs (with a spelling-error mark
    between two of them, as Word writes it) when `split`."""
    if not split:
        run(p, before + marker + after, **style)
        return
    run(p, before + marker[:2], **style)
    p._p.append(OxmlElement("w:proofErr"))
    p._p[-1].set(qn("w:type"), "spellStart")
    run(p, marker[2:-3], lang="en-US", **style)
    p._p.append(OxmlElement("w:proofErr"))
    p._p[-1].set(qn("w:type"), "spellEnd")
    run(p, marker[-3:] + after, **style)


def no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def widths(table, *columns):
    """Column widths LibreOffice honours too: the table grid, each cell, and a fixed layout."""
    table.autofit = False
    for gridcol, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), columns, strict=True):
        gridcol.set(qn("w:w"), str(int(width.twips)))
    for cell, width in zip(table.rows[0].cells, columns, strict=True):
        cell.width = width


def build(path: Path, *, split: bool) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(header)
    left, right = header.rows[0].cells
    widths(header, Cm(6.5), Cm(10))
    run(paragraph(left, first=True), "UBND TỈNH NGHỆ AN", size=13)
    run(paragraph(left), "SỞ TÀI CHÍNH", size=13, bold=True)
    run(paragraph(left), "_______", size=13)
    marked(paragraph(left, before=6), "Số: ", "[[SO]]", "/STC-VP", split=split, size=13)
    run(paragraph(left, before=6), "V/v báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2026", size=12)
    run(paragraph(right, first=True), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    run(paragraph(right), "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    run(paragraph(right), "________________________", size=13)
    marked(paragraph(right, before=6), "Nghệ An, ", "[[NGAY]]", "", split=split, size=14, italic=True)

    addressees = paragraph(document, before=18, after=12)
    run(addressees, "Kính gửi:", size=14)
    run(paragraph(document, after=12), "- Các sở, ban, ngành cấp tỉnh;\n- UBND các huyện, thành phố, thị xã.", size=14)
    for text in BODY:
        run(paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=Cm(1.27)), text, size=14)

    footer = document.add_table(rows=1, cols=2)
    no_borders(footer)
    left, right = footer.rows[0].cells
    widths(footer, Cm(8), Cm(8.5))
    run(
        paragraph(left, align=WD_ALIGN_PARAGRAPH.LEFT, before=12, first=True),
        "Nơi nhận:",
        size=12,
        bold=True,
        italic=True,
    )
    for line in RECIPIENTS:
        run(paragraph(left, align=WD_ALIGN_PARAGRAPH.LEFT), line, size=11)
    run(paragraph(right, before=12, first=True), "GIÁM ĐỐC", size=14, bold=True)
    paragraph(right, before=24)
    marked(paragraph(right, before=12, after=12), "", "[[CHU_KY]]", "", split=split, size=14)
    paragraph(right, before=24)
    run(paragraph(right), "Nguyễn Văn An", size=14, bold=True)

    core = document.core_properties
    core.title, core.author = "Báo cáo tình hình thực hiện dự toán quý I năm 2026", "Văn phòng Sở Tài chính"
    document.save(path)


def encrypt(source: Path, target: Path, password: str) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(source, "rb") as plain, open(target, "wb") as encrypted:
        OOXMLFile(plain).encrypt(password, encrypted)


if __name__ == "__main__":
    build(HERE / "cong-van-du-thao.docx", split=False)
    build(HERE / "cong-van-du-thao-tach-run.docx", split=True)
    print("written", HERE / "cong-van-du-thao.docx", HERE / "cong-van-du-thao-tach-run.docx")
    try:
        encrypt(HERE / "cong-van-du-thao.docx", HERE / "cong-van-du-thao-mat-khau.docx", "matkhau")
        print("written", HERE / "cong-van-du-thao-mat-khau.docx")
    except ImportError:
        print("msoffcrypto-tool is not installed: cong-van-du-thao-mat-khau.docx left as it was")
