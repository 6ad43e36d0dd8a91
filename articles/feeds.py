"""RSS 2.0 and Atom feeds: the latest stories, and one per show, person, company, tag and author.

Each profile's feed lists what its page lists (the ``ArticleQuerySet.about_*`` methods), newest
first and bounded, so a feed costs the same few queries however much the archive grows. Links
are absolute on ``settings.SITE_URL``, the publication's public address, not the host the
request happened to arrive on.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from catalog.models import Company, Person, Show

from .models import Article, ArticleQuerySet, Author

FEED_LENGTH = 20


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


class StoryFeed(Feed):
    """What every story feed shares: its items' shape, and the RSS/Atom switch."""

    feed_type = Rss201rev2Feed
    language = "en"
    url_name = ""  # this feed's URL name in the articles namespace; "<name>_atom" is its twin

    def stories(self, obj) -> ArticleQuerySet:
        raise NotImplementedError

    def items(self, obj) -> list[Article]:
        return list(self.stories(obj).published().for_feed()[:FEED_LENGTH])

    def feed_url(self, obj) -> str:
        name = self.url_name + ("_atom" if self.feed_type is Atom1Feed else "")
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute(reverse(f"articles:{name}", kwargs=kwargs))

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.dek

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_author_name(self, item: Article) -> str | None:
        names = [byline.author.name for byline in item.bylines.all()]
        return ", ".join(names) or None

    def item_author_link(self, item: Article) -> str | None:
        bylines = list(item.bylines.all())
        return absolute(bylines[0].author.get_absolute_url()) if len(bylines) == 1 else None

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LatestStoriesFeed(StoryFeed):
    url_name = "latest_feed"
    description = "The latest stories."

    def title(self) -> str:
        return f"{settings.SITE_NAME}: latest stories"

    def link(self) -> str:
        return absolute(reverse("articles:home"))

    def stories(self, obj) -> ArticleQuerySet:
        return Article.objects.all()


class ShowFeed(StoryFeed):
    url_name = "show_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Show:
        return get_object_or_404(Show, slug=slug)

    def title(self, obj: Show) -> str:
        return f"{settings.SITE_NAME}: {obj.title}"

    def description(self, obj: Show) -> str:
        return f"Stories about {obj.title}."

    def link(self, obj: Show) -> str:
        return absolute(obj.get_absolute_url())

    def stories(self, obj: Show) -> ArticleQuerySet:
        return Article.objects.about_show(obj)


class PersonFeed(StoryFeed):
    url_name = "person_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def title(self, obj: Person) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj: Person) -> str:
        return f"Stories about {obj.name} and the shows {obj.name} works on."

    def link(self, obj: Person) -> str:
        return absolute(obj.get_absolute_url())

    def stories(self, obj: Person) -> ArticleQuerySet:
        return Article.objects.about_person(obj)


class CompanyFeed(StoryFeed):
    url_name = "company_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Company:
        return get_object_or_404(Company, slug=slug)

    def title(self, obj: Company) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj: Company) -> str:
        return f"Stories about {obj.name} and its shows."

    def link(self, obj: Company) -> str:
        return absolute(obj.get_absolute_url())

    def stories(self, obj: Company) -> ArticleQuerySet:
        return Article.objects.about_company(obj)


class TagFeed(StoryFeed):
    url_name = "tag_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj: Tag) -> str:
        return f"Stories tagged {obj.name}."

    def link(self, obj: Tag) -> str:
        return absolute(reverse("articles:tag_detail", kwargs={"slug": obj.slug}))

    def stories(self, obj: Tag) -> ArticleQuerySet:
        return Article.objects.tagged(obj)


class AuthorFeed(StoryFeed):
    url_name = "author_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def title(self, obj: Author) -> str:
        return f"{settings.SITE_NAME}: stories by {obj.name}"

    def description(self, obj: Author) -> str:
        return f"Stories by {obj.name}."

    def link(self, obj: Author) -> str:
        return absolute(obj.get_absolute_url())

    def stories(self, obj: Author) -> ArticleQuerySet:
        return Article.objects.by_author(obj)


class AtomFeed:
    """Mixed into a story feed to serve the same items as an Atom 1.0 document."""

    feed_type = Atom1Feed

    def subtitle(self, obj=None) -> str:
        return self._get_dynamic_attr("description", obj)


class LatestStoriesAtomFeed(AtomFeed, LatestStoriesFeed):
    pass


class ShowAtomFeed(AtomFeed, ShowFeed):
    pass


class PersonAtomFeed(AtomFeed, PersonFeed):
    pass


class CompanyAtomFeed(AtomFeed, CompanyFeed):
    pass


class TagAtomFeed(AtomFeed, TagFeed):
    pass


class AuthorAtomFeed(AtomFeed, AuthorFeed):
    pass
