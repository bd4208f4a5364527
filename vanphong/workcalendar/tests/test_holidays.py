"""An operator loads a year's public holidays; the government's later changes are entered by hand and kept."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from vanphong.audit.models import AuditEntry
from vanphong.organizations.models import Role
from vanphong.workcalendar.errors import WorkCalendarError
from vanphong.workcalendar.models import CalendarDay
from vanphong.workcalendar.selectors import is_working_day
from vanphong.workcalendar.services import load_public_holidays, save_calendar_day

pytestmark = pytest.mark.django_db


def holidays_of(year):
    return set(
        CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.HOLIDAY).values_list("date", flat=True)
    )


def test_loading_2026_gives_five_days_off_for_tet_and_every_public_holiday():
    created = load_public_holidays(year=2026)

    tet = {datetime.date(2026, 2, day) for day in range(16, 21)}  # 29 Chạp to mùng 4, Monday to Friday
    assert tet <= holidays_of(2026)
    assert not any(is_working_day(day) for day in tet)
    assert is_working_day(datetime.date(2026, 2, 23))
    assert {
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 26),  # Hùng Kings, a Sunday
        datetime.date(2026, 4, 27),  # … so Monday is off in lieu
        datetime.date(2026, 4, 30),
        datetime.date(2026, 5, 1),
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 2),
    } <= holidays_of(2026)
    assert len(created) == 12
    entry = AuditEntry.objects.get(action="workcalendar.holidays_loaded")
    assert entry.object_type == "workcalendar.calendarday"
    assert entry.after["year"] == 2026
    assert {"date": "2026-02-17", "name": CalendarDay.objects.get(date="2026-02-17").name} in entry.after["created"]


def test_national_day_on_a_saturday_gives_the_monday_off():
    load_public_holidays(year=2023)  # 2/9/2023 was a Saturday; the government gave 1/9 and 4/9 off

    compensatory = CalendarDay.objects.get(date=datetime.date(2023, 9, 4))
    assert compensatory.kind == CalendarDay.Kind.HOLIDAY
    assert "2/9" in compensatory.name
    assert not is_working_day(datetime.date(2023, 9, 1))
    assert not is_working_day(datetime.date(2023, 9, 4))
    assert is_working_day(datetime.date(2023, 9, 5))


def test_new_years_day_on_a_saturday_gives_the_monday_off():
    load_public_holidays(year=2022)  # 1/1/2022 was a Saturday
    assert not is_working_day(datetime.date(2022, 1, 3))
    # 30/4 and 1/5/2022 were a weekend: Monday and Tuesday off in lieu, as the government announced
    assert {datetime.date(2022, 5, 2), datetime.date(2022, 5, 3)} <= holidays_of(2022)


def test_the_second_national_day_holiday_may_come_after_2_9():
    load_public_holidays(year=2026, national_day_extra="after")
    assert not is_working_day(datetime.date(2026, 9, 3))
    assert is_working_day(datetime.date(2026, 9, 1))


def test_loading_again_keeps_what_the_administrator_changed(platform_admin):
    load_public_holidays(year=2026)
    # The government's notice keeps 20/2/2026 a working day, say: the administrator changes the loaded row.
    friday = CalendarDay.objects.get(date=datetime.date(2026, 2, 20))
    friday.kind, friday.name = CalendarDay.Kind.WORKING_DAY, "Làm việc theo thông báo của Chính phủ"
    save_calendar_day(day=friday, by=platform_admin)

    assert load_public_holidays(year=2026) == []

    friday.refresh_from_db()
    assert friday.kind == CalendarDay.Kind.WORKING_DAY
    assert is_working_day(friday.date)
    assert AuditEntry.objects.filter(action="workcalendar.holidays_loaded").count() == 2
    second = AuditEntry.objects.filter(action="workcalendar.holidays_loaded").latest("sequence")
    assert second.after["created"] == []
    assert "2026-02-20" in second.after["kept"]


def test_a_specialist_cannot_load_holidays(agency, person_in):
    specialist = person_in(agency, Role.SPECIALIST)
    with pytest.raises(WorkCalendarError):
        load_public_holidays(year=2026, by=specialist)
    assert not CalendarDay.objects.exists()


def test_an_unknown_choice_for_national_day_is_refused():
    with pytest.raises(WorkCalendarError):
        load_public_holidays(year=2026, national_day_extra="both")


def test_the_operator_loads_this_year_and_next_by_default(capsys):
    call_command("load_holidays")
    this_year = timezone.localdate().year
    assert CalendarDay.objects.filter(date=datetime.date(this_year, 9, 2)).exists()
    assert CalendarDay.objects.filter(date=datetime.date(this_year + 1, 9, 2)).exists()
    assert f"{this_year + 1}:" in capsys.readouterr().out


def test_the_operator_names_the_years_to_load():
    call_command("load_holidays", "2024", "2025", "--national-day-extra", "after")
    assert holidays_of(2024) and holidays_of(2025)
    assert not holidays_of(2026)
    assert datetime.date(2025, 9, 3) in holidays_of(2025)
