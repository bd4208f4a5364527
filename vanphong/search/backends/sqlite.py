"""SQLite FTS5 adapter, for development and tests (spec §5.1): FTS5 cannot fold đ, so the text is folded in Python
(folding.py) and stored in `search_fts` (rowid = SearchEntry.id) with `unicode61 remove_diacritics 0`; queries are
folded the same way."""

from django.db import connection

from ..folding import WORD, fold
from ..models import SearchEntry
from .base import Hit, Query, SearchBackend

TABLE = "search_fts"
CREATE = f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(folded, tokenize = 'unicode61 remove_diacritics 0')"


def match_expression(query: Query) -> str:
    """Every phrase and word, each a quoted FTS5 phrase of folded tokens, all required."""
    parts = []
    for term in query.phrases + query.words:
        tokens = WORD.findall(fold(term))
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " AND ".join(parts)


class SQLiteBackend(SearchBackend):
    def index(self, entry: SearchEntry) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [entry.pk])  # noqa: S608 - constant name
            cursor.execute(f"INSERT INTO {TABLE} (rowid, folded) VALUES (%s, %s)", [entry.pk, entry.folded])  # noqa: S608

    def remove(self, kind: str, pk: int) -> None:
        ids = list(SearchEntry.objects.filter(kind=kind, object_id=pk).values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for entry_id in ids:
                cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [entry_id])  # noqa: S608
        SearchEntry.objects.filter(pk__in=ids).delete()

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            cursor.execute(f"INSERT INTO {TABLE} (rowid, folded) SELECT id, folded FROM search_searchentry")  # noqa: S608

    def search(self, query: Query, *, limit: int = 200, restrict=None) -> list[Hit]:
        expression = match_expression(query)
        if not expression:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({TABLE}) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
            ranks = {row_id: -score for row_id, score in cursor.fetchall()}  # bm25: smaller is better
        entries = self.filtered(query, restrict).filter(pk__in=list(ranks))
        return self.hits(query, [(entry, ranks[entry.pk]) for entry in entries])[:limit]
