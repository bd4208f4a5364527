"""What every document kind shares: Decree 30's administrative document types with their notation abbreviations,
urgency (độ khẩn) and secrecy (độ mật). Values of Urgency match edXML's Priority (QCVN 102)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    # Decree 30/2020, Article 7 (29 types). Labels are the Vietnamese names: they are proper names of legal
    # document types, printed as they are in both languages.
    NGHI_QUYET = "NQ", "Nghị quyết"
    QUYET_DINH = "QĐ", "Quyết định"
    CHI_THI = "CT", "Chỉ thị"
    QUY_CHE = "QC", "Quy chế"
    QUY_DINH = "QyĐ", "Quy định"
    THONG_CAO = "TC", "Thông cáo"
    THONG_BAO = "TB", "Thông báo"
    HUONG_DAN = "HD", "Hướng dẫn"
    CHUONG_TRINH = "CTr", "Chương trình"
    KE_HOACH = "KH", "Kế hoạch"
    PHUONG_AN = "PA", "Phương án"
    DE_AN = "ĐA", "Đề án"
    DU_AN = "DA", "Dự án"
    BAO_CAO = "BC", "Báo cáo"
    BIEN_BAN = "BB", "Biên bản"
    TO_TRINH = "TTr", "Tờ trình"
    HOP_DONG = "HĐ", "Hợp đồng"
    CONG_VAN = "CV", "Công văn"  # no abbreviation in notations (Phụ lục III); "CV" is only our stored code
    CONG_DIEN = "CĐ", "Công điện"
    BAN_GHI_NHO = "BGN", "Bản ghi nhớ"
    BAN_THOA_THUAN = "BTT", "Bản thỏa thuận"
    GIAY_UY_QUYEN = "GUQ", "Giấy ủy quyền"
    GIAY_MOI = "GM", "Giấy mời"
    GIAY_GIOI_THIEU = "GGT", "Giấy giới thiệu"
    GIAY_NGHI_PHEP = "GNP", "Giấy nghỉ phép"
    PHIEU_GUI = "PG", "Phiếu gửi"
    PHIEU_CHUYEN = "PC", "Phiếu chuyển"
    PHIEU_BAO = "PB", "Phiếu báo"
    THU_CONG = "THC", "Thư công"  # no abbreviation in notations either


# Types whose notation has no type abbreviation (công văn: "12/UBND-VP").
WITHOUT_ABBREVIATION = {DocumentType.CONG_VAN, DocumentType.THU_CONG}


class Urgency(models.IntegerChoices):
    NORMAL = 0, _("Normal (thường)")
    URGENT = 1, _("Urgent (khẩn)")
    VERY_URGENT = 2, _("Very urgent (thượng khẩn)")
    EXPRESS = 3, _("Express (hỏa tốc)")


class Secrecy(models.IntegerChoices):
    """A document with any mark but NONE never travels electronically and carries no electronic file."""

    NONE = 0, _("None")
    CONFIDENTIAL = 1, _("Confidential (mật)")
    SECRET = 2, _("Secret (tối mật)")
    TOP_SECRET = 3, _("Top secret (tuyệt mật)")
