"""Full-text search on PostgreSQL: a GIN index on the vector ``newsroom.search`` builds for
published stories (title, dek, body). The text search configuration comes from the catalog's
``search_postgres`` migration. Nothing happens on other databases.
"""

from django.db import migrations

EXPRESSION = (
    "((setweight(to_tsvector('newsroom_search'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('newsroom_search'::regconfig, COALESCE(dek, '')), 'B'))"
    " || setweight(to_tsvector('newsroom_search'::regconfig, COALESCE(body, '')), 'C'))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS articles_article_search ON articles_article"
        f" USING gin (({EXPRESSION})) WHERE status = 'published'"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS articles_article_search")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_initial"), ("catalog", "0002_search_postgres")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
