"""The public catalog pages: a show, a person, a company, and the full credits of a show and
of a person.

Each page loads its entry through a named query shape (``for_detail()``, ``catalog.profiles``),
writes its credits in Python (``catalog.panels``) and lists the newest published stories that
concern it — bounded, each story once, drafts and scheduled stories never.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.generic import DetailView

from articles.cards import with_bylines
from newsroom.links import page_url
from newsroom.seo import PageMeta, profile_feeds
from newsroom.structured_data import jsonld_script

from .models import Company, Person, Show
from .panels import cast_of, credits_html, crew_by_role, person_credits_html
from .profiles import (
    COMPANY,
    NETWORK_SHOWS,
    PERSON,
    PROFILE_LIMIT,
    PUBLIC_SHOW,
    STORIES_ABOUT_SHOW,
    STORIES_ABOUT_THEIR_SHOWS,
    STORIES_CONCERNING_COMPANY,
    STORIES_MENTIONING_PERSON,
    STORIES_MENTIONING_SHOW,
    STUDIO_SHOWS,
    company_shows,
    links_of_show,
    person_credits,
    person_credits_page,
    public_seasons,
    show_credits_page,
    top_credits,
)
from .structured_data import company_data, person_data, show_data


def _found(entry):
    if entry is None:
        raise Http404("No such page.")
    return entry


def show_meta(show: Show) -> PageMeta:
    """A show's page: reached from its network's page in the breadcrumbs, when it has one."""
    on = f" on {show.network.name}" if show.network_id else ""
    steps = [(show.network.name, show.network.get_absolute_url())] if show.network_id else []
    return PageMeta(
        title=f"{show.title} ({show.year_start})" if show.year_start else show.title,
        description=f"{show.title}{on}: status, seasons, cast and crew, and the latest stories.",
        path=show.get_absolute_url(),
        og_type="video.tv_show" if not show.is_film else "video.movie",
        image=show.poster,
        image_renditions=show.poster_renditions,
        image_alt=show.poster_alt or f"Poster for {show.title}",
        breadcrumbs=(*steps, (show.title, show.get_absolute_url())),
        feeds=profile_feeds(f"Stories about {show.title}", "show", show.slug),
    )


class ShowDetailView(DetailView):
    context_object_name = "show"

    def get_object(self, queryset=None) -> Show:
        return _found(PUBLIC_SHOW.first(slug=self.kwargs["slug"], now=timezone.now()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        show: Show = self.object
        credits, more_credits = top_credits(show.pk)
        seasons = public_seasons(show.pk)
        links = links_of_show(show.pk)
        about = STORIES_ABOUT_SHOW.cards(show_id=show.pk)
        mentioning = STORIES_MENTIONING_SHOW.cards(show_id=show.pk)
        with_bylines(about, mentioning)
        return super().get_context_data(
            credits_html=credits_html(cast_of(credits), crew_by_role(credits), level=3),
            more_credits=more_credits,
            seasons=seasons,
            studios=links.studios,
            spinoffs=links.spinoffs,
            tags=links.tags,
            stories_about=about,
            stories_mentioning=mentioning,
            structured_data=jsonld_script(
                show_data(show, credits=credits, seasons=seasons, studios=links.studios)
            ),
            meta=show_meta(show),
            **kwargs,
        )


# Far past any list's last page, and small enough that its offset stays a 64-bit integer.
MAX_PAGE = 1_000_000


def page_number(request) -> int:
    """The ``page`` a list was asked for: 1 when absent; not found unless a whole number from
    1 to :data:`MAX_PAGE`."""
    value = request.GET.get("page", "1")
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise Http404("No such page.")
    return int(value)


def page_links(path: str, page: int, more: bool) -> dict[str, str]:
    """The addresses of the pages before and after ``page`` of a list at ``path`` (the first
    page is ``path`` itself); empty where there is none."""

    def at(number: int) -> str:
        return path if number == 1 else f"{path}?page={number}"

    return {
        "previous_url": at(page - 1) if page > 1 else "",
        "next_url": at(page + 1) if more else "",
        "page_path": at(page),
    }


class FullCreditsView(DetailView):
    """Every credit of an entry, a page at a time: where a bounded panel links for the rest."""

    url_name: str

    def credits_page(self, page: int) -> tuple[SafeString, bool]:
        """The ``page``-th page of credits, written, and whether more pages follow."""
        raise NotImplementedError

    def page_meta(self, path: str, page: int) -> PageMeta:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = page_number(self.request)
        html, more = self.credits_page(page)
        if page > 1 and not html:
            raise Http404("No such page.")
        links = page_links(page_url(self.url_name, slug=self.object.slug), page, more)
        return super().get_context_data(
            credits_html=html, page=page, meta=self.page_meta(links["page_path"], page), **links, **kwargs
        )


def _numbered(title: str, page: int) -> str:
    return title if page == 1 else f"{title}, page {page}"


class ShowCreditsView(FullCreditsView):
    """A show's cast & crew, :data:`~catalog.profiles.CREDIT_PAGE_CREDITS` credits a page."""

    context_object_name = "show"
    template_name = "catalog/show_credits.html"
    url_name = "catalog:show_credits"

    def get_object(self, queryset=None) -> Show:
        return _found(PUBLIC_SHOW.first(slug=self.kwargs["slug"], now=timezone.now()))

    def credits_page(self, page: int) -> tuple[SafeString, bool]:
        credits, more = show_credits_page(self.object.pk, page)
        return credits_html(cast_of(credits), crew_by_role(credits), level=2), more

    def page_meta(self, path: str, page: int) -> PageMeta:
        show: Show = self.object
        return PageMeta(
            title=_numbered(f"Cast & crew of {show.title}", page),
            description=f"Everyone credited on {show.title}: the cast with their characters, and the crew by role.",
            path=path,
            breadcrumbs=(*show_meta(show).breadcrumbs, ("Cast & crew", path)),
        )


class PersonCreditsView(FullCreditsView):
    """A person's credits, :data:`~catalog.profiles.CREDIT_PAGE_SHOWS` shows a page."""

    context_object_name = "person"
    template_name = "catalog/person_credits.html"
    url_name = "catalog:person_credits"

    def get_object(self, queryset=None) -> Person:
        return _found(PERSON.first(slug=self.kwargs["slug"]))

    def credits_page(self, page: int) -> tuple[SafeString, bool]:
        credits, more = person_credits_page(self.object.pk, page)
        return person_credits_html(credits, level=2), more

    def page_meta(self, path: str, page: int) -> PageMeta:
        person: Person = self.object
        return PageMeta(
            title=_numbered(f"Credits of {person.name}", page),
            description=f"Every show {person.name} is credited on, newest first, with their roles.",
            path=path,
            breadcrumbs=((person.name, person.get_absolute_url()), ("Credits", path)),
        )


class PersonDetailView(DetailView):
    context_object_name = "person"

    def get_object(self, queryset=None) -> Person:
        return _found(PERSON.first(slug=self.kwargs["slug"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person: Person = self.object
        mentioning = STORIES_MENTIONING_PERSON.cards(person_id=person.pk)
        # Each story once: those already listed as naming them are left out of the second list.
        listed = {card.id for card in mentioning}
        about_their_shows = [
            card for card in STORIES_ABOUT_THEIR_SHOWS.cards(person_id=person.pk) if card.id not in listed
        ][:PROFILE_LIMIT]
        with_bylines(mentioning, about_their_shows)
        credits, more_credits = person_credits(person.pk)
        return super().get_context_data(
            credits_html=person_credits_html(credits),
            more_credits=more_credits,
            stories_mentioning=mentioning,
            stories_about_their_shows=about_their_shows,
            structured_data=jsonld_script(person_data(person)),
            meta=PageMeta(
                title=person.name,
                description=f"{person.name}: credits and the latest stories.",
                path=person.get_absolute_url(),
                og_type="profile",
                image=person.headshot,
                image_renditions=person.headshot_renditions,
                image_alt=person.headshot_alt or person.name,
                breadcrumbs=((person.name, person.get_absolute_url()),),
                feeds=profile_feeds(f"Stories about {person.name}", "person", person.slug),
            ),
            **kwargs,
        )


class CompanyDetailView(DetailView):
    context_object_name = "company"

    def get_object(self, queryset=None) -> Company:
        return _found(COMPANY.first(slug=self.kwargs["slug"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        company: Company = self.object
        network_shows, more_network = company_shows(NETWORK_SHOWS, company.pk)
        studio_shows, more_studio = company_shows(STUDIO_SHOWS, company.pk)
        stories = STORIES_CONCERNING_COMPANY.cards(company_id=company.pk)
        with_bylines(stories)
        return super().get_context_data(
            network_shows=network_shows,
            more_network_shows=more_network,
            studio_shows=studio_shows,
            more_studio_shows=more_studio,
            articles=stories,
            structured_data=jsonld_script(company_data(company)),
            meta=PageMeta(
                title=company.name,
                description=f"{company.name}: its shows and the latest stories.",
                path=company.get_absolute_url(),
                breadcrumbs=((company.name, company.get_absolute_url()),),
                feeds=profile_feeds(f"Stories about {company.name}", "company", company.slug),
            ),
            **kwargs,
        )
