from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        from . import signals  # noqa: F401
        from .tags import refuse_case_duplicate

        pre_save.connect(refuse_case_duplicate, sender=Tag, dispatch_uid="tag_case_duplicate")
