"""Trigram indexes for the admin's searches and autocompletes (PostgreSQL only).

The admin searches with ``icontains`` — ``UPPER(column::text) LIKE UPPER('%term%')`` — over
every field in ``search_fields``, joined by OR. With 100k stories and a million people a
sequential scan of each is too slow for an autocomplete; a GIN trigram index on exactly that
expression serves substring searches, and indexing every searched column lets PostgreSQL
combine them (BitmapOr) instead of scanning. SQLite (development, tests) has no such index
and does not need one at its sizes: there this migration does nothing.
"""

from django.db import migrations

# table → columns searched by its admin (see search_fields in articles/admin.py, catalog/admin.py)
SEARCHED = {
    "articles_article": ["title", "dek", "slug"],
    "articles_author": ["name", "slug"],
    "catalog_person": ["name", "key", "aliases", "imdb_id"],
    "catalog_show": ["title", "key", "aliases", "imdb_id"],
    "catalog_company": ["name", "key", "aliases"],
}


def _index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"[:63]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index_name(table, column)}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_roles"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
