"""Linking: a story finds the people, shows and companies of the catalog it names.

``link_article(article)`` reads the story (headline, dek, body), finds every catalog name in
it with the gazetteer (``articles.gazetteer``), decides which hits really name that entity
(``articles.matching``), reads the facts the catalog lacks (``articles.suggestions``), and then
replaces what was stored for the story with the new result, in one transaction:

- ``Mention`` rows: one per entity, how it was found, where, with the character a person
  plays. An editor's exclusions and additions are kept across every relink.
- ``Article.body_html``: the body with the first mention of each entity in it made a link,
  written into text nodes only (never inside an existing link, a tag or an attribute).
- the main show, when the editor left it empty (``main_show_inferred``), and the season a
  renewal announces; the ``Season`` row follows (hidden until the story is published).
- tags: the main show's genres and franchises, its platform, and the story's kind.
- ``Suggestion`` rows: people and credits to add, and names too ambiguous to link.

Linking runs when a story is published, from the admin after its inlines are saved, from
``relink_articles`` and after imports (``link_articles``); never on a page view. Running it
twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Company, Credit, Person, Season, Show

from .gazetteer import (
    COMPANY,
    KIND_NAMES,
    PERSON,
    SHOW,
    Gazetteer,
    get_gazetteer,
    make_ref,
    ref_kind,
    ref_pk,
)
from .matching import Analysis, Context, Entity, Span, analyse
from .models import Article, Mention, Suggestion
from .prose import Doc, build_doc, insert_links, node_for
from .suggestions import SuggestionData, ambiguous_suggestions, extract_facts, suggestions_from

KIND_TAGS = {
    Article.Kind.RENEWAL: "renewals",
    Article.Kind.CANCELLATION: "cancellations",
    Article.Kind.CASTING: "casting",
}
_URL_NAMES = {PERSON: "catalog:person_detail", SHOW: "catalog:show_detail", COMPANY: "catalog:company_detail"}


class DbCatalog:
    """The catalog as the resolver sees it, read in a handful of queries per story."""

    def entities(self, refs: set[int]) -> dict[int, Entity]:
        wanted: dict[int, set[int]] = {PERSON: set(), SHOW: set(), COMPANY: set()}
        for ref in refs:
            wanted[ref_kind(ref)].add(ref_pk(ref))
        out: dict[int, Entity] = {}
        if wanted[PERSON]:
            for pk, name, slug in Person.objects.filter(pk__in=wanted[PERSON]).values_list(
                "pk", "name", "slug"
            ):
                out[make_ref(PERSON, pk)] = Entity(make_ref(PERSON, pk), PERSON, pk, name, slug)
        if wanted[SHOW]:
            studios: dict[int, list[int]] = {}
            for show_id, company_id in Show.studios.through.objects.filter(
                show_id__in=wanted[SHOW]
            ).values_list("show_id", "company_id"):
                studios.setdefault(show_id, []).append(company_id)
            rows = Show.objects.filter(pk__in=wanted[SHOW]).values_list(
                "pk", "title", "slug", "kind", "year_start", "network_id", "spinoff_of_id"
            )
            for pk, title, slug, kind, year, network, spinoff in rows:
                out[make_ref(SHOW, pk)] = Entity(
                    make_ref(SHOW, pk), SHOW, pk, title, slug, show_kind=kind, year=year,
                    network=network, studios=tuple(studios.get(pk, ())), spinoff_of=spinoff,
                )
        if wanted[COMPANY]:
            for pk, name, slug, kind in Company.objects.filter(pk__in=wanted[COMPANY]).values_list(
                "pk", "name", "slug", "kind"
            ):
                out[make_ref(COMPANY, pk)] = Entity(
                    make_ref(COMPANY, pk), COMPANY, pk, name, slug, company_kind=kind
                )
        return out

    def credits(self, person_pks: set[int], show_pks: set[int]) -> list[tuple[int, int, str, str]]:
        return list(
            Credit.objects.filter(person_id__in=person_pks, show_id__in=show_pks).values_list(
                "person_id", "show_id", "role", "character"
            )
        )


# -- results ---------------------------------------------------------------------------------


@dataclass
class MentionResult:
    kind: str  # "person", "show" or "company"
    pk: int
    name: str
    url: str
    matched_text: str
    position: int | None
    in_body: bool
    character: str = ""
    how: str = "name"  # "name", "surname" or "editor"
    excluded: bool = False
    linked: bool = False


@dataclass
class AmbiguousName:
    text: str
    sentence: str
    candidates: list[str]


@dataclass
class LinkResult:
    """What one link run found and stored for a story."""

    article_id: int
    mentions: list[MentionResult] = field(default_factory=list)
    ambiguous: list[AmbiguousName] = field(default_factory=list)
    main_show_id: int | None = None
    main_show_inferred: bool = False
    season_number: int | None = None
    is_final_season: bool = False
    tags_added: list[str] = field(default_factory=list)
    mentions_created: int = 0
    mentions_updated: int = 0
    mentions_deleted: int = 0
    suggestions_created: int = 0
    suggestions_pending: int = 0

    @property
    def linked(self) -> list[MentionResult]:
        return [m for m in self.mentions if not m.excluded]


@dataclass
class BatchResult:
    stories: int = 0
    mentions: int = 0
    ambiguous: int = 0
    suggestions_created: int = 0
    results: list[LinkResult] = field(default_factory=list)


# -- the season a renewal announces ------------------------------------------------------------

_ORDINALS = {
    "first": 1, "second": 2, "sophomore": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_SEASON_BEFORE_RE = re.compile(
    r"\b(\d{1,3}(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + r")"
    r"((?:\s+and\s+(?:final|last))?)\s+(?:and\s+final\s+)?(?:season|series)\b",
    re.I,
)
_SEASON_AFTER_RE = re.compile(
    r"\bseason\s+(\d{1,3}|" + "|".join(_NUMBERS) + r")\b((?:\s*,?\s+(?:its|the)\s+(?:final|last))?)",
    re.I,
)
_FINAL_RE = re.compile(r"\b(?:final|last|concluding)\s+season\b", re.I)
_RENEWAL_WORDS_RE = re.compile(
    r"\b(?:renew\w*|return\w*|back|pick\w* up|order\w*|greenlit|final|last|concluding|"
    r"coming|set|confirm\w*|announc\w*)\b",
    re.I,
)


def announced_season(doc: Doc) -> tuple[int | None, bool]:
    """The season a renewal story announces, from its headline, dek and first paragraph:
    "a second season", "season 3", "third and final season"."""
    lede = doc.first_paragraph()
    scope_end = lede[1] if lede else doc.body_start
    seen: list[tuple[int, bool, bool]] = []  # number, final, in a renewal sentence
    final_anywhere = False
    for start, end in doc.sentences:
        if start >= scope_end:
            break
        sentence = doc.folded[start:min(end, scope_end)]
        renewal = bool(_RENEWAL_WORDS_RE.search(sentence))
        if _FINAL_RE.search(sentence):
            final_anywhere = True
        for m in _SEASON_BEFORE_RE.finditer(sentence):
            word = m.group(1).lower()
            number = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            seen.append((number, bool(m.group(2)) or "final" in m.group(0).lower(), renewal))
        for m in _SEASON_AFTER_RE.finditer(sentence):
            word = m.group(1).lower()
            number = _NUMBERS.get(word) or int(word)
            seen.append((number, bool(m.group(2)), renewal))
    if not seen:
        return None, final_anywhere
    pool = [s for s in seen if s[2]] or seen
    number, final, _ = max(pool, key=lambda s: s[0])
    return number, final or (final_anywhere and any(f for n, f, _ in pool if n == number))


# -- linking one story -------------------------------------------------------------------------


def entity_url(kind: int, slug: str) -> str:
    return reverse(_URL_NAMES[kind], kwargs={"slug": slug})


def analyse_article(article: Article, gazetteer: Gazetteer | None = None) -> Analysis:
    """The pure part of linking: what the story names, without writing anything."""
    gaz = gazetteer or get_gazetteer()
    doc = build_doc(article.title, article.dek, article.body)
    editor_show = None if article.main_show_inferred else article.main_show_id
    context = Context(kind=article.kind, main_show=editor_show, source=article.source_id)
    return analyse(doc, gaz, DbCatalog(), context)


def _mention_ref(m: Mention) -> int:
    if m.person_id:
        return make_ref(PERSON, m.person_id)
    if m.show_id:
        return make_ref(SHOW, m.show_id)
    return make_ref(COMPANY, m.company_id)


def _link_span(doc: Doc, spans: list[Span]) -> Span | None:
    """Where the link goes: the first mention in the body that can carry one."""
    for sp in spans:
        if doc.in_body(sp.start) and node_for(doc, sp.start, sp.end) is not None:
            return sp
    return None


@transaction.atomic
def link_article(article: Article, *, gazetteer: Gazetteer | None = None) -> LinkResult:
    """Compute the story's whole linking result, then replace the stored one with it."""
    article = Article.objects.select_for_update(of=("self",)).select_related("main_show").get(pk=article.pk)
    analysis = analyse_article(article, gazetteer)
    doc = analysis.doc
    result = LinkResult(article_id=article.pk)

    existing = {_mention_ref(m): m for m in article.mentions.select_related("person", "show", "company")}
    excluded = {ref for ref, m in existing.items() if m.excluded}

    # main show: the editor's, or the inferred one unless an editor excluded that show
    if article.main_show_id is None or article.main_show_inferred:
        inferred = analysis.main_show if analysis.main_show_inferred else None
        if inferred and make_ref(SHOW, inferred) in excluded:
            inferred = None
        article.main_show_id = inferred
        article.main_show_inferred = inferred is not None
    result.main_show_id = article.main_show_id
    result.main_show_inferred = article.main_show_inferred

    occurrences = analysis.occurrences()
    entities = dict(analysis.entities)
    for ref, m in existing.items():
        if ref not in entities:
            target = m.target
            entities[ref] = Entity(ref, ref_kind(ref), target.pk, str(target.name), target.slug)

    # every span of an entity, accepted or not, for placing editors' additions
    any_spans: dict[int, list[Span]] = {}
    for sp in analysis.spans:
        if sp.suppressed:
            continue
        for r in sp.refs:
            any_spans.setdefault(r, []).append(sp)

    wanted: dict[int, MentionResult] = {}
    links: list[tuple[int, int, str]] = []
    refs_in_order = list(occurrences)
    refs_in_order += [r for r, m in existing.items() if r not in occurrences and m.found == Mention.Found.EDITOR]
    for ref in refs_in_order:
        ent = entities[ref]
        spans = occurrences.get(ref) or any_spans.get(ref, [])
        editor = ref in existing and existing[ref].found == Mention.Found.EDITOR
        is_excluded = ref in excluded
        link_at = _link_span(doc, spans)
        first_body = next((sp for sp in spans if doc.in_body(sp.start)), None)
        where = link_at or first_body or (spans[0] if spans else None)
        character = next((sp.character for sp in spans if sp.character), "")
        url = entity_url(ent.kind, ent.slug)
        linked = link_at is not None and not is_excluded
        if linked:
            links.append((link_at.start, link_at.end, url))
        in_body = first_body is not None
        wanted[ref] = MentionResult(
            kind=KIND_NAMES[ent.kind],
            pk=ent.pk,
            name=ent.name,
            url=url,
            matched_text=doc.text[where.start : where.end] if where else "",
            position=(where.start - doc.body_start) if where and in_body else None,
            in_body=in_body,
            character=character,
            how="editor" if editor else (where.how if where else "name"),
            excluded=is_excluded,
            linked=linked,
        )
    for ref, m in existing.items():
        if ref not in wanted and m.excluded:
            ent = entities[ref]
            wanted[ref] = MentionResult(
                kind=KIND_NAMES[ent.kind], pk=ent.pk, name=ent.name, url=entity_url(ent.kind, ent.slug),
                matched_text=m.matched_text, position=m.position, in_body=m.in_body,
                character=m.character, how="name", excluded=True,
            )

    _store_mentions(article, existing, wanted, result)
    result.mentions = sorted(wanted.values(), key=lambda m: (m.position is None, m.position or 0, m.name))
    result.ambiguous = [
        AmbiguousName(a.text, a.sentence, [entities[r].label for r in a.refs if r in entities])
        for a in analysis.ambiguous
    ]

    # the season a renewal announces
    if article.kind == Article.Kind.RENEWAL:
        number, final = announced_season(doc)
        if article.season_number is None and number:
            article.season_number = number
        if final and number and article.season_number == number:
            article.is_final_season = True
    result.season_number = article.season_number
    result.is_final_season = article.is_final_season

    article.body_html = insert_links(doc, links)
    article.linked_at = timezone.now()
    article.save(
        update_fields=[
            "body_html", "main_show", "main_show_inferred", "season_number",
            "is_final_season", "linked_at",
        ]
    )
    _follow_announcement(article)
    result.tags_added = _apply_tags(article)

    analysis.main_show = article.main_show_id
    facts = extract_facts(analysis)
    data = suggestions_from(analysis, facts) + ambiguous_suggestions(analysis)
    _store_suggestions(article, data, result)
    return result


def _store_mentions(
    article: Article, existing: dict[int, Mention], wanted: dict[int, MentionResult], result: LinkResult
) -> None:
    to_create, to_update = [], []
    for ref, found in wanted.items():
        m = existing.get(ref)
        fields = {
            "matched_text": found.matched_text[:300],
            "position": found.position,
            "character": found.character[:255],
            "in_body": found.in_body,
        }
        if m is None:
            kind = ref_kind(ref)
            to_create.append(
                Mention(
                    article=article,
                    person_id=ref_pk(ref) if kind == PERSON else None,
                    show_id=ref_pk(ref) if kind == SHOW else None,
                    company_id=ref_pk(ref) if kind == COMPANY else None,
                    found=Mention.Found.AUTOMATIC,
                    story_live_at=article.live_at,  # bulk_create skips Mention.save()
                    **fields,
                )
            )
            continue
        if m.excluded and not found.matched_text:
            continue
        if m.found == Mention.Found.EDITOR and not found.matched_text:
            fields = {"position": None, "matched_text": m.matched_text, "character": m.character,
                      "in_body": m.in_body}
        if m.found == Mention.Found.EDITOR and not fields["character"]:
            fields["character"] = m.character
        changed = [k for k, v in fields.items() if getattr(m, k) != v]
        if changed:
            for k in changed:
                setattr(m, k, fields[k])
            to_update.append(m)
    stale = [
        m.pk for ref, m in existing.items()
        if ref not in wanted and m.found == Mention.Found.AUTOMATIC and not m.excluded
    ]
    if stale:
        Mention.objects.filter(pk__in=stale).delete()
    if to_create:
        Mention.objects.bulk_create(to_create)
    if to_update:
        Mention.objects.bulk_update(to_update, ["matched_text", "position", "character", "in_body"])
    result.mentions_created = len(to_create)
    result.mentions_updated = len(to_update)
    result.mentions_deleted = len(stale)


def _store_suggestions(article: Article, data: list[SuggestionData], result: LinkResult) -> None:
    """Pending suggestions are replaced; accepted and rejected ones are decisions, kept."""
    existing = {
        (s.kind, s.person_name, s.show_id, s.role, s.character): s
        for s in Suggestion.objects.filter(article=article)
    }
    wanted = {d.key: d for d in data}
    stale = [
        s.pk for key, s in existing.items()
        if s.status == Suggestion.Status.PENDING and key not in wanted
    ]
    if stale:
        Suggestion.objects.filter(pk__in=stale).delete()
    created = 0
    for key, d in wanted.items():
        s = existing.get(key)
        if s is None:
            Suggestion.objects.create(
                article=article, kind=d.kind, person_name=d.person_name[:200],
                person_id=d.person, show_id=d.show, role=d.role, character=d.character[:255],
                known_for=list(d.known_for), evidence=d.evidence,
            )
            created += 1
        elif s.status == Suggestion.Status.PENDING and (
            s.evidence != d.evidence or s.known_for != list(d.known_for) or s.person_id != d.person
        ):
            s.evidence, s.known_for, s.person_id = d.evidence, list(d.known_for), d.person
            s.save(update_fields=["evidence", "known_for", "person"])
    result.suggestions_created = created
    result.suggestions_pending = Suggestion.objects.filter(
        article=article, status=Suggestion.Status.PENDING
    ).count()


def _follow_announcement(article: Article) -> None:
    """A renewal story's season gets its Season row, announced by the story.

    The row is written now but shown only once the story is published
    (``Season.objects.visible()``), so a story scheduled for later reveals nothing early. A
    locked show is left as the editor set it; a season the catalog already knew is kept.
    """
    Season.objects.filter(announced_by=article).exclude(
        show_id=article.main_show_id, number=article.season_number or 0
    ).filter(premiere_date__isnull=True, episode_count__isnull=True).delete()
    Season.objects.filter(announced_by=article).exclude(
        show_id=article.main_show_id, number=article.season_number or 0
    ).update(announced_by=None)
    if article.kind != Article.Kind.RENEWAL or not article.main_show_id or not article.season_number:
        return
    show = article.main_show
    if show is None or show.status_locked:
        return
    season = Season.objects.filter(show=show, number=article.season_number).select_related(
        "announced_by"
    ).first()
    if season is None:
        Season.objects.create(
            show=show, number=article.season_number, is_final=article.is_final_season,
            announced_by=article,
        )
        return
    current = season.announced_by
    if current is None or current.pk == article.pk:
        if current is not None and season.is_final != article.is_final_season:
            season.is_final = article.is_final_season
            season.save(update_fields=["is_final"])
        return
    earlier = (
        current.status not in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
        or (article.published_at and current.published_at and article.published_at < current.published_at)
    )
    if earlier:
        season.announced_by = article
        season.is_final = article.is_final_season
        season.save(update_fields=["announced_by", "is_final"])


def automatic_tags(article: Article) -> list:
    """The tags publishing gives a story: its main show's genres and franchises, the show's
    platform, and a tag for its kind. Returns taggit Tag objects or names."""
    tags: list = []
    show = article.main_show
    if show is not None:
        tags.extend(show.tags.all())
        if show.network_id:
            tags.append(show.network.name)
    kind_tag = KIND_TAGS.get(article.kind)
    if kind_tag:
        tags.append(kind_tag)
    return tags


def _tag_name(tag) -> str:
    return tag if isinstance(tag, str) else tag.name


def _apply_tags(article: Article) -> list[str]:
    removed = {slugify(t) for t in article.removed_tags or []}
    present = {slugify(t.name) for t in article.tags.all()}
    add = []
    for tag in automatic_tags(article):
        slug = slugify(_tag_name(tag))
        if slug in removed or slug in present:
            continue
        present.add(slug)
        add.append(tag)
    if add:
        article.tags.add(*add)
    return [_tag_name(t) for t in add]


def link_articles(
    articles: Iterable[Article],
    *,
    on_progress: Callable[[Article, LinkResult], None] | None = None,
    keep_results: bool = False,
) -> BatchResult:
    """Link many stories with one gazetteer: the batch entry point for imports and relinks.

    Importers call it once, at the end of an import, with the stories they wrote (after
    their catalog writes and ``bump_catalog_version()``). Each story is linked in its own
    transaction, so a long batch never holds one lock for long; ``on_progress`` is called
    after each story (progress bars, logs); ``keep_results`` keeps every ``LinkResult``.
    """
    batch = BatchResult()
    gaz = get_gazetteer()
    for article in articles:
        result = link_article(article, gazetteer=gaz)
        batch.stories += 1
        batch.mentions += len(result.linked)
        batch.ambiguous += len(result.ambiguous)
        batch.suggestions_created += result.suggestions_created
        if keep_results:
            batch.results.append(result)
        if on_progress is not None:
            on_progress(article, result)
    return batch
