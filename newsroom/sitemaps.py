"""Sitemaps for search engines: an index of sections, and a Google News sitemap.

Every section is a contrib ``Sitemap`` reading published stories and the catalog. ``lastmod``
is when the page last changed as a reader sees it: a show's page changes when it is edited and
when a story about it goes live, so it is the later of the two. Locations are absolute on
``settings.SITE_URL`` (the publication's public address), as in feeds.

Sections are paginated at 2,000 URLs per file (``PublicSitemap.limit``, WordPress's own
default; the protocol allows up to 50,000); the index lists every page of every section. A
page is read as plain rows (``items()`` is a ``values_list`` query) and written as XML here,
without a model instance or a template per URL: a page costs a few milliseconds of Python and
weighs about 200 KB, so a crawler walking a million people never ties up a worker for long,
and the full-page cache serves a page at nearly the rate of any other page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from taggit.models import Tag

from articles.models import Article, Mention, TaggedArticle
from catalog.models import Company, Person, Show
from newsroom.links import url_maker

NEWS_WINDOW = timedelta(days=2)


def latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


class PublicSitemap(Sitemap):
    """Locations on SITE_URL rather than the host the request came in on."""

    limit = 2_000

    def location(self, row: tuple) -> str:
        """The page's address (a path) from one row of ``items()``."""
        raise NotImplementedError

    def lastmod(self, row: tuple) -> datetime | None:
        raise NotImplementedError

    def page_urls(self, number) -> list[tuple[str, datetime | None]]:
        """One page's absolute locations with their ``lastmod``, in the section's order.
        Raises ``EmptyPage`` / ``PageNotAnInteger`` as the paginator does."""
        base = f"{self.get_protocol()}://{self.get_domain()}"
        return [(base + self.location(row), self.lastmod(row)) for row in self.paginator.page(number).object_list]

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


def newest_story_about(field: str) -> Subquery:
    """When the newest published story with ``field`` = the outer row went live."""
    stories = Article.objects.published().filter(**{field: OuterRef("pk")})
    return Subquery(stories.order_by("-published_at").values("published_at")[:1])


def newest_story_naming(field: str) -> Subquery:
    """When the newest published story naming the outer row (active mention) went live: the
    first entry of the entity's ``mention_*_newest`` index."""
    mentions = Mention.objects.public().filter(**{field: OuterRef("pk")}).newest()
    return Subquery(mentions.values("story_live_at")[:1])


class StorySitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet:
        # Oldest first, so a new story lands on the last page and earlier pages stay stable.
        return (
            Article.objects.published()
            .order_by("published_at", "pk")
            .values_list("slug", "published_at", "updated_at")
        )

    def location(self, row: tuple) -> str:
        slug, published_at = row[:2]
        when = published_at.astimezone(self.zone)  # the story's address, as get_absolute_url
        return self.story_url(when.year, f"{when.month:02d}", f"{when.day:02d}", slug)

    def lastmod(self, row: tuple) -> datetime | None:
        return latest(row[2], row[1])

    def page_urls(self, number) -> list[tuple[str, datetime | None]]:
        self.prepare()
        return super().page_urls(number)

    def prepare(self) -> None:
        """What every row's location needs: the newsroom's zone, the story address."""
        self.zone = timezone.get_current_timezone()
        self.story_url = url_maker("articles:article_detail", "year", "month", "day", "slug")

    def get_latest_lastmod(self) -> datetime | None:
        times = Article.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return latest(times["updated"], times["published"])


class KeysFirstPaginator(Paginator):
    """Pages whose rows are chosen by key first: a page's keys are read from the plain,
    filtered query (the primary key index alone, for a catalog table), and only those rows
    are then read in full by ``rows`` (a per-row ``lastmod`` subquery, or a grouping). The
    count too is of the plain query. With a plain slice of the full query PostgreSQL
    computed the subquery for every row that ``OFFSET`` skipped (page 100 of a million
    people took 1.1 s against 0.2 s for page 3), and counting the tags that carry a
    published story grouped every tagged story (150 ms at the large dataset).
    """

    def __init__(self, object_list: QuerySet, per_page: int, rows: Callable[[QuerySet], QuerySet]) -> None:
        super().__init__(object_list, per_page)
        self.rows = rows

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.rows(self.object_list.filter(pk__in=keys)), number, self)


class KeysFirstSitemap(PublicSitemap):
    """A section paged keys first (``KeysFirstPaginator``): ``items()`` is the plain, ordered
    query; ``rows()`` reads a page of it in full."""

    @property
    def paginator(self) -> KeysFirstPaginator:
        return KeysFirstPaginator(self._items(), self.limit, self.rows)

    def rows(self, entries: QuerySet) -> QuerySet:
        raise NotImplementedError


class CatalogSitemap(KeysFirstSitemap):
    """Shows, people or companies: the page changes with the row and with new stories.
    Paged keys first (``KeysFirstPaginator``)."""

    model: type[Show] | type[Person] | type[Company]
    detail_view: str
    changefreq = "weekly"

    def newest_story(self) -> Subquery:
        raise NotImplementedError

    def newest_story_of_any(self) -> QuerySet:
        """When published stories about (or naming) any entry went live, newest first."""
        raise NotImplementedError

    def items(self) -> QuerySet:
        return self.model.objects.order_by("pk")

    def rows(self, entries: QuerySet) -> QuerySet:
        return entries.annotate(newest_story=self.newest_story()).values_list(
            "slug", "updated_at", "newest_story"
        )

    def location(self, row: tuple) -> str:
        return self.entry_url(row[0])

    def lastmod(self, row: tuple) -> datetime | None:
        return latest(row[1], row[2])

    def page_urls(self, number) -> list[tuple[str, datetime | None]]:
        self.entry_url = url_maker(self.detail_view, "slug")
        return super().page_urls(number)

    def get_latest_lastmod(self) -> datetime | None:
        # Not the maximum of every entry's lastmod (a subquery per row, a million people):
        # the newest edit, and the newest story concerning any entry (an index head).
        newest = (
            self.model.objects.order_by("-updated_at")
            .annotate(story=Subquery(self.newest_story_of_any()[:1]))
            .values_list("updated_at", "story")
            .first()
        )
        return latest(*newest) if newest else None


class ShowSitemap(CatalogSitemap):
    model = Show
    detail_view = "catalog:show_detail"

    def newest_story(self) -> Subquery:
        return newest_story_about("main_show")

    def newest_story_of_any(self) -> QuerySet:
        stories = Article.objects.published().exclude(main_show=None).order_by("-published_at")
        return stories.values("published_at")


class PersonSitemap(CatalogSitemap):
    model = Person
    detail_view = "catalog:person_detail"

    def newest_story(self) -> Subquery:
        return newest_story_naming("person")

    def newest_story_of_any(self) -> QuerySet:
        return Mention.objects.public().exclude(person=None).newest().values("story_live_at")


class CompanySitemap(CatalogSitemap):
    model = Company
    detail_view = "catalog:company_detail"

    def newest_story(self) -> Subquery:
        return newest_story_naming("company")

    def newest_story_of_any(self) -> QuerySet:
        return Mention.objects.public().exclude(company=None).newest().values("story_live_at")


class TagSitemap(KeysFirstSitemap):
    """Tags that carry at least one published story; they change when a tagged story does."""

    changefreq = "daily"

    @cached_property
    def now(self) -> datetime:
        """One moment for the count and the page's rows."""
        return timezone.now()

    def items(self) -> QuerySet[Tag]:
        # Tags with a published story, by key. A scalar subquery, not EXISTS: PostgreSQL
        # turns EXISTS into a join grouping every tagged story (150 ms at the large dataset),
        # where this probes each tag's stories until it finds a published one.
        live = TaggedArticle.objects.filter(
            tag=OuterRef("pk"),
            content_object__status__in=Article.LIVE_STATUSES,
            content_object__published_at__lte=self.now,
        )
        return (
            Tag.objects.annotate(live_story=Subquery(live.values("content_object_id")[:1]))
            .filter(live_story__isnull=False)
            .order_by("pk")
        )

    def rows(self, tags: QuerySet[Tag]) -> QuerySet:
        # A page's tags with their newest story, in one pass grouping their published
        # stories (a subquery per tag sorted each tag's stories: tens of seconds for tags on
        # tens of thousands of stories).
        stories = "articles_taggedarticle_items__content_object"
        return (
            tags.filter(**{
                f"{stories}__status__in": Article.LIVE_STATUSES,
                f"{stories}__published_at__lte": self.now,
            })
            .annotate(newest_story=Max(f"{stories}__published_at"))
            .values_list("slug", "newest_story")
        )

    def location(self, row: tuple) -> str:
        # reverse(), not a url_maker: tag slugs may be Unicode, which the address quotes.
        return reverse("articles:tag_detail", kwargs={"slug": row[0]})

    def lastmod(self, row: tuple) -> datetime:
        return row[1]

    def get_latest_lastmod(self) -> datetime | None:
        tagged = TaggedArticle.objects.filter(content_object__in=Article.objects.published())
        newest = tagged.order_by("-content_object__published_at")
        return newest.values_list("content_object__published_at", flat=True).first()


class NewsSitemap(StorySitemap):
    """Google News: stories published in the last two days, at most 1,000 (Google's cap),
    newest first; one page, read in one query."""

    limit = 1000

    def items(self) -> QuerySet:
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
            .values_list("slug", "published_at", "updated_at", "title")
        )

    def entries(self) -> list[tuple[str, datetime, str, datetime | None]]:
        """(absolute location, publication time, headline, lastmod) of every story in it."""
        self.prepare()
        base = f"{self.get_protocol()}://{self.get_domain()}"
        return [
            (base + self.location(row), row[1], row[3], self.lastmod(row))
            for row in self.items()[: self.limit]
        ]


SECTIONS: dict[str, type[PublicSitemap]] = {
    "stories": StorySitemap,
    "shows": ShowSitemap,
    "people": PersonSitemap,
    "companies": CompanySitemap,
    "tags": TagSitemap,
}


@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The index of every page of every section, on SITE_URL.

    Django's own index view builds locations from the request's host; this one uses the
    public address so that the index and its sections agree.
    """
    entries: list[SitemapIndexItem] = []
    newest: datetime | None = None
    for section, sitemap_class in SECTIONS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("sitemap_section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        newest = latest(newest, lastmod)
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    headers = {"Last-Modified": http_date(newest.timestamp())} if newest else None
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )


@x_robots_tag
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (``?p=``) of one section, as ``django.contrib.sitemaps.views.sitemap``
    writes it, the XML written here from plain rows (``PublicSitemap.page_urls``)."""
    if section not in SECTIONS:
        raise Http404(f"No sitemap section {section!r}.")
    sitemap = SECTIONS[section]()
    try:
        urls = sitemap.page_urls(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such sitemap page.") from error
    zone = timezone.get_current_timezone()
    freq = f"<changefreq>{sitemap.changefreq}</changefreq>" if sitemap.changefreq else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    for location, lastmod in urls:
        day = f"<lastmod>{lastmod.astimezone(zone):%Y-%m-%d}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(location)}</loc>{day}{freq}</url>")
    lines.append("</urlset>\n")
    newest = latest(*(lastmod for _, lastmod in urls))
    return HttpResponse(
        "\n".join(lines),
        content_type="application/xml",
        headers={"Last-Modified": http_date(newest.timestamp())} if newest else None,
    )


@x_robots_tag
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """The Google News sitemap: recent stories with their publication, date and title,
    written here from plain rows as the sections are."""
    entries = NewsSitemap().entries()
    publication = (
        f"<news:publication><news:name>{escape(settings.SITE_NAME)}</news:name>"
        f"<news:language>{escape(settings.LANGUAGE_CODE.split('-')[0])}</news:language></news:publication>"
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    ]
    for location, published_at, title, _ in entries:
        # W3C date-time in the newsroom's zone, to the second, as Google News asks.
        when = timezone.localtime(published_at).replace(microsecond=0).isoformat()
        lines.append(
            f"<url><loc>{escape(location)}</loc><news:news>{publication}"
            f"<news:publication_date>{when}</news:publication_date>"
            f"<news:title>{escape(title)}</news:title></news:news></url>"
        )
    lines.append("</urlset>\n")
    newest = latest(*(lastmod for *_, lastmod in entries))
    return HttpResponse(
        "\n".join(lines),
        content_type="application/xml",
        headers={"Last-Modified": http_date(newest.timestamp())} if newest else None,
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read everything public; the admin and search results are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap_index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
