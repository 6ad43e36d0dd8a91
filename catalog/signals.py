"""Catalog changes bump the catalog version, so every process rebuilds its gazetteer."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Company, Credit, Person, Show, bump_catalog_version


@receiver(post_save, sender=Company)
@receiver(post_save, sender=Show)
@receiver(post_save, sender=Person)
@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Company)
@receiver(post_delete, sender=Show)
@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Credit)
def catalog_changed(sender, **kwargs) -> None:
    bump_catalog_version()


@receiver(m2m_changed, sender=Show.studios.through)
def studios_changed(sender, **kwargs) -> None:
    bump_catalog_version()
