"""Metadata suggestion from the first page of an official document (Decree 30 layout): issuing agency top left
(matched against the directory), "Số: 04/CT-UBND" under it, place and date top right, the type title and summary in
the middle — or, for a công văn, "V/v …" under the number. The rules are written for OCR output: diacritics lost or
wrong ("Sô:", "S6:", "Số :"), spaces inside notations ("04 / CT-UBND"), and the two header columns interleaved line
by line. The clerk confirms or corrects what is proposed here.

    found = suggest(text, agencies=Agency.objects.all())
    found.as_json() -> {"issuer", "number_notation", "date", "type", "summary"}
"""

import dataclasses
import datetime
import difflib
import re
import unicodedata
from collections.abc import Iterable

from vanphong.core.document_types import DocumentType

HEADER_LINES = 14  # the header (issuer, number, date, V/v) sits in the first lines of page 1


def fold(text: str) -> str:
    """Lower case without diacritics, đ -> d, whitespace collapsed: 'Ủy ban  nhân dân' -> 'uy ban nhan dan'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def _letters(text: str) -> str:
    """fold() keeping letters, digits and single spaces only."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


# -- document types -------------------------------------------------------------------------------------------------
TITLES = {_letters(label): DocumentType(value) for value, label in DocumentType.choices}
ABBREVIATIONS = {fold(value).upper(): DocumentType(value) for value, _label in DocumentType.choices}
ABBREVIATIONS.pop("CV")  # our stored code for công văn, never printed in a notation
ABBREVIATIONS.pop("THC")
CANONICAL_ABBREVIATION = {  # OCR loses Đ and letter case; these folds are unambiguous
    "QD": "QĐ",
    "QYD": "QyĐ",
    "TTR": "TTr",
    "CTR": "CTr",
    "CD": "CĐ",
}


@dataclasses.dataclass
class Suggestion:
    issuer: str = ""  # as printed (the issuer's own line(s) of the header)
    issuer_pk: int | None = None  # the matched directory Agency
    issuer_name: str = ""  # its directory name
    number_notation: str = ""  # as printed, e.g. "04/CT-UBND"
    date: datetime.date | None = None
    type: str = ""  # DocumentType value, e.g. "CT"
    type_label: str = ""  # its Vietnamese name, e.g. "Chỉ thị"
    summary: str = ""

    def as_json(self) -> dict:
        return {
            "issuer": self.issuer_name or self.issuer,
            "number_notation": self.number_notation,
            "date": self.date.isoformat() if self.date else "",
            "type": self.type_label,
            "summary": self.summary,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\f", "\n").splitlines()]


# -- number and notation --------------------------------------------------------------------------------------------
NUMBER_LABEL = re.compile(r"(?<![A-Za-zÀ-ỹ])S\s?[^\W\d_]?\s?[oOóòõỏọôốồổỗộơớờởỡợ06]\s*[:;.,]?\s*", re.UNICODE)
# Between the groups of a notation a scan may give a dash, an en or em dash, or a colon ("08/HD:UBND"); a group with
# lower-case letters (TTr, CTr, QyĐ) may be split by a space ("84/TT r-UBND"). Two spaces or more are the gap to
# the right-hand column ("09/TB-UBND   - Nghi Lộc, ngày …"), never part of the notation.
NOTATION = re.compile(
    r"(?P<number>[0-9OoIl|]{1,5})\s*[/|⁄∕]\s*"
    r"(?P<rest>(?:[0-9]{4}\s*[/⁄∕]\s*)?[A-Za-zĐđ0-9]+(?:\s[a-zđ][A-Za-zĐđ0-9]*)?"
    r"(?:\s?[-–—:]\s?[A-ZĐ0-9][A-Za-zĐđ0-9]*(?![^\W\d_]))+)",
    re.UNICODE,
)

NOTATION_WITHOUT_SLASH = re.compile(  # "Số:03TB-SNV": the slash lost to the scan, only right after the label
    r"(?P<number>[0-9]{1,5})\s*(?P<rest>[A-ZĐ][A-Za-zĐđ0-9]*(?:\s*[-–—]\s*[A-ZĐ0-9][A-Za-zĐđ0-9]*(?![^\W\d_]))+)",
    re.UNICODE,
)


def _clean_number(raw: str) -> str:
    return raw.translate(str.maketrans("OoUuDQIl|", "000000111"))


def _notation(text: str, type_hint: DocumentType | None, short_names: dict[str, str]) -> str:
    candidates = []
    lines = [line.replace("§", "S") for line in _lines(text)]  # a scan reads the S of "Số", "SGDĐT" as §
    for index, line in enumerate(lines):
        for label in NUMBER_LABEL.finditer(line):
            match = NOTATION.match(line, label.end()) or NOTATION_WITHOUT_SLASH.match(line, label.end())
            if not match:
                continue
            score = (index < HEADER_LINES) * 4 + (":" in label.group(0)) * 2 + (label.start() == 0) * 1
            candidates.append((-score, index, match))
    labelled = any(NUMBER_LABEL.match(line.lstrip(" -_.:")) for line in lines[:HEADER_LINES])
    if not candidates and not labelled:  # the label lost entirely: an early "12/UBND-VP"-shaped token
        for index, line in enumerate(lines[:HEADER_LINES]):
            match = NOTATION.search(line)
            if match and re.search(r"[A-Za-z]", match.group("rest")):
                candidates.append((0, index, match))
    if not candidates:
        return ""
    match = sorted(candidates, key=lambda c: c[:2])[0][2]
    number = _clean_number(match.group("number"))
    rest = (
        re.sub(r"\s+", "", match.group("rest"))
        .replace("–", "-")
        .replace("—", "-")
        .replace(":", "-")
        .replace("⁄", "/")
        .replace("∕", "/")
    )
    year = ""
    if "/" in rest:
        year, rest = rest.split("/", 1)
        year += "/"
    groups = rest.split("-")
    for position, group in enumerate(groups):
        key = fold(group).upper()
        if position == 0 and len(groups) > 1:
            if type_hint is not None and key == fold(type_hint.value).upper():
                groups[0] = type_hint.value
                continue
            if key in CANONICAL_ABBREVIATION:
                groups[0] = CANONICAL_ABBREVIATION[key]
                continue
        if key in short_names:
            groups[position] = short_names[key]
        elif re.sub(r"[0-9]", "", key) in short_names and re.search(r"[A-Z]{2}", key):  # "ST1C": a speck read as 1
            groups[position] = short_names[re.sub(r"[0-9]", "", key)]
        elif key.isalpha():
            groups[position] = group.upper() if group.upper() != group and len(group) > 3 else group
    return f"{number}/{year}{'-'.join(groups)}"


# -- date -----------------------------------------------------------------------------------------------------------
DIGIT = "0-9OoIl|UuDQ"  # OCR reads 0 as O, U (Ù), D, Q and 1 as I, l, |; a field still needs one real digit
DATE = re.compile(
    rf"ng\w{{0,2}}y\W*(?P<day>[{DIGIT}]{{1,2}})\W*th\w{{0,2}}ng\W*(?P<month>[{DIGIT}]{{1,2}})\W*n\w{{0,2}}m\W*"
    rf"(?P<year>[{DIGIT}]{{4}})"
)
NUMERIC_DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>(?:19|20)\d{2})(?!\d)"
)


def _to_date(day: str, month: str, year: str) -> datetime.date | None:
    if not all(re.search(r"\d", field) for field in (day, month, year)):
        return None
    try:
        value = datetime.date(int(_clean_number(year)), int(_clean_number(month)), int(_clean_number(day)))
    except ValueError:
        return None
    return value if 1945 <= value.year <= 2100 else None


def _date(text: str) -> datetime.date | None:
    candidates = []
    lines = _lines(text)
    for index, line in enumerate(lines):
        folded = fold(line)
        for match in DATE.finditer(folded):
            value = _to_date(match["day"], match["month"], match["year"])
            if value is None:
                continue
            before = folded[: match.start()].rstrip()
            place_comma = before.endswith(",") or before.endswith(".")  # "Nghệ An, ngày …"
            # "… số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020", "Luật … ngày …": the date of a cited document, unless
            # it is the header's own row ("Số: 89/CT-VP ngày …" when OCR lost the place name)
            own_row = bool(NUMBER_LABEL.match(line.lstrip(" -_.:")))
            cited = not place_comma and not own_row and bool(re.search(r"(\bso\b|\d\S*/\S+|\bluat\b.*)\s*$", before))
            deadline = re.search(r"\b(truoc|tu|den|vao|sau|han|toi|luc|hop)\s*$", before)  # "trước ngày 10 …"
            if cited or deadline or not (place_comma or index < HEADER_LINES):
                continue
            score = place_comma * 4 + (index < HEADER_LINES) * 2
            candidates.append((-score, index, value))
    if not candidates:
        for index, line in enumerate(lines[:HEADER_LINES]):
            for match in NUMERIC_DATE.finditer(line):
                value = _to_date(match["day"], match["month"], match["year"])
                if value:
                    candidates.append((0, index, value))
    return sorted(candidates, key=lambda c: c[:2])[0][2] if candidates else None


# -- type and summary -----------------------------------------------------------------------------------------------
STOP = re.compile(
    r"^(can cu|theo de nghi|kinh gui|dieu \d|chuong [ivx\d]|phan [ivx\d]|i\.|1\.|noi nhan|thuc hien chi thi so)"
)


def _is_letter_or_digit(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LN" and category != "Lm"  # "ˆ", "ʼ" are modifier letters: OCR debris


def _despeck(line: str) -> str:
    """Drop the scanner's specks and stray marks: tokens without a letter or digit, leading dots and dashes."""
    tokens = [token for token in line.split() if any(_is_letter_or_digit(ch) for ch in token)]
    return re.sub(r"^[^\w(\[]+", "", " ".join(tokens)).strip()


def _title_type(line: str) -> DocumentType | None:
    letters = _letters(line)
    if not letters or len(letters) > 20:
        return None
    if letters in TITLES:
        return TITLES[letters]
    close = difflib.get_close_matches(letters, TITLES.keys(), n=1, cutoff=0.84)
    return TITLES[close[0]] if close and len(letters) >= 6 else None


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _type_and_summary(lines: list[str], number_index: int) -> tuple[DocumentType | None, str, int]:
    for index, line in enumerate(lines):
        if index <= number_index - 1 and number_index >= 0:
            continue
        kind = _title_type(line)
        if kind is None or not _is_upper(line):
            continue
        summary: list[str] = []
        after_blank = False
        for following in lines[index + 1 : index + 7]:
            following = _despeck(following)
            if not following:
                after_blank = bool(summary)
                continue
            folded = _letters(following)
            if STOP.match(folded) or (summary and _is_upper(following)):
                break
            if _is_upper(following) and not summary and len(folded) > 40:
                break
            # greedy wrapping: a continuation is never wider than the first line, a body line (full text width) is;
            # a body sentence also tends to introduce something (":") or starts with a known opener. After a blank
            # line (Tesseract splits blocks) only a short tail like "năm 2026" still belongs to the summary.
            if summary and (
                len(following) > 1.1 * len(summary[0]) + 3
                or (following.endswith(":") and len(following) >= 0.6 * len(summary[0]))  # not the rule read as ":"
                or CONTINUE_STOP.match(folded)
                or (after_blank and len(following) > 0.5 * len(summary[0]))
            ):
                break
            summary.append(following)
            last_of_wrap = len(summary) > 1 and len(following) < 0.6 * len(summary[0])  # a short line ends it
            if after_blank or last_of_wrap or following.rstrip().endswith((".", ";", ":")) or len(summary) == 3:
                break
        return kind, " ".join(summary).strip(" .;:"), index
    return None, "", -1


CONTINUE_STOP = re.compile(r"^(thuc hien|thoi gian|trong (nam|thoi gian|qua trinh)|nham|de (thuc hien|trien khai))\b")
PLACE_DATE = re.compile(r"(^|\s+)[^\s,]+(?:\s+[^\s,]+){0,3}\s*,\s*(ng\S{0,3}y\b|\[\[).*$")


def _cut_right_column(line: str) -> str:
    """Drop the right column's "Nghệ An, ngày 05 tháng 3 năm 2026" when it shares a row with the left column."""
    return PLACE_DATE.sub("", line).strip()


VV = re.compile(r"^\W{0,2}[Vv]\s*[/|l1I]\s*[Vv]\b\.?\s*")


def _vv_summary(lines: list[str]) -> str:
    for index, line in enumerate(lines[: HEADER_LINES + 4]):
        # the V/v lines may share a row with the right column (the date); keep the left part
        match = VV.search(line)
        if not match:
            continue
        parts = ["V/v", _despeck(_cut_right_column(re.split(r"\s{3,}", line[match.end() :])[0]))]
        for following in lines[index + 1 : index + 4]:
            following = _despeck(_cut_right_column(re.split(r"\s{3,}", following)[0]))
            if not following or STOP.match(_letters(following)) or _is_upper(following):
                break
            parts.append(following)
        return " ".join(" ".join(parts).split()).strip(" .;")
    return ""


# -- issuer ---------------------------------------------------------------------------------------------------------
NATIONAL = re.compile(r"[cg]ong hoa|xa hoi chu nghia|chu nghia viet|doc lap|tu do|hanh phuc|viet nam\b")
FOOTER = re.compile(r"^\W*(luu|noi nhan|nhu tren|kinh gui)\b")  # the recipients block, read out of order
EXPANSIONS = [
    (r"\b[a-z]{0,2}ubnd", "uy ban nhan dan "),  # "UBND", "ỦÙBND", "UBNDTỈNH" as OCR reads it
    (r"\b[a-z]{0,2}hdnd", "hoi dong nhan dan "),
    (r"\btm\b", ""),
]


PARENT = re.compile(
    r"^[a-z]{0,2}(ubnd|uy ban nhan dan |hdnd|hoi dong nhan dan |bo |tong cuc |tinh uy|thanh uy|dang uy)\s*\S"
)


def _expand(folded: str) -> str:
    for pattern, replacement in EXPANSIONS:
        folded = re.sub(pattern, replacement, folded)
    return " ".join(folded.split())


def _header_left(lines: list[str]) -> list[str]:
    """The issuer lines: the header rows before the number, with the national motto (right column) cut away. When
    the motto shares its row with the issuer's first line, the header starts there: whatever Tesseract put above
    it (a block from the foot of the page, "Lưu: VT.") is not the issuer."""
    left, seen_motto = [], False
    for line in lines[:HEADER_LINES]:
        line = _despeck(line)  # scanner specks
        if not line:
            continue
        if NUMBER_LABEL.match(line) or NOTATION.search(line):
            break
        line = _cut_right_column(line)  # "Nghệ An, ngày …" read before the number
        if not line or DATE.search(fold(line)) or FOOTER.search(fold(line)):
            continue
        folded = _letters(line)
        cut = NATIONAL.search(folded)
        if cut:
            folded = folded[: cut.start()].strip()
            if not folded:
                seen_motto = True
                continue
            if not seen_motto:
                left = []  # the motto's row: the header begins here
            seen_motto = True
            line = _cut_original(line, len(folded.split()))  # the original's words, as many as kept
        left.append(line.strip(" .,;:-_"))
    return [line for line in left if _letters(line)]


def _cut_original(line: str, words: int) -> str:
    return " ".join(line.split()[:words])


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _match_issuer(left: list[str], agencies) -> tuple[object | None, float]:
    if not agencies or not left:
        return None, 0.0
    if len(left) > 1 and PARENT.match(_letters(left[0])):
        # "UBND TỈNH NGHỆ AN / SỞ TÀI CHÍNH" -> "sở tài chính (ủy ban nhân dân) tỉnh nghệ an": the issuer's own name,
        # completed by its parent's name or place (directory names carry them)
        parent = _expand(_letters(left[0]))
        own = _expand(_letters(" ".join(left[1:])))
        place = re.sub(r"^(uy ban nhan dan|hoi dong nhan dan|bo|tong cuc)\s+", "", parent)
        forms = {own, f"{own} {place}", f"{own} {parent}", _expand(_letters(" ".join(left)))}
    else:
        forms = {_expand(_letters(" ".join(left)))}
    best, best_score = None, 0.0
    for agency in agencies:
        name = _expand(_letters(agency.name))
        # spaced and unspaced: OCR drops the spaces of tightly set capitals ("BỘNỘIVỤ")
        score = max(
            max(_similar(form, name), _similar(form.replace(" ", ""), name.replace(" ", ""))) for form in forms if form
        )
        if score > best_score:
            best, best_score = agency, score
    return (best, best_score) if best_score >= 0.8 else (None, best_score)


def suggest(first_page_text: str, *, agencies: Iterable | None = None) -> Suggestion:
    """Propose issuer, number and notation, date, type and summary from page 1's text (OCR or text layer)."""
    if agencies is None:
        from vanphong.organizations.models import Agency

        agencies = list(Agency.objects.only("pk", "name", "short_name"))
    agencies = list(agencies)
    lines = _lines(first_page_text)
    found = Suggestion()

    number_index = next((i for i, line in enumerate(lines[:HEADER_LINES]) if NUMBER_LABEL.match(line)), -1)
    kind, summary, _title_index = _type_and_summary(lines, number_index)
    vv = _vv_summary(lines)
    left = _header_left(lines)
    agency, _score = _match_issuer(left, agencies)
    short_names = {fold(a.short_name).upper(): a.short_name for a in agencies if a.short_name}
    if agency is not None and agency.short_name:
        short_names[fold(agency.short_name).upper()] = agency.short_name
    found.number_notation = _notation(first_page_text, kind, short_names)
    if kind is None:
        head = found.number_notation.split("/")[-1].split("-")[0] if found.number_notation else ""
        by_notation = ABBREVIATIONS.get(fold(head).upper()) if "-" in found.number_notation else None
        # a "V/v" under the number makes a công văn; otherwise the notation's type abbreviation tells the type
        kind = DocumentType.CONG_VAN if vv else by_notation
    if kind is not None:
        found.type, found.type_label = kind.value, kind.label
    found.summary = vv if kind == DocumentType.CONG_VAN and vv else (summary or vv)
    found.date = _date(first_page_text)
    found.issuer = " ".join(left[1:] if len(left) > 1 and PARENT.match(_letters(left[0])) else left)
    if agency is not None:
        found.issuer_pk, found.issuer_name = agency.pk, agency.name
    return found
