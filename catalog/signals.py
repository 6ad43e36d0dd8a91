"""Catalog changes bump the catalog version, so every process rebuilds its gazetteer."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Company, Credit, ImdbCreditsDigest, Person, Show, bump_catalog_version


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


@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def credit_changed(sender, instance: Credit, **kwargs) -> None:
    """A credit changed outside the IMDb import: the digests of its show (and of the show it
    was moved from) no longer describe the stored credits."""
    shows = {instance.show_id, getattr(instance, "_loaded_show_id", None)} - {None}
    ImdbCreditsDigest.objects.filter(show_id__in=shows).delete()


@receiver(post_save, sender=Person)
def person_changed(sender, instance: Person, created: bool, **kwargs) -> None:
    """A person's IMDb id changed: the file's rows for them now mean someone else."""
    if not created and instance.changed_since_loaded("imdb_id"):
        ImdbCreditsDigest.objects.filter(show__credits__person=instance).delete()
