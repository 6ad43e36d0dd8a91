"""The publishing workflow: draft → in review → scheduled or published → archived.

Each transition is a service (``article_submit``, ``article_publish``, ``article_schedule``,
``article_unpublish``, ``article_archive``, ``article_send_back``) that first checks the
person against the role rules in ``articles.roles``, so the admin's buttons, its changelist
actions and any script obey the same rules.

A scheduled story is stored as published with a publish time in the future: the public sees
it once that time has passed, because visibility is decided when a page is read
(``Article.objects.published()``), so nothing has to run for it to appear on time. What must
happen exactly once when a story goes live — an entry in the admin's history, a log line, and
the ``article_went_live`` signal that caches subscribe to for purging — is done by
:func:`article_go_live`: at once when a story is published now, and by
``manage.py publish_scheduled`` (cron, every minute) for scheduled stories whose time has
come. ``went_live_at`` records that it was done, which makes the command idempotent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import roles, services
from .models import Article

logger = logging.getLogger("newsroom.publishing")

User = AbstractBaseUser | AnonymousUser

#: Sent (after the transaction commits) when a story becomes public: its page, lists, feeds
#: and profile pages change. Arguments: ``article``.
article_went_live = Signal()
#: Sent (after commit) when a public story is taken down (unpublished or archived).
article_withdrawn = Signal()

Status = Article.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    needs_publish_permission: bool
    help: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit", "Submit for review", frozenset({Status.DRAFT}), False,
            "Hand the draft to an editor.",
        ),
        Transition(
            "send_back", "Send back to the writer", frozenset({Status.IN_REVIEW}), True,
            "Return the story to draft for more work.",
        ),
        Transition(
            "publish", "Publish now",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED}), True, "Make the story public at once.",
        ),
        Transition(
            "schedule", "Schedule",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED}), True,
            "Go live at the publish time set above (it must be in the future).",
        ),
        Transition(
            "unpublish", "Unpublish",
            frozenset({Status.PUBLISHED, Status.SCHEDULED, Status.ARCHIVED}), True,
            "Take the story off the site and back to draft.",
        ),
        Transition(
            "archive", "Archive",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED}), True,
            "Retire the story: off the site, kept for the record.",
        ),
    )
}  # fmt: skip


def desk_state(article: Article, now: datetime | None = None) -> str:
    """The story's state as the desk speaks of it: a published story whose time has not
    come is "Scheduled"."""
    now = now or timezone.now()
    if article.status in (Status.PUBLISHED, Status.SCHEDULED) and article.published_at:
        return "Scheduled" if article.published_at > now else "Published"
    return article.get_status_display()


def _transition_applies(article: Article, name: str) -> bool:
    transition = TRANSITIONS[name]
    if article.status not in transition.sources:
        return False
    # "Publish now" on a live story and "Schedule" on one already live make no sense.
    if name == "publish" and article.is_published:
        return False
    return not (name == "schedule" and article.is_published)


def allowed_transitions(user: User, article: Article) -> list[Transition]:
    """The transitions this person may apply to this story now, in the order of the desk."""
    return [
        TRANSITIONS[name]
        for name in TRANSITIONS
        if _transition_applies(article, name) and _permitted(user, article, name)
    ]


def _permitted(user: User, article: Article, name: str) -> bool:
    transition = TRANSITIONS[name]
    if transition.needs_publish_permission:
        return roles.can_publish(user)
    return roles.can_change_story(user, article)


def check_transition(user: User, article: Article, name: str) -> None:
    """Raise PermissionDenied (the role forbids it) or ValidationError (not from this state)."""
    if name not in TRANSITIONS:
        raise ValidationError(f"Unknown transition “{name}”.")
    if not _permitted(user, article, name):
        raise PermissionDenied(
            f"You may not {TRANSITIONS[name].label.lower()} “{article}”."
        )
    if not _transition_applies(article, name):
        raise ValidationError(
            f"“{article}” is {desk_state(article).lower()}: "
            f"it cannot be {_PAST[name]} from there."
        )


_PAST = {
    "submit": "submitted for review",
    "send_back": "sent back",
    "publish": "published",
    "schedule": "scheduled",
    "unpublish": "unpublished",
    "archive": "archived",
}


def _user_or_none(by: User | None):
    return by if by is not None and by.is_authenticated else None


def _save(article: Article, by: User | None) -> None:
    if by is not None and by.is_authenticated:
        article.updated_by = by
    article.full_clean()
    article.save()


def _log(article: Article, by: User | None, message: str) -> None:
    logger.info("%s: %s", message, article.slug)
    user_id = by.pk if by is not None and by.is_authenticated else article.updated_by_id
    if user_id is None:
        return
    LogEntry.objects.log_actions(
        user_id,
        [article],
        CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    """A writer hands a draft to the editors."""
    check_transition(by, article, "submit")
    article.status = Status.IN_REVIEW
    _save(article, by)
    _log(article, by, "Submitted for review")
    return article


@transaction.atomic
def article_send_back(*, article: Article, by: User) -> Article:
    """An editor returns a story in review to its writer as a draft."""
    check_transition(by, article, "send_back")
    article.status = Status.DRAFT
    _save(article, by)
    _log(article, by, "Sent back to draft")
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User, published_at: datetime | None = None) -> Article:
    """Publish now (or at a time already past), and do the go-live work at once.

    The publishing itself (status, time, linking the story to the catalog) is
    ``services.article_publish``; this adds the role check and the go-live work.

    A time in the future is a schedule: use :func:`article_schedule`.
    """
    check_transition(by, article, "publish")
    now = timezone.now()
    when = published_at or now
    if when > now:
        raise ValidationError("That publish time is in the future: schedule the story instead.")
    services.article_publish(article=article, by=_user_or_none(by), published_at=when)
    _log(article, by, "Published")
    article_go_live(article=article, by=by)
    return article


@transaction.atomic
def article_schedule(*, article: Article, by: User, published_at: datetime | None = None) -> Article:
    """Set the story to go live at a future time (``published_at``, or the one it has).

    Stored as published with that time: it appears when a page is read after it, whether or
    not ``publish_scheduled`` has run; the command only does the once-only go-live work.
    """
    check_transition(by, article, "schedule")
    when = published_at or article.published_at
    if when is None:
        raise ValidationError({"published_at": "A scheduled story needs a publish time."})
    if when <= timezone.now():
        raise ValidationError(
            {"published_at": "The publish time has passed: publish the story now instead."}
        )
    article.went_live_at = None
    services.article_publish(article=article, by=_user_or_none(by), published_at=when)
    _log(article, by, f"Scheduled for {timezone.localtime(when):%Y-%m-%d %H:%M %Z}")
    return article


def _take_down(article: Article, by: User, *, transition: str, status: str, verb: str) -> Article:
    """Move a story off the public site; pages that showed it hear ``article_withdrawn``."""
    check_transition(by, article, transition)
    was_live = article.is_published
    article.status = status
    article.went_live_at = None
    _save(article, by)
    _log(article, by, verb)
    if was_live:
        _send_on_commit(article_withdrawn, article)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: User) -> Article:
    """Take a published, scheduled or archived story back to draft."""
    return _take_down(article, by, transition="unpublish", status=Status.DRAFT, verb="Unpublished")


@transaction.atomic
def article_archive(*, article: Article, by: User) -> Article:
    """Retire a story: off the public site, kept (with its links) for the record."""
    return _take_down(article, by, transition="archive", status=Status.ARCHIVED, verb="Archived")


SERVICES = {
    "submit": article_submit,
    "send_back": article_send_back,
    "publish": article_publish,
    "schedule": article_schedule,
    "unpublish": article_unpublish,
    "archive": article_archive,
}


def apply_transition(*, article: Article, name: str, by: User) -> Article:
    """Apply a transition by name (the admin's buttons and actions)."""
    if name not in SERVICES:
        raise ValidationError(f"Unknown transition “{name}”.")
    return SERVICES[name](article=article, by=by)


# -- go-live ------------------------------------------------------------------------------------


def _send_on_commit(signal: Signal, article: Article) -> None:
    transaction.on_commit(lambda: signal.send(sender=Article, article=article))


@transaction.atomic
def article_go_live(*, article: Article, by: User | None = None) -> bool:
    """Do the once-only work of a story becoming public; False if it was already done.

    The row is claimed with a conditional update, so two overlapping runs (or a publish and
    a cron run) never both do it.
    """
    now = timezone.now()
    claimed = Article.objects.filter(
        pk=article.pk,
        status__in=Article.LIVE_STATUSES,
        published_at__lte=now,
        went_live_at__isnull=True,
    ).update(went_live_at=now)
    if not claimed:
        return False
    article.went_live_at = now
    _log(article, by, "Went live")
    _send_on_commit(article_went_live, article)
    return True


@dataclass
class GoLiveStats:
    went_live: list[Article]
    backfilled: int


def articles_go_live(*, now: datetime | None = None, window: timedelta = timedelta(days=1)) -> GoLiveStats:
    """Go-live work for every published story whose time has come and that has not had it.

    Stories whose time passed more than ``window`` ago (an imported archive, a cron that was
    down for days) are only marked: logging and purging thousands of old stories helps no one.
    """
    now = now or timezone.now()
    due = Article.objects.filter(
        status__in=Article.LIVE_STATUSES, published_at__lte=now, went_live_at__isnull=True
    )
    backfilled = due.filter(published_at__lt=now - window).update(went_live_at=now)
    went_live = []
    for article in due.filter(published_at__gte=now - window).select_related("updated_by").order_by(
        "published_at", "pk"
    ):
        if article_go_live(article=article):
            went_live.append(article)
    return GoLiveStats(went_live=went_live, backfilled=backfilled)
