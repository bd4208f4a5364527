"""Fixtures shared by every app's tests: the people of a small agency, and a signed-in browser client."""

import pytest

from vanphong.accounts.tests.factories import STRONG_PASSWORD, UserFactory
from vanphong.core.tests.celery_worker import celery_worker, celery_worker_process  # noqa: F401 (fixtures)
from vanphong.organizations.models import Role
from vanphong.organizations.tests.factories import AgencyFactory, PositionFactory, UnitFactory


@pytest.fixture(scope="session", autouse=True)
def clamd_socket(tmp_path_factory):
    """The whole run scans uploads with a real clamd (vanphong.intake), started once with the project's test
    signatures on its own socket (a short path: UNIX socket paths are limited to 108 bytes), and quarantines into
    a temporary directory. Yields the daemon's directory's socket path."""
    import shutil
    import tempfile
    from pathlib import Path

    from django.test import override_settings

    from vanphong.intake import daemon

    directory = Path(tempfile.mkdtemp(prefix="vp-clamd-"))
    socket_path = daemon.start(directory)
    overrides = override_settings(
        VANPHONG_CLAMD_SOCKET=str(socket_path),
        VANPHONG_CLAMD_TCP="",
        VANPHONG_QUARANTINE_DIR=tmp_path_factory.mktemp("quarantine"),
    )
    overrides.enable()
    try:
        yield socket_path
    finally:
        overrides.disable()
        daemon.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """The calendar caches holidays in memory; a rolled-back test fires no signal to clear it."""
    from vanphong.workcalendar.selectors import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def agency(db):
    return AgencyFactory(code="000.00.11.H41", name="Sở Tài chính tỉnh Nghệ An", short_name="STC")


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, name="Phòng Quản lý ngân sách", short_name="NS")


@pytest.fixture
def person_in(db):
    """person_in(agency, role, unit=None) -> a person holding that position, with STRONG_PASSWORD."""

    def make(agency, role, unit=None, **fields):
        person = UserFactory(**fields)
        PositionFactory(person=person, agency=agency, unit=unit, role=role)
        return person

    return make


@pytest.fixture
def clerk(agency, person_in):
    return person_in(agency, Role.CLERK, username="vanthu", full_name="Nguyễn Thị Lan")


@pytest.fixture
def head(agency, person_in):
    return person_in(agency, Role.HEAD, username="giamdoc", full_name="Trần Văn Hùng")


@pytest.fixture
def platform_admin(db):
    return UserFactory(username="quantri", full_name="Lê Minh Quân", is_staff=True, is_superuser=True)


@pytest.fixture
def agency_admin(agency, platform_admin):
    """The administrator (quản trị) of `agency`, appointed through the audited service."""
    from vanphong.organizations.services import assign_position

    person = UserFactory(username="stc.quantri")
    assign_position(person=person, agency=agency, role=Role.ADMINISTRATOR, by=platform_admin)
    return person


@pytest.fixture
def sign_in(client):
    """Sign a person in through the real login page (not force_login), so lockout and 2FA rules apply."""

    def do(person, password=STRONG_PASSWORD, **extra):
        return client.post("/accounts/login/", {"username": person.username, "password": password}, **extra)

    return do
