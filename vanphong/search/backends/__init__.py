from django.db import connection

from .base import Hit, Query, SearchBackend


def get_backend() -> SearchBackend:
    """The adapter of the database Django uses."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()


__all__ = ["Hit", "Query", "SearchBackend", "get_backend"]
