"""PostgreSQL adapter (spec §5.1-5.2): unaccent through the IMMUTABLE `vn_fold` wrapper, a GIN index on the stored
column body_tsv (the folded words, and every pair of neighbouring words as one more lexeme: migrations 0002 and
0003) and a trigram index on vn_fold(reference). Quoted phrases are found by their word pairs and confirmed with
phraseto_tsquery; the other words go through plainto_tsquery; a reference like "2491/STC-BCTC" also matches by
substring on the trigram index.

Limit first, then rank (spec §5.2): a word like "quyết định" matches half of a province's documents, and ranking
half a million rows takes seconds. So the engine takes the newest CANDIDATES matches and ranks only those: exact
accents first, then ts_rank. A query with fewer matches is ranked over all of them; a broader one over its newest,
which is also what a clerk expects from "quyết định".

"Newest" is by row id (the order documents were indexed). The newest FIRST_RANGE rows are read one by one (a
bounded cost, whatever matches); what share of them matched tells how common the query is. A common one goes on
reading the next ranges, each sized by that share to bring what is missing; a rare one (under DENSE) asks the text
index for the rest of the table at once, which finds its few rows. The planner is not left to choose: it misjudges
how many rows a text query matches (it guessed 8,000 for the phrase "Nguyễn Thị Hằng", which matched 43, and 1
for "quyết toán ngân sách", which matched 77,000), and either guess, wrong, costs seconds at a million rows. So a
range is read with its text condition made opaque to the indexes, and the candidate statements run with bitmap
plans only (`bitmap_plans`).

A person sees part of the table (search/selectors.py narrows it in a form the indexes serve). When the rest of what
they may see is small (RESTRICTED_ROWS, judged by the share they may see of the rows read), a rare query reads those
rows one by one instead of asking the text index: believing a phrase matches a handful of rows, the planner never
joins the text index with the permission's indexes, and a clerk's phrase found in 77,000 documents of other
agencies took a second to filter out."""

import math
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models import BooleanField, FloatField, Max
from django.db.models.expressions import RawSQL

from ..folding import fold, words
from ..models import SearchEntry
from .base import Hit, Query, SearchBackend, exact_pattern, terms

VECTOR = "search_searchentry.body_tsv"  # the folded words and their pairs, stored (migrations 0002, 0003)
CANDIDATES = 1000
FIRST_RANGE = 5_000
DENSE = 0.04  # read rows one by one while at least this share of them matches, else ask the text index
RESTRICTED_ROWS = 25_000  # or read the rest of what the person may see, if it is no more than this


def ts_query(query: Query) -> tuple[str, list[str]]:
    parts, params = [], []
    for phrase in query.phrases:
        if len(words(phrase)) > 1:  # its word pairs find the rows in the index; the phrase check confirms them
            parts.append("plainto_tsquery('simple', vn_pairs(vn_fold(%s)))")
            params.append(phrase)
        parts.append("phraseto_tsquery('simple', vn_fold(%s))")
        params.append(phrase)
    if query.words:
        parts.append("plainto_tsquery('simple', vn_fold(%s))")
        params.append(" ".join(query.words))
    return " && ".join(f"({p})" for p in parts), params


def exact_accents(query: Query) -> tuple[str, list[str]]:
    """True where every term appears with its accents, case aside: base.exact_match in SQL, so that exact hits are
    ranked first among all the candidates, not only among those returned."""
    patterns = [exact_pattern(term) for term in terms(query)]
    return " AND ".join("search_searchentry.body ~* %s" for _ in patterns) or "false", patterns


class PostgresBackend(SearchBackend):
    stores_folded_text = False

    def index(self, entry: SearchEntry) -> None:
        """Nothing to do: the expression indexes follow the row."""

    def remove(self, kind: str, pk: int) -> None:
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()

    def rebuild(self) -> None:
        """Nothing of its own to rebuild: the indexes are the table's."""

    def search(self, query: Query, *, limit: int = 200, restrict=None) -> list[Hit]:
        tsq, params = ts_query(query)
        if not tsq:
            return []
        condition = f"{VECTOR} @@ ({tsq})"
        condition_params = list(params)
        if query.text.strip() and len(query.text.strip()) >= 3 and '"' not in query.text:
            condition = f"({condition} OR vn_fold(search_searchentry.reference) LIKE %s)"
            condition_params.append("%" + fold(query.text).replace("%", r"\%").replace("_", r"\_") + "%")
        # Separate statements, not a subquery: the raw conditions name the table, which a subquery would alias.
        rows = self.filtered(query, restrict)
        candidates = newest(
            read=rows.filter(RawSQL(f"({condition}) IS TRUE", condition_params, output_field=BooleanField())),  # noqa: S611
            looked_up=rows.filter(RawSQL(condition, condition_params, output_field=BooleanField())),  # noqa: S611
            visible=rows if restrict is not None else None,
        )
        if not candidates:
            return []
        exact, exact_params = exact_accents(query)
        entries = (
            SearchEntry.objects.filter(pk__in=candidates)
            .annotate(
                exact_hint=RawSQL(exact, exact_params, output_field=BooleanField()),  # noqa: S611
                engine_rank=RawSQL(f"ts_rank({VECTOR}, ({tsq}))", params, output_field=FloatField()),  # noqa: S611
            )
            .order_by("-exact_hint", "-engine_rank", "-document_date", "-pk")[:limit]
        )
        return self.hits(query, [(entry, entry.engine_rank) for entry in entries])


def newest(*, read, looked_up, visible=None) -> list[int]:
    """The ids of the newest CANDIDATES matches. `read`: the matches, their text condition opaque to the indexes
    (`IS TRUE`), so that a range is read row by row; `looked_up`: the same through the text index; `visible`: the
    rows the person may see, whatever the text (None: everything)."""
    top = SearchEntry.objects.aggregate(top=Max("pk"))["top"] or 0
    high, size, found = top, FIRST_RANGE, []
    with bitmap_plans():
        while high > 0 and len(found) < CANDIDATES:
            low = max(0, high - size)
            found += _ids(read.filter(pk__gt=low, pk__lte=high))
            high, share = low, len(found) / (top - low)
            if share < DENSE:
                # bitmap plans only: the sort happens after the index, never as a walk down the primary key
                rest = read if _few_visible_below(visible, low, top) else looked_up
                found += _ids(rest.filter(pk__lte=high).order_by("-pk")[: CANDIDATES - len(found)])
                break
            size = math.ceil((CANDIDATES - len(found)) / share * 1.5)  # what is missing, and half as much again
    return found[:CANDIDATES]


def _few_visible_below(visible, low: int, top: int) -> bool:
    """Whether the person may see at most RESTRICTED_ROWS rows below `low`, judged by the share they may see of the
    rows above it (read through the permission's own indexes, without the text)."""
    if visible is None:
        return False
    share = visible.filter(pk__gt=low, pk__lte=top).count() / (top - low)
    return share * low <= RESTRICTED_ROWS


def _ids(rows) -> list[int]:
    return sorted(rows.values_list("pk", flat=True), reverse=True)


PLANNER = {"enable_indexscan": "off", "enable_seqscan": "off", "jit": "off", "work_mem": "64MB"}


@contextmanager
def bitmap_plans():
    """Session settings for the candidate statements, put back afterwards (a rolled-back transaction puts them back
    itself). jit off: a plan that must still scan a small table sequentially is costed as huge, and compiling it
    would take longer than running it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("set_config(%s, %s, false)" for _ in PLANNER), [*sum(PLANNER.items(), ())])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"RESET {name}" for name in PLANNER))
        except DatabaseError:
            pass  # the transaction failed; its rollback undoes the settings
