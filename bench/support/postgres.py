"""What the PostgreSQL benchmarks share: a database of their own, made fresh and dropped after, and Django set up
on it with the test settings (`bench_database`), and how their timings are summed up (`p50_p95`)."""

import os
import statistics
from contextlib import contextmanager

import psycopg

SERVER = os.environ.get("VANPHONG_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def recreate_database(database: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")


def drop_database(database: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def setup_django(database: str) -> None:
    """Django on the benchmark's database, migrated."""
    os.environ["VANPHONG_DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "vanphong.settings.test"
    os.environ["VANPHONG_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def bench_database(database: str, *, fresh: bool = True, keep: bool = False):
    """Django on `database`, made anew unless `fresh` is False (measuring what a --keep run left), dropped afterwards
    unless `keep`."""
    if fresh:
        recreate_database(database)
    try:
        setup_django(database)
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            drop_database(database)


def p50_p95(timings) -> tuple[float, float]:
    """The median and the 95th percentile (the value 95 % of the timings do not exceed, nearest lower rank)."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]
