"""Tags are case-insensitive on every path, and a catalog editor can merge them."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import IntegrityError, transaction
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from catalog.models import TaggedShow
from catalog.tags import tag_merge
from tests import factories as f
from tests.articles.test_richtext import story_post

pytestmark = pytest.mark.django_db


def test_programmatic_add_reuses_the_tag_in_any_case():
    story = f.article(tags=["Renewals"])
    other = f.article()
    other.tags.add("renewals")
    other.tags.add("RENEWALS", "Crime Drama", "crime drama")
    assert Tag.objects.count() == 2
    assert sorted(other.tags.names()) == ["Crime Drama", "Renewals"]
    assert list(story.tags.names()) == ["Renewals"]


def test_set_and_remove_ignore_case():
    story = f.article(tags=["Renewals", "Bosch"])
    story.tags.set(["renewals", "bosch", "Prime Video"])
    assert sorted(story.tags.names()) == ["Bosch", "Prime Video", "Renewals"]
    story.tags.remove("BOSCH", "prime video")
    assert list(story.tags.names()) == ["Renewals"]
    assert Tag.objects.count() == 3


def test_shows_share_the_same_tags():
    f.article(tags=["Crime Drama"])
    show = f.show("Ballard")
    show.tags.add("crime drama")
    assert Tag.objects.count() == 1


def test_creating_a_duplicate_directly_is_refused():
    """The path imports might take: Tag.objects.create / get_or_create(name=…)."""
    Tag.objects.create(name="Renewals")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="renewals")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.get_or_create(name="RENEWALS")
    renamed = Tag.objects.create(name="Cancellations")
    renamed.name = "cancellations"
    renamed.save()  # the same tag changing its own case is fine
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Renewals", "cancellations"]


def test_the_story_form_reuses_the_existing_tag(admin_client):
    Tag.objects.create(name="Renewals")
    response = admin_client.post(
        reverse("admin:articles_article_add"), story_post(tags="renewals, RENEWALS, Bosch")
    )
    assert response.status_code == 302, response.context["errors"]
    story = Article.objects.get()
    assert sorted(story.tags.names()) == ["Bosch", "Renewals"]
    assert Tag.objects.count() == 2


def test_the_tag_admin_refuses_a_name_in_another_case(admin_client):
    Tag.objects.create(name="Renewals")
    response = admin_client.post(
        reverse("admin:taggit_tag_add"), {"name": "renewals", "slug": "renewals-2"}
    )
    assert response.status_code == 200
    assert "already exists" in response.context["adminform"].form.errors["name"][0]
    assert Tag.objects.count() == 1


def make_duplicates():
    """Duplicates that predate the rules or differ by more than case."""
    keep = Tag.objects.create(name="Renewals")
    singular = Tag.objects.create(name="Renewal")
    plural_story = f.article("Ballard renewed", tags=[keep])
    both = f.article("Bosch Legacy renewed", tags=[keep, singular])
    singular_story = f.article("Three Pines renewed", tags=[singular])
    show = f.show("Ballard")
    show.tags.add(singular)
    return keep, singular, [plural_story, both, singular_story], show


def test_tag_merge_moves_stories_and_shows_once_each():
    keep, singular, stories, show = make_duplicates()
    result = tag_merge(tags=[keep, singular], into=keep)
    assert result.merged == ["Renewal"]
    assert result.rows_moved == 2  # the singular story and the show; "both" had it already
    assert not Tag.objects.filter(pk=singular.pk).exists()
    for story in stories:
        assert list(story.tags.names()) == ["Renewals"]
    assert list(show.tags.names()) == ["Renewals"]
    assert TaggedArticle.objects.filter(tag=keep).count() == 3
    assert TaggedShow.objects.filter(tag=keep).count() == 1


def test_merge_action_asks_which_tag_to_keep_then_merges(admin_client):
    keep, singular, _stories, show = make_duplicates()
    changelist = reverse("admin:taggit_tag_changelist")
    chosen = {"action": "merge_tags", ACTION_CHECKBOX_NAME: [keep.pk, singular.pk]}
    ask = admin_client.post(changelist, chosen)
    assert ask.status_code == 200
    assert "Keep this tag" in ask.content.decode()
    assert Tag.objects.count() == 2, "nothing merged before the editor chooses"
    done = admin_client.post(changelist, {**chosen, "apply": "1", "into": singular.pk})
    assert done.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Renewal"]
    assert TaggedArticle.objects.filter(tag=singular).count() == 3
    assert list(show.tags.names()) == ["Renewal"]


def test_merge_action_needs_two_tags(admin_client):
    keep, *_ = make_duplicates()
    response = admin_client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge_tags", ACTION_CHECKBOX_NAME: [keep.pk]},
        follow=True,
    )
    assert "at least two tags" in response.content.decode()
    assert Tag.objects.count() == 2


def test_tag_changelist_counts_stories_and_shows(admin_client):
    make_duplicates()
    response = admin_client.get(reverse("admin:taggit_tag_changelist"))
    rows = {tag.name: (tag._story_count, tag._show_count) for tag in response.context["cl"].result_list}
    assert rows == {"Renewals": (2, 0), "Renewal": (2, 1)}
