"""Acceptance of linking on the seed story: a real trade-press renewal story over the demo
catalog must link exactly the people, titles and companies it names, and over a catalog that
knows only the show, its lead and one co-star it must suggest the rest of the crew and cast.

    python bench/seed_acceptance.py [PATH]

PATH defaults to ``$NEWSROOM_SEED``, else the shared seed story
(``shared/seed/ballard-renewal.txt`` beside the checkout or one folder further up). The story
is not part of the project: when it is absent the script says so and exits with status 2. Everything runs in a throwaway SQLite database, so the
development database is never touched. Exit status 0 means both checks passed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXPECTED_PEOPLE = [
    "Maggie Q", "Titus Welliver", "Courtney Taylor", "Michael Mosley", "Rebecca Field",
    "Victoria Moroles", "Amy Hill", "John Carroll Lynch", "Michael Connelly", "Henrik Bastin",
    "Michael Alaimo", "Kendall Sherwood", "Trish Hofmann", "Jet Wilkinson", "Melissa Aouate",
    "Jasmine Russ", "Jamie Boscardin Martin", "Trey Batchelor", "Theresa Snider",
    "Peter Friedlander", "Vernon Sanders",
]  # fmt: skip
EXPECTED_SHOWS = [
    "Ballard", "Bosch", "Bosch: Legacy", "Nikita", "Designated Survivor", "The Lincoln Lawyer",
    "Sons of Anarchy", "Deadwood", "Insecure", "Ozark", "A Star Is Born", "Teen Wolf",
    "Magnum P.I.", "Fargo", "The Killing", "The Closer", "The Man in the High Castle",
    "Major Crimes", "The Chi", "Three Pines", "Mayans M.C.", "S.W.A.T.", "The Rookie",
]  # fmt: skip
EXPECTED_COMPANIES = ["Prime Video", "Amazon MGM Studios", "Deadline"]
EXPECTED_MAIN_SHOW = "Ballard"

# The suggestions the story must raise over a catalog of only Ballard, Maggie Q and Titus
# Welliver: every other executive and co-executive producer of Ballard with its role, and the
# actors of the ensemble (a cast credit).
EXPECTED_CREW = {
    "Michael Connelly": "executive_producer",
    "Henrik Bastin": "executive_producer",
    "Michael Alaimo": "executive_producer",
    "Kendall Sherwood": "executive_producer",
    "Trish Hofmann": "executive_producer",
    "Jet Wilkinson": "executive_producer",
    "Melissa Aouate": "executive_producer",
    "Jasmine Russ": "co_executive_producer",
    "Jamie Boscardin Martin": "co_executive_producer",
    "Trey Batchelor": "co_executive_producer",
    "Theresa Snider": "co_executive_producer",
}
EXPECTED_ENSEMBLE = [
    "Courtney Taylor", "Michael Mosley", "Rebecca Field", "Victoria Moroles", "Amy Hill",
    "John Carroll Lynch",
]  # fmt: skip


def seed_path(argv: list[str]) -> Path:
    if len(argv) > 1:
        return Path(argv[1])
    if os.environ.get("NEWSROOM_SEED"):
        return Path(os.environ["NEWSROOM_SEED"])
    candidates = [base / "shared" / "seed" / "ballard-renewal.txt" for base in ROOT.parents[:2]]
    return next((c for c in candidates if c.is_file()), candidates[0])


def setup_django(db_file: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def story_parts(text: str) -> tuple[str, str]:
    """Headline and body. The seed file opens with blank lines where a headline would stand
    and then runs its paragraphs, one per line; without a headline line, the first sentence
    (its lede's news) serves as the headline and the body keeps every paragraph."""
    lines = [line.strip() for line in text.splitlines()]
    paragraphs = [line for line in lines if line]
    if not paragraphs:
        raise SystemExit("The seed story is empty.")
    leading_blank = lines[0] == ""
    first = paragraphs[0]
    looks_like_headline = not leading_blank and len(first) < 160 and not first.endswith(".")
    if looks_like_headline:
        return first, "\n\n".join(paragraphs[1:])
    headline = first.split(". ")[0].rstrip(".")
    return headline, "\n\n".join(paragraphs)


def load_catalog(data: dict, *, only: dict[str, set[str]] | None = None) -> None:
    """Import the catalog interchange JSON through the project's importer; ``only`` keeps
    just the given keys per section (and the references among them)."""
    from catalog.importers import import_catalog, parse_catalog

    if only is not None:
        data = subset(data, only)
    import_catalog(parse_catalog(json.dumps(data), source="demo/catalog.json"))


def subset(data: dict, only: dict[str, set[str]]) -> dict:
    companies = [c for c in data["companies"] if c["key"] in only["companies"]]
    shows = []
    for rec in data["shows"]:
        if rec["key"] not in only["shows"]:
            continue
        rec = dict(rec)
        if rec.get("network") not in only["companies"]:
            rec["network"] = None
        rec["studios"] = [k for k in rec.get("studios", []) if k in only["companies"]]
        if rec.get("spinoff_of") not in only["shows"]:
            rec["spinoff_of"] = None
        shows.append(rec)
    people = [p for p in data["people"] if p["key"] in only["people"]]
    credits = [
        c for c in data["credits"] if c["show"] in only["shows"] and c["person"] in only["people"]
    ]
    return {"companies": companies, "shows": shows, "people": people, "credits": credits}


def make_story(headline: str, body: str):
    from django.utils import timezone

    from articles.models import Article
    from articles.services import article_publish
    from catalog.models import Company

    source = Company.objects.filter(name="Deadline").first()
    if source is None:
        source = Company.objects.create(name="Deadline", kind=Company.Kind.PUBLICATION)
    article = Article.objects.create(
        title=headline,
        body="".join(f"<p>{p}</p>" for p in body.split("\n\n")),
        kind=Article.Kind.RENEWAL,
        status=Article.Status.DRAFT,
        source=source,
    )
    return article_publish(article=article, published_at=timezone.now())


def diff(label: str, found: list[str], expected: list[str]) -> bool:
    missing = [n for n in expected if n not in found]
    extra = [n for n in found if n not in expected]
    print(f"{label} ({len(found)}): {', '.join(found)}")
    for n in missing:
        print(f"  - missing: {n}")
    for n in extra:
        print(f"  + unexpected: {n}")
    return not missing and not extra


def check_links(headline: str, body: str) -> bool:
    from articles.models import Mention

    article = make_story(headline, body)
    mentions = list(Mention.objects.active().filter(article=article).select_related("person", "show", "company"))
    people = [m.person.name for m in mentions if m.person_id]
    shows = [m.show.title for m in mentions if m.show_id]
    companies = [m.company.name for m in mentions if m.company_id]
    print(f"Headline: {headline}")
    ok = diff("People", people, EXPECTED_PEOPLE)
    ok &= diff("Shows", shows, EXPECTED_SHOWS)
    ok &= diff("Companies", companies, EXPECTED_COMPANIES)
    main = article.main_show.title if article.main_show_id else None
    inferred = " (inferred)" if article.main_show_inferred else ""
    print(f"Main show: {main}{inferred}, season {article.season_number}")
    if main != EXPECTED_MAIN_SHOW:
        print(f"  expected main show {EXPECTED_MAIN_SHOW}")
        ok = False
    return ok


def check_suggestions(headline: str, body: str) -> bool:
    from articles.models import Suggestion

    article = make_story(headline, body)
    rows = list(
        Suggestion.objects.filter(article=article, status=Suggestion.Status.PENDING)
        .exclude(kind=Suggestion.Kind.AMBIGUOUS)
        .select_related("person", "show")
        .order_by("id")
    )
    print("Suggestions over a catalog of Ballard, Maggie Q and Titus Welliver:")
    found: dict[tuple[str, str], Suggestion] = {}
    for s in rows:
        name = s.person.name if s.person_id else s.person_name
        show = s.show.title if s.show_id else "-"
        extra = f" as {s.character}" if s.character else ""
        print(f"  {s.kind:7} {name:24} {s.role or '-':22} {show}{extra}")
        found[(name, s.role)] = s
    ok = True
    for name, role in EXPECTED_CREW.items():
        s = found.get((name, role))
        if s is None or not s.show_id or s.show.title != "Ballard":
            print(f"  - missing: {name} as {role} of Ballard")
            ok = False
    for name in EXPECTED_ENSEMBLE:
        s = found.get((name, "cast"))
        if s is None or not s.show_id or s.show.title != "Ballard":
            print(f"  - missing: {name} in the cast of Ballard")
            ok = False
    expected = {*EXPECTED_CREW.items(), *((n, "cast") for n in EXPECTED_ENSEMBLE)}
    checked = {"cast", "executive_producer", "co_executive_producer"}
    for (name, role), s in found.items():
        if (name, role) in expected or not (s.show_id and s.show.title == "Ballard"):
            continue
        if role in checked:
            print(f"  + unexpected: {name} as {role} of Ballard")
            ok = False
        else:
            print(f"  (also: {name} as {role} of Ballard, which the story states too)")
    return ok


def main(argv: list[str]) -> int:
    path = seed_path(argv)
    if not path.is_file():
        print(
            f"The seed story is not here: {path}\n"
            "It is not part of the project; pass its path as the first argument or set "
            "NEWSROOM_SEED.",
            file=sys.stderr,
        )
        return 2
    headline, body = story_parts(path.read_text(encoding="utf-8"))
    data = json.loads((ROOT / "demo" / "catalog.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "seed.sqlite3")
        from django.db import transaction

        from articles.models import Article
        from catalog.models import Company, Person, Show

        with transaction.atomic():
            load_catalog(data)
            links_ok = check_links(headline, body)
        print()
        Article.objects.all().delete()
        for model in (Person, Show, Company):
            model.objects.all().delete()
        with transaction.atomic():
            load_catalog(
                data,
                only={
                    "shows": {"ballard"},
                    "people": {"maggie-q", "titus-welliver"},
                    "companies": set(),
                },
            )
            suggestions_ok = check_suggestions(headline, body)
    print()
    print("Links: " + ("exactly the expected list" if links_ok else "DIFFERENT from the expected list"))
    print("Suggestions: " + ("all expected" if suggestions_ok else "MISSING or unexpected ones"))
    return 0 if links_ok and suggestions_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
