"""The Vietnamese lunar calendar, computed for UTC+7, against dates everyone in Vietnam knows."""

import datetime

import pytest

from vanphong.workcalendar.lunar import LunarDate, from_lunar, lunar_new_year, to_lunar


@pytest.mark.parametrize(
    "year, tet",
    [
        (2024, datetime.date(2024, 2, 10)),
        (2025, datetime.date(2025, 1, 29)),
        (2026, datetime.date(2026, 2, 17)),
        (2027, datetime.date(2027, 2, 6)),
    ],
)
def test_tet_falls_on_the_known_day(year, tet):
    assert lunar_new_year(year) == tet
    assert to_lunar(tet) == LunarDate(day=1, month=1, year=year)


@pytest.mark.parametrize(
    "year, tet_in_vietnam",
    [(1985, datetime.date(1985, 1, 21)), (2007, datetime.date(2007, 2, 17))],
)
def test_tet_follows_vietnam_time_where_it_differs_from_the_chinese_new_year(year, tet_in_vietnam):
    # The Chinese calendar (UTC+8) has 20 February 1985 and 18 February 2007.
    assert lunar_new_year(year) == tet_in_vietnam


@pytest.mark.parametrize("year, commemoration", [(2025, datetime.date(2025, 4, 7)), (2026, datetime.date(2026, 4, 26))])
def test_hung_kings_commemoration_day_is_lunar_10_3(year, commemoration):
    assert from_lunar(day=10, month=3, year=year) == commemoration


def test_the_leap_sixth_month_of_2025():
    assert to_lunar(datetime.date(2025, 7, 25)) == LunarDate(day=1, month=6, year=2025, leap=True)
    assert from_lunar(day=1, month=6, year=2025, leap=True) == datetime.date(2025, 7, 25)
    assert from_lunar(day=1, month=6, year=2025) == datetime.date(2025, 6, 25)


def test_every_day_from_2020_to_2030_converts_to_lunar_and_back():
    day, previous = datetime.date(2020, 1, 1), None
    while day.year <= 2030:
        lunar = to_lunar(day)
        assert from_lunar(day=lunar.day, month=lunar.month, year=lunar.year, leap=lunar.leap) == day
        if previous is not None and lunar.day == 1:
            assert previous.day in (29, 30)
        previous, day = lunar, day + datetime.timedelta(days=1)


def test_dates_the_lunar_calendar_does_not_have_are_refused():
    with pytest.raises(ValueError):
        from_lunar(day=1, month=5, year=2025, leap=True)  # 2025 repeats the sixth month, not the fifth
    with pytest.raises(ValueError):
        from_lunar(day=1, month=1, year=2300)
