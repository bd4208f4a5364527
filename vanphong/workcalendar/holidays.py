"""The public holidays of a year by the Labour Code 2019, art. 112, computed (no database here).

* New Year's Day, 1/1: one day;
* Lunar New Year (Tết Nguyên Đán): five days, by default the last day of the lunar year and lunar 1/1 to 1/4;
* Hùng Kings' Commemoration Day, lunar 10/3: one day;
* Reunification Day, 30/4, and International Labour Day, 1/5: one day each;
* National Day, 2/9, and one day before or after it, as the government decides (1/9 by default).

A holiday that falls on a Saturday or Sunday gives a compensatory day off (nghỉ bù) on the next working day
(art. 112(3)). Each year the government announces the exact days off for public servants, often moving Tết days
and swapping working days; those decisions are entered in the administration, where they win over these defaults.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .lunar import from_lunar, lunar_new_year, to_lunar

ONE_DAY = datetime.timedelta(days=1)
NATIONAL_DAY_EXTRA = ("before", "after")


@dataclass(frozen=True)
class Holiday:
    date: datetime.date
    name: str
    compensatory: bool = False


def _is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


def _statutory_days_off(year: int, national_day_extra: str) -> list[Holiday]:
    new_year = lunar_new_year(year)
    tet = []
    for offset in range(-1, 4):  # the last day of the lunar year, then lunar 1/1 to 1/4
        day = new_year + offset * ONE_DAY
        lunar = to_lunar(day)
        tet.append(
            Holiday(day, _("Lunar New Year (%(day)s/%(month)s lunar)") % {"day": lunar.day, "month": lunar.month})
        )
    national_day = datetime.date(year, 9, 2)
    extra = national_day - ONE_DAY if national_day_extra == "before" else national_day + ONE_DAY
    days = [
        Holiday(datetime.date(year, 1, 1), _("New Year's Day")),
        *tet,
        Holiday(from_lunar(day=10, month=3, year=year), _("Hùng Kings' Commemoration Day (10/3 lunar)")),
        Holiday(datetime.date(year, 4, 30), _("Reunification Day (30/4)")),
        Holiday(datetime.date(year, 5, 1), _("International Labour Day (1/5)")),
        Holiday(extra, _("National Day holiday (%(date)s)") % {"date": f"{extra.day}/{extra.month}"}),
        Holiday(national_day, _("National Day (2/9)")),
    ]
    # Two holidays on one date (lunar 10/3 can fall on 30/4) make one day off, named after both.
    merged: dict[datetime.date, Holiday] = {}
    for holiday in days:
        if holiday.date in merged:
            holiday = Holiday(holiday.date, f"{merged[holiday.date].name}; {holiday.name}")
        merged[holiday.date] = holiday
    return sorted(merged.values(), key=lambda holiday: holiday.date)


def public_holidays(year: int, *, national_day_extra: str = "before") -> list[Holiday]:
    """The days off of `year` in date order: the statutory holidays (weekend ones included, so the calendar shows
    why a compensatory day exists) and one compensatory day for each holiday on a Saturday or Sunday, on the first
    following weekday that is not itself a holiday or already a compensatory day."""
    if national_day_extra not in NATIONAL_DAY_EXTRA:
        raise ValueError(f"national_day_extra must be one of {NATIONAL_DAY_EXTRA}, not {national_day_extra!r}")
    statutory = _statutory_days_off(year, national_day_extra)
    taken = {holiday.date for holiday in statutory}
    compensatory = []
    for holiday in statutory:
        if not _is_weekend(holiday.date):
            continue
        day = holiday.date + ONE_DAY
        while _is_weekend(day) or day in taken:
            day += ONE_DAY
        taken.add(day)
        compensatory.append(Holiday(day, _("Day off in lieu of %(holiday)s") % {"holiday": holiday.name}, True))
    return sorted(statutory + compensatory, key=lambda holiday: holiday.date)
