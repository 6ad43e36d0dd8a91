"""Writes on stories: publishing, relinking, editors' corrections to links, suggestions, tags.

Every function here is keyword-only, typed and atomic, and the only way the admin, the
management commands and the importers change these things, so the rules live in one place:
publishing links the story; an editor's exclusion or addition of a link is recorded so that
relinking keeps it; accepting a suggestion writes the catalog and relinks the story; removing
an automatic tag is remembered so that relinking does not bring it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Company, Credit, Person, Show
from newsroom.text import unique_slug

from .linking import LinkResult, automatic_tags, link_article, link_articles
from .models import Article, Mention, Suggestion

User = AbstractBaseUser


@transaction.atomic
def article_publish(
    *, article: Article, by: User | None = None, published_at: datetime | None = None
) -> Article:
    """Publish now, or at ``published_at`` (a later time schedules it), and link the story.

    The status is "published" either way: the public sees the story once its time has come
    (``Article.objects.published()``), without a job to flip it.
    """
    article.status = Article.Status.PUBLISHED
    article.published_at = published_at or article.published_at or timezone.now()
    if by is not None:
        article.updated_by = by
    article.full_clean()
    article.save()
    link_article(article)
    article.refresh_from_db()
    return article


def article_relink(*, article: Article) -> LinkResult:
    """Link one story again (after an edit, or on an editor's request)."""
    return link_article(article)


def articles_relink(*, articles: Iterable[Article], on_progress=None):
    """Link many stories again with one gazetteer; see ``linking.link_articles``."""
    return link_articles(articles, on_progress=on_progress)


def _should_link(article: Article) -> bool:
    return article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


@transaction.atomic
def mention_exclude(*, mention: Mention, by: User | None = None) -> Mention:
    """An editor says a link is wrong: keep the row, excluded, so relinking keeps it out."""
    mention.excluded = True
    mention.full_clean()
    mention.save(update_fields=["excluded"])
    if _should_link(mention.article):
        link_article(mention.article)
    mention.refresh_from_db()
    return mention


@transaction.atomic
def mention_include(*, mention: Mention, by: User | None = None) -> Mention:
    """Undo an exclusion."""
    mention.excluded = False
    mention.save(update_fields=["excluded"])
    if _should_link(mention.article):
        link_article(mention.article)
    mention.refresh_from_db()
    return mention


@transaction.atomic
def mention_add(
    *, article: Article, target: Person | Show | Company, by: User | None = None
) -> Mention:
    """An editor adds a link linking missed: stored as the editor's, kept on every relink.

    If linking had found the entity and an editor excluded it, adding it again lifts the
    exclusion and makes the row the editor's.
    """
    field = {Person: "person", Show: "show", Company: "company"}[type(target)]
    mention = Mention.objects.filter(article=article, **{field: target}).first()
    if mention is None:
        mention = Mention(article=article, **{field: target}, found=Mention.Found.EDITOR)
    mention.found = Mention.Found.EDITOR
    mention.excluded = False
    mention.full_clean(validate_constraints=False)
    mention.save()
    if _should_link(article):
        link_article(article)
    mention.refresh_from_db()
    return mention


# -- suggestions -------------------------------------------------------------------------------


def _person_for(suggestion: Suggestion) -> Person:
    """The suggestion's person: already catalogued, found by exact name, or created."""
    if suggestion.person_id:
        return suggestion.person
    name = suggestion.person_name.strip()
    if not name:
        raise ValidationError("This suggestion names no person.")
    same = list(Person.objects.filter(name=name)[:2])
    if len(same) > 1:
        raise ValidationError(
            f"Several people in the catalog are called {name}; add the credit from the right "
            "one's page instead."
        )
    if same:
        return same[0]
    person = Person(name=name)
    person.slug = unique_slug(person, name)
    person.key = person.slug
    person.full_clean()
    person.save()
    return person


def _credit_for(suggestion: Suggestion, person: Person) -> Credit | None:
    if not (suggestion.show_id and suggestion.role):
        return None
    credits = Credit.objects.filter(person=person, show_id=suggestion.show_id, role=suggestion.role)
    character = suggestion.character
    if character:
        same = credits.filter(character=character).first()
        if same:
            return same
        blank = credits.filter(character="").first()
        if blank:
            blank.character = character
            blank.full_clean()
            blank.save(update_fields=["character"])
            return blank
    elif credits.exists():
        return credits.first()
    credit = Credit(person=person, show_id=suggestion.show_id, role=suggestion.role, character=character)
    credit.full_clean()
    credit.save()
    return credit


def _decide(suggestion: Suggestion, status: str, by: User | None) -> None:
    suggestion.status = status
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = by if by is not None and by.pk else None
    suggestion.save(update_fields=["status", "decided_at", "decided_by", "person"])


def _check_pending(suggestion: Suggestion) -> None:
    if suggestion.status != Suggestion.Status.PENDING:
        raise ValidationError(f"This suggestion was already {suggestion.get_status_display().lower()}.")


def _apply(suggestion: Suggestion, by: User | None) -> None:
    _check_pending(suggestion)
    if suggestion.kind == Suggestion.Kind.AMBIGUOUS:
        raise ValidationError(
            f"“{suggestion.person_name}” could be several catalog entries: add the right one "
            "as a link on the story instead of accepting."
        )
    person = _person_for(suggestion)
    _credit_for(suggestion, person)
    suggestion.person = person
    _decide(suggestion, Suggestion.Status.ACCEPTED, by)


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by: User | None = None) -> Suggestion:
    """Write what the suggestion states into the catalog (the person, the credit) and link
    the story again, so the new person becomes a link at once."""
    _apply(suggestion, by)
    if _should_link(suggestion.article):
        link_article(suggestion.article)
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, by: User | None = None) -> Suggestion:
    """The fact is wrong or unwanted: the row stays, rejected, so relinking never asks again."""
    _check_pending(suggestion)
    _decide(suggestion, Suggestion.Status.REJECTED, by)
    return suggestion


@transaction.atomic
def suggestions_accept(*, suggestions: Iterable[Suggestion], by: User | None = None) -> int:
    """Accept many at once and relink each affected story once, not once per suggestion.

    Ambiguous names are skipped (an editor settles those by adding a link). Returns how many
    were accepted.
    """
    accepted = 0
    stories: dict[int, Article] = {}
    for suggestion in suggestions:
        if suggestion.kind == Suggestion.Kind.AMBIGUOUS or suggestion.status != Suggestion.Status.PENDING:
            continue
        suggestion.refresh_from_db()
        if suggestion.status != Suggestion.Status.PENDING:
            continue  # decided meanwhile by relinking an earlier story's acceptance
        _apply(suggestion, by)
        accepted += 1
        stories[suggestion.article_id] = suggestion.article
    link_articles([a for a in stories.values() if _should_link(a)])
    return accepted


@transaction.atomic
def suggestions_reject(*, suggestions: Iterable[Suggestion], by: User | None = None) -> int:
    rejected = 0
    for suggestion in suggestions:
        if suggestion.status != Suggestion.Status.PENDING:
            continue
        _decide(suggestion, Suggestion.Status.REJECTED, by)
        rejected += 1
    return rejected


# -- tags ----------------------------------------------------------------------------------


@transaction.atomic
def article_record_tag_edit(
    *, article: Article, before: Iterable[str], after: Iterable[str]
) -> list[str]:
    """Remember the automatic tags an editor removed, so relinking does not add them back;
    forget the ones an editor put back. Returns the story's removed tags."""
    before_slugs = {slugify(t): t for t in before}
    after_slugs = {slugify(t) for t in after}
    auto = {slugify(t if isinstance(t, str) else t.name) for t in automatic_tags(article)}
    removed = {slugify(t): t for t in article.removed_tags or []}
    for slug, name in before_slugs.items():
        if slug not in after_slugs and slug in auto:
            removed[slug] = name
    for slug in after_slugs:
        removed.pop(slug, None)
    names = sorted(removed.values(), key=str.lower)
    if names != list(article.removed_tags or []):
        article.removed_tags = names
        article.save(update_fields=["removed_tags"])
    return names
