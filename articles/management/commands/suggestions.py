"""The editors' suggestion queue from a terminal.

    python manage.py suggestions                    # pending people and credits, one per line
    python manage.py suggestions --json             # the same as a JSON list of objects
    python manage.py suggestions --story SLUG       # only one story's
    python manage.py suggestions --accept-all       # accept them (and relink the stories)

Each JSON object has ``kind`` (person or credit), ``story`` (slug), ``person`` (name),
``person_key`` (null when not catalogued), ``show`` (key or null), ``role``, ``character`` and
``evidence`` (the sentence it came from). Ambiguous names are settled in the admin, by adding
the right link, so they are counted here but not listed.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Suggestion
from articles.services import suggestions_accept


def pending_suggestions(*, story: str | None = None):
    """Pending person and credit suggestions, oldest story first, in text order."""
    qs = Suggestion.objects.filter(
        status=Suggestion.Status.PENDING,
        kind__in=[Suggestion.Kind.PERSON, Suggestion.Kind.CREDIT],
    ).select_related("article", "person", "show")
    if story:
        qs = qs.filter(article__slug=story)
    return qs.order_by("article__published_at", "article_id", "id")


def suggestion_json(s: Suggestion) -> dict:
    return {
        "kind": s.kind,
        "story": s.article.slug,
        "person": s.person.name if s.person_id else s.person_name,
        "person_key": s.person.key if s.person_id else None,
        "show": s.show.key if s.show_id else None,
        "role": s.role,
        "character": s.character,
        "evidence": s.evidence,
    }


class Command(BaseCommand):
    help = "List pending suggestions (people and credits the stories state), or accept them all."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print a JSON list of objects."
        )
        parser.add_argument("--story", metavar="SLUG", help="Only this story's suggestions.")
        parser.add_argument(
            "--accept-all", action="store_true", help="Accept every listed suggestion."
        )

    def handle(self, *args, as_json: bool, story: str | None, accept_all: bool, **options) -> None:
        if story and not Article.objects.filter(slug=story).exists():
            raise CommandError(f"No story with the slug {story!r}.")
        rows = list(pending_suggestions(story=story))
        if accept_all:
            accepted = suggestions_accept(suggestions=rows)
            self.stdout.write(self.style.SUCCESS(f"Accepted {accepted} suggestions."))
            return
        if as_json:
            self.stdout.write(_dumps([suggestion_json(s) for s in rows]))
            return
        for s in rows:
            data = suggestion_json(s)
            what = data["role"].replace("_", " ") or "person"
            if data["character"]:
                what += f" as {data['character']}"
            where = f" on {s.show.title}" if s.show_id else ""
            known = "" if data["person_key"] else " (not in the catalog)"
            self.stdout.write(f"[{s.article.slug}] {data['kind']}: {data['person']}{known} — {what}{where}")
            if options["verbosity"] >= 2:
                self.stdout.write(f"    {s.evidence}")
        ambiguous = Suggestion.objects.filter(
            status=Suggestion.Status.PENDING, kind=Suggestion.Kind.AMBIGUOUS
        )
        if story:
            ambiguous = ambiguous.filter(article__slug=story)
        count = ambiguous.count()
        self.stdout.write(
            f"{len(rows)} pending suggestions"
            + (f"; {count} ambiguous names to settle in the admin." if count else ".")
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
