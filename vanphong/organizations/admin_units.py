"""The national list of administrative units after the 1 July 2025 reform (34 provinces, 3,321 communes), taken from
the maintained `vietnam-provinces` package, and the commune People's Committees created from it."""

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, Ward

from vanphong.audit.services import record

from .models import AdministrativeUnit, Agency


@dataclass(frozen=True)
class UnitImport:
    provinces: int
    communes: int


def _province_code(value) -> str:
    return f"{int(value):02d}"


def _commune_code(value) -> str:
    return f"{int(value):05d}"


@transaction.atomic
def import_administrative_units() -> UnitImport:
    """Idempotent: codes never change, names are refreshed."""
    provinces = {}
    for province in Province.iter_all():
        unit, _created = AdministrativeUnit.objects.update_or_create(
            code=_province_code(province.code),
            defaults={
                "name": province.name,
                "division_type": province.division_type.value,
                "level": AdministrativeUnit.Level.PROVINCE,
                "province": None,
            },
        )
        provinces[province.code] = unit
    existing = {unit.code: unit for unit in AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)}
    new, changed = [], []
    for ward in Ward.iter_all():
        code = _commune_code(ward.code)
        values = {
            "name": ward.name,
            "division_type": ward.division_type.value,
            "level": AdministrativeUnit.Level.COMMUNE,
            "province": provinces[ward.province_code],
        }
        unit = existing.get(code)
        if unit is None:
            new.append(AdministrativeUnit(code=code, **values))
        elif any(getattr(unit, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            changed.append(unit)
    AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(changed, ["name", "division_type", "level", "province"], batch_size=1000)
    if new or changed:
        record(
            "organizations.administrative_units_imported",
            object_type="organizations.administrativeunit",
            after={"created": len(new), "updated": len(changed)},
        )
    return UnitImport(
        provinces=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE).count(),
        communes=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).count(),
    )


DIVISION_PREFIXES = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu", "Thị trấn")


def place_name(unit: AdministrativeUnit) -> str:
    """'Phường Rạch Giá' -> 'Rạch Giá', 'Thành phố Hà Nội' -> 'Hà Nội': the địa danh of the date line."""
    for prefix in DIVISION_PREFIXES:
        if unit.name.lower().startswith(prefix.lower() + " "):
            return unit.name[len(prefix) + 1 :]
    return unit.name


def peoples_committee_name(unit: AdministrativeUnit) -> str:
    """'Xã Anh Sơn' -> 'Ủy ban nhân dân xã Anh Sơn'; a name without a division word gets the division type."""
    if unit.name.lower().startswith(tuple(p.lower() + " " for p in DIVISION_PREFIXES)):
        return f"Ủy ban nhân dân {unit.name[0].lower()}{unit.name[1:]}"
    return f"Ủy ban nhân dân {unit.division_type} {unit.name}"


@transaction.atomic
def create_peoples_committees(*, province: AdministrativeUnit, parent: Agency | None = None) -> list[Agency]:
    """Create (or find) the province's People's Committee and one for each of its communes, hosted on this
    platform. Commune committees report directly to the province since the reform. QCVN codes are left empty:
    they are issued by the province, never guessed."""
    province_committee = parent or Agency.objects.filter(administrative_unit=province).first()
    if province_committee is None:
        province_committee = Agency.objects.create(
            name=peoples_committee_name(province),
            short_name="UBND",
            place_name=place_name(province),
            administrative_unit=province,
            is_hosted=True,
        )
        record("organizations.agency_created", obj=province_committee)
    created = []
    known = set(
        Agency.objects.filter(administrative_unit__province=province).values_list("administrative_unit", flat=True)
    )
    for commune in province.communes.order_by("code"):
        if commune.pk in known:
            continue
        agency = Agency.objects.create(
            name=peoples_committee_name(commune),
            short_name="UBND",
            place_name=place_name(commune),
            administrative_unit=commune,
            parent=province_committee,
            is_hosted=True,
        )
        created.append(agency)
    if created:
        record(
            "organizations.peoples_committees_created",
            obj=province_committee,
            after={"province": province.name, "created": len(created)},
        )
    return created
