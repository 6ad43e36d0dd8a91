from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self) -> None:
        from newsroom.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="newsroom_search_sqlite")
