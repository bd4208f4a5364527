"""Reminders before the deadline, on the day, and each working day while overdue; none on days off."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from vanphong.incoming import services
from vanphong.incoming.models import Assignment
from vanphong.incoming.tests.conftest import document_data
from vanphong.notifications.models import Notification
from vanphong.workcalendar.models import CalendarDay

pytestmark = pytest.mark.django_db
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2026, 11, 30)


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=VIETNAM), tick=False)


@pytest.fixture
def due_friday(office):
    """Assigned on Monday 30/11/2026 to the budget unit, due Friday 4/12/2026."""
    with at(MONDAY):
        document = services.receive(
            agency=office.agency, by=office.clerk, data=document_data(), register=office.register
        )
        services.present(document=document, by=office.clerk, to=office.head)
        services.assign(
            document=document,
            by=office.head,
            lead=office.budget_unit,
            deadline=MONDAY + datetime.timedelta(days=4),
            instruction="Xử lý",
        )
    return document.assignments.get(role=Assignment.Role.LEAD)


def reminders_for(person):
    return list(
        Notification.objects.filter(recipient=person, kind="incoming", title__contains="hạn")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_reminders_come_two_working_days_before_on_the_day_and_while_overdue(
    office, due_friday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for day, expected in [
            (MONDAY, 0),  # five days ahead: nothing yet
            (datetime.date(2026, 12, 2), 1),  # Wednesday: due in two working days
            (datetime.date(2026, 12, 4), 1),  # Friday: due today
            (datetime.date(2026, 12, 5), 0),  # Saturday: no reminders on days off
            (datetime.date(2026, 12, 7), 1),  # Monday: overdue
            (datetime.date(2026, 12, 8), 1),  # Tuesday: still overdue
        ]:
            with at(day):
                assert services.send_reminders() == expected, day
    titles = reminders_for(office.budget_head)
    assert titles[0].startswith("Sắp đến hạn (04/12/2026)")
    assert titles[1].startswith("Đến hạn hôm nay")
    assert titles[2].startswith("Quá hạn 1 ngày làm việc")
    assert titles[3].startswith("Quá hạn 2 ngày làm việc")
    assert any(office.budget_head.email in message.to for message in mail.outbox)


def test_running_the_job_twice_a_day_sends_nothing_twice(office, due_friday):
    with at(datetime.date(2026, 12, 4)):
        call_command("send_deadline_reminders", stdout=__import__("io").StringIO())
        call_command("send_deadline_reminders", stdout=__import__("io").StringIO())
    assert len(reminders_for(office.budget_head)) == 1


def test_a_holiday_is_not_a_day_for_reminders_and_does_not_count(office, due_friday):
    CalendarDay.objects.create(date=datetime.date(2026, 12, 3), kind="holiday", name="Ngày nghỉ thử")
    with at(datetime.date(2026, 12, 3)):
        assert services.send_reminders() == 0
    with at(datetime.date(2026, 12, 1)):
        assert services.send_reminders() == 1  # Tuesday: two working days before Friday, skipping the holiday


def test_finished_work_is_not_reminded(office, due_friday):
    with at(datetime.date(2026, 12, 3)):
        services.complete(assignment_=due_friday, by=office.budget_head, result="Xong")
    with at(datetime.date(2026, 12, 7)):
        assert services.send_reminders() == 0
