"""Full-text search on PostgreSQL: the unaccent extension, the ``newsroom_search`` text search
configuration (English, accents removed before stemming), and GIN indexes on the exact vectors
``newsroom.search`` builds for shows, people and companies. Nothing happens on other databases,
which search through a folded-text fallback instead.
"""

from django.db import migrations

CONFIG = "newsroom_search"


def vector(*columns: tuple[str, str]) -> str:
    """The SQL Django writes for ``newsroom.search.search_vector`` (an index is only used
    when its expression is the query's)."""
    parts = [
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({column}, '')), '{weight}')"
        for column, weight in columns
    ]
    sql = parts[0]
    for part in parts[1:]:
        sql = f"({sql} || {part})"
    return sql


CREATE_CONFIG = """
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'newsroom_search') THEN
        CREATE TEXT SEARCH CONFIGURATION newsroom_search (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION newsroom_search
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    END IF;
END $$
"""

INDEXES = {
    "catalog_show_search": ("catalog_show", vector(("title", "A"), ("(aliases)::text", "B"))),
    "catalog_person_search": ("catalog_person", vector(("name", "A"), ("(aliases)::text", "B"))),
    "catalog_company_search": (
        "catalog_company",
        vector(("name", "A"), ("(aliases)::text", "B")),
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(CREATE_CONFIG)
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_search")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
