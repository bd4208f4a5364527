"""The engines' own objects: an FTS5 table on SQLite; on PostgreSQL unaccent, pg_trgm, the IMMUTABLE vn_fold()
wrapper (unaccent() is only STABLE) and the expression indexes (spec signing-security.md §5.1)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(folded, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION vn_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, lower($1)) $$""",
    # a stored tsvector (not in the model: Django never writes it), so that ranking and phrase checks do not
    # re-run unaccent over every candidate's text
    """ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS body_tsv tsvector
       GENERATED ALWAYS AS (to_tsvector('simple', vn_fold(body))) STORED""",
    "CREATE INDEX IF NOT EXISTS search_entry_body_fts ON search_searchentry USING gin (body_tsv)",
    """CREATE INDEX IF NOT EXISTS search_entry_reference_trgm ON search_searchentry
       USING gin (vn_fold(reference) gin_trgm_ops)""",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS search_entry_reference_trgm",
    "DROP INDEX IF EXISTS search_entry_body_fts",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS body_tsv",
    "DROP FUNCTION IF EXISTS vn_fold(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        chosen = statements.get(vendor, [])
        for statement in chosen:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}),
        )
    ]
