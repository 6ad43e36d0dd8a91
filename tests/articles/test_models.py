from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Mention
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_published_means_status_published_and_time_passed():
    live = f.article("Live")
    f.article("Later", published_at=timezone.now() + timedelta(hours=1))
    f.article("Draft", status=Article.Status.DRAFT)
    assert list(Article.objects.published()) == [live]


def test_a_story_saved_as_scheduled_goes_live_by_itself_at_its_time():
    # Imports and older clients store "scheduled"; nothing has to flip it at go-live.
    now = timezone.now()
    due = f.article("Due", status=Article.Status.SCHEDULED, published_at=now - timedelta(minutes=1))
    later = f.article("Later", status=Article.Status.SCHEDULED, published_at=now + timedelta(hours=1))
    assert list(Article.objects.published()) == [due]
    assert list(Article.objects.scheduled()) == [later]
    assert due.is_published and not later.is_published


def test_published_story_needs_a_publish_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="No time", status=Article.Status.PUBLISHED)


def test_mention_points_at_exactly_one_entity():
    a, p, s = f.article(), f.person(), f.show()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(article=a, person=p, show=s)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(article=a)
    Mention.objects.create(article=a, person=p)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(article=a, person=p)
