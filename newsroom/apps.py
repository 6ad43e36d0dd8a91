from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project package as an app: it owns the page cache's invalidation signals."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from . import cache

        cache.connect_signals()
