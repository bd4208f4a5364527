import pytest

from vanphong.workcalendar.selectors import clear_cache


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Each test rolls its rows back without any post_delete signal, so the days held in memory are dropped here."""
    clear_cache()
    yield
    clear_cache()
