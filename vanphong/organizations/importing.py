"""Bulk import of people and their positions from XLSX or CSV. The whole file is checked first; a file with any
bad row imports nothing, and the report names every bad row by line, column and reason."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .errors import OrganizationError
from .models import Agency, Role, Unit
from .services import assign_position, ensure_administers

# Column headings as written in the template (Vietnamese), with English ones accepted too.
COLUMNS = {
    "username": ("Tên đăng nhập", "username"),
    "full_name": ("Họ và tên", "full_name"),
    "email": ("Thư điện tử", "email"),
    "phone": ("Điện thoại", "phone"),
    "agency": ("Cơ quan", "agency"),
    "unit": ("Đơn vị", "unit"),
    "role": ("Vai trò", "role"),
    "title": ("Chức danh", "title"),
}
REQUIRED = ("username", "full_name", "agency", "role")
MAX_LENGTHS = {"username": 150, "full_name": 150, "email": 254, "phone": 30, "title": 150}
MAX_LENGTHS = {"username": 150, "full_name": 150, "email": 254, "phone": 30, "title": 150}
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Role.choices:
        lookup[value] = value
        lookup[slugify(str(label))] = value
        # "Văn thư" as well as "Clerk (văn thư)": the Vietnamese name in brackets.
        if "(" in str(label):
            lookup[slugify(str(label).split("(", 1)[1].rstrip(")"))] = value
    return lookup


def read_rows(filename: str, content: bytes) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            return [
                ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
            ]
        except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
            raise ValueError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    if filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(_("The CSV file must be saved in UTF-8.")) from exc
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel  # a single column, or too little text to tell: commas
        try:
            return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as exc:
            raise ValueError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    raise ValueError(_("Only .xlsx and .csv files can be imported."))


def _map_header(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    aliases = {alias.strip().lower(): key for key, names in COLUMNS.items() for alias in names}
    positions, errors = {}, []
    for index, heading in enumerate(header):
        key = aliases.get(heading.strip().lower())
        if key:
            positions[key] = index
        elif heading.strip():
            errors.append(RowError(1, heading, _("Unknown column.")))
    for key in REQUIRED:
        if key not in positions:
            errors.append(RowError(1, COLUMNS[key][0], _("This column is missing.")))
    return positions, errors


def _find_agency(value: str) -> Agency | None:
    return (
        Agency.objects.filter(code=value).first()
        or Agency.objects.filter(administrative_unit__code=value).first()
        or Agency.objects.filter(name__iexact=value).first()
    )


def check_rows(rows: list[list[str]], *, by) -> tuple[list[dict], list[RowError]]:
    if not rows:
        return [], [RowError(1, "", _("The file is empty."))]
    if len(rows) > MAX_ROWS + 1:
        return [], [RowError(MAX_ROWS + 2, "", _("A file may hold at most %(n)s people.") % {"n": MAX_ROWS})]
    columns, errors = _map_header(rows[0])
    if errors:
        return [], errors
    roles = _role_lookup()
    User = get_user_model()
    existing = {name.lower() for name in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    agencies: dict[str, Agency | None] = {}
    checked = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        value = {key: (row[index] if index < len(row) else "") for key, index in columns.items()}

        def fail(key, reason, line=line):
            errors.append(RowError(line, COLUMNS[key][0], reason))

        for key in REQUIRED:
            if not value.get(key):
                fail(key, _("Required."))
        for key, limit in MAX_LENGTHS.items():
            if len(value.get(key, "")) > limit:
                fail(key, _("At most %(n)s characters.") % {"n": limit})
        for key, limit in MAX_LENGTHS.items():
            if len(value.get(key, "")) > limit:
                fail(key, _("At most %(n)s characters.") % {"n": limit})
        username = value.get("username", "")
        if username:
            if username.lower() in existing:
                fail("username", _("This username already exists."))
            elif username.lower() in seen:
                fail("username", _("Repeats line %(line)s.") % {"line": seen[username.lower()]})
            else:
                seen[username.lower()] = line
            try:
                User._meta.get_field("username").run_validators(username)
            except ValidationError:
                fail("username", _("Use letters, digits and @ . + - _ only."))
        if value.get("email"):
            try:
                validate_email(value["email"])
            except ValidationError:
                fail("email", _("Not a valid e-mail address."))
        if value.get("agency") and value["agency"] not in agencies:
            agencies[value["agency"]] = _find_agency(value["agency"])
        agency = agencies.get(value.get("agency"))
        if value.get("agency") and agency is None:
            fail("agency", _("No agency with this code or name."))
        elif agency is not None and by is not None and not by.is_superuser:
            try:
                ensure_administers(by, agency)
            except OrganizationError as exc:
                fail("agency", str(exc))
        unit = None
        if agency is not None and value.get("unit"):
            unit = (
                Unit.objects.filter(agency=agency).filter(name__iexact=value["unit"]).first()
                or Unit.objects.filter(agency=agency, short_name__iexact=value["unit"]).first()
            )
            if unit is None:
                fail("unit", _("No unit with this name in the agency."))
        role = roles.get(slugify(value.get("role", ""))) if value.get("role") else None
        if value.get("role") and role is None:
            fail("role", _("Unknown role. Use one of: %(roles)s.") % {"roles": ", ".join(Role.values)})
        checked.append({**value, "agency_obj": agency, "unit_obj": unit, "role_code": role})
    return checked, errors


def import_people(*, filename: str, content: bytes, by) -> ImportReport:
    """New accounts get no usable password: an administrator sets one, or the person resets it by e-mail."""
    try:
        rows = read_rows(filename, content)
    except ValueError as exc:
        return ImportReport(errors=[RowError(0, "", str(exc))])
    checked, errors = check_rows(rows, by=by)
    if errors:
        return ImportReport(errors=errors)
    User = get_user_model()
    with transaction.atomic():
        for row in checked:
            person = User.objects.create_user(
                row["username"], full_name=row["full_name"], email=row.get("email", ""), phone=row.get("phone", "")
            )
            assign_position(
                person=person,
                agency=row["agency_obj"],
                unit=row["unit_obj"],
                role=row["role_code"],
                title=row.get("title", ""),
                by=by,
            )
    return ImportReport(created=len(checked))
