"""What the PostgreSQL benchmarks share: a database of their own, made fresh and dropped after, and Django set up
on it with the test settings."""

import os

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
