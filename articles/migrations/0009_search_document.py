"""Full-text search on PostgreSQL from a stored vector (nothing happens on other databases).

The index of ``0003_search_postgres`` was built on an expression, so ranking a match had to
compute the story's vector again from its body: a search for a common word parsed thousands
of bodies, and its ``status = 'published'`` condition kept the index from serving
``published()`` (which also admits scheduled stories whose time has passed). Here the
vector is a stored generated column, kept by PostgreSQL on every write, and the GIN index is
on that column, for every status.
"""

from importlib import import_module

from django.db import migrations

OLD = import_module("articles.migrations.0003_search_postgres")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS articles_article_search")
    schema_editor.execute(
        "ALTER TABLE articles_article ADD COLUMN search_document tsvector"
        f" GENERATED ALWAYS AS ({OLD.EXPRESSION}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX articles_article_search ON articles_article USING gin (search_document)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS articles_article_search")
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document")
    OLD.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_article_show_newest_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
