"""Deadlines counted in working days (thời hạn giải quyết), as the clerk registering a document sees them."""

import datetime

import pytest

from vanphong.audit.models import AuditEntry
from vanphong.organizations.models import Role
from vanphong.workcalendar import selectors
from vanphong.workcalendar.models import CalendarDay
from vanphong.workcalendar.selectors import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
    working_days_until,
)
from vanphong.workcalendar.services import load_public_holidays, remove_calendar_day, save_calendar_day

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2025, 10, 10)
SATURDAY, SUNDAY, MONDAY = (FRIDAY + datetime.timedelta(days=n) for n in (1, 2, 3))


def test_a_document_received_on_friday_with_one_working_day_is_due_on_monday():
    assert add_working_days(FRIDAY, 1) == MONDAY
    assert add_working_days(FRIDAY, 0) == FRIDAY
    assert add_working_days(SATURDAY, 1) == MONDAY
    assert add_working_days(FRIDAY, 5) == datetime.date(2025, 10, 17)
    assert next_working_day(FRIDAY) == MONDAY
    assert next_working_day(SUNDAY) == MONDAY


def test_counting_back_for_a_reminder():
    assert add_working_days(MONDAY, -1) == FRIDAY
    assert previous_working_day(MONDAY) == FRIDAY
    assert add_working_days(MONDAY, -6) == datetime.date(2025, 10, 3)


def test_tet_does_not_count_towards_a_deadline():
    load_public_holidays(year=2026)
    received = datetime.date(2026, 2, 13)  # the Friday before Tết Bính Ngọ
    assert add_working_days(received, 1) == datetime.date(2026, 2, 23)
    assert add_working_days(received, 3) == datetime.date(2026, 2, 25)
    assert working_days_between(received, datetime.date(2026, 2, 25)) == 3


def test_counting_between_two_days_matches_adding():
    load_public_holidays(year=2026)
    start = datetime.date(2026, 1, 30)
    for days in range(40):
        assert working_days_between(start, add_working_days(start, days)) == days
    assert working_days_between(datetime.date(2026, 2, 25), start) == -working_days_between(
        start, datetime.date(2026, 2, 25)
    )
    assert working_days_between(FRIDAY, SUNDAY) == 0
    assert working_days_between(FRIDAY, MONDAY) == 1


def test_a_deadline_over_the_new_year_counts_across_both_years():
    load_public_holidays(year=2026)
    load_public_holidays(year=2027)
    start = datetime.date(2026, 12, 30)  # Wednesday; 1/1/2027 (Friday) is off
    assert add_working_days(start, 2) == datetime.date(2027, 1, 4)
    assert working_days_between(start, datetime.date(2027, 1, 4)) == 2


def test_days_left_before_a_deadline():
    deadline = MONDAY
    assert working_days_until(deadline, today=FRIDAY) == 1
    assert working_days_until(deadline, today=MONDAY) == 0
    assert working_days_until(deadline, today=datetime.date(2025, 10, 14)) == -1


def test_the_cache_sees_a_change_made_after_a_first_call(platform_admin):
    wednesday = datetime.date(2025, 10, 15)
    assert is_working_day(wednesday)
    day = save_calendar_day(
        day=CalendarDay(date=wednesday, kind=CalendarDay.Kind.HOLIDAY, name="Nghỉ đột xuất"), by=platform_admin
    )
    assert not is_working_day(wednesday)
    assert add_working_days(datetime.date(2025, 10, 14), 1) == datetime.date(2025, 10, 16)
    remove_calendar_day(day=day, by=platform_admin)
    assert is_working_day(wednesday)
    audited = AuditEntry.objects.filter(action__startswith="workcalendar.").order_by("sequence")
    assert list(audited.values_list("action", flat=True)) == ["workcalendar.day_added", "workcalendar.day_removed"]


def test_a_change_made_by_another_web_worker_is_seen_once_the_cache_expires(monkeypatch):
    wednesday = datetime.date(2025, 10, 15)
    assert is_working_day(wednesday)
    # Another process's save fires its signals there, not here: write without signals to stand for it.
    CalendarDay.objects.bulk_create([CalendarDay(date=wednesday, kind=CalendarDay.Kind.HOLIDAY)])
    assert is_working_day(wednesday)  # still the remembered year
    monkeypatch.setattr(selectors, "CACHE_SECONDS", 0)
    assert not is_working_day(wednesday)


def test_an_aware_datetime_counts_as_its_day_in_vietnam():
    friday_evening_utc = datetime.datetime(2025, 10, 10, 18, 0, tzinfo=datetime.UTC)  # 01:00 on Saturday in Hà Nội
    assert not is_working_day(friday_evening_utc)


# The administrator enters the government's notice


def add_form(day, kind, name=""):
    return {"date": day.strftime("%d/%m/%Y"), "kind": kind, "name": name}


def test_a_working_saturday_added_in_the_admin_counts(client, platform_admin):
    assert add_working_days(FRIDAY, 1) == MONDAY  # the year is now held in memory
    client.force_login(platform_admin)
    response = client.post(
        "/admin/workcalendar/calendarday/add/", add_form(SATURDAY, "working_day", "Làm bù cho ngày 13/10")
    )
    assert response.status_code == 302

    assert is_working_day(SATURDAY)
    assert add_working_days(FRIDAY, 1) == SATURDAY
    entry = AuditEntry.objects.get(action="workcalendar.day_added")
    assert entry.actor == platform_admin
    assert entry.after["date"] == "2025-10-11"
    assert entry.after["kind"] == "working_day"


def test_the_administrator_moves_a_holiday_and_the_change_is_audited(client, platform_admin):
    load_public_holidays(year=2026)
    day = CalendarDay.objects.get(date=datetime.date(2026, 9, 1))
    client.force_login(platform_admin)
    client.post(f"/admin/workcalendar/calendarday/{day.pk}/change/", add_form(datetime.date(2026, 9, 3), "holiday"))

    assert is_working_day(datetime.date(2026, 9, 1))
    assert not is_working_day(datetime.date(2026, 9, 3))
    entry = AuditEntry.objects.get(action="workcalendar.day_changed")
    assert entry.before == {"date": "2026-09-01", "name": day.name}
    assert entry.after == {"date": "2026-09-03", "name": ""}


def test_the_administrator_deletes_a_day_and_the_deletion_is_audited(client, platform_admin):
    day = save_calendar_day(day=CalendarDay(date=SATURDAY, kind="working_day"), by=platform_admin)
    client.force_login(platform_admin)
    client.post(f"/admin/workcalendar/calendarday/{day.pk}/delete/", {"post": "yes"})

    assert not CalendarDay.objects.exists()
    assert not is_working_day(SATURDAY)
    entry = AuditEntry.objects.get(action="workcalendar.day_removed")
    assert entry.actor == platform_admin
    assert entry.before["date"] == "2025-10-11"


def test_the_calendar_lists_one_year_at_a_time(client, platform_admin):
    load_public_holidays(year=2026)
    load_public_holidays(year=2027)
    client.force_login(platform_admin)
    page = client.get("/admin/workcalendar/calendarday/", {"year": "2027"}).content.decode()
    assert "06/02/2027" in page
    assert "17/02/2026" not in page


def test_a_clerk_cannot_open_the_calendar_administration(client, agency, person_in):
    clerk = person_in(agency, Role.CLERK)
    client.force_login(clerk)
    assert client.get("/admin/workcalendar/calendarday/").status_code == 302
    response = client.post("/admin/workcalendar/calendarday/add/", add_form(SATURDAY, "working_day"))
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
