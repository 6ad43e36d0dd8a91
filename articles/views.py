"""The public story pages: home, the story list, one story, an author, a tag.

Every view reads stories through ``Article.objects.published()`` and a named query shape
(``for_listing()``, ``for_detail()``), so drafts, scheduled and archived stories never show
and each page runs a fixed number of queries. Lists on profile pages are bounded: the newest
``catalog.profiles.PROFILE_LIMIT`` stories, as on the show, person and company pages; the
full archive is the paginated story list.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from catalog.panels import cast_of, credits_html, crew_by_role
from catalog.profiles import PROFILE_LIMIT, TAGGED_SHOWS, newest_shows
from newsroom.caching import content_changed_at
from newsroom.links import page_url
from newsroom.prepared import PreparedQuery
from newsroom.seo import PageMeta, latest_feeds, profile_feeds
from newsroom.structured_data import jsonld_script

from .cards import CardList, cards_of
from .models import Article, Author
from .scorecard import build_scorecard
from .story import story_parts
from .structured_data import article_data, author_data, website_data

HOME_LATEST = 10
HOME_RENEWALS = 6
SITE_DESCRIPTION = (
    "Entertainment news: renewals, cancellations, casting, and the shows and people behind them."
)


# The home page's two lists as prepared card rows (articles.cards): the bylines of both in
# one more query.
LATEST_CARDS = CardList(lambda now: Article.objects.published(now).newest(), limit=HOME_LATEST)
RENEWAL_CARDS = CardList(
    lambda now: Article.objects.published(now).renewal_news().newest(), limit=HOME_RENEWALS
)
# An author's and a tag's pages: the row and the newest stories as cards (a tag's newest
# shows: catalog.profiles.TAGGED_SHOWS).
AUTHOR = PreparedQuery(lambda slug: Author.objects.filter(slug=slug), "slug")
TAG = PreparedQuery(lambda slug: Tag.objects.filter(slug=slug), "slug")
STORIES_BY_AUTHOR = CardList(
    lambda author_id, now: Article.objects.published(now).by_author(author_id).newest(),
    "author_id", limit=PROFILE_LIMIT,
)
STORIES_TAGGED = CardList(
    lambda tag_id, now: Article.objects.published(now).tagged(tag_id).newest(), "tag_id", limit=PROFILE_LIMIT
)


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        latest, renewals = LATEST_CARDS.cards(), RENEWAL_CARDS.cards()
        return super().get_context_data(
            latest=latest,
            renewals=renewals,
            meta=PageMeta(
                title=settings.SITE_NAME,
                document_title=f"{settings.SITE_NAME} — entertainment news",
                description=SITE_DESCRIPTION,
                path=page_url("articles:home"),
                feeds=latest_feeds(),
            ),
            structured_data=jsonld_script(website_data()),
            **kwargs,
        )


class ArticleListView(ListView):
    paginate_by = 20
    context_object_name = "articles"

    def get_queryset(self):
        # Per request, not a class attribute: published() compares with the time of the
        # query, and a class-level queryset would freeze that time at import.
        return Article.objects.published().newest()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        # The page's stories as card rows (articles.cards) rather than model instances.
        page.object_list = context["articles"] = context["object_list"] = cards_of(page.object_list)
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        path = reverse("articles:article_list")
        title = "All stories" if page.number == 1 else f"All stories, page {page.number}"
        context["meta"] = PageMeta(
            title=title,
            description="Every story, newest first: renewals, cancellations, casting and more.",
            path=path if page.number == 1 else f"{path}?page={page.number}",
            breadcrumbs=((title, path if page.number == 1 else f"{path}?page={page.number}"),),
            feeds=latest_feeds(),
        )
        return context


# The story page's row, compiled once (newsroom.prepared): the site's busiest query.
PUBLIC_STORY = PreparedQuery(
    lambda slug, now: Article.objects.published(now).for_detail().filter(slug=slug), "slug", "now"
)


class ArticleDetailView(DetailView):
    """One story. Its address carries its publication date (in the site's time zone, as
    ``Article.get_absolute_url`` writes it); a wrong date is a 404, not another story.

    Staff who may change stories see any status as a preview, never cached.
    """

    context_object_name = "article"

    def is_preview(self) -> bool:
        user = self.request.user
        return bool(user.is_authenticated and user.is_staff and user.has_perm("articles.change_article"))

    def get_object(self, queryset=None) -> Article:
        if self.is_preview():
            article = Article.objects.for_detail().filter(slug=self.kwargs["slug"]).first()
        else:
            article = PUBLIC_STORY.first(slug=self.kwargs["slug"], now=timezone.now())
        if article is None:
            raise Http404("No such story.")
        when = timezone.localtime(article.published_at or article.created_at)
        asked = (self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        if asked != (when.year, f"{when.month:02d}", f"{when.day:02d}"):
            raise Http404("No story at this date.")
        return article

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        article: Article = self.object
        parts = story_parts(article)
        credited = {c.person_id for c in parts.credits}
        also_named = [m for m in parts.mentions if m.person_id and m.person_id not in credited]
        return super().get_context_data(
            bylines=parts.bylines,
            tags=parts.tags,
            mentions=parts.mentions,
            credits_html=credits_html(cast_of(parts.credits), crew_by_role(parts.credits), level=3),
            more_credits=parts.more_credits,
            also_named=also_named,
            is_preview=not article.is_published,
            structured_data=jsonld_script(article_data(article, parts)),
            meta=PageMeta(
                title=article.title,
                description=article.dek or article.title,
                path=article.get_absolute_url(),
                og_type="article",
                image=article.hero_image,
                image_renditions=article.hero_image_renditions,
                image_alt=article.hero_alt,
                breadcrumbs=(
                    ("News", reverse("articles:article_list")),
                    (article.title, article.get_absolute_url()),
                ),
            ),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response


class AuthorDetailView(DetailView):
    context_object_name = "author"

    def get_object(self, queryset=None) -> Author:
        return AUTHOR.first_or_404(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        author: Author = self.object
        articles = STORIES_BY_AUTHOR.cards(author_id=author.pk)
        return super().get_context_data(
            articles=articles,
            structured_data=jsonld_script(author_data(author)),
            meta=PageMeta(
                title=author.name,
                description=f"Stories by {author.name}.",
                path=author.get_absolute_url(),
                og_type="profile",
                image=author.photo,
                image_renditions=author.photo_renditions,
                image_alt=author.photo_alt or author.name,
                breadcrumbs=((author.name, author.get_absolute_url()),),
                feeds=profile_feeds(f"Stories by {author.name}", "author", author.slug),
            ),
            **kwargs,
        )


class TagDetailView(TemplateView):
    """Stories and shows sharing a tag. A tag with nothing public under it is a 404, so a
    tag used only on drafts reveals nothing."""

    template_name = "articles/tag_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tag = TAG.first_or_404(slug=self.kwargs["slug"])
        articles = STORIES_TAGGED.cards(tag_id=tag.pk)
        shows, more_shows = newest_shows(TAGGED_SHOWS, tag_id=tag.pk)
        if not articles and not shows:
            raise Http404("Nothing public carries this tag.")
        return super().get_context_data(
            tag=tag,
            articles=articles,
            shows=shows,
            more_shows=more_shows,
            meta=PageMeta(
                title=tag.name,
                description=f"Stories and shows tagged \N{LEFT DOUBLE QUOTATION MARK}{tag.name}\N{RIGHT DOUBLE QUOTATION MARK}.",
                path=reverse("articles:tag_detail", args=[tag.slug]),
                breadcrumbs=((tag.name, reverse("articles:tag_detail", args=[tag.slug])),),
                feeds=profile_feeds(f"Stories tagged {tag.name}", "tag", tag.slug),
            ),
            **kwargs,
        )


@method_decorator(condition(last_modified_func=content_changed_at), name="dispatch")
class ScorecardView(TemplateView):
    """The renewal scorecard of a year, filtered by platform and status and paged through GET
    parameters. The newest year is the canonical ``/renewals/``; an earlier year's canonical
    address names the year; filters and pages point to their year."""

    template_name = "articles/scorecard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scorecard, form = build_scorecard(self.request.GET)
        path = reverse("articles:scorecard")
        newest = not scorecard.years or scorecard.year == scorecard.years[0]
        canonical = path if newest else f"{path}?year={scorecard.year}"
        title = "Renewal scorecard" if newest else f"Renewal scorecard {scorecard.year}"
        page = scorecard.page
        return super().get_context_data(
            scorecard=scorecard,
            form=form,
            page_obj=page,
            is_paginated=page.paginator.num_pages > 1,
            page_range=page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            meta=PageMeta(
                title=title,
                description=(
                    f"Which shows were renewed, ending, cancelled or pending in "
                    f"{scorecard.year}, platform by platform, with the story that announced "
                    f"each decision."
                ),
                path=canonical,
                breadcrumbs=((title, canonical),),
            ),
            **kwargs,
        )
