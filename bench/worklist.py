"""Work-list pages at a million incoming documents (issue: incoming documents, point 10).

Fills a PostgreSQL database (vanphong_bench, created and dropped here) with 1,000,000 incoming documents and
5,000,000 routing events across 800 agencies — scaled by --scale —, then measures, for a busy specialist and a busy
head, the server time of every work-list tab (first and a later page, with and without a filter) and the SQL
queries each page runs. Prints worklist_p50_ms, worklist_p95_ms and worklist_queries_per_page (the largest).

    .venv/bin/python bench/worklist.py [--scale 0.1] [--keep]
"""

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from support.postgres import bench_database, p50_p95  # noqa: E402

DATABASE = "vanphong_bench"

AGENCIES, UNITS_PER_AGENCY, SPECIALISTS_PER_UNIT = 800, 8, 2
BUSY_SHARE = 0.05  # the busiest agency receives 5 % of all documents
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def fill(scale: float) -> None:
    """Everything in SQL (generate_series): a million rows through the ORM would take an hour."""
    from django.db import connection

    documents = int(1_000_000 * scale)
    events = int(5_000_000 * scale)
    busy = int(documents * BUSY_SHARE)
    statements = [
        # 800 agencies, 8 units each; people: clerk, head, deputy; per unit a head and two specialists
        f"""INSERT INTO organizations_agency (code, name, short_name, place_name, is_hosted, email, phone, address)
            SELECT format('000.00.%s.H%s', lpad((g % 100)::text, 2, '0'), lpad((g / 100)::text, 2, '0')),
                   'Cơ quan ' || g, 'CQ' || g, 'Nghệ An', true, '', '', ''
            FROM generate_series(1, {AGENCIES}) g""",
        f"""INSERT INTO organizations_unit (agency_id, name, short_name, is_active)
            SELECT a.id, 'Phòng ' || u, 'P' || u, true FROM organizations_agency a, generate_series(1, {UNITS_PER_AGENCY}) u""",
        """INSERT INTO accounts_user (username, full_name, email, phone, is_active, is_staff, is_superuser, password,
                                      date_joined)
            SELECT 'a' || a.id || '.' || r, 'Cán bộ ' || a.id || ' ' || r, '', '', true, false, false, '!', now()
            FROM organizations_agency a, unnest(array['vanthu', 'thutruong', 'capho']) r""",
        """INSERT INTO organizations_position (person_id, agency_id, role, title)
            SELECT u.id, a.id, CASE split_part(u.username, '.', 2) WHEN 'vanthu' THEN 'clerk'
                   WHEN 'thutruong' THEN 'head' ELSE 'deputy_head' END, ''
            FROM accounts_user u JOIN organizations_agency a
                 ON a.id = split_part(substr(u.username, 2), '.', 1)::bigint
            WHERE u.username LIKE 'a%'""",
        f"""INSERT INTO accounts_user (username, full_name, email, phone, is_active, is_staff, is_superuser, password,
                                       date_joined)
            SELECT 'u' || un.id || '.' || s, 'Cán bộ phòng ' || un.id || ' ' || s, '', '', true, false, false, '!',
                   now()
            FROM organizations_unit un, generate_series(0, {SPECIALISTS_PER_UNIT}) s""",
        """INSERT INTO organizations_position (person_id, agency_id, unit_id, role, title)
            SELECT u.id, un.agency_id, un.id, CASE WHEN u.username LIKE '%.0' THEN 'unit_head' ELSE 'specialist' END, ''
            FROM accounts_user u JOIN organizations_unit un
                 ON un.id = split_part(substr(u.username, 2), '.', 1)::bigint
            WHERE u.username LIKE 'u%'""",
        # documents: the busiest agency (the first) gets 5 %, the rest spread evenly; arrivals over two years
        f"""INSERT INTO incoming_incomingdocument (agency_id, state, year, incoming_number, arrived_at, received_via,
                issuer_name, number, notation, document_date, document_type, summary, signer, urgency, secrecy,
                instruction, deadline, registered_at, completed_at, created_at, created_by_id, registered_by_id,
                presented_to_id, withdrawn_reason)
            SELECT ag.id, CASE WHEN g % 10 = 0 THEN 'in_progress' WHEN g % 97 = 0 THEN 'presented' ELSE 'done' END,
                   2025 + (g % 2), g, now() - (g % 730) * interval '1 day' - (g % 1440) * interval '1 minute',
                   'electronic', 'Sở ' || (g % 50), (g % 9000)::text, 'STC-VP', current_date - (g % 730),
                   (array['CV','QĐ','TB','KH','BC'])[1 + g % 5], 'Văn bản số ' || g || ' về việc thực hiện nhiệm vụ',
                   '', g % 4, 0, '', current_date + (g % 30) - 10, now(), CASE WHEN g % 10 <> 0 THEN now() END,
                   now(), clerk.person_id, clerk.person_id, head.person_id, ''
            FROM generate_series(1, {documents}) g
            JOIN organizations_agency ag ON ag.id = (SELECT min(id) FROM organizations_agency)
                 + CASE WHEN g <= {busy} THEN 0 ELSE 1 + g % ({AGENCIES} - 1) END
            JOIN organizations_position clerk ON clerk.agency_id = ag.id AND clerk.role = 'clerk'
            JOIN organizations_position head ON head.agency_id = ag.id AND head.role = 'head'""",
        # routing: the head's decision, the lead unit, and the specialist it was passed to
        """INSERT INTO incoming_assignment (document_id, document_arrived_at, agency_id, role, assignee_person_id,
                assigned_by_id, assigned_at, instruction, state, result, finished_at)
            SELECT d.id, d.arrived_at, d.agency_id, 'decide', d.presented_to_id, d.created_by_id, d.arrived_at, '',
                   CASE WHEN d.state = 'presented' THEN 'pending' ELSE 'done' END, '', NULL
            FROM incoming_incomingdocument d""",
        f"""INSERT INTO incoming_assignment (document_id, document_arrived_at, agency_id, role, assignee_unit_id,
                assigned_by_id, assigned_at, deadline, instruction, state, result)
            SELECT d.id, d.arrived_at, d.agency_id, 'lead', un.id, d.presented_to_id, d.arrived_at, d.deadline, '',
                   CASE WHEN d.state = 'done' THEN 'done' ELSE 'in_progress' END, ''
            FROM incoming_incomingdocument d
            JOIN organizations_unit un ON un.agency_id = d.agency_id AND un.short_name = 'P' || (1 + d.id % {UNITS_PER_AGENCY})
            WHERE d.state <> 'presented'""",
        f"""INSERT INTO incoming_assignment (document_id, document_arrived_at, agency_id, parent_id, role,
                assignee_person_id, assigned_by_id, assigned_at, deadline, instruction, state, result)
            SELECT a.document_id, a.document_arrived_at, a.agency_id, a.id, 'lead', p.person_id, a.assigned_by_id, a.assigned_at, a.deadline,
                   '', CASE WHEN a.state = 'done' THEN 'done' WHEN a.id % 3 = 0 THEN 'pending' ELSE 'in_progress' END, ''
            FROM incoming_assignment a
            JOIN organizations_position p ON p.unit_id = a.assignee_unit_id AND p.role = 'specialist'
                 AND p.person_id % {SPECIALISTS_PER_UNIT} = a.id % {SPECIALISTS_PER_UNIT}
            WHERE a.role = 'lead'""",
        f"""INSERT INTO incoming_event (document_id, kind, actor_id, text, created_at)
            SELECT 1 + (g % {documents}) + (SELECT min(id) - 1 FROM incoming_incomingdocument),
                   (array['received','registered','presented','assigned','forwarded','note','completed'])[1 + g % 7],
                   NULL, '', now() - (g % 730) * interval '1 day'
            FROM generate_series(1, {events}) g""",
        "VACUUM ANALYZE",
        "CHECKPOINT",  # the bulk load's writes are flushed before anything is timed
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            started = time.perf_counter()
            cursor.execute(statement)
            print(
                f"  {statement.split()[0].lower()} {statement.split()[2] if len(statement.split()) > 2 else ''}: "
                f"{time.perf_counter() - started:.1f}s",
                file=sys.stderr,
            )


def busy_people():
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from vanphong.incoming.models import Assignment

    User = get_user_model()
    specialist_id = (
        Assignment.objects.filter(assignee_person__isnull=False, role="lead")
        .values("assignee_person")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["assignee_person"]
    )
    head_id = (
        Assignment.objects.filter(role="decide")
        .values("assignee_person")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["assignee_person"]
    )
    return User.objects.get(pk=specialist_id), User.objects.get(pk=head_id)


def measure(people, rounds: int):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vanphong.incoming.selectors import ASSIGNMENT_TABS

    timings, queries, by_url = [], [], {}
    for person in people:
        client = Client()
        client.force_login(person)
        urls = []
        for tab in ASSIGNMENT_TABS:
            urls += [
                f"/incoming/?tab={tab}",
                f"/incoming/?tab={tab}&page=3",
                f"/incoming/?tab={tab}&document_type=CV&sort=deadline",
            ]
        for url in urls:  # one untimed round warms this process's and the database's caches, as in a running server
            client.get(url)
        for _round in range(rounds):
            for url in urls:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    timings.append(elapsed)
                    by_url.setdefault((person.username, url), []).append(elapsed)
                assert response.status_code == 200, (url, response.status_code)
                # transaction control (BEGIN/COMMIT around the session's save) is not a query
                queries.append(
                    sum(
                        1
                        for query in captured.captured_queries
                        if query["sql"].split(None, 1)[0].upper() not in TRANSACTION_CONTROL
                    )
                )
    for (username, url), values in sorted(by_url.items(), key=lambda item: -max(item[1])):
        print(
            f"  {username:14} {url:55} median {statistics.median(values):6.1f}  max {max(values):6.1f}", file=sys.stderr
        )
    return timings, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the database a --keep run left (no filling)")
    options = parser.parse_args()
    with bench_database(DATABASE, fresh=not options.reuse, keep=options.keep):
        gc.freeze()  # as a pre-forking server does after start-up: the loaded code is never collected again
        if not options.reuse:
            started = time.perf_counter()
            fill(options.scale)
            print(f"  data ready in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        people = busy_people()
        timings, queries = measure(people, options.rounds)
        p50, p95 = p50_p95(timings)
        print(f"worklist_p50_ms: {p50:.1f}")
        print(f"worklist_p95_ms: {p95:.1f}")
        print(f"worklist_queries_per_page: {max(queries)}")


if __name__ == "__main__":
    main()
