"""Build a large, realistically shaped dataset for benchmarks, in minutes.

    python bench/dataset.py                 # 100k stories, 50k shows, 1M people, 3M credits
    python bench/dataset.py --scale 0.01    # the same shape, a hundredth of the size

The database is the one ``DATABASE_URL`` names (SQLite in var/ otherwise); migrations are
applied first. Rows go in through the driver's bulk path (``COPY`` on PostgreSQL, one
``executemany`` per table on SQLite) inside one transaction, with explicit ids, so nothing is
half-written if it fails and it does not go through ``save()`` or signals; the catalog version
is bumped once at the end so every process rebuilds its gazetteer.

The shape follows real trade-press data rather than uniform noise:

- credits per show are heavy-tailed: most shows have a handful, a few hundred shows have
  hundreds to a thousand and more (long-running series with big casts and crews);
- credits per person too: most people have one or two, a few stars and prolific producers
  have hundreds;
- stories are about popular shows far more often than obscure ones, and mention the show, its
  network, its top-billed cast and producers; a few famous people are in thousands of stories;
- most stories are published over ten years (denser recently), some are scheduled for the
  coming weeks, a few are drafts.

Two marquee entries give the page benchmarks a fixed target at every size: the show with key
``bench-show-1`` has 300 credits, the person ``bench-person-1`` has 300 credits and is
mentioned in 1,000 stories (fewer when ``--scale`` makes the whole dataset smaller).

Generated rows are marked (keys start with ``bench-``, stories' ``import_key`` with
``bench:``); the script refuses to run twice on one database: build into a fresh one.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Full size at --scale 1.
STORIES = 100_000
SHOWS = 50_000
PEOPLE = 1_000_000
CREDITS = 3_000_000
COMPANIES = 3_000
AUTHORS = 150
MARQUEE_CREDITS = 300
MARQUEE_STORIES = 1_000


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words("""
Aaliyah Aaron Abigail Adam Adrian Aisha Alan Alejandro Alex Alexis Ali Alice Alicia Allison
Amanda Amara Amber Amelia Amir Amy Ana Andre Andrea Andrew Angela Anna Anthony Antonio Ari
Ariana Arjun Ashley Audrey Ava Ayesha Beatriz Ben Benjamin Beth Bianca Blake Brandon Brenda
Brian Brooke Bruno Caleb Camila Cameron Carla Carlos Carmen Caroline Catherine Cecilia Chad
Charles Charlotte Chen Chloe Chris Christina Claire Clara Colin Connor Courtney Craig
Daniel Danielle Dante David Deborah Denise Derek Diana Diego Dominic Dylan Eddie Eduardo
Elena Eli Elijah Elizabeth Ella Ellen Emily Emma Eric Erin Esther Ethan Eva Evan Fatima
Felix Fernando Fiona Frances Francisco Frank Gabriel Gabriela Gemma George Gina Grace Greg
Hannah Harper Hassan Heather Hector Helen Henry Hiro Holly Hugo Ian Imani Irene Isaac
Isabel Ivan Jack Jacob Jade Jamal James Jamie Jana Jasmine Jason Javier Jay Jean Jenna
Jennifer Jeremy Jessica Joan Joel John Jonah Jordan Jorge José Joseph Joshua Joy Juan Julia
Julian Justin Kai Karen Kate Keith Kelly Kenji Kevin Kiara Kim Kyle Laura Lauren Leah Leo
Leon Liam Lily Linda Lisa Logan Lucas Lucía Luis Luke Maria Marcus Mariana Mark Marta
Martin Maya Megan Mei Melissa Mia Michael Michelle Miguel Mila Miles Min Mohammed Monica
Nadia Naomi Natalie Nathan Neil Nicole Nina Noah Nora Olga Oliver Olivia Omar Oscar Owen
Pablo Paul Paula Pedro Peter Priya Rachel Rafael Rahul Raj Ramón Rebecca Renée Ricardo
Riley Rita Robert Rosa Ruby Ryan Sabrina Samuel Sara Sean Sebastian Sergio Shannon Simone
Sofia Sophie Stella Stephen Susan Takeshi Tara Teresa Thomas Tiffany Timothy Tomás Tyler
Valentina Vanessa Victor Victoria Vikram Vincent Wei William Xavier Yara Yusuf Zara Zoe Zoë
""")

LAST_NAMES = _words("""
Abbott Acosta Adams Adeyemi Aguilar Ahmed Alaimo Ali Allen Alvarez Anderson Andrews Baker
Banerjee Barnes Bastin Bauer Bell Bennett Bergström Bishop Black Blake Bose Boyd Bradley
Brennan Brooks Brown Bryant Burke Burns Butler Byrne Caldwell Campbell Cardenas Carroll
Carter Castillo Castro Chan Chandler Chang Chavez Chen Cho Choi Clark Cohen Cole Coleman
Collins Cooper Cortez Costa Cruz Cunningham Daniels Das Davidson Davis Delgado Diaz Dixon
Doherty Dubois Duncan Dunn Edwards Ellis Evans Farah Fernández Ferrari Fischer Fitzgerald
Fleming Flores Ford Foster Fox Francis Fraser Freeman Fuentes Gallagher Garcia Gardner Gill
Gomez Gonzalez Gordon Graham Grant Gray Green Gupta Gutierrez Hall Hamilton Hansen Harper
Harris Hart Hayes Henderson Hernandez Hill Hoffman Holmes Horvat Howard Hughes Hunt Ibrahim
Ito Jackson James Jensen Jimenez Johnson Jones Joshi Kane Kang Kaplan Kaur Keller Kelly
Kennedy Khan Kim King Knight Kowalski Kumar Lambert Lane Larsen Lee Lewis Li Lim Lin Lopez
Lynch Malik Marino Marsh Martin Martinez Mason Matsumoto Mehta Mendoza Meyer Miller
Mitchell Moore Morales Moreno Morgan Morris Murphy Murray Nakamura Nair Nelson Newman
Nguyen Novak Nowak O'Brien O'Connor O'Neill Okafor Okoye Oliveira Olsen Ortiz Owens Palmer
Park Parker Patel Pearson Perez Perry Peters Petrov Phillips Pierce Porter Powell Price
Quinn Ramirez Ramos Reed Reyes Reynolds Rhodes Rivera Roberts Robinson Rodriguez Rogers
Romero Rose Ross Russell Ryan Saito Salazar Sanchez Santos Schmidt Schneider Scott Shah
Sharma Shaw Silva Simmons Singh Smith Snyder Sokolov Song Sørensen Stewart Stone Sullivan
Suzuki Tanaka Taylor Thomas Thompson Torres Tran Turner Vargas Vasquez Walker Wallace Walsh
Wang Ward Warren Watson Weber Wells West White Williams Wilson Wong Wood Wright Wu Yamamoto
Yang Young Zhang Zhou Zimmermann
""")

TITLE_WORDS = _words("""
Harbor Point Ridge Hollow Signal Frontier Empire Legacy Night Shift Station Valley River
Crown Glass Iron Silver Golden Winter Summer Paper Stone Echo Ember Shadow Light Blue Red
Black White North South East West City County Bay Coast Island Canyon Desert Forest Garden
House Manor Street Avenue Road Bridge Tower Gate Court Hall Circle Square Line Border Code
Protocol Agency Bureau Division Unit Squad Precinct District Ward Clinic Hospital Academy
College School Family Brothers Sisters Kings Queens Heirs Saints Sinners Strangers Friends
Neighbors Lovers Rivals Hunters Keepers Riders Runners Dreamers Believers Survivors Wolves
Ravens Hawks Foxes Lions Tigers Bears Horses Dogs Cats Secrets Lies Truths Games Rules Laws
Orders Crimes Cases Files Tapes Letters Diaries Chronicles Tales Stories Legends Myths
""")
TITLE_PREFIXES = ["The", "The", "The", "", "", "", "", "Dark", "Little", "Big", "Last", "First",
                  "Lost", "Wild", "Broken", "Hidden", "Good", "Bad", "New", "Old", "High", "Low"]

GENRES = ["drama", "comedy", "crime drama", "thriller", "sci-fi", "fantasy", "horror",
          "legal drama", "medical drama", "procedural", "sitcom", "dramedy", "limited series",
          "docuseries", "animation", "reality", "anthology", "period drama", "action",
          "romance", "teen drama", "mystery", "western", "superhero", "true crime",
          "late night", "talk show", "game show", "musical", "satire"]
TOPICS = ["renewals", "cancellations", "casting", "ratings", "development", "pilots",
          "upfronts", "emmys", "golden globes", "box office", "streaming", "deals", "exits",
          "trailers", "premiere dates", "reviews", "interviews", "festivals", "comic-con",
          "strikes"]
COMPANY_SUFFIXES = {
    "network": ["Network", "TV", "Channel", "Broadcasting"],
    "streamer": ["+", " Plus", " Streaming", " Max", " Now"],
    "studio": ["Studios", "Television", "Pictures", "Productions", "Entertainment", "Films",
               "Media", "Content"],
    "publication": ["Daily", "Reporter", "Weekly", "Insider", "Wire", "Times"],
    "other": ["Group", "Agency", "Partners", "Management"],
}
CHARACTER_TITLES = ["Detective", "Dr.", "Captain", "Agent", "Officer", "Sergeant", "Judge",
                    "Professor", "Lieutenant", "Coach", "Mayor", "Sister", "Father", "", "", "",
                    "", "", "", ""]
ROLES = [("cast", 62), ("executive_producer", 10), ("producer", 7), ("writer", 8),
         ("director", 7), ("co_executive_producer", 3), ("creator", 2), ("showrunner", 0.6),
         ("source_author", 0.4)]
KINDS = [("news", 34), ("casting", 22), ("renewal", 14), ("cancellation", 6), ("review", 12),
         ("feature", 12)]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth"]

# Paragraphs that name no one: the bulk of a real story between the names.
FILLER = [
    "The decision follows a season that grew its audience week over week, with delayed "
    "viewing more than doubling the overnight numbers. Executives pointed to strong "
    "completion rates among new subscribers, a measure the platform watches closely.",
    "Production is expected to begin early next year, with the writers' room already "
    "breaking stories. No premiere date has been set, though a launch in the back half of "
    "the year would keep the show on its usual schedule.",
    "The series has been a steady performer in its time slot, and its critical reception "
    "improved markedly in its most recent run, which drew praise for tightening its "
    "serialized storytelling without abandoning the case-of-the-week format.",
    "Representatives for the studio declined to comment on the budget, which sources "
    "describe as in line with the previous season. Cast deals were renegotiated last year "
    "and run through at least one more season.",
    "The move comes amid a broader reshuffle of the schedule, as the network makes room "
    "for several new dramas ordered during the spring. Two other returning series were "
    "moved to midseason to clear space in the fall lineup.",
    "Fans had campaigned for a pickup for months, and the announcement was greeted with an "
    "outpouring on social media. The creative team thanked viewers in a brief statement and "
    "promised that the next chapter would answer questions left open by the finale.",
    "The project is based on a bestselling novel and has been in development for nearly "
    "three years. An earlier version with a different writer stalled before the current "
    "team came aboard and reworked the premise for a longer run.",
    "Details about the character are being kept under wraps, but the role is described as a "
    "series regular who upends the central relationships of the show. Filming on the new "
    "episodes is already under way on location.",
    "The show remains one of the most-watched titles in its genre across the platform's "
    "international markets, regularly placing in the weekly top ten in more than forty "
    "countries after each new season drops.",
    "Industry observers note that the pickup bucks a trend of shorter orders and quicker "
    "cancellations. The new season will consist of ten episodes, matching the order for "
    "the previous installment.",
    "In a statement, the network's head of scripted programming said the series had become "
    "a cornerstone of its slate and that the creative team had ambitious plans for the "
    "characters going forward.",
    "The finale left several storylines unresolved, and the writers have hinted in "
    "interviews that the new season will jump ahead in time. A spinoff set in the same "
    "world is also said to be under consideration.",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="Size relative to the full dataset (default 1: 100k stories).")
    parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
    parser.add_argument("--no-migrate", action="store_true", help="Skip `migrate`.")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", verbosity=0, interactive=False)
    try:
        counts = build(scale=args.scale, seed=args.seed, log=print)
    except AlreadyBuilt as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    width = max(len(k) for k in counts)
    for name, n in counts.items():
        print(f"  {name:<{width}}  {n:>10,}")
    return 0


class AlreadyBuilt(Exception):
    pass


def build(*, scale: float = 1.0, seed: int = 7, log: Callable[[str], None] = print) -> dict[str, int]:
    """Generate and insert the whole dataset in one transaction; return rows per table."""
    from django.db import connection, transaction

    from articles.models import Article

    if Article.objects.filter(import_key__startswith="bench:").exists():
        raise AlreadyBuilt(
            "this database already holds a benchmark dataset; build into a fresh database "
            "(a new DATABASE_URL, or delete the SQLite file)"
        )
    started = time.perf_counter()
    gen = Generator(scale=scale, seed=seed, log=log)
    if connection.vendor == "sqlite":
        # A big page cache keeps the indexes in memory while millions of rows go in; the
        # rollback journal in memory avoids writing every page twice (WAL, then checkpoint).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    with transaction.atomic():
        writer = Writer(connection)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA defer_foreign_keys = ON")
        gen.run(writer)
        from catalog.models import bump_catalog_version

        bump_catalog_version()
    writer.finish()
    log(f"done in {time.perf_counter() - started:.0f} s")
    return writer.counts


def scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


class Writer:
    """Bulk-inserts rows with explicit columns; fills every other column with its default."""

    def __init__(self, connection) -> None:
        from django.utils import timezone

        self.connection = connection
        self.vendor = connection.vendor
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self.models: list = []
        connection.ensure_connection()

    def next_id(self, model) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX("{model._meta.pk.column}") FROM "{model._meta.db_table}"')
            return (cursor.fetchone()[0] or 0) + 1

    def dt(self, value: datetime):
        return self.connection.ops.adapt_datetimefield_value(value)

    def json(self, value):
        return self.connection.ops.adapt_json_value(value, None)

    def insert(self, model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert ``rows`` (tuples in ``columns`` order, by attname) plus defaults for the rest."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [name for name in columns if name not in fields]
        if missing:
            raise ValueError(f"{model.__name__} has no column(s) {missing}")
        extra_cols, extra_vals = [], []
        for attname, field in fields.items():
            if attname in columns:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif field.primary_key:
                raise ValueError(f"{model.__name__}: give the primary key explicitly")
            else:
                value = field.get_default()
            extra_cols.append(field.column)
            extra_vals.append(field.get_db_prep_save(value, self.connection))
        cols = [fields[name].column for name in columns] + extra_cols
        extra = tuple(extra_vals)
        table = model._meta.db_table
        quoted = ", ".join(f'"{c}"' for c in cols)
        count = 0
        if self.vendor == "postgresql":
            raw = self.connection.connection
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row + extra)
                    count += 1
        else:
            sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'
            raw = self.connection.connection
            cursor = raw.cursor()
            batch: list[tuple] = []
            for row in rows:
                batch.append(row + extra)
                if len(batch) >= 20_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
            cursor.close()
        self.counts[table] = self.counts.get(table, 0) + count
        if model not in self.models:
            self.models.append(model)
        return count

    def finish(self) -> None:
        """Move sequences past the explicit ids and refresh the planner's statistics; on
        PostgreSQL also the visibility map (VACUUM), as autovacuum would soon after a bulk
        load, so that index-only scans read the index alone as they do in a settled site."""
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                for sql in self.connection.ops.sequence_reset_sql(no_style(), self.models):
                    cursor.execute(sql)
                for model in self.models:
                    cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
            else:
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA journal_mode = WAL")


def zipf_cumulative(n: int, s: float) -> list[float]:
    return list(accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


def pick(rng: random.Random, items: Sequence, cumulative: Sequence[float]):
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


class StoryText:
    """A story body rendered twice, plain and with the first mention of each entity linked,
    remembering where each entity is first named (the ``Mention`` rows)."""

    def __init__(self) -> None:
        self.plain: list[str] = []
        self.linked: list[str] = []
        self.mentions: dict[tuple[str, int], tuple[str, int, str]] = {}
        self.offset = 0

    def say(self, parts: list[tuple[str, tuple[str, int] | None, str, str]]) -> None:
        """One paragraph from (text, entity or None, url, character) parts."""
        p_plain, p_linked = ["<p>"], ["<p>"]
        self.offset += 3
        for text, entity, url, character in parts:
            if entity is not None and entity not in self.mentions:
                self.mentions[entity] = (text, self.offset, character)
                p_linked.append(f'<a href="{url}">{text}</a>')
            else:
                p_linked.append(text)
            p_plain.append(text)
            self.offset += len(text)
        p_plain.append("</p>")
        p_linked.append("</p>")
        self.offset += 4
        self.plain.append("".join(p_plain))
        self.linked.append("".join(p_linked))


class Generator:
    def __init__(self, *, scale: float, seed: int, log: Callable[[str], None]) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.log = log
        self.n_stories = scaled(STORIES, scale, 20)
        self.n_shows = scaled(SHOWS, scale, 10)
        self.n_people = scaled(PEOPLE, scale, 400)
        self.n_credits = scaled(CREDITS, scale, 1_000)
        self.n_companies = scaled(COMPANIES, scale, 30)
        self.n_authors = scaled(AUTHORS, scale, 5)
        self.marquee_credits = min(MARQUEE_CREDITS, self.n_shows - 1, self.n_people // 2)
        self.marquee_stories = min(MARQUEE_STORIES, self.n_stories // 2)
        self._step_started = time.perf_counter()

    def step(self, message: str) -> None:
        now = time.perf_counter()
        self.log(f"[{now - self._step_started:6.1f} s] {message}")

    # -- slugs ------------------------------------------------------------------------------

    def _slugger(self, model) -> Callable[[str], str]:
        """Unique slugs like the admin makes them: name, then name-2, name-3…"""
        from django.utils.text import slugify

        taken = set(model._default_manager.values_list("slug", flat=True))
        counters: dict[str, int] = {}
        cache: dict[str, str] = {}

        def make(text: str) -> str:
            base = cache.get(text)
            if base is None:
                base = slugify(text)[:190].strip("-") or "item"
                cache[text] = base
            n = counters.get(base, 1)
            candidate = base if n == 1 else f"{base}-{n}"
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            counters[base] = n + 1
            taken.add(candidate)
            return candidate

        return make

    # -- the whole run ----------------------------------------------------------------------

    def run(self, w: Writer) -> None:
        self.companies(w)
        self.step(f"{self.n_companies:,} companies")
        self.tags(w)
        self.step(f"{len(self.tag_ids):,} tags")
        self.shows(w)
        self.step(f"{self.n_shows:,} shows, their seasons, studios and tags")
        self.people(w)
        self.step(f"{self.n_people:,} people")
        self.credits(w)
        self.step(f"{self.n_credits:,} credits")
        self.authors(w)
        self.articles(w)
        self.step(f"{self.n_stories:,} stories with bylines, mentions and tags")
        from articles.models import Article, keep_all_newest_story_times, keep_byline_authors

        keep_all_newest_story_times()
        keep_byline_authors(Article.objects.values_list("pk", flat=True).order_by("pk"))
        self.step("each show's newest story time, copied to its credits; each story's bylines")

    # -- companies and tags -------------------------------------------------------------------

    def companies(self, w: Writer) -> None:
        from catalog.models import Company

        rng = self.rng
        n = self.n_companies
        first = w.next_id(Company)
        shares = [("network", 0.04), ("streamer", 0.02), ("publication", 0.01), ("other", 0.13)]
        kinds: list[str] = []
        for kind, share in shares:
            kinds += [kind] * max(2, round(n * share))
        kinds += ["studio"] * max(2, n - len(kinds))
        kinds = kinds[:n] if len(kinds) > n else kinds
        self.n_companies = len(kinds)
        slug = self._slugger(Company)
        self.company_ids = list(range(first, first + len(kinds)))
        self.company_kind = dict(zip(self.company_ids, kinds, strict=True))
        self.company_name: dict[int, str] = {}
        self.company_slug: dict[int, str] = {}
        rows = []
        for i, (pk, kind) in enumerate(zip(self.company_ids, kinds, strict=True)):
            word = TITLE_WORDS[i % len(TITLE_WORDS)]
            name = f"{word}{rng.choice(COMPANY_SUFFIXES[kind])}" if kind == "streamer" else (
                f"{word} {rng.choice(COMPANY_SUFFIXES[kind])}"
            )
            if i >= len(TITLE_WORDS):
                name = f"{rng.choice(LAST_NAMES)} {name}"
            s = slug(name)
            self.company_name[pk] = name
            self.company_slug[pk] = s
            rows.append((pk, f"bench-company-{i + 1}", s, name, kind))
        w.insert(Company, ["id", "key", "slug", "name", "kind"], rows)
        self.platforms = [pk for pk in self.company_ids if self.company_kind[pk] in ("network", "streamer")]
        self.platform_cum = zipf_cumulative(len(self.platforms), 1.0)
        self.studios = [pk for pk in self.company_ids if self.company_kind[pk] == "studio"]
        self.studio_cum = zipf_cumulative(len(self.studios), 0.9)
        self.publications = [pk for pk in self.company_ids if self.company_kind[pk] == "publication"]

    def tags(self, w: Writer) -> None:
        from taggit.models import Tag

        existing = {name.lower(): pk for pk, name in Tag.objects.values_list("id", "name")}
        existing_slugs = set(Tag.objects.values_list("slug", flat=True))
        names = GENRES + TOPICS + [
            self.company_name[pk].lower() for pk in self.platforms
        ] + [f"{word.lower()} franchise" for word in TITLE_WORDS[: max(5, round(200 * min(1, self.scale * 10)))]]
        next_id = w.next_id(Tag)
        rows, self.tag_ids = [], {}
        for name in dict.fromkeys(names):
            if name in existing:
                self.tag_ids[name] = existing[name]
                continue
            from django.utils.text import slugify

            s = base = slugify(name) or "tag"
            n = 2
            while s in existing_slugs:
                s, n = f"{base}-{n}", n + 1
            existing_slugs.add(s)
            rows.append((next_id, name, s))
            self.tag_ids[name] = next_id
            next_id += 1
        w.insert(Tag, ["id", "name", "slug"], rows)
        self.genre_cum = zipf_cumulative(len(GENRES), 0.8)
        self.franchises = [name for name in self.tag_ids if name.endswith(" franchise")]

    # -- shows ----------------------------------------------------------------------------------

    def shows(self, w: Writer) -> None:
        from catalog.models import Season, Show, TaggedShow

        rng = self.rng
        n = self.n_shows
        first = w.next_id(Show)
        self.show_ids = list(range(first, first + n))
        slug = self._slugger(Show)
        self.show_title: dict[int, str] = {}
        self.show_slug: dict[int, str] = {}
        self.show_network: dict[int, int] = {}
        self.show_genre: dict[int, str] = {}
        self.show_kind: dict[int, str] = {}
        self.show_seasons: dict[int, int] = {}
        kinds = [("series", 70), ("miniseries", 10), ("film", 17), ("special", 3)]
        kind_items, kind_cum = [k for k, _ in kinds], list(accumulate(v for _, v in kinds))
        statuses = [("airing", 20), ("renewed", 15), ("cancelled", 20), ("ended", 30),
                    ("in_development", 5), ("ending", 2), ("", 8)]
        status_items, status_cum = [k for k, _ in statuses], list(accumulate(v for _, v in statuses))
        rows, season_rows, studio_rows, tag_rows = [], [], [], []
        season_id, studio_id, tag_id = w.next_id(Season), w.next_id(Show.studios.through), w.next_id(TaggedShow)
        for i, pk in enumerate(self.show_ids):
            prefix = rng.choice(TITLE_PREFIXES)
            words = rng.sample(TITLE_WORDS, rng.choice((1, 1, 2, 2, 2)))
            title = " ".join([prefix, *words]).strip()
            if rng.random() < 0.04:
                title = f"{title}: {rng.choice(TITLE_WORDS)}"
            kind = pick(rng, kind_items, kind_cum)
            status = pick(rng, status_items, status_cum)
            year_start = rng.randint(1975, 2026) if rng.random() < 0.97 else None
            year_end = None
            if year_start and status in ("cancelled", "ended"):
                year_end = min(2026, year_start + rng.randint(0, 8))
            network = pick(rng, self.platforms, self.platform_cum) if rng.random() < 0.95 else None
            spinoff = None
            if i > 100 and rng.random() < 0.01:
                spinoff = self.show_ids[rng.randrange(0, i)]
            genre = pick(rng, GENRES, self.genre_cum)
            s = slug(title)
            self.show_title[pk], self.show_slug[pk], self.show_kind[pk] = title, s, kind
            self.show_network[pk] = network
            self.show_genre[pk] = genre
            imdb = f"tt{9_000_000 + i:07d}"
            tvmaze = 500_000 + i if kind != "film" and rng.random() < 0.6 else None
            aliases = w.json([title.removeprefix("The ")] if title.startswith("The ") and rng.random() < 0.3 else [])
            rows.append((pk, f"bench-show-{i + 1}", s, title, kind, status, year_start, year_end,
                         network, spinoff, imdb, tvmaze, aliases))
            if kind == "series":
                seasons = max(1, min(30, int(rng.paretovariate(1.3))))
                self.show_seasons[pk] = seasons
                for number in range(1, seasons + 1):
                    season_rows.append((season_id, pk, number, rng.choice((6, 8, 10, 10, 13, 22)),
                                        "aired" if number < seasons else "announced"))
                    season_id += 1
            for studio in {pick(rng, self.studios, self.studio_cum) for _ in range(rng.choice((1, 1, 2, 3)))}:
                studio_rows.append((studio_id, pk, studio))
                studio_id += 1
            show_tags = {genre, self.company_name[network].lower() if network else genre}
            if rng.random() < 0.5:
                show_tags.add(pick(rng, GENRES, self.genre_cum))
            if self.franchises and rng.random() < 0.05:
                show_tags.add(rng.choice(self.franchises))
            for name in show_tags:
                tag_rows.append((tag_id, self.tag_ids[name], pk))
                tag_id += 1
        w.insert(Show, ["id", "key", "slug", "title", "kind", "status", "year_start", "year_end",
                        "network_id", "spinoff_of_id", "imdb_id", "tvmaze_id", "aliases"], rows)
        w.insert(Season, ["id", "show_id", "number", "episode_count", "status"], season_rows)
        w.insert(Show.studios.through, ["id", "show_id", "company_id"], studio_rows)
        w.insert(TaggedShow, ["id", "tag_id", "content_object_id"], tag_rows)

    # -- people and credits -----------------------------------------------------------------

    def people(self, w: Writer) -> None:
        from catalog.models import Person

        rng = self.rng
        n = self.n_people
        first = w.next_id(Person)
        self.person_first = first
        slug = self._slugger(Person)
        self.person_name: list[str] = []
        self.person_slug: list[str] = []
        initials = "ABCDEFGHJKLMNPRSTW"

        def rows() -> Iterator[tuple]:
            for i in range(n):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if rng.random() < 0.25:
                    given, family = name.split(" ", 1)
                    name = f"{given} {rng.choice(initials)}. {family}"
                s = slug(name)
                self.person_name.append(name)
                self.person_slug.append(s)
                bio = ""
                if i < n // 50:
                    bio = f"{name} is a working film and television professional."
                birth = rng.randint(1930, 2010) if rng.random() < 0.4 else None
                imdb = f"nm{9_000_000 + i:07d}" if rng.random() < 0.9 else None
                yield (first + i, f"bench-person-{i + 1}", s, name, bio, birth, imdb)

        w.insert(Person, ["id", "key", "slug", "name", "bio", "birth_year", "imdb_id"], rows())

    def credits(self, w: Writer) -> None:
        """Deal credits to shows from a pool where each person appears as often as they work.

        Shows get heavy-tailed sizes (tiers below), people too (stars, regulars, the rest);
        the marquee show and person get exactly ``marquee_credits``.
        """
        from catalog.models import Credit

        rng = self.rng
        total = self.n_credits
        n_shows, n_people = self.n_shows, self.n_people
        # Credits per show: 60% a handful, 30% dozens, 9% hundreds, 1% up to 1,500.
        tiers = [(0.60, 2, 12), (0.30, 20, 120), (0.09, 150, 400), (0.01, 500, 1500)]
        sizes: list[int] = []
        for share, low, high in tiers:
            sizes += [rng.randint(low, high) for _ in range(max(1, round(n_shows * share)))]
        sizes = sizes[: n_shows - 1]
        sizes += [sizes[-1]] * (n_shows - 1 - len(sizes))
        factor = (total - self.marquee_credits * 2) / sum(sizes)
        cap = max(2, n_people // 3)
        sizes = [max(1, min(cap, round(size * factor))) for size in sizes]
        rng.shuffle(sizes)
        show_sizes = [self.marquee_credits, *sizes]
        self.show_size = dict(zip(self.show_ids, show_sizes, strict=True))
        # Credits per person: 0.02% stars (200-500), 1% regulars (20-80), the rest share what is left.
        pool: list[int] = []
        n_stars = max(3, round(n_people * 0.0002))
        n_regulars = max(10, round(n_people * 0.01))
        self.stars = list(range(1, 1 + n_stars))  # person indexes (0 is the marquee)
        budget = sum(show_sizes) - self.marquee_credits  # marquee person is dealt separately
        for idx in self.stars:
            pool += [idx] * min(rng.randint(200, 500), n_shows // 2)
        for idx in range(1 + n_stars, 1 + n_stars + n_regulars):
            pool += [idx] * rng.randint(20, 80)
        rest = max(0, budget - len(pool))
        others = range(1 + n_stars + n_regulars, n_people)
        pool += list(others)  # everyone works at least once
        pool += [rng.randrange(1 + n_stars + n_regulars, n_people) for _ in range(max(0, rest - len(others)))]
        rng.shuffle(pool)

        marquee_shows = set(rng.sample(self.show_ids[1:], self.marquee_credits))
        role_items, role_cum = [r for r, _ in ROLES], list(accumulate(v for _, v in ROLES))
        self.show_cast: dict[int, list[tuple[int, str]]] = {}
        self.show_crew: dict[int, list[int]] = {}
        self.person_credit_count = [0] * n_people
        first_id = w.next_id(Credit)
        pool_iter = iter(pool)

        def draw() -> int:
            try:
                return next(pool_iter)
            except StopIteration:
                return rng.randrange(1, n_people)

        def rows() -> Iterator[tuple]:
            pk = first_id
            for show, size in zip(self.show_ids, show_sizes, strict=True):
                members: list[int] = []
                seen = set()
                if show in marquee_shows:
                    members.append(0)
                    seen.add(0)
                while len(members) < size:
                    idx = draw()
                    if idx in seen:
                        idx = rng.randrange(1, n_people)
                        if idx in seen:
                            continue
                    seen.add(idx)
                    members.append(idx)
                order: dict[str, int] = {}
                cast: list[tuple[int, str]] = []
                crew: list[int] = []
                film = self.show_kind[show] == "film"
                for idx in members:
                    role = pick(rng, role_items, role_cum)
                    if film and role in ("showrunner", "co_executive_producer"):
                        role = "producer"
                    character = ""
                    if role == "cast":
                        title = rng.choice(CHARACTER_TITLES)
                        character = f"{title} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}".strip()
                        if len(cast) < 12:
                            cast.append((idx, character))
                    elif len(crew) < 6 and role in ("creator", "showrunner", "executive_producer"):
                        crew.append(idx)
                    order[role] = order.get(role, 0) + 1
                    self.person_credit_count[idx] += 1
                    yield (pk, self.person_first + idx, show, role, character, order[role])
                    pk += 1
                self.show_cast[show] = cast
                self.show_crew[show] = crew

        self.n_credits = w.insert(Credit, ["id", "person_id", "show_id", "role", "character", "order"], rows())

    # -- stories --------------------------------------------------------------------------------

    def authors(self, w: Writer) -> None:
        from articles.models import Author

        rng = self.rng
        first = w.next_id(Author)
        slug = self._slugger(Author)
        rows = []
        for i in range(self.n_authors):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            rows.append((first + i, name, slug(name), f"Covers television for the desk since {2010 + i % 15}."))
        w.insert(Author, ["id", "name", "slug", "bio"], rows)
        self.author_ids = list(range(first, first + self.n_authors))
        self.author_cum = zipf_cumulative(self.n_authors, 0.7)

    def articles(self, w: Writer) -> None:
        from articles.models import Article, Byline, Mention, TaggedArticle

        rng = self.rng
        n = self.n_stories
        now = w.now
        first = w.next_id(Article)
        slug = self._slugger(Article)
        # Popular shows (more credits) get more stories: Zipf over shows ranked by size.
        by_size = sorted(self.show_ids[1:], key=lambda pk: -self.show_size[pk])
        by_size.insert(min(50, len(by_size)), self.show_ids[0])
        show_cum = zipf_cumulative(len(by_size), 1.0)
        stars = self.stars
        star_cum = zipf_cumulative(len(stars), 1.0)
        kind_items, kind_cum = [k for k, _ in KINDS], list(accumulate(v for _, v in KINDS))
        n_scheduled = max(2, n // 500)
        n_drafts = max(2, n // 50)
        live = range(n_scheduled + n_drafts, n)
        marquee_stories = set(rng.sample(live, min(self.marquee_stories, len(live))))
        span = timedelta(days=3650).total_seconds()

        article_rows: list[tuple] = []
        byline_rows: list[tuple] = []
        mention_rows: list[tuple] = []
        tag_rows: list[tuple] = []
        mention_id, byline_id, tag_id = w.next_id(Mention), w.next_id(Byline), w.next_id(TaggedArticle)

        def person_link(idx: int) -> tuple[str, str]:
            return self.person_name[idx], f"/people/{self.person_slug[idx]}/"

        for i in range(n):
            pk = first + i
            kind = pick(rng, kind_items, kind_cum)
            show = pick(rng, by_size, show_cum)
            title_show = self.show_title[show]
            network = self.show_network.get(show)
            cast = [c for c in self.show_cast.get(show, []) if c[0] != 0]
            crew = [p for p in self.show_crew.get(show, []) if p != 0]
            people: list[tuple[int, str]] = cast[: rng.randint(1, 5)] if cast else []
            producers = crew[: rng.randint(0, 3)]
            hot = pick(rng, stars, star_cum) if rng.random() < 0.5 else None
            if i in marquee_stories:
                people.insert(0, (0, ""))
            # Status and time: most published in the past (denser recently), a few scheduled or drafts.
            if i < n_scheduled:
                status = "scheduled" if i % 2 else "published"
                published = now + timedelta(hours=1 + i * 7)
            elif i < n_scheduled + n_drafts:
                status, published = rng.choice((("draft", None), ("in_review", None)))
            else:
                status = "published"
                published = now - timedelta(seconds=span * (rng.random() ** 2.2) + 60)
            season = None
            if kind == "renewal":
                season = self.show_seasons.get(show, 1) + 1
                title = f"{title_show} renewed for a {ORDINALS[min(season, 12) - 1]} season"
            elif kind == "cancellation":
                title = f"{title_show} cancelled after {self.show_seasons.get(show, 1)} seasons"
            elif kind == "casting" and people:
                title = f"{self.person_name[people[0][0]]} joins {title_show}"
            elif kind == "review":
                title = f"{title_show} review: {rng.choice(['a confident return', 'uneven but watchable', 'the best season yet', 'running on fumes', 'a welcome surprise'])}"
            elif kind == "feature":
                title = f"Inside the making of {title_show}"
            else:
                title = f"{title_show}: {rng.choice(['first look', 'premiere date set', 'trailer', 'showrunner exit', 'production update', 'ratings'])}"

            text = StoryText()
            say = text.say
            mentions = text.mentions

            show_part = (title_show, ("show", show), f"/shows/{self.show_slug[show]}/", "")
            net_part = (
                (self.company_name[network], ("company", network), f"/companies/{self.company_slug[network]}/", "")
                if network else ("the platform", None, "", "")
            )
            lede: list = []
            if kind == "renewal":
                lede = [net_part, (" has renewed ", None, "", ""), show_part,
                        (f" for a {ORDINALS[min(season or 2, 12) - 1]} season, the {self.show_genre[show]} series announced this week.", None, "", "")]
            elif kind == "cancellation":
                lede = [net_part, (" has cancelled ", None, "", ""), show_part,
                        (f", ending the {self.show_genre[show]} after its current run.", None, "", "")]
            else:
                lede = [show_part, (", the ", None, "", ""), net_part,
                        (f" {self.show_genre[show]}, has news this week.", None, "", "")]
            say(lede)
            if people:
                parts: list = [("The series stars ", None, "", "")]
                for j, (idx, character) in enumerate(people):
                    name, url = person_link(idx)
                    if j:
                        parts.append((" and " if j == len(people) - 1 else ", ", None, "", ""))
                    parts.append((name, ("person", idx), url, character))
                    if character:
                        parts.append((f" as {character}", None, "", ""))
                parts.append((".", None, "", ""))
                say(parts)
            for k in rng.sample(range(len(FILLER)), 2):
                say([(FILLER[k], None, "", "")])
            if producers:
                parts = []
                for j, idx in enumerate(producers):
                    name, url = person_link(idx)
                    if j:
                        parts.append((" and " if j == len(producers) - 1 else ", ", None, "", ""))
                    parts.append((name, ("person", idx), url, ""))
                parts.append((" executive produce" + ("s" if len(producers) == 1 else "") + ".", None, "", ""))
                say(parts)
            if hot is not None and ("person", hot) not in mentions:
                name, url = person_link(hot)
                say([(name, ("person", hot), url, ""),
                     (", who was not involved in the project, praised the news on social media.", None, "", "")])
            for k in rng.sample(range(len(FILLER)), 2):
                say([(FILLER[k], None, "", "")])

            body, body_html = "".join(text.plain), "".join(text.linked)
            source = rng.choice(self.publications) if self.publications and rng.random() < 0.3 else None
            article_rows.append((
                pk, title, slug(title), f"{title_show} news from {self.company_name[network] if network else 'the industry'}.",
                body, body_html if status != "draft" else "", kind, status,
                w.dt(published) if published else None, source,
                "https://example.com/story" if source else "", show, season, f"bench:{i + 1}",
                w.dt(published or now) if status != "draft" else None,
                w.dt(published - timedelta(hours=2) if published else now),
            ))
            for order, author in enumerate({pick(rng, self.author_ids, self.author_cum) for _ in range(rng.choice((1, 1, 1, 2)))}):
                byline_rows.append((byline_id, pk, author, order))
                byline_id += 1
            if status != "draft":
                live_at = w.dt(published) if status in Article.LIVE_STATUSES and published else None
                for (what, target), (text, position, character) in mentions.items():
                    person = self.person_first + target if what == "person" else None
                    show_id = target if what == "show" else None
                    company = target if what == "company" else None
                    mention_rows.append((mention_id, pk, person, show_id, company, text, position, character, live_at))
                    mention_id += 1
            article_tags = {self.show_genre[show]}
            if kind in ("renewal", "cancellation", "casting"):
                article_tags.add({"renewal": "renewals", "cancellation": "cancellations", "casting": "casting"}[kind])
            if network:
                article_tags.add(self.company_name[network].lower())
            if rng.random() < 0.3:
                article_tags.add(rng.choice(TOPICS))
            for name in article_tags:
                tag_rows.append((tag_id, self.tag_ids[name], pk))
                tag_id += 1

        w.insert(Article, ["id", "title", "slug", "dek", "body", "body_html", "kind", "status",
                           "published_at", "source_id", "source_url", "main_show_id",
                           "season_number", "import_key", "linked_at", "created_at"], article_rows)
        w.insert(Byline, ["id", "article_id", "author_id", "order"], byline_rows)
        w.insert(Mention, ["id", "article_id", "person_id", "show_id", "company_id",
                           "matched_text", "position", "character", "story_live_at"], mention_rows)
        w.insert(TaggedArticle, ["id", "tag_id", "content_object_id"], tag_rows)


if __name__ == "__main__":
    raise SystemExit(main())
