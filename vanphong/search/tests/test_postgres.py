"""The PostgreSQL engine ranks a bounded set: the newest matches (backends/postgres.py). These tests shrink the bounds
to a few rows so that a handful of documents shows what a province's million does. They run in the PostgreSQL pass
of the suite; SQLite has no such bound."""

import pytest
from django.db import connection

from vanphong.search.backends import Query
from vanphong.search.backends import postgres as engine

from .test_search import found, registered

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL engine's own bounds"),
]


@pytest.fixture
def small_bounds(monkeypatch):
    monkeypatch.setattr(engine, "CANDIDATES", 3)
    monkeypatch.setattr(engine, "FIRST_RANGE", 2)
    monkeypatch.setattr(engine, "DENSE", 0.3)


def test_a_common_word_ranks_its_newest_matches(office, small_bounds):
    older = [registered(office, number=str(n), summary=f"Kế hoạch phòng cháy số {n}") for n in range(1, 5)]
    registered(office, number="90", summary="Báo cáo tài chính")  # between them, not a match
    newer = [registered(office, number=str(n), summary=f"Kế hoạch phòng cháy số {n}") for n in range(5, 8)]
    assert {pk for _kind, pk in found(office.clerk, "phong chay")} == {d.pk for d in newer}
    assert not {pk for _kind, pk in found(office.clerk, "phong chay")} & {d.pk for d in older}


def test_a_rare_word_is_found_however_old(office, small_bounds):
    oldest = registered(office, number="1", summary="Quyết định bổ nhiệm ông Nguyễn Văn Lâm")
    for n in range(2, 12):
        registered(office, number=str(n), summary=f"Công văn đôn đốc số {n}")
    assert found(office.clerk, '"Nguyen Van Lam"') == [("incoming", oldest.pk)]


def test_exact_accents_come_first_among_the_candidates(office, small_bounds):
    folded = registered(office, number="1", summary="Báo cáo vui lắm")
    exact = registered(office, number="2", summary="Báo cáo của ông Lâm")
    assert found(office.clerk, "Lâm") == [("incoming", exact.pk), ("incoming", folded.pk)]


def test_the_planner_settings_do_not_outlive_the_search(office):
    registered(office, summary="Kế hoạch phòng cháy")
    settings = "SELECT " + ", ".join(f"current_setting('{name}')" for name in engine.PLANNER)
    with connection.cursor() as cursor:
        cursor.execute(settings)
        before = cursor.fetchone()
        assert engine.PostgresBackend().search(Query(text="phong chay"))
        cursor.execute(settings)
        assert cursor.fetchone() == before


@pytest.mark.parametrize("restricted_rows", [engine.RESTRICTED_ROWS, 0], ids=["reads what they see", "asks the index"])
def test_a_person_who_sees_little_finds_their_old_match_behind_newer_ones(
    office, small_bounds, monkeypatch, restricted_rows
):
    from vanphong.incoming import services as incoming

    monkeypatch.setattr(engine, "RESTRICTED_ROWS", restricted_rows)
    theirs = registered(office, number="1", summary="Kế hoạch phòng cháy của phòng ngân sách")
    incoming.present(document=theirs, by=office.clerk, to=office.head)
    incoming.assign(document=theirs, by=office.head, lead=office.budget_unit, deadline=None, instruction="Xử lý")
    others = [registered(office, number=str(n), summary=f"Kế hoạch phòng cháy số {n}") for n in range(2, 12)]
    assert found(office.specialist, "phong chay") == [("incoming", theirs.pk)]
    assert found(office.specialist, '"ke hoach phong chay"') == [("incoming", theirs.pk)]
    assert len(found(office.clerk, "phong chay")) == engine.CANDIDATES  # the clerk sees them all: the newest
    assert ("incoming", others[-1].pk) in found(office.clerk, "phong chay")
