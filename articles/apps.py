from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self) -> None:
        from newsroom import images
        from newsroom.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="newsroom_search_sqlite")
        # Renditions of hero images, posters, headshots and author photos, made after commit.
        images.connect_signals()
        connect_page_cache_signals()


def connect_page_cache_signals() -> None:
    """Whatever a public page shows, saved or deleted, makes the cached pages stale."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from catalog.models import Company, Credit, Person, Season, Show
    from newsroom.caching import pages_changed

    from .models import Article, Author, Byline, Mention, TaggedArticle

    for model in (Article, Author, Byline, Mention, TaggedArticle, Company, Show, Season, Person, Credit):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            uid = f"pages_changed_{name}_{model.__name__}"
            signal.connect(pages_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(pages_changed, sender=Show.studios.through, dispatch_uid="pages_changed_studios")
