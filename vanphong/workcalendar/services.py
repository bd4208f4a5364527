"""Every write to the working-day calendar: loading a year's public holidays, and an administrator's changes to
single days. Each is recorded in the audit log."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vanphong.audit.services import changed_fields, record, snapshot

from .errors import WorkCalendarError
from .holidays import NATIONAL_DAY_EXTRA, public_holidays
from .lunar import FIRST_YEAR, LAST_YEAR
from .models import CalendarDay


def ensure_may_edit(by, *, action: str = "change") -> None:
    """`action` is add, change or delete. The calendar is shared by every agency, so editing it is a platform
    permission (a superuser, or someone given the workcalendar permissions)."""
    if by is None:  # a management command run by the operator
        return
    if not by.has_perm(f"workcalendar.{action}_calendarday"):
        raise WorkCalendarError(_("You may not change the working-day calendar."))


@transaction.atomic
def load_public_holidays(*, year: int, national_day_extra: str = "before", by=None) -> list[CalendarDay]:
    """Add the public holidays of `year` and their compensatory days off (see workcalendar.holidays) to the
    calendar, with `national_day_extra` saying whether the second National Day holiday is 1/9 ("before") or 3/9.
    A date that already has a row keeps it untouched, so an administrator's edit always wins and loading twice
    changes nothing. Returns the rows created."""
    ensure_may_edit(by, action="add")
    if national_day_extra not in NATIONAL_DAY_EXTRA:
        raise WorkCalendarError(_("The extra National Day holiday is either before or after 2/9."))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise WorkCalendarError(
            _("Holidays can be computed for the years %(first)s to %(last)s only.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    # The names are stored, so they are written in the platform's language whoever runs the loader.
    with translation.override(settings.LANGUAGE_CODE):
        holidays = public_holidays(year, national_day_extra=national_day_extra)
    created, kept = [], []
    for holiday in holidays:
        day, is_new = CalendarDay.objects.get_or_create(
            date=holiday.date, defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": holiday.name}
        )
        (created if is_new else kept).append(day)
    record(
        "workcalendar.holidays_loaded",
        object_type="workcalendar.calendarday",
        object_label=str(year),
        actor=by,
        after={
            "year": year,
            "national_day_extra": national_day_extra,
            "created": [{"date": day.date, "name": day.name} for day in created],
            "kept": [day.date for day in kept],
        },
    )
    return created


@transaction.atomic
def save_calendar_day(*, day: CalendarDay, by) -> CalendarDay:
    """Add or change one day (the admin screen calls this), e.g. a Tết day moved by the government's notice or a
    Saturday worked in exchange (làm bù)."""
    if day.pk is None:
        ensure_may_edit(by, action="add")
        day.full_clean()
        day.save()
        record("workcalendar.day_added", obj=day, actor=by, after=snapshot(day))
        return day
    ensure_may_edit(by, action="change")
    before = snapshot(CalendarDay.objects.get(pk=day.pk))
    day.full_clean()
    day.save()
    old, new = changed_fields(before, snapshot(day))
    if new:
        record("workcalendar.day_changed", obj=day, actor=by, before=old, after=new)
    return day


@transaction.atomic
def remove_calendar_day(*, day: CalendarDay, by) -> None:
    """The day follows the default week again. A public holiday removed this way comes back if its year is loaded
    again; to cancel one for good, change it to a working day instead."""
    ensure_may_edit(by, action="delete")
    before, pk, label = snapshot(day), day.pk, str(day)
    day.delete()
    record(
        "workcalendar.day_removed",
        object_type="workcalendar.calendarday",
        object_id=str(pk),
        object_label=label,
        actor=by,
        before=before,
    )
