"""Small builders for test data: real rows in the test database, with sensible defaults."""

from __future__ import annotations

import io
import itertools
from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Mention, Suggestion
from catalog.models import Company, Credit, Person, Season, Show

_seq = itertools.count(1)


def company(name: str | None = None, **fields) -> Company:
    name = name or f"Company {next(_seq)}"
    fields.setdefault("kind", Company.Kind.STREAMER)
    return Company.objects.create(name=name, **fields)


def show(title: str | None = None, **fields) -> Show:
    title = title or f"Show {next(_seq)}"
    studios = fields.pop("studios", [])
    tags = fields.pop("tags", [])
    obj = Show.objects.create(title=title, **fields)
    if studios:
        obj.studios.set(studios)
    if tags:
        obj.tags.add(*tags)
    return obj


def person(name: str | None = None, **fields) -> Person:
    name = name or f"Person {next(_seq)}"
    return Person.objects.create(name=name, **fields)


def credit(person: Person, show: Show, role: str = Credit.Role.CAST, **fields) -> Credit:
    return Credit.objects.create(person=person, show=show, role=role, **fields)


def author(name: str | None = None, **fields) -> Author:
    return Author.objects.create(name=name or f"Writer {next(_seq)}", **fields)


def article(title: str | None = None, *, authors: list[Author] | None = None, tags=(), **fields) -> Article:
    """A published story (an hour old) unless told otherwise."""
    title = title or f"Story {next(_seq)}"
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    fields.setdefault("body", f"<p>{title}.</p>")
    obj = Article.objects.create(title=title, **fields)
    for order, a in enumerate(authors or []):
        Byline.objects.create(article=obj, author=a, order=order)
    if tags:
        obj.tags.add(*tags)
    return obj


def season(show: Show, number: int = 1, **fields) -> Season:
    return Season.objects.create(show=show, number=number, **fields)


def mention(article: Article, target: Person | Show | Company, **fields) -> Mention:
    """A link from a story to one catalog entry, as linking would store it."""
    field = {Person: "person", Show: "show", Company: "company"}[type(target)]
    fields.setdefault("matched_text", str(getattr(target, "name", target)))
    return Mention.objects.create(article=article, **{field: target}, **fields)


def suggestion(article: Article, kind: str = Suggestion.Kind.PERSON, **fields) -> Suggestion:
    return Suggestion.objects.create(article=article, kind=kind, **fields)


def image_file(name: str = "image.png", size: tuple[int, int] = (8, 6)) -> SimpleUploadedFile:
    """A real (tiny) PNG for image fields."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 60, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def renewal_scenario() -> SimpleNamespace:
    """A small, realistic world around one renewal story: Ballard (a Bosch spinoff on Prime
    Video from Amazon MGM Studios), its cast and crew, and a published renewal story that
    names some of them. Facts only; the story text is our own."""
    w = SimpleNamespace()
    w.prime = company("Prime Video", kind=Company.Kind.STREAMER, wikidata_id="Q1141279")
    w.amazon = company("Amazon MGM Studios", kind=Company.Kind.STUDIO)
    w.deadline = company("Deadline", kind=Company.Kind.PUBLICATION)
    w.bosch = show("Bosch", year_start=2014, year_end=2021, network=w.prime, imdb_id="tt3502248")
    w.ballard = show(
        "Ballard",
        year_start=2025,
        network=w.prime,
        studios=[w.amazon],
        spinoff_of=w.bosch,
        status=Show.Status.RENEWED,
        imdb_id="tt29274555",
        wikidata_id="Q124606290",
        tags=["crime drama", "Bosch universe"],
    )
    w.season1 = season(w.ballard, 1, episode_count=10, status=Season.Status.AIRED)
    w.maggie = person("Maggie Q", imdb_id="nm0702572")
    w.titus = person("Titus Welliver")
    w.courtney = person("Courtney Taylor")
    w.connelly = person("Michael Connelly")
    w.bastin = person("Henrik Bastin")
    w.sherwood = person("Kendall Sherwood")
    w.wilkinson = person("Jet Wilkinson")
    credit(w.maggie, w.ballard, character="Renée Ballard", order=1)
    credit(w.titus, w.bosch, character="Harry Bosch", order=1)
    credit(w.connelly, w.ballard, Credit.Role.EXECUTIVE_PRODUCER, order=1)
    credit(w.bastin, w.ballard, Credit.Role.EXECUTIVE_PRODUCER, order=2)
    credit(w.connelly, w.ballard, Credit.Role.CREATOR)
    credit(w.sherwood, w.ballard, Credit.Role.CO_EXECUTIVE_PRODUCER)
    credit(w.wilkinson, w.ballard, Credit.Role.DIRECTOR)
    w.writer = author("Staff Writer", bio="Covers television.")
    w.story = article(
        "Ballard renewed for a second season at Prime Video",
        dek="The Bosch spinoff led by Maggie Q returns.",
        kind=Article.Kind.RENEWAL,
        authors=[w.writer],
        tags=["renewals"],
        main_show=w.ballard,
        source=w.deadline,
        source_url="https://example.com/ballard-renewed",
        body="<p>Prime Video has renewed Ballard, with Maggie Q and Courtney Taylor.</p>",
        body_html=(
            '<p><a href="/companies/prime-video/">Prime Video</a> has renewed '
            '<a href="/shows/ballard/">Ballard</a>, with <a href="/people/maggie-q/">Maggie Q</a>'
            ' and <a href="/people/courtney-taylor/">Courtney Taylor</a>. It spins off from '
            '<a href="/shows/bosch/">Bosch</a>.</p>'
        ),
        hero_image=image_file("ballard.png"),
        hero_alt="Maggie Q in a scene from the first season",
        hero_credit="Courtesy of Prime Video",
    )
    mention(w.story, w.prime, position=0)
    mention(w.story, w.ballard, position=40)
    mention(w.story, w.maggie, position=60, character="Renée Ballard")
    mention(w.story, w.courtney, position=80)
    mention(w.story, w.bosch, position=120)
    mention(w.story, w.titus, position=None, excluded=True)
    return w


def editor(username: str = "editor", password: str = "a long passphrase"):  # noqa: S107
    """A staff user who may write, change and publish stories (every articles permission)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    return user


def staff_user(username: str, *groups: str, **fields):
    """A staff account in the named role groups (Writer, Editor, Catalog editor)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw", is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    if len(groups) != user.groups.count():
        raise ValueError(f"unknown role among {groups}")
    return user
