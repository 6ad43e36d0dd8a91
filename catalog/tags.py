"""Tags stay clean: one tag per name whatever its case, and duplicates can be merged.

``TAGGIT_CASE_INSENSITIVE`` makes taggit's own ``add()`` and ``set()`` find "Renewals" when
given "renewals", but other paths do not: ``Tag.objects.create()`` or ``get_or_create(name=…)``
from an import, the tag admin's add form, and ``tags.remove("renewals")`` (taggit compares
names exactly there). So:

- ``refuse_case_duplicate`` (connected to ``Tag``'s ``pre_save``) stops any save that would
  make a second tag differing only in case — whichever code path tries it;
- ``CaseInsensitiveTaggableManager`` makes ``remove()`` case-insensitive too;
- ``tag_merge`` folds tags into one, moving every story and show that carried them, for the
  duplicates that predate these rules or that differ by more than case ("Renewal" and
  "Renewals"). The tag admin offers it as an action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from taggit.managers import _TaggableManager
from taggit.models import Tag

from newsroom.prepared import PreparedQuery


def find_tag(name: str) -> Tag | None:
    """The tag with this name in any case (the oldest one if duplicates remain)."""
    return (
        Tag.objects.annotate(lowered=Lower("name"))
        .filter(lowered=name.strip().lower())
        .order_by("pk")
        .first()
    )


def refuse_case_duplicate(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    """Refuse to save a tag whose name another tag already has in a different case."""
    if raw:
        return
    same = Tag.objects.annotate(lowered=Lower("name")).filter(lowered=instance.name.lower())
    if instance.pk is not None:
        same = same.exclude(pk=instance.pk)
    if same.exists():
        raise IntegrityError(
            f"A tag named {instance.name!r} already exists in another case; "
            "tags are case-insensitive (use that tag, or merge them)."
        )


class CaseInsensitiveTaggableManager(_TaggableManager):
    """taggit's tag manager, with ``remove()`` matching names in any case like ``add()``."""

    def remove(self, *tags) -> None:
        names = {tag.name if isinstance(tag, Tag) else str(tag) for tag in tags}
        if not names:
            return
        lowered = {name.lower() for name in names}
        actual = [
            tag.name
            for tag in self.get_queryset().annotate(lowered=Lower("name"))
            if tag.lowered in lowered
        ]
        if actual:
            super().remove(*actual)


@dataclass(frozen=True)
class TagMergeResult:
    into: Tag
    merged: list[str]
    rows_moved: int


def _tagged_models() -> list[type[models.Model]]:
    """Every table that points at ``Tag``: our stories' and shows' tags, and taggit's own."""
    return [
        rel.related_model
        for rel in Tag._meta.related_objects
        if rel.one_to_many and rel.field.name == "tag"
    ]


@transaction.atomic
def tag_merge(*, tags: Sequence[Tag], into: Tag) -> TagMergeResult:
    """Move everything tagged with any of ``tags`` to ``into``, then delete those tags.

    An object that already carried ``into`` (or several of the merged tags) ends up with it
    once. Works through each tagging table in a fixed number of queries, so a tag on ten
    thousand stories merges as fast as one on ten.
    """
    sources = [tag for tag in tags if tag.pk != into.pk]
    if not sources:
        return TagMergeResult(into=into, merged=[], rows_moved=0)
    source_ids = [tag.pk for tag in sources]
    moved = 0
    for model in _tagged_models():
        identity = [
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name != "tag"
        ]
        kept = set(model._default_manager.filter(tag=into).values_list(*identity))
        wanted = set(model._default_manager.filter(tag_id__in=source_ids).values_list(*identity))
        new_rows = [
            model(tag=into, **dict(zip(identity, values, strict=True)))
            for values in sorted(wanted - kept)
        ]
        model._default_manager.bulk_create(new_rows, batch_size=500)
        moved += len(new_rows)
        model._default_manager.filter(tag_id__in=source_ids).delete()
    names = [tag.name for tag in sources]
    Tag.objects.filter(pk__in=source_ids).delete()
    return TagMergeResult(into=into, merged=names, rows_moved=moved)


def prepared_tags(items: str, parameter: str) -> PreparedQuery:
    """The (name, slug) of one object's tags in name order, as a prepared query: ``items`` is
    the tag's reverse name for the tagged-item model, ``parameter`` the object's id."""
    return PreparedQuery(
        lambda **ids: Tag.objects.filter(**{f"{items}__content_object_id": ids[parameter]})
        .order_by("name")
        .values_list("name", "slug"),
        parameter,
    )
