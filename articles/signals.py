"""A deleted story no longer counts as its show's newest (``Show.newest_story_at``)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Article, keep_newest_story_times


@receiver(post_delete, sender=Article)
def story_deleted(sender, instance: Article, **kwargs) -> None:
    keep_newest_story_times({instance.main_show_id} - {None})
