"""`any_of`: `IN` a list of ids, sent to PostgreSQL as one array parameter (`= ANY(%s)`) rather than one parameter
per id. For a unit's thousands of routed documents, building and quoting a parameter per id took longer than the
statement itself (search/selectors.py)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def _sides(self, compiler, connection) -> tuple[str, list, list[int]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if not values:
            raise EmptyResultSet  # nothing is in an empty list, as with `in`
        return lhs, list(lhs_params), values

    def as_sql(self, compiler, connection):
        lhs, lhs_params, values = self._sides(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params, values = self._sides(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
