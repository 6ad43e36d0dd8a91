"""Helpers for the linking tests: a story written in the test, linked, and read back."""

from __future__ import annotations

from articles.linking import LinkResult, link_article
from articles.models import Article
from tests import factories as f


def linked_story(body: str, title: str = "A story", dek: str = "", **fields) -> tuple[Article, LinkResult]:
    """A published story with this text, linked; the body is HTML or plain paragraphs."""
    if "<" not in body:
        body = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    article = f.article(title, body=body, dek=dek, **fields)
    result = link_article(article)
    article.refresh_from_db()
    return article, result


def names(result: LinkResult) -> set[str]:
    """The names of every entity the story links (excluded ones left out)."""
    return {m.name for m in result.linked}


def mention_of(result: LinkResult, name: str):
    return next(m for m in result.mentions if m.name == name)
