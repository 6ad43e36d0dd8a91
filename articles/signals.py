"""Copies kept on stories and shows: a show's newest story time (``Show.newest_story_at``)
when a story is deleted, a story's bylines (``Article.byline_authors``) when a byline or an
author changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article, Author, Byline, keep_byline_authors, keep_newest_story_times


@receiver(post_delete, sender=Article)
def story_deleted(sender, instance: Article, **kwargs) -> None:
    keep_newest_story_times({instance.main_show_id} - {None})


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
def byline_changed(sender, instance: Byline, **kwargs) -> None:
    keep_byline_authors({instance.article_id, getattr(instance, "_loaded_article_id", None)} - {None})


@receiver(post_save, sender=Author)
def author_changed(sender, instance: Author, created: bool, **kwargs) -> None:
    """A new name or slug: every story with their byline shows it."""
    if not created and instance.changed_since_loaded():
        keep_byline_authors(instance.bylines.values_list("article_id", flat=True))
