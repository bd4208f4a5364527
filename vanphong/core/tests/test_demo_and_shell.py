"""The demo province and the shell every page shares."""

import io

import pytest
from django.core.management import call_command

from vanphong.organizations.models import Agency, Position, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", "--password", "Demo-kiem-thu-2026", stdout=out)
    return out.getvalue()


def test_the_demo_province_has_a_person_in_every_position(demo):
    committee = Agency.objects.get(code="000.00.00.H41")
    assert committee.name == "Ủy ban nhân dân tỉnh Nghệ An"
    assert Agency.objects.filter(is_hosted=True, parent=committee).count() >= 7  # office, departments, communes
    assert set(Position.objects.current().values_list("role", flat=True)) == set(Role.values)
    assert "ubnd.vanthu" in demo
    assert "Demo-kiem-thu-2026" in demo


def test_the_demo_can_be_loaded_twice(demo):
    positions = Position.objects.count()
    call_command("load_demo", "--password", "Demo-kiem-thu-2026", stdout=io.StringIO())
    assert Position.objects.count() == positions


def test_a_demo_clerk_signs_in_with_the_printed_password_and_sees_the_dashboard(client, demo):
    client.post("/accounts/login/", {"username": "stc.vanthu", "password": "Demo-kiem-thu-2026"})
    html = client.get("/").content.decode()
    for module in ["Văn bản đến", "Văn bản đi", "Hồ sơ công việc", "Lịch họp", "Tra cứu", "Thống kê"]:
        assert module in html
    assert "Quản trị" not in html.split("</nav>")[0], "administration is only offered to administrators"
    assert "Sở Tài chính tỉnh Nghệ An" in html


def test_the_demo_administrator_sees_the_administration_entry_and_counters(client, demo):
    client.post("/accounts/login/", {"username": "quantri", "password": "Demo-kiem-thu-2026"})
    html = client.get("/").content.decode()
    assert 'href="/admin/"' in html
    assert 'data-testid="platform-counters"' in html


def test_the_dissolved_district_routes_to_its_commune(demo):
    from vanphong.organizations.selectors import successor_on

    district = Agency.objects.get(code="000.00.31.H41")
    assert successor_on(district).name == "Ủy ban nhân dân xã Anh Sơn"


def test_english_is_available(client, clerk):
    client.force_login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Incoming documents" in html
    assert "Văn bản đến" not in html


def test_dates_are_shown_day_first(clerk):
    import datetime

    from django.template import Context, Template

    rendered = Template("{{ day|date:'SHORT_DATE_FORMAT' }}").render(Context({"day": datetime.date(2026, 3, 5)}))
    assert rendered == "05/03/2026"


def test_the_models_and_their_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_vietnamese_is_shown_even_to_a_browser_set_to_english(client, clerk):
    client.force_login(clerk)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Văn bản đến" in html
