"""Reads of the working-day calendar: whether a day is worked, and deadlines counted in working days.

A day is a working day when a CalendarDay row says so, else when it is Monday to Friday. The rows of a year are
held in process memory: the signals in workcalendar.signals clear them when a row is saved or deleted in this
process, and they are read again after CACHE_SECONDS anyway, so that other processes (other web workers) see an
administrator's change within that time."""

import datetime
import threading
import time

from django.utils import timezone

from .models import CalendarDay

CACHE_SECONDS = 60
ONE_DAY = datetime.timedelta(days=1)
# A longer run of days off than this means the calendar was filled in wrongly; stop instead of searching forever.
LONGEST_BREAK_DAYS = 366

_lock = threading.Lock()
_overrides_by_year: dict[int, tuple[float, dict[datetime.date, bool]]] = {}
_generation = 0


def clear_cache() -> None:
    """Forget the rows read so far (called by the signals when a CalendarDay is saved or deleted)."""
    global _generation
    with _lock:
        _generation += 1
        _overrides_by_year.clear()


def _overrides(year: int) -> dict[datetime.date, bool]:
    """{date: is a working day} for the rows of `year`."""
    cached = _overrides_by_year.get(year)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    generation = _generation
    rows = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
    overrides = {day: kind == CalendarDay.Kind.WORKING_DAY for day, kind in rows}
    with _lock:
        if generation == _generation:  # not cleared while we were reading
            _overrides_by_year[year] = (now, overrides)
    return overrides


def _as_date(day: datetime.date) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


def is_working_day(day: datetime.date) -> bool:
    day = _as_date(day)
    override = _overrides(day.year).get(day)
    if override is not None:
        return override
    return day.weekday() < 5


def _next_working_day_towards(day: datetime.date, step: datetime.timedelta) -> datetime.date:
    for _ in range(LONGEST_BREAK_DAYS):
        day += step
        if is_working_day(day):
            return day
    raise ValueError(f"No working day within {LONGEST_BREAK_DAYS} days of {day:%d/%m/%Y}; check the calendar.")


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after `day`."""
    return _next_working_day_towards(_as_date(day), ONE_DAY)


def previous_working_day(day: datetime.date) -> datetime.date:
    """The last working day strictly before `day`."""
    return _next_working_day_towards(_as_date(day), -ONE_DAY)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day that is `days` working days after `start`, which does not count itself: a document received on
    Friday with 1 working day to answer is due on Monday. `days` == 0 gives `start`; a negative `days` counts back
    (the |days|-th working day before `start`), e.g. for a reminder two working days before a deadline."""
    day = _as_date(start)
    step = ONE_DAY if days > 0 else -ONE_DAY
    for _ in range(abs(days)):
        day = _next_working_day_towards(day, step)
    return day


def _weekdays_up_to(day: datetime.date) -> int:
    """Monday-to-Friday days from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days come after `start`, up to and including `end`; negative when `end` is before
    `start`. working_days_between(start, add_working_days(start, n)) == n for n >= 0."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = _weekdays_up_to(end) - _weekdays_up_to(start)
    for year in range(start.year, end.year + 1):
        for day, working in _overrides(year).items():
            if start < day <= end and working != (day.weekday() < 5):
                count += 1 if working else -1
    return count


def working_days_until(day: datetime.date, *, today: datetime.date | None = None) -> int:
    """Working days left until `day` (a deadline): 0 when it is today, negative when it has passed. For "due
    soon" and "overdue" marks."""
    return working_days_between(today or timezone.localdate(), day)
