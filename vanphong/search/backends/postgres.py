"""PostgreSQL adapter (spec §5.1-5.2): unaccent through the IMMUTABLE `vn_fold` wrapper, a GIN index on the stored
column body_tsv = to_tsvector('simple', vn_fold(body)) and a trigram index on vn_fold(reference) (migration 0002).
Quoted phrases go through phraseto_tsquery, the other words through plainto_tsquery; a reference like
"2491/STC-BCTC" also matches by substring on the trigram index. The best `limit` rows are ranked by ts_rank."""

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from ..folding import fold
from ..models import SearchEntry
from .base import Hit, Query, SearchBackend

VECTOR = "search_searchentry.body_tsv"  # to_tsvector('simple', vn_fold(body)), stored (migration 0002)


def ts_query(query: Query) -> tuple[str, list[str]]:
    parts, params = [], []
    for phrase in query.phrases:
        parts.append("phraseto_tsquery('simple', vn_fold(%s))")
        params.append(phrase)
    if query.words:
        parts.append("plainto_tsquery('simple', vn_fold(%s))")
        params.append(" ".join(query.words))
    return " && ".join(f"({p})" for p in parts), params


class PostgresBackend(SearchBackend):
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
        entries = (
            self.filtered(query, restrict)
            .filter(RawSQL(condition, condition_params, output_field=BooleanField()))  # noqa: S611 - values are params
            .annotate(engine_rank=RawSQL(f"ts_rank({VECTOR}, ({tsq}))", params, output_field=FloatField()))  # noqa: S611
            .order_by("-engine_rank", "-document_date", "-pk")[:limit]
        )
        return self.hits(query, [(entry, entry.engine_rank) for entry in entries])
