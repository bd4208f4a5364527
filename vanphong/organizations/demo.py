"""The demo province: Nghệ An's People's Committee, its office, three departments, three commune People's
Committees, a few external agencies and a dissolved district with its successor, with a person in every position.
Codes follow QCVN 102's structure but are demo values, not the province's real register."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .admin_units import import_administrative_units, peoples_committee_name, place_name
from .models import AdministrativeUnit, Agency, Position, Role, Unit
from .services import assign_position, delegate, set_successor

PROVINCE_CODE = "40"  # Nghệ An in the national list

AGENCIES = [
    # code, name, short name, units (name, short name), username prefix
    (
        "000.00.00.H41",
        "Ủy ban nhân dân tỉnh Nghệ An",
        "UBND",
        [("Phòng Kinh tế", "KT"), ("Phòng Tổng hợp", "TH")],
        "ubnd",
    ),
    (
        "000.00.01.H41",
        "Văn phòng Ủy ban nhân dân tỉnh Nghệ An",
        "VP",
        [("Phòng Hành chính - Tổ chức", "HCTC"), ("Phòng Kiểm soát thủ tục hành chính", "KSTT")],
        "vp",
    ),
    (
        "000.00.11.H41",
        "Sở Tài chính tỉnh Nghệ An",
        "STC",
        [("Văn phòng Sở", "VP"), ("Phòng Quản lý ngân sách", "NS")],
        "stc",
    ),
    (
        "000.00.12.H41",
        "Sở Nội vụ tỉnh Nghệ An",
        "SNV",
        [("Văn phòng Sở", "VP"), ("Phòng Tổ chức biên chế", "TCBC")],
        "snv",
    ),
    ("000.00.13.H41", "Sở Y tế tỉnh Nghệ An", "SYT", [("Văn phòng Sở", "VP"), ("Phòng Nghiệp vụ Y", "NVY")], "syt"),
]
COMMUNE_UNITS = [("Văn phòng HĐND và UBND", "VP"), ("Phòng Kinh tế", "KT")]
EXTERNAL = [
    ("000.00.00.G22", "Văn phòng Chính phủ", "VPCP", "Hà Nội"),
    ("000.00.00.G09", "Bộ Nội vụ", "BNV", "Hà Nội"),
    ("000.00.00.H27", "Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND", "Hà Tĩnh"),
]
AGENCY_TITLES = {Role.HEAD: "Chủ tịch", Role.DEPUTY_HEAD: "Phó Chủ tịch", Role.CLERK: "Văn thư"}
OFFICE_TITLES = {Role.HEAD: "Chánh Văn phòng", Role.DEPUTY_HEAD: "Phó Chánh Văn phòng", Role.CLERK: "Văn thư"}
DEPARTMENT_TITLES = {Role.HEAD: "Giám đốc", Role.DEPUTY_HEAD: "Phó Giám đốc", Role.CLERK: "Văn thư"}
UNIT_TITLES = {Role.UNIT_HEAD: "Trưởng phòng", Role.UNIT_DEPUTY: "Phó Trưởng phòng", Role.SPECIALIST: "Chuyên viên"}
USERNAME_ROLE = {
    Role.HEAD: "thutruong",
    Role.DEPUTY_HEAD: "capho",
    Role.CLERK: "vanthu",
    Role.UNIT_HEAD: "truongphong",
    Role.UNIT_DEPUTY: "phophong",
    Role.SPECIALIST: "chuyenvien",
    Role.ADMINISTRATOR: "quantri",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quang"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
]


def _name(index: int) -> str:
    family = FAMILY[index % len(FAMILY)]
    middle = MIDDLE[(index // 2) % len(MIDDLE)]
    given = GIVEN[(index + index // len(FAMILY)) % len(GIVEN)]
    return f"{family} {middle} {given}"


class _People:
    def __init__(self, password: str):
        self.password, self.count, self.accounts = password, 0, []
        self.User = get_user_model()

    def person(self, username: str) -> object:
        self.count += 1
        person, _created = self.User.objects.get_or_create(username=username, defaults={"full_name": _name(self.count)})
        person.set_password(self.password)
        person.is_active = True
        person.save()
        return person

    def place(self, username, agency, role, title, unit=None):
        person = self.person(username)
        position = Position.objects.current().filter(person=person, agency=agency, role=role, unit=unit).first()
        if position is None:
            position = assign_position(person=person, agency=agency, unit=unit, role=role, title=title, by=None)
        self.accounts.append((username, person.full_name, title, unit.name if unit else agency.name))
        return position


def _agency(code, name, short_name, place, *, hosted=True, parent=None, administrative_unit=None):
    agency, _created = (
        Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "place_name": place,
                "is_hosted": hosted,
                "parent": parent,
                "administrative_unit": administrative_unit,
            },
        )
        if code
        else Agency.objects.update_or_create(
            administrative_unit=administrative_unit,
            defaults={
                "name": name,
                "short_name": short_name,
                "place_name": place,
                "is_hosted": hosted,
                "parent": parent,
            },
        )
    )
    return agency


def _staff(people: _People, agency: Agency, prefix: str, units, titles) -> None:
    for role in (Role.HEAD, Role.DEPUTY_HEAD, Role.CLERK):
        people.place(f"{prefix}.{USERNAME_ROLE[role]}", agency, role, titles[role])
    for unit_name, unit_short in units:
        unit, _created = Unit.objects.get_or_create(agency=agency, name=unit_name, defaults={"short_name": unit_short})
        for role, title in UNIT_TITLES.items():
            people.place(f"{prefix}.{unit_short.lower()}.{USERNAME_ROLE[role]}", agency, role, title, unit)


@transaction.atomic
def load_demo_province(*, password: str) -> list[tuple[str, str, str, str]]:
    """Idempotent; every demo account gets `password`. Returns (username, name, title, where) for each account."""
    import_administrative_units()
    province = AdministrativeUnit.objects.get(code=PROVINCE_CODE)
    people = _People(password)
    agencies = []
    for index, (code, name, short_name, units, prefix) in enumerate(AGENCIES):
        agency = _agency(
            code,
            name,
            short_name,
            place_name(province),
            parent=agencies[0] if index else None,
            administrative_unit=province if index == 0 else None,
        )
        agencies.append(agency)
        titles = [AGENCY_TITLES, OFFICE_TITLES][index] if index < 2 else DEPARTMENT_TITLES
        _staff(people, agency, prefix, units, titles)
    committee = agencies[0]
    # Two wards of Vinh, and the commune that took over from the dissolved Anh Sơn district.
    communes = [*province.communes.order_by("code")[:2], province.communes.get(name="Xã Anh Sơn")]
    for number, commune in enumerate(communes, start=1):
        agency = _agency(
            "",
            peoples_committee_name(commune),
            "UBND",
            place_name(commune),
            parent=committee,
            administrative_unit=commune,
        )
        _staff(people, agency, f"xa{number}", COMMUNE_UNITS, AGENCY_TITLES)
    for code, name, short_name, place in EXTERNAL:
        _agency(code, name, short_name, place, hosted=False)

    # A district People's Committee dissolved by the 2025 reform: old documents keep its code, replies go to the
    # commune that took over.
    anh_son = Agency.objects.get(administrative_unit__province=province, administrative_unit__name="Xã Anh Sơn")
    district = _agency(
        "000.00.31.H41", "Ủy ban nhân dân huyện Anh Sơn", "UBND", "Anh Sơn", hosted=False, parent=committee
    )
    if district.successor_id is None:
        district.valid_from = datetime.date(1963, 4, 19)
        district.save(update_fields=["valid_from"])
        set_successor(agency=district, successor=anh_son, valid_to=datetime.date(2025, 6, 30), by=None)

    platform_administrator = people.place("quantri", committee, Role.ADMINISTRATOR, "Quản trị hệ thống").person
    platform_administrator.is_superuser = True
    platform_administrator.save()
    people.place("stc.quantri", agencies[2], Role.ADMINISTRATOR, "Quản trị Sở Tài chính")

    # The chairman is away this week: a vice-chairman acts for him (ủy quyền).
    head = Position.objects.get(person__username="ubnd.thutruong", role=Role.HEAD, agency=committee)
    deputy = get_user_model().objects.get(username="ubnd.capho")
    if not head.delegations.exists():
        today = timezone.localdate()
        delegate(
            position=head,
            to=deputy,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=7),
            reason="Chủ tịch đi công tác",
            by=None,
        )
    return people.accounts
