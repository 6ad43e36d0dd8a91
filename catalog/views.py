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

from articles.cards import cards_from_rows
from newsroom.links import page_url
from newsroom.seo import PageMeta, profile_feeds
from newsroom.structured_data import jsonld_script

from .models import Company, Person, Show
from .panels import (
    cast_of,
    credits_html,
    crew_by_role,
    person_credits_html,
    seasons_html,
    show_facts_html,
)
from .profiles import (
    COMPANY,
    NETWORK_SHOWS,
    PERSON,
    PERSON_STORIES,
    PROFILE_LIMIT,
    PUBLIC_SHOW,
    SHOW_STORIES,
    STORIES_CONCERNING_COMPANY,
    STUDIO_SHOWS,
    lists_of_show,
    newest_shows,
    person_credits,
    person_credits_page,
    show_credits_page,
    top_credits,
)
from .structured_data import company_data, person_data, show_data


class ShowPage:
    """The show whose slug the URL names, as the public may see it (404 otherwise)."""

    def get_object(self, queryset=None) -> Show:
        return PUBLIC_SHOW.first_or_404(slug=self.kwargs["slug"], now=timezone.now())


class PersonPage:
    """The person whose slug the URL names (404 otherwise)."""

    def get_object(self, queryset=None) -> Person:
        return PERSON.first_or_404(slug=self.kwargs["slug"])


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


class ShowDetailView(ShowPage, DetailView):
    context_object_name = "show"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        show: Show = self.object
        credits, more_credits = top_credits(show.pk)
        lists = lists_of_show(show.pk)
        about, mentioning = SHOW_STORIES.cards(show_id=show.pk)
        return super().get_context_data(
            credits_html=credits_html(cast_of(credits), crew_by_role(credits), level=3),
            more_credits=more_credits,
            facts_html=show_facts_html(show, studios=lists.studios, spinoffs=lists.spinoffs),
            seasons_html=seasons_html(lists.seasons),
            seasons=lists.seasons,
            studios=lists.studios,
            spinoffs=lists.spinoffs,
            tags=lists.tags,
            stories_about=about,
            stories_mentioning=mentioning,
            structured_data=jsonld_script(
                show_data(show, credits=credits, seasons=lists.seasons, studios=lists.studios)
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

    template_name = "catalog/credits.html"
    url_name: str
    heading: str  # the page's h1, its title's start and its breadcrumb

    def credits_page(self, page: int) -> tuple[SafeString, bool]:
        """The ``page``-th page of credits, written, and whether more pages follow."""
        raise NotImplementedError

    def entry_name(self) -> str:
        raise NotImplementedError

    def description(self) -> str:
        raise NotImplementedError

    def parent_crumbs(self) -> tuple[tuple[str, str], ...]:
        """The breadcrumbs down to the entry's own page."""
        return ((self.entry_name(), self.object.get_absolute_url()),)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = page_number(self.request)
        html, more = self.credits_page(page)
        if page > 1 and not html:
            raise Http404("No such page.")
        links = page_links(page_url(self.url_name, slug=self.object.slug), page, more)
        path = links["page_path"]
        title = f"{self.heading} of {self.entry_name()}"
        meta = PageMeta(
            title=title if page == 1 else f"{title}, page {page}",
            description=self.description(),
            path=path,
            breadcrumbs=(*self.parent_crumbs(), (self.heading, path)),
        )
        return super().get_context_data(
            entry=self.object, entry_name=self.entry_name(), heading=self.heading,
            credits_html=html, page=page, meta=meta, **links, **kwargs,
        )


class ShowCreditsView(ShowPage, FullCreditsView):
    """A show's cast & crew, :data:`~catalog.profiles.CREDIT_PAGE_CREDITS` credits a page."""

    context_object_name = "show"
    url_name = "catalog:show_credits"
    heading = "Cast & crew"

    def credits_page(self, page: int) -> tuple[SafeString, bool]:
        credits, more = show_credits_page(self.object.pk, page)
        return credits_html(cast_of(credits), crew_by_role(credits), level=2), more

    def entry_name(self) -> str:
        return self.object.title

    def description(self) -> str:
        return f"Everyone credited on {self.object.title}: the cast with their characters, and the crew by role."

    def parent_crumbs(self) -> tuple[tuple[str, str], ...]:
        return show_meta(self.object).breadcrumbs


class PersonCreditsView(PersonPage, FullCreditsView):
    """A person's credits, :data:`~catalog.profiles.CREDIT_PAGE_SHOWS` shows a page."""

    context_object_name = "person"
    url_name = "catalog:person_credits"
    heading = "Credits"

    def credits_page(self, page: int) -> tuple[SafeString, bool]:
        credits, more = person_credits_page(self.object.pk, page)
        return person_credits_html(credits, level=2), more

    def entry_name(self) -> str:
        return self.object.name

    def description(self) -> str:
        return f"Every show {self.object.name} is credited on, newest first, with their roles."


class PersonDetailView(PersonPage, DetailView):
    context_object_name = "person"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person: Person = self.object
        naming, about_shows = PERSON_STORIES.rows(person_id=person.pk)
        # Each story once: those already listed as naming them are left out of the second
        # list (rows, not cards: only the cards shown are made).
        listed = {row[0] for row in naming}
        mentioning = cards_from_rows(naming)
        about_their_shows = cards_from_rows([row for row in about_shows if row[0] not in listed][:PROFILE_LIMIT])
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
        return COMPANY.first_or_404(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        company: Company = self.object
        network_shows, more_network = newest_shows(NETWORK_SHOWS, company_id=company.pk)
        studio_shows, more_studio = newest_shows(STUDIO_SHOWS, company_id=company.pk)
        stories = STORIES_CONCERNING_COMPANY.cards(company_id=company.pk)
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
