"""The Vietnamese lunar calendar (âm lịch), computed for Vietnam's time zone (UTC+7).

Follows the method Hồ Ngọc Đức published ("Thuật toán tính âm lịch"):

* a lunar month starts on the local day of a new moon (the new moon instant from Meeus' series);
* the month holding the winter solstice is month 11;
* in a year with 13 lunar months (from one month 11 to the next), the first month after month 11 that contains no
  major solar term (trung khí: the sun's longitude crossing a multiple of 30°) is the leap month and repeats the
  number of the month before it.

Vietnam and China use the same rules with different time zones, so their calendars sometimes differ
(Tết 1985 fell on 21 January in Vietnam, 20 February in China; Tết 2007 on 17 and 18 February). The series are
accurate enough for the years 1900–2199, which is the range accepted here. Solar dates are proleptic Gregorian.
"""

import datetime
import math
from dataclasses import dataclass
from functools import lru_cache

TIME_ZONE_HOURS = 7
FIRST_YEAR, LAST_YEAR = 1900, 2199

SYNODIC_MONTH = 29.530588853
# Julian day of the new moon numbered 0 in the series (1 January 1900, 13:52 UT).
NEW_MOON_EPOCH = 2415021.076998695
# date.toordinal() + this = Julian day number.
ORDINAL_TO_JULIAN_DAY = 1721425


@dataclass(frozen=True)
class LunarDate:
    day: int
    month: int
    year: int
    leap: bool = False  # the repeated (nhuận) month

    def __str__(self):
        return f"{self.day}/{self.month}{'N' if self.leap else ''}/{self.year}"


def _julian_day(day: datetime.date) -> int:
    return day.toordinal() + ORDINAL_TO_JULIAN_DAY


def _solar_date(julian_day: int) -> datetime.date:
    return datetime.date.fromordinal(julian_day - ORDINAL_TO_JULIAN_DAY)


def _sin_degrees(angle: float) -> float:
    return math.sin(math.radians(angle))


@lru_cache(maxsize=4096)
def _new_moon_day(k: int) -> int:
    """The Julian day number of the local (UTC+7) day on which the k-th new moon after the epoch falls."""
    t = k / 1236.85  # Julian centuries since 1900
    t2, t3 = t * t, t * t * t
    mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    mean += 0.00033 * _sin_degrees(166.56 + 132.87 * t - 0.009173 * t2)
    sun_anomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    moon_anomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    latitude_argument = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    m, mp, f = sun_anomaly, moon_anomaly, latitude_argument
    correction = (
        (0.1734 - 0.000393 * t) * _sin_degrees(m)
        + 0.0021 * _sin_degrees(2 * m)
        - 0.4068 * _sin_degrees(mp)
        + 0.0161 * _sin_degrees(2 * mp)
        - 0.0004 * _sin_degrees(3 * mp)
        + 0.0104 * _sin_degrees(2 * f)
        - 0.0051 * _sin_degrees(m + mp)
        - 0.0074 * _sin_degrees(m - mp)
        + 0.0004 * _sin_degrees(2 * f + m)
        - 0.0004 * _sin_degrees(2 * f - m)
        - 0.0006 * _sin_degrees(2 * f + mp)
        + 0.0010 * _sin_degrees(2 * f - mp)
        + 0.0005 * _sin_degrees(m + 2 * mp)
    )
    # Ephemeris time to universal time (ΔT, in days).
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    new_moon = mean + correction - delta_t
    return math.floor(new_moon + 0.5 + TIME_ZONE_HOURS / 24)


def _sun_longitude_sector(julian_day: int) -> int:
    """Which 30° sector (0 = 0°–30° from the spring equinox … 11) the sun is in at local midnight starting the day."""
    t = (julian_day - 0.5 - TIME_ZONE_HOURS / 24 - 2451545.0) / 36525  # Julian centuries since J2000
    t2 = t * t
    mean_anomaly = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    centre = (
        (1.914600 - 0.004817 * t - 0.000014 * t2) * _sin_degrees(mean_anomaly)
        + (0.019993 - 0.000101 * t) * _sin_degrees(2 * mean_anomaly)
        + 0.000290 * _sin_degrees(3 * mean_anomaly)
    )
    longitude = (mean_longitude + centre) % 360
    return math.floor(longitude / 30)


def _new_moon_index(julian_day: float) -> int:
    return math.floor((julian_day - NEW_MOON_EPOCH) / SYNODIC_MONTH)


@lru_cache(maxsize=512)
def _month_11_start(solar_year: int) -> int:
    """Julian day on which lunar month 11 (the month holding the winter solstice) begins in late `solar_year`."""
    k = _new_moon_index(_julian_day(datetime.date(solar_year, 12, 31)))
    start = _new_moon_day(k)
    if _sun_longitude_sector(start) >= 9:  # the solstice (270°) is already past at this new moon
        start = _new_moon_day(k - 1)
    return start


def _leap_month_offset(month_11_start: int) -> int:
    """In a 13-month year, how many months after month 11 the leap month comes: the first month in which the sun
    does not enter a new sector (no major solar term)."""
    k = math.floor((month_11_start - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5)
    offset = 1
    sector = _sun_longitude_sector(_new_moon_day(k + offset))
    while True:
        previous = sector
        offset += 1
        sector = _sun_longitude_sector(_new_moon_day(k + offset))
        if sector == previous or offset >= 14:
            return offset - 1


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"The lunar calendar is computed for {FIRST_YEAR}–{LAST_YEAR} only, not {year}.")


def to_lunar(day: datetime.date) -> LunarDate:
    """The lunar date of a solar date."""
    _check_year(day.year)
    julian_day = _julian_day(day)
    k = _new_moon_index(julian_day) + 1
    while _new_moon_day(k) > julian_day:  # the true new moon may come up to a day after the mean one
        k -= 1
    month_start = _new_moon_day(k)
    this_month_11 = _month_11_start(day.year)
    if this_month_11 >= month_start:  # `day` is before this year's month 11
        lunar_year = day.year
        year_start_11, next_month_11 = _month_11_start(day.year - 1), this_month_11
    else:
        lunar_year = day.year + 1
        year_start_11, next_month_11 = this_month_11, _month_11_start(day.year + 1)
    months_since_11 = (month_start - year_start_11) // 29
    month, leap = months_since_11 + 11, False
    if next_month_11 - year_start_11 > 365:  # 13 lunar months in this stretch: one of them is a leap month
        leap_offset = _leap_month_offset(year_start_11)
        if months_since_11 >= leap_offset:
            month = months_since_11 + 10
            leap = months_since_11 == leap_offset
    if month > 12:
        month -= 12
    if month >= 11 and months_since_11 < 4:
        lunar_year -= 1
    return LunarDate(day=julian_day - month_start + 1, month=month, year=lunar_year, leap=leap)


def from_lunar(*, day: int, month: int, year: int, leap: bool = False) -> datetime.date:
    """The solar date of a lunar date. Raises ValueError for a leap month that the year does not have, or a day
    the month does not have (a lunar month has 29 or 30 days)."""
    _check_year(year)
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"No such lunar date: {day}/{month}/{year}.")
    if month < 11:
        year_start_11, next_month_11 = _month_11_start(year - 1), _month_11_start(year)
    else:
        year_start_11, next_month_11 = _month_11_start(year), _month_11_start(year + 1)
    k = math.floor((year_start_11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5)
    offset = (month - 11) % 12
    if next_month_11 - year_start_11 > 365:
        leap_offset = _leap_month_offset(year_start_11)
        leap_month = (leap_offset + 9) % 12 + 1  # the number of the month before it, which it repeats
        if leap and month != leap_month:
            raise ValueError(f"Lunar year {year} has no leap month {month}.")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise ValueError(f"Lunar year {year} has no leap month.")
    month_start = _new_moon_day(k + offset)
    if day == 30 and _new_moon_day(k + offset + 1) - month_start < 30:
        raise ValueError(f"Lunar month {month}/{year} has only 29 days.")
    return _solar_date(month_start + day - 1)


def lunar_new_year(year: int) -> datetime.date:
    """The first day of the first lunar month (mùng 1 Tết) that falls in solar year `year`."""
    return from_lunar(day=1, month=1, year=year)
