"""The OCR evaluation set: realistic Vietnamese official documents in Decree 30's layout, typeset with reportlab in
Liberation Serif (standing in for Times New Roman), then "scanned": rasterised at 200 dpi, tinted, blurred, skewed by
up to ±1.5° and sprinkled with noise, with the red seal and the blue signature on the last page. Each document keeps its
ground truth (the fields a clerk registers and the text of page 1) in a JSON file beside it.

    generate(directory, count=30, seed=2026) -> list[Sample]

Nothing here is committed: the set is made at run time (bench/ocr_eval.py, the tests) under var/ or a temp directory.
"""

import dataclasses
import datetime
import functools
import io
import json
import math
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
FONTS = {
    "Serif": "LiberationSerif-Regular.ttf",
    "Serif-Bold": "LiberationSerif-Bold.ttf",
    "Serif-Italic": "LiberationSerif-Italic.ttf",
    "Serif-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
DPI = 200
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 85.0, 50.0, 50.0, 60.0  # 30 mm left, 20 mm top and bottom, 15-20 mm right (Decree 30)
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
LEFT_CENTRE = LEFT + 95  # the issuer's column
RIGHT_CENTRE = LEFT + 320  # the national motto's column


@dataclasses.dataclass(frozen=True)
class Issuer:
    name: str  # as in the directory (organizations.Agency.name)
    short_name: str
    header: tuple[str, ...]  # the left header: parent line(s), then the issuer's own name (bold)
    parent_lines: int  # how many of the header lines are the parent (printed regular)
    place: str  # địa danh of the date line
    collective: str  # "TM. ỦY BAN NHÂN DÂN" or "" for a head-led agency
    head: str  # the signer's title
    units: tuple[str, ...]  # drafting units' abbreviations, for công văn notations


ISSUERS = [
    Issuer(
        "Ủy ban nhân dân tỉnh Nghệ An",
        "UBND",
        ("ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"),
        0,
        "Nghệ An",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        ("KT", "TH", "VX", "NC"),
    ),
    Issuer(
        "Văn phòng Ủy ban nhân dân tỉnh Nghệ An",
        "VP",
        ("UBND TỈNH NGHỆ AN", "VĂN PHÒNG"),
        1,
        "Nghệ An",
        "",
        "CHÁNH VĂN PHÒNG",
        ("HCTC", "KSTT"),
    ),
    Issuer(
        "Sở Tài chính tỉnh Nghệ An",
        "STC",
        ("UBND TỈNH NGHỆ AN", "SỞ TÀI CHÍNH"),
        1,
        "Nghệ An",
        "",
        "GIÁM ĐỐC",
        ("VP", "NS", "QLG"),
    ),
    Issuer(
        "Sở Nội vụ tỉnh Nghệ An",
        "SNV",
        ("UBND TỈNH NGHỆ AN", "SỞ NỘI VỤ"),
        1,
        "Nghệ An",
        "",
        "GIÁM ĐỐC",
        ("VP", "TCBC", "CCVC"),
    ),
    Issuer(
        "Sở Y tế tỉnh Nghệ An", "SYT", ("UBND TỈNH NGHỆ AN", "SỞ Y TẾ"), 1, "Nghệ An", "", "GIÁM ĐỐC", ("VP", "NVY")
    ),
    Issuer(
        "Sở Giáo dục và Đào tạo tỉnh Nghệ An",
        "SGDĐT",
        ("UBND TỈNH NGHỆ AN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
        1,
        "Nghệ An",
        "",
        "GIÁM ĐỐC",
        ("VP", "GDPT"),
    ),
    Issuer(
        "Sở Nông nghiệp và Môi trường tỉnh Nghệ An",
        "SNNMT",
        ("UBND TỈNH NGHỆ AN", "SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG"),
        1,
        "Nghệ An",
        "",
        "GIÁM ĐỐC",
        ("VP", "TL", "ĐĐ"),
    ),
    Issuer(
        "Công an tỉnh Nghệ An",
        "CAT",
        ("BỘ CÔNG AN", "CÔNG AN TỈNH NGHỆ AN"),
        1,
        "Nghệ An",
        "",
        "GIÁM ĐỐC",
        ("PV01", "PC06"),
    ),
    Issuer("Bộ Nội vụ", "BNV", ("BỘ NỘI VỤ",), 0, "Hà Nội", "", "BỘ TRƯỞNG", ("VP", "CCVC", "TCBC")),
    Issuer("Bộ Tài chính", "BTC", ("BỘ TÀI CHÍNH",), 0, "Hà Nội", "", "BỘ TRƯỞNG", ("NSNN", "QLCS")),
    Issuer("Văn phòng Chính phủ", "VPCP", ("VĂN PHÒNG CHÍNH PHỦ",), 0, "Hà Nội", "", "BỘ TRƯỞNG, CHỦ NHIỆM", ("KTTH",)),
    Issuer(
        "Ủy ban nhân dân tỉnh Hà Tĩnh",
        "UBND",
        ("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"),
        0,
        "Hà Tĩnh",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        ("KT", "NL"),
    ),
    Issuer(
        "Sở Tài chính tỉnh Hà Tĩnh",
        "STC",
        ("UBND TỈNH HÀ TĨNH", "SỞ TÀI CHÍNH"),
        1,
        "Hà Tĩnh",
        "",
        "GIÁM ĐỐC",
        ("VP", "NS"),
    ),
    Issuer(
        "Ủy ban nhân dân xã Anh Sơn",
        "UBND",
        ("ỦY BAN NHÂN DÂN", "XÃ ANH SƠN"),
        0,
        "Anh Sơn",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        ("VP", "KT"),
    ),
    Issuer(
        "Ủy ban nhân dân phường Trường Vinh",
        "UBND",
        ("ỦY BAN NHÂN DÂN", "PHƯỜNG TRƯỜNG VINH"),
        0,
        "Trường Vinh",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        ("VP", "VHXH"),
    ),
    Issuer(
        "Ủy ban nhân dân xã Nghi Lộc",
        "UBND",
        ("ỦY BAN NHÂN DÂN", "XÃ NGHI LỘC"),
        0,
        "Nghi Lộc",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        ("VP", "KT"),
    ),
]

# Agencies that appear in the directory but issue nothing in the set: near namesakes the matcher must tell apart.
DISTRACTORS = [
    ("Sở Y tế tỉnh Hà Tĩnh", "SYT"),
    ("Bộ Y tế", "BYT"),
    ("Ủy ban nhân dân huyện Anh Sơn", "UBND"),
    ("Ủy ban nhân dân xã Nghi Xuân", "UBND"),
    ("Sở Nội vụ tỉnh Hà Tĩnh", "SNV"),
    ("Văn phòng Bộ Nội vụ", "VP"),
]

SUBJECTS = [
    "tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm {year}",
    "triển khai thực hiện chuyển đổi số trong các cơ quan hành chính nhà nước",
    "đẩy mạnh giải ngân vốn đầu tư công những tháng cuối năm {year}",
    "tổ chức Tết Nguyên đán Bính Ngọ năm 2026",
    "kiện toàn tổ chức bộ máy sau sắp xếp đơn vị hành chính cấp xã",
    "phòng, chống dịch bệnh mùa mưa bão trên địa bàn tỉnh",
    "thực hiện chế độ báo cáo thống kê định kỳ năm {year}",
    "tăng cường kỷ luật, kỷ cương hành chính trong thi hành công vụ",
    "đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year}",
    "quản lý, sử dụng tài sản công tại các cơ quan, đơn vị",
    "tuyển sinh vào lớp 10 trung học phổ thông năm học {year}-{next}",
    "bảo đảm an toàn thông tin mạng trong hoạt động của cơ quan nhà nước",
    "cải cách thủ tục hành chính và thực hiện dịch vụ công trực tuyến toàn trình",
    "phòng cháy, chữa cháy và cứu nạn, cứu hộ tại khu dân cư",
    "quản lý đất đai và xử lý vi phạm trong lĩnh vực môi trường",
    "lập dự toán ngân sách nhà nước năm {next}",
    "thực hiện chính sách hỗ trợ hộ nghèo, hộ cận nghèo",
    "tổ chức Đại hội thể dục thể thao các cấp",
]

# Per type: title (as printed, or None for a công văn), abbreviation (None: no type in the notation), summary lead
TYPES = [
    ("Quyết định", "QUYẾT ĐỊNH", "QĐ", ["Về việc phê duyệt kế hoạch {s}", "Về việc thành lập Tổ công tác {s}"]),
    ("Chỉ thị", "CHỈ THỊ", "CT", ["Về việc {s}", "Về {s}"]),
    ("Kế hoạch", "KẾ HOẠCH", "KH", ["Triển khai {s}", "Thực hiện {s}"]),
    ("Thông báo", "THÔNG BÁO", "TB", ["Kết luận của Chủ tịch tại cuộc họp về {s}", "Về việc {s}"]),
    ("Báo cáo", "BÁO CÁO", "BC", ["Kết quả {s}", "Tình hình {s}"]),
    ("Tờ trình", "TỜ TRÌNH", "TTr", ["Về việc đề nghị phê duyệt kinh phí {s}", "Đề nghị {s}"]),
    ("Giấy mời", "GIẤY MỜI", "GM", ["Dự hội nghị triển khai {s}", "Dự họp bàn về {s}"]),
    ("Hướng dẫn", "HƯỚNG DẪN", "HD", ["Thực hiện {s}", "Về việc {s}"]),
    ("Chương trình", "CHƯƠNG TRÌNH", "CTr", ["Công tác năm {year} về {s}", "Hành động {s}"]),
    ("Biên bản", "BIÊN BẢN", "BB", ["Cuộc họp về {s}", "Kiểm tra {s}"]),
    ("Công văn", None, None, ["V/v {s}"]),
    ("Công văn", None, None, ["V/v {s}"]),
    ("Công văn", None, None, ["V/v {s}"]),
]

SENTENCES = [
    "Thời gian qua, các cấp, các ngành đã tích cực triển khai nhiệm vụ được giao và đạt được nhiều kết quả quan trọng.",
    "Tuy nhiên, việc thực hiện ở một số cơ quan, đơn vị còn chậm, chưa đồng bộ, chất lượng chưa cao.",
    "Thủ trưởng các sở, ban, ngành cấp tỉnh và Chủ tịch Ủy ban nhân dân các xã, phường chịu trách nhiệm chỉ đạo "
    "thực hiện.",
    "Đề nghị các đơn vị rà soát, tổng hợp số liệu và gửi báo cáo về cơ quan thường trực trước ngày 20 hằng tháng.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn hợp pháp khác.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh kịp thời để được hướng dẫn, "
    "giải quyết.",
    "Tăng cường công tác kiểm tra, giám sát, kịp thời phát hiện và xử lý nghiêm các trường hợp vi phạm.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, nâng cao chất lượng phục vụ người dân và doanh nghiệp.",
    "Chủ động xây dựng phương án, bố trí lực lượng, phương tiện sẵn sàng ứng phó với mọi tình huống phát sinh.",
    "Phối hợp chặt chẽ với các cơ quan liên quan để tổ chức thực hiện có hiệu quả các nhiệm vụ, giải pháp đã đề ra.",
    "Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc và tổng hợp kết quả, báo cáo Chủ tịch Ủy ban nhân dân tỉnh.",
    "Công tác tuyên truyền được đổi mới về nội dung và hình thức, tạo sự đồng thuận cao trong Nhân dân.",
    "Số hồ sơ giải quyết đúng hạn đạt 98,5%, tăng 3,2% so với cùng kỳ năm trước.",
    "Tổng kinh phí đề nghị là 1.250.000.000 đồng (Bằng chữ: Một tỷ hai trăm năm mươi triệu đồng).",
    "Giao Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan tham mưu bố trí kinh phí thực hiện.",
    "Các cơ quan, đơn vị nghiêm túc triển khai thực hiện, báo cáo kết quả trước ngày 15 tháng 12.",
]
BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 125/TTr-SNV.",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hòa", "Hùng", "Lan", "Long", "Nam", "Sơn", "Tâm", "Việt"]


@dataclasses.dataclass
class Sample:
    scan: Path  # the scanned PDF (what the clerk uploads)
    truth: dict  # issuer, number_notation, date, type, summary, pages, page1_text


@functools.cache
def _register_fonts() -> None:
    for name, file in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def vietnamese_date(place: str, day: datetime.date) -> str:
    """'Nghệ An, ngày 05 tháng 3 năm 2026': days below 10 and months 1-2 get a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _wrap(text: str, font: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        limit = width - (indent if not lines else 0)
        if line and pdfmetrics.stringWidth(candidate, font, size) > limit:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def seal_png(lines: tuple[str, ...], short: str, *, size: int = 420) -> bytes:
    """A red round seal: two rings, a star and the agency's name around the edge."""
    red = (205, 25, 35, 235)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=12)
    draw.ellipse((72, 72, size - 72, size - 72), outline=red, width=5)
    centre = size / 2
    points = []
    for k in range(10):
        radius = 42 if k % 2 == 0 else 17
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre - 10 + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    font = ImageFont.truetype(str(FONT_DIR / FONTS["Serif-Bold"]), 30)
    draw.text((centre, centre + 60), short, font=font, fill=red, anchor="mm")
    text = " * ".join(lines) + " *"
    step = 2 * math.pi / max(len(text), 1)
    for index, char in enumerate(text):
        angle = -math.pi / 2 - math.pi + index * step
        tile = Image.new("RGBA", (44, 44), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((22, 22), char, font=font, fill=red, anchor="mm")
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + (centre - 40) * math.cos(angle) - 22
        y = centre + (centre - 40) * math.sin(angle) - 22
        image.alpha_composite(tile, (int(x), int(y)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def signature_png(rng: random.Random) -> bytes:
    image = Image.new("RGBA", (360, 140), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + 40 * k, 70 + rng.randint(-45, 45)) for k in range(9)]
    draw.line(points, fill=(25, 45, 170, 255), width=5, joint="curve")
    draw.line([(40, 100), (320, 60)], fill=(25, 45, 170, 255), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class _Writer:
    """Draws on the canvas and remembers the text of page 1, column by column, in reading order."""

    def __init__(self, page: canvas.Canvas):
        self.page, self.number, self.text = page, 1, []

    def draw(self, text, x, y, font, size, *, align="left", underline=False):
        self.page.setFont(font, size)
        width = pdfmetrics.stringWidth(text, font, size)
        left = {"left": x, "centre": x - width / 2, "right": x - width}[align]
        self.page.drawString(left, y, text)
        if underline:
            self.page.setLineWidth(0.6)
            self.page.line(left + width * 0.1, y - 4, left + width * 0.9, y - 4)
        if self.number == 1:
            self.text.append((-round(y), left, text))

    def justified(self, text, x, y, font, size, width):
        words = text.split()
        natural = pdfmetrics.stringWidth(" ".join(words), font, size)
        gap = (width - natural) / (len(words) - 1) if len(words) > 1 else 0.0
        cursor = x
        self.page.setFont(font, size)
        for word in words:
            self.page.drawString(cursor, y, word)
            cursor += pdfmetrics.stringWidth(word + " ", font, size) + gap
        if self.number == 1:
            self.text.append((-round(y), x, text))

    def page1_text(self) -> str:
        """Page 1 in reading order row by row (left column, then right), as Tesseract reads the two-column header."""
        rows: dict[int, list] = {}
        for row, _x, text in sorted(self.text):
            rows.setdefault(row, []).append(text)
        return "\n".join(" ".join(texts) for _row, texts in sorted(rows.items()))

    def new_page(self):
        self.page.showPage()
        self.number += 1
        self.page.setFont("Serif", 13)
        self.page.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 35, str(self.number))


def _document(rng: random.Random, index: int) -> tuple[bytes, dict]:
    issuer = ISSUERS[index % len(ISSUERS)] if index < len(ISSUERS) else rng.choice(ISSUERS)
    kind, title, abbreviation, leads = TYPES[index % len(TYPES)] if index < len(TYPES) else rng.choice(TYPES)
    day = datetime.date(2025, 1, 2) + datetime.timedelta(days=rng.randrange(0, 480))
    subject = rng.choice(SUBJECTS).format(year=day.year, next=day.year + 1)
    summary = rng.choice(leads).format(s=subject, year=day.year)
    number = rng.choice([rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 2999)])
    unit = rng.choice(issuer.units)
    notation = f"{abbreviation}-{issuer.short_name}" if abbreviation else f"{issuer.short_name}-{unit}"
    number_notation = f"{number:02d}/{notation}"
    if abbreviation in ("QĐ", "CT") and issuer.short_name == "BNV" and rng.random() < 0.5:
        number_notation = f"{number:02d}/{day.year}/{notation}"  # numbered with the year, as ministries often do

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    writer = _Writer(page)
    top = PAGE_HEIGHT - TOP

    # Left column: parent (regular), issuer (bold), a short rule, the number; a công văn's "V/v" under the number.
    y = top
    for line_number, line in enumerate(issuer.header):
        is_parent = line_number < issuer.parent_lines
        last = line_number == len(issuer.header) - 1
        writer.draw(line, LEFT_CENTRE, y, "Serif" if is_parent else "Serif-Bold", 12.5, align="centre", underline=last)
        y -= 15
    number_y = min(y - 12, top - 48)
    writer.draw(f"Số: {number_notation}", LEFT_CENTRE, number_y, "Serif", 13, align="centre")
    y = number_y - 16
    if kind == "Công văn":
        for line in _wrap(summary, "Serif", 12, 190):
            writer.draw(line, LEFT_CENTRE, y, "Serif", 12, align="centre")
            y -= 14
    left_bottom = y
    # Right column: national title, motto (underlined), place and date in italics on the number's line.
    writer.draw("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", RIGHT_CENTRE, top, "Serif-Bold", 12, align="centre")
    writer.draw("Độc lập - Tự do - Hạnh phúc", RIGHT_CENTRE, top - 15, "Serif-Bold", 13, align="centre", underline=True)
    date_line = vietnamese_date(issuer.place, day)
    writer.draw(date_line, RIGHT_CENTRE, number_y, "Serif-Italic", 13, align="centre")

    y = min(left_bottom, number_y) - 22
    if title:
        writer.draw(title, PAGE_WIDTH / 2 + 15, y, "Serif-Bold", 14, align="centre")
        y -= 17
        for line in _wrap(summary, "Serif-Bold", 14, 380):
            writer.draw(line, PAGE_WIDTH / 2 + 15, y, "Serif-Bold", 14, align="centre")
            y -= 17
        page.setLineWidth(0.6)
        page.line(PAGE_WIDTH / 2 - 25, y + 11, PAGE_WIDTH / 2 + 55, y + 11)
        y -= 14
    else:
        recipient = rng.choice(["Các sở, ban, ngành cấp tỉnh;", "Ủy ban nhân dân các xã, phường;", "Bộ Nội vụ."])
        writer.draw(f"Kính gửi: {recipient}", PAGE_WIDTH / 2 + 15, y - 6, "Serif", 14, align="centre")
        y -= 30

    paragraphs = []
    if kind == "Quyết định":
        paragraphs.append(("centre-bold", f"{issuer.head} {issuer.name.upper()}"[:70]))
        paragraphs += [("italic", base) for base in rng.sample(BASES, rng.randint(2, 4))]
        paragraphs.append(("centre-bold", "QUYẾT ĐỊNH:"))
        for article in range(1, rng.randint(3, 5)):
            body = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            paragraphs.append(("text", f"Điều {article}. {body}"))
    else:
        for _ in range(rng.choice([1, 2, 3, 4, 6, 9, 13])):
            paragraphs.append(("text", " ".join(rng.sample(SENTENCES, rng.randint(1, 4)))))
    size, leading = 14, 18.5
    for style, text in paragraphs:
        font = {"italic": "Serif-Italic", "centre-bold": "Serif-Bold"}.get(style, "Serif")
        if style == "centre-bold":
            lines = _wrap(text, font, size, TEXT_WIDTH)
        else:
            lines = _wrap(text, font, size, TEXT_WIDTH, indent=28)
        for line_number, line in enumerate(lines):
            if y < BOTTOM:
                writer.new_page()
                y = PAGE_HEIGHT - TOP - 20
            if style == "centre-bold":
                writer.draw(line, LEFT + TEXT_WIDTH / 2, y, font, size, align="centre")
            elif line_number == len(lines) - 1:
                writer.draw(line, LEFT + (28 if line_number == 0 else 0), y, font, size)
            else:
                indent = 28 if line_number == 0 else 0
                writer.justified(line, LEFT + indent, y, font, size, TEXT_WIDTH - indent)
            y -= leading
        y -= 6

    # Signature block: recipients left, title, signature, seal and name right.
    if y - 175 < BOTTOM:
        writer.new_page()
        y = PAGE_HEIGHT - TOP - 20
    y -= 10
    sign_centre = LEFT + TEXT_WIDTH - 110
    writer.draw("Nơi nhận:", LEFT, y, "Serif-BoldItalic", 12)
    for recipient_line in ["- Như trên;", "- Lưu: VT."]:
        y_r = y - 14 * (1 + ["- Như trên;", "- Lưu: VT."].index(recipient_line))
        writer.draw(recipient_line, LEFT, y_r, "Serif", 11)
    sign_y = y
    for line in filter(None, [issuer.collective, issuer.head]):
        writer.draw(line, sign_centre, sign_y, "Serif-Bold", 13, align="centre")
        sign_y -= 16
    signer = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    page.drawImage(ImageReader(io.BytesIO(signature_png(rng))), sign_centre - 55, sign_y - 75, 110, 43, mask="auto")
    seal = seal_png(issuer.header[issuer.parent_lines :], issuer.short_name)
    page.drawImage(ImageReader(io.BytesIO(seal)), sign_centre - 110, sign_y - 100, 105, 105, mask="auto")
    writer.draw(signer, sign_centre, sign_y - 110, "Serif-Bold", 13, align="centre")
    page.showPage()
    page.save()
    truth = {
        "issuer": issuer.name,
        "issuer_short_name": issuer.short_name,
        "number_notation": number_notation,
        "date": day.isoformat(),
        "type": kind,
        "summary": summary,
        "pages": writer.number,
        "page1_text": writer.page1_text(),
    }
    return out.getvalue(), truth


def scan(pdf: bytes, rng: random.Random, *, dpi: int = DPI) -> bytes:
    """Rasterise at `dpi` and make it look scanned: paper tint, lower contrast, slight blur, skew of up to ±1.5°,
    sensor noise and dust; saved as a JPEG-compressed image PDF at the same resolution."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work, "in.pdf")
        source.write_bytes(pdf)
        command = [shutil.which("pdftoppm") or "pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(work, "p"))]
        subprocess.run(command, check=True)  # noqa: S603 - fixed tool, our own temporary files
        pages = []
        for path in sorted(Path(work).glob("p*.png")):
            image = Image.open(path).convert("RGB")
            image = ImageEnhance.Contrast(image).enhance(rng.uniform(0.75, 0.9))
            image = ImageChops.multiply(image, Image.new("RGB", image.size, (250, 247, 238)))
            image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
            angle = rng.uniform(-1.5, 1.5)
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(246, 244, 236))
            # sensor noise from the seeded generator (PIL's effect_noise draws from C's rand(): not reproducible)
            sigma = rng.uniform(8, 16)
            grain = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
            noise = grain.point(lambda v, sigma=sigma: round(128 + (v - 128) * sigma / 74)).convert("RGB")
            image = ImageChops.add(image, noise, scale=1.0, offset=-128)
            draw = ImageDraw.Draw(image)
            for _ in range(rng.randint(150, 600)):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                r = rng.choice([1, 1, 1, 2])
                draw.ellipse((x, y, x + r, y + r), fill=(rng.randint(40, 110),) * 3)
            pages.append(image)
        out = io.BytesIO()
        pages[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:], quality=82)
        return out.getvalue()


def directory() -> list[tuple[str, str]]:
    """(name, short name) of every agency the evaluation's directory holds: the issuers and their near namesakes."""
    seen = {}
    for issuer in ISSUERS:
        seen.setdefault(issuer.name, issuer.short_name)
    for name, short in DISTRACTORS:
        seen.setdefault(name, short)
    return list(seen.items())


def generate(target: Path, count: int = 30, seed: int = 2026) -> list[Sample]:
    """Write count documents into `target` (NN.pdf typeset, NN-scan.pdf scanned, NN.json ground truth)."""
    _register_fonts()
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - a reproducible test set, nothing secret
    samples = []
    for index in range(count):
        pdf, truth = _document(rng, index)
        scanned = scan(pdf, rng)
        stem = f"{index + 1:02d}"
        Path(target, f"{stem}.pdf").write_bytes(pdf)
        Path(target, f"{stem}-scan.pdf").write_bytes(scanned)
        Path(target, f"{stem}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        samples.append(Sample(Path(target, f"{stem}-scan.pdf"), truth))
    return samples
