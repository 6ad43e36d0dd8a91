"""Small builders for test data: real rows in the test database, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Author, Byline, Mention
from catalog.models import Company, Credit, Person, Show

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


def mention(article: Article, target: Person | Show | Company, **fields) -> Mention:
    """A stored linking result: ``article`` names ``target`` (a person, show or company)."""
    field = {Person: "person", Show: "show", Company: "company"}[type(target)]
    return Mention.objects.create(article=article, **{field: target}, **fields)
