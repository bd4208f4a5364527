"""Metadata suggestion from page 1's text: clean text layers and realistic OCR output (lost or wrong diacritics,
"Sô:"/"S6:", spaces inside notations, interleaved header columns)."""

import datetime

import pytest

from vanphong.intake.suggest import fold, suggest
from vanphong.intake.text import extract_text
from vanphong.organizations.models import Agency


def directory():
    names = [
        ("Ủy ban nhân dân tỉnh Nghệ An", "UBND"),
        ("Văn phòng Ủy ban nhân dân tỉnh Nghệ An", "VP"),
        ("Sở Tài chính tỉnh Nghệ An", "STC"),
        ("Sở Tài chính tỉnh Hà Tĩnh", "STC"),
        ("Sở Giáo dục và Đào tạo tỉnh Nghệ An", "SGDĐT"),
        ("Bộ Nội vụ", "BNV"),
        ("Ủy ban nhân dân xã Anh Sơn", "UBND"),
        ("Ủy ban nhân dân huyện Anh Sơn", "UBND"),
    ]
    return [Agency(pk=pk, name=name, short_name=short) for pk, (name, short) in enumerate(names, start=1)]


def by_name(name):
    return next(agency.pk for agency in directory() if agency.name == name)


CLEAN_DIRECTIVE = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 04/CT-UBND
Nghệ An, ngày 05 tháng 3 năm 2026
CHỈ THỊ
Về việc tăng cường công tác phòng, chống thiên tai năm 2026
Thời gian qua, các cấp, các ngành đã tích cực triển khai nhiệm vụ được giao.
"""

# Tesseract's reading of a skewed scan: the two columns interleaved row by row, stray marks, Đ read as D.
NOISY_DECISION = """UBND TỈNH NGHỆ AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ,
SỞ TÀI CHÍNHÑ Độc lập - Tự do - Hạnh phúc

Sô : 127 / QD- STC Nghệ An, ngày 5 tháng 3 năm 2026
QUYÉT ĐỊNH

Về việc phê duyệt kế hoạch lựa chọn nhà thầu
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;
"""

# A công văn without diacritics (a scan read with the wrong language, or typed in ASCII).
ASCII_LETTER = """BO NOI VU CONG HOA XA HOI CHU NGHIA VIET NAM
Doc lap - Tu do - Hanh phuc
S6: 1523/BNV-CCVC Ha Noi, ngay 12 thang 11 nam 2025
V/v huong dan danh gia, xep loai
chat luong can bo nam 2025
Kinh gui: Uy ban nhan dan cac tinh, thanh pho.
Thuc hien Quyet dinh so 25/2023/QD-TTg ngay 03 thang 10 nam 2023 cua Thu tuong Chinh phu,
"""

COMMUNE_INVITATION = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ ANH SƠN Độc lập - Tự do - Hạnh phúc
Số :09/GM-UBND Anh Sơn, ngày 20 tháng 01 năm 2026
GIAY MỜI
Dự hội nghị triển khai chuyển đổi số
năm 2026
Ủy ban nhân dân xã trân trọng kính mời:
"""

DEPARTMENT_REPORT_LAYOUT = """    UBND TINH NGHE AN                  CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
    SỞ GIÁO DỤC VÀ ĐÀO TẠO                   Độc lập - Tự do - Hạnh phúc

    Số: 88 / BC-SGDĐT                     Nghệ An, ngày 31 tháng 12 năm 2025

                                       BÁO CÁO
                    Kết quả tuyển sinh vào lớp 10 năm học 2025-2026

        Thực hiện Kế hoạch số 12/KH-UBND ngày 10 tháng 01 năm 2025,
"""


def test_a_clean_directive():
    found = suggest(CLEAN_DIRECTIVE, agencies=directory())
    assert found.number_notation == "04/CT-UBND"
    assert found.date == datetime.date(2026, 3, 5)
    assert (found.type, found.type_label) == ("CT", "Chỉ thị")
    assert found.summary == "Về việc tăng cường công tác phòng, chống thiên tai năm 2026"
    assert found.issuer_pk == by_name("Ủy ban nhân dân tỉnh Nghệ An")
    assert found.as_json() == {
        "issuer": "Ủy ban nhân dân tỉnh Nghệ An",
        "number_notation": "04/CT-UBND",
        "date": "2026-03-05",
        "type": "Chỉ thị",
        "summary": "Về việc tăng cường công tác phòng, chống thiên tai năm 2026",
    }


def test_a_noisy_department_decision():
    found = suggest(NOISY_DECISION, agencies=directory())
    assert found.number_notation == "127/QĐ-STC"
    assert found.date == datetime.date(2026, 3, 5)  # not the cited decree's date
    assert found.type_label == "Quyết định"
    assert found.summary == "Về việc phê duyệt kế hoạch lựa chọn nhà thầu"
    # "SỞ TÀI CHÍNH" under "UBND TỈNH NGHỆ AN": the Nghệ An department, not its Hà Tĩnh namesake
    assert found.issuer_pk == by_name("Sở Tài chính tỉnh Nghệ An")


def test_an_ascii_cong_van_of_a_ministry():
    found = suggest(ASCII_LETTER, agencies=directory())
    assert found.number_notation == "1523/BNV-CCVC"
    assert found.date == datetime.date(2025, 11, 12)
    assert found.type_label == "Công văn"
    assert found.summary == "V/v huong dan danh gia, xep loai chat luong can bo nam 2025"
    assert found.issuer_pk == by_name("Bộ Nội vụ")


def test_a_commune_invitation_with_a_misread_title():
    found = suggest(COMMUNE_INVITATION, agencies=directory())
    assert found.number_notation == "09/GM-UBND"
    assert found.date == datetime.date(2026, 1, 20)
    assert found.type_label == "Giấy mời"
    assert found.summary == "Dự hội nghị triển khai chuyển đổi số năm 2026"
    assert found.issuer_pk == by_name("Ủy ban nhân dân xã Anh Sơn")  # not the dissolved district


def test_a_layout_text_keeps_the_notations_own_letters():
    found = suggest(DEPARTMENT_REPORT_LAYOUT, agencies=directory())
    assert found.number_notation == "88/BC-SGDĐT"
    assert found.date == datetime.date(2025, 12, 31)
    assert found.type_label == "Báo cáo"
    assert found.summary == "Kết quả tuyển sinh vào lớp 10 năm học 2025-2026"
    assert found.issuer_pk == by_name("Sở Giáo dục và Đào tạo tỉnh Nghệ An")


def test_a_block_from_the_foot_of_the_page_read_first_is_not_the_issuer():
    # Tesseract sometimes emits a stray block first; "GỘNG HÒA" for CỘNG, a fraction slash for "/"
    text = """; = Lưu: VT.

ỦY BAN NHÂN DÂN  GỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
- 'TỈNH NGHỆ AN : Độc lập - Tự do - Hạnh phúc

Số: 03⁄QĐ-UBND. Nghệ An, ngày 27 tháng 7 năm 2025
QUYẾT ĐỊNH
"""
    found = suggest(text, agencies=directory())
    assert found.issuer_pk == by_name("Ủy ban nhân dân tỉnh Nghệ An")
    assert found.issuer == "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    assert found.number_notation == "03/QĐ-UBND"
    assert found.date == datetime.date(2025, 7, 27)


def test_columns_read_one_after_the_other():
    text = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 3 tháng 02 năm 2026
BỘ NỘI VỤ
Số: 512/BNV-VP
V/v góp ý dự thảo Thông tư
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.
"""
    found = suggest(text, agencies=directory())
    assert found.issuer_pk == by_name("Bộ Nội vụ")
    assert (found.number_notation, found.date) == ("512/BNV-VP", datetime.date(2026, 2, 3))
    assert (found.type_label, found.summary) == ("Công văn", "V/v góp ý dự thảo Thông tư")


def test_an_unknown_issuer_is_kept_as_printed():
    text = CLEAN_DIRECTIVE.replace("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN", "BAN QUẢN LÝ DỰ ÁN\nĐẦU TƯ XÂY DỰNG")
    found = suggest(text.replace("CT-UBND", "CT-BQLDA"), agencies=directory())
    assert found.issuer_pk is None
    assert fold(found.as_json()["issuer"]) == "ban quan ly du an dau tu xay dung"
    assert found.number_notation == "04/CT-BQLDA"


def test_a_draft_without_number_or_date_proposes_none():
    found = suggest("SỞ TÀI CHÍNH\nSố: [[SO]]/STC-VP\nV/v báo cáo quý I\nNghệ An, [[NGAY]]\n", agencies=directory())
    assert found.number_notation == "" and found.date is None
    assert found.type_label == "Công văn" and found.summary == "V/v báo cáo quý I"


def test_the_draft_cong_van_sample_has_no_number_or_date_yet():
    with open("vanphong/core/tests/samples/cong-van-du-thao.docx", "rb") as sample:
        text = extract_text(sample.read(), "cong-van-du-thao.docx")
    found = suggest(text, agencies=directory())
    assert found.number_notation == ""  # "Số: [[SO]]/STC-VP", not the cited "1234/QĐ-UBND"
    assert found.date is None  # "Nghệ An, [[NGAY]]", not the cited decision's date
    assert found.type_label == "Công văn"
    assert found.summary == "V/v báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2026"
    assert found.issuer_pk == by_name("Sở Tài chính tỉnh Nghệ An")


@pytest.mark.django_db
def test_the_directory_is_read_from_the_database_by_default():
    agency = Agency.objects.create(name="Sở Tài chính tỉnh Nghệ An", short_name="STC")
    assert suggest(NOISY_DECISION).issuer_pk == agency.pk


@pytest.mark.parametrize(
    ("number_line", "expected"),
    [
        ("-§ố:09/TB-UBND  - Nghi Lộc, ngày 10 tháng 01 năm 2026", "09/TB-UBND"),  # § for S; the column gap
        ("'Số: 84/TT r-UBND : Trường Vinh, ngày 30 tháng 5 năm 2025", "84/TTr-UBND"),  # TTr split by a space
        ("Số: 08/HD:UBND ___ Nghệ An, ngày 03 tháng 01 năm 2026", "08/HD-UBND"),  # a colon for the dash
        ("_ Số:1239/§GDĐT-GDPT .. Nghệ An, ngày 29 tháng 01 năm 2026", "1239/SGDĐT-GDPT"),
    ],
)
def test_number_lines_as_scans_misread_them(number_line, expected):
    header = "ỦY BAN NHÂN DÂN        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH NGHỆ AN   Độc lập - Tự do - Hạnh phúc\n"
    text = header + number_line + "\n"
    assert suggest(text, agencies=directory()).number_notation == expected
