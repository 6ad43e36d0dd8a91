from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self) -> None:
        from newsroom import images
        from newsroom.search import register_sqlite_functions

        from . import signals  # noqa: F401

        connection_created.connect(register_sqlite_functions, dispatch_uid="newsroom_search_sqlite")
        # Renditions of hero images, posters, headshots and author photos, made after commit.
        images.connect_signals()

