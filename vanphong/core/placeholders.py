"""The places a document template marks for what is added after drafting (standards.md §1.6, §1.9): the signer's
signature, the number (số) and the date line (ngày ... tháng ... năm ...).

The drafter types a marker where each goes; converting the draft to PDF finds the markers and blanks them, so the
signing and numbering steps know where to write without the marker showing in the issued document."""

from dataclasses import dataclass

SIGNATURE = "[[CHU_KY]]"  # chữ ký: the signer's signature image (the agency's seal overlaps its left third)
NUMBER = "[[SO]]"  # số: "12" in "Số: 12/QĐ-UBND" (the drafter writes "Số: [[SO]]/QĐ-UBND")
DATE = "[[NGAY]]"  # ngày: "ngày 05 tháng 3 năm 2026" after the place name ("Nghệ An, [[NGAY]]")
MARKERS = {"signature": SIGNATURE, "number": NUMBER, "date": DATE}

Box = tuple[float, float, float, float]  # PDF points, origin bottom-left: x1, y1, x2, y2


@dataclass(frozen=True)
class Place:
    """Where a marker was laid out: the page (0-based) and its box."""

    page: int
    box: Box

    def as_dict(self) -> dict:
        return {"page": self.page, "box": list(self.box)}

    @classmethod
    def from_dict(cls, data: dict) -> "Place":
        return cls(page=int(data["page"]), box=tuple(float(v) for v in data["box"]))
