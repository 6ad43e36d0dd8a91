"""Deciding what a story names: from gazetteer hits to resolved, accepted mentions.

A gazetteer hit is only a candidate. This module applies the rules trade-press prose needs:

1. Names are matched as names: whole words, case as the catalog writes it (a capital letter
   that only opens a sentence or sits in a Title Case headline is allowed but proves nothing),
   accents and curly apostrophes folded, possessives and a title's own final period kept out
   of the way. The longest hit wins.
2. Characters are not people or shows: in "Detective Renée Ballard (Maggie Q)" the name before
   the parenthesis is a character played by the person inside it; a show name inside a
   character's name ("Harry Bosch") is not the show.
3. Where capitalisation proves nothing (sentence start, Title Case headline, a lowercase
   catalog name) a hit stands only with other evidence: the same entity named elsewhere, a
   verb that reports, renews or casts right after it, or a relation to the story's other
   names (credits, platform, studio, spinoff, main show).
4. Same-named entries are told apart by the story's other mentions, the credits of the people
   it names, the platform, a year or "film"/"series" nearby; what stays ambiguous is not
   linked and is reported.
5. A surname alone refers to the one person named in full before it (headline and dek
   count); first names alone never do.
6. The main show of a renewal, cancellation or casting story is inferred from the headline,
   dek and first paragraph when no editor set it.

Everything here works on a ``Doc`` and a ``CatalogView`` (names, credits, platforms), so the
same code runs against the database and against in-memory catalogs in the benchmark.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from .gazetteer import COMPANY, PERSON, SHOW, Gazetteer, make_ref, ref_kind, ref_pk
from .prose import CALENDAR_WORDS, SMALL_WORDS, Doc, Token

# -- what the resolver needs to know about catalog entries ------------------------------------


@dataclass(slots=True)
class Entity:
    ref: int
    kind: int
    pk: int
    name: str
    slug: str = ""
    show_kind: str = ""
    year: int | None = None
    network: int | None = None  # company pk
    studios: tuple[int, ...] = ()
    spinoff_of: int | None = None  # show pk
    company_kind: str = ""

    @property
    def label(self) -> str:
        if self.kind == SHOW:
            bits = [b for b in (self.show_kind, str(self.year) if self.year else "") if b]
            return f"{self.name} ({', '.join(bits)})" if bits else self.name
        if self.kind == COMPANY and self.company_kind:
            return f"{self.name} ({self.company_kind})"
        return self.name


class CatalogView(Protocol):
    def entities(self, refs: set[int]) -> dict[int, Entity]: ...

    def credits(self, person_pks: set[int], show_pks: set[int]) -> list[tuple[int, int, str, str]]:
        """(person pk, show pk, role, character) for credits joining the given people and shows."""
        ...


@dataclass(slots=True)
class Context:
    """What the story's metadata says, beside its text."""

    kind: str = "news"
    main_show: int | None = None  # pk set by an editor
    source: int | None = None  # company pk


# -- the analysis ----------------------------------------------------------------------------


@dataclass(slots=True)
class Span:
    s: int  # first token
    e: int  # last token + 1
    start: int  # offset in doc.text
    end: int
    refs: list[int]
    exact: bool = True
    strong: bool = False
    suppressed: str = ""  # why this hit is not a mention ("character", "name-part", …)
    structural: str = ""  # "known_for" (a title beside a person), "actor", "head"
    owner: Span | None = None  # for a known-for title: the person it is listed beside
    ref: int | None = None  # resolved entity
    ambiguous: bool = False
    accepted: bool = False
    how: str = "name"  # "name" or "surname"
    character: str = ""
    cue: bool = False

    @property
    def words(self) -> int:
        return self.e - self.s


@dataclass(slots=True)
class Paren:
    """A parenthesis after a name: "(Nikita, Designated Survivor)" or "(Maggie Q)"."""

    open: int
    close: int
    head_start: int
    head_end: int
    head_text: str  # the name before it, rank words removed
    items: list[tuple[int, int, str]]
    kind: str = "other"  # "character", "known_for", "year"
    rank: str = ""


@dataclass
class Ambiguity:
    text: str
    start: int
    sentence: str
    refs: list[int]


@dataclass
class Analysis:
    doc: Doc
    spans: list[Span]
    parens: list[Paren]
    entities: dict[int, Entity]
    credits: set[tuple[int, int]]
    credit_rows: list[tuple[int, int, str, str]]
    ambiguous: list[Ambiguity]
    main_show: int | None  # pk
    main_show_inferred: bool
    runs: list[tuple[int, int]] = field(default_factory=list)

    def accepted(self) -> list[Span]:
        return [sp for sp in self.spans if sp.accepted and sp.ref is not None]

    def occurrences(self) -> dict[int, list[Span]]:
        found: dict[int, list[Span]] = defaultdict(list)
        for sp in self.accepted():
            found[sp.ref].append(sp)
        return found

    def span_covering(self, start: int, end: int) -> Span | None:
        """The accepted span that is exactly this range of text, if any."""
        for sp in self.spans:
            if sp.accepted and sp.start == start and sp.end == end:
                return sp
        return None


# -- regular expressions for prose ------------------------------------------------------------

_L = "a-zßæœðþ"
_WORD = rf"[A-Z][{_L}]*(?:[A-Z][{_L}]+)*(?:'[A-Z][{_L}]+|-[A-Z]?[{_L}]+)*"
_PART = rf"(?<![\w'\-.])(?:[A-Z]\.(?:[A-Z]\.)*|[A-Z]{{2,}}(?![{_L}])|{_WORD})(?!\w)"
_PARTICLE = r"(?:de|del|della|der|den|di|da|dos|das|du|la|le|van|von|bin|ibn|al|ter|ten|zu|y)"
NAME_RUN_RE = re.compile(
    rf"{_PART}(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+){{0,2}}{_PART}){{0,5}}"
    rf"(?:,?[ \u00a0]+(?:Jr\.|Sr\.|II|III|IV)(?!\w))?"
)

RANK_WORDS = frozenset(
    ["detective", "det", "officer", "sergeant", "sgt", "lieutenant", "lt", "captain", "capt", "chief", "deputy", "agent", "inspector", "commander", "colonel", "col", "general", "gen", "private", "corporal", "dr", "doctor", "professor", "prof", "judge", "sheriff", "marshal", "nurse", "father", "sister", "brother", "mother", "mayor", "president", "senator", "governor", "king", "queen", "prince", "princess", "lord", "lady", "sir", "dame", "mr", "mrs", "ms", "miss", "uncle", "aunt", "coach", "reverend", "rev", "pastor", "principal", "counselor", "ranger", "trooper", "constable", "dean"]
)
# Capitalised words that open sentences or name things other than people; a name run that
# starts with one of them is not a name ("The Bosch", "Watch Bosch").
FUNCTION_WORDS = SMALL_WORDS | frozenset(
    ["after", "also", "although", "before", "both", "but", "despite", "during", "each", "every", "here", "however", "if", "like", "meanwhile", "more", "most", "now", "once", "only", "over", "since", "some", "still", "such", "that", "their", "then", "there", "these", "this", "those", "though", "thus", "unlike", "until", "what", "when", "where", "whether", "which", "while", "who", "why", "yet", "his", "her", "its", "our", "your", "my", "we", "they", "he", "she", "you", "i"]
)
NOT_NAME_WORDS = FUNCTION_WORDS | CALENDAR_WORDS | frozenset(
    ["season", "seasons", "series", "episode", "episodes", "part", "chapter", "volume", "studios", "studio", "entertainment", "television", "tv", "network", "networks", "media", "pictures", "productions", "production", "films", "film", "group", "inc", "llc", "ltd", "company", "co", "corp", "commission", "department", "university", "academy", "awards", "award", "festival", "news", "channel", "plus", "originals", "original", "head", "chief", "executive", "officer", "president", "vice", "chairman", "chair", "director", "producer", "showrunner", "creator", "star", "stars", "cast", "crew", "global", "national", "international", "american", "british", "united", "states", "north", "south", "east", "west", "new", "old", "top", "best", "emmy", "emmys", "oscar", "oscars", "golden", "globe", "globes", "guild"]
)
RANK_OR_FUNCTION_WORDS = RANK_WORDS | FUNCTION_WORDS
RANK_OR_NOT_NAME_WORDS = RANK_WORDS | NOT_NAME_WORDS

_VERB_CUE_RE = re.compile(
    r"(?:'s?)?\s*(?:(?:has|have|had|is|are|was|were|will|would|also|officially|reportedly|"
    r"just|now|been|be|being|first|recently|quietly|already)\s+){0,3}"
    r"(?:reports?|reported|reporting|said|says|announced|announces|confirmed|confirms|ordered|"
    r"orders|renewed|renews|renewing|cancell?ed|cancels|cancell?ing|picked|greenlit|greenlights|"
    r"revealed|reveals|released|releases|stars|starred|joins|joined|returns|returned|"
    r"returning|premieres?|premiered|debuts?|debuted|ending|ends|ended|axed|axes|told|notes|"
    r"noted|acquired|acquires|landed|lands|casts|tapped|taps|sets|secured|secures|won|wins|"
    r"scored|scores|hired|hires|signed|signs|launched|launches|streams|streamed|airs|aired|"
    r"wraps|wrapped|gets|got|nabs|books|adds|added|revived|revives|concludes|concluded)\b",
    re.I,
)
_RENEWAL_CUE_RE = re.compile(
    r"(?:'s?)?\s*(?:(?:has|have|had|is|are|was|were|will|would|also|officially|reportedly|"
    r"just|now|been|be|being|to)\s+){0,3}"
    r"(?:renewed|renews|renewing|renewal|cancell?ed|cancels|cancell?ation|axed|axes|ending|"
    r"ends|end|ended|concludes|concluding|wraps|picked up|gets|scores|lands|returns|returning|"
    r"revived|back|season|final)\b",
    re.I,
)
_DERIVED_RE = re.compile(
    r"(?:'s?)?\s*(?:spin-?offs?|spinoff|franchise|universe|prequel|sequel|offshoot|follow-up|"
    r"reboot|creator|creators|star|stars|alum|alums|veteran|actor|actress|author)\b",
    re.I,
)
_FILM_WORDS = frozenset(["film", "films", "movie", "movies", "feature", "picture"])
_SERIES_WORDS = frozenset(
    ["series", "show", "shows", "season", "seasons", "sitcom", "drama", "comedy", "docuseries", "miniseries", "episode", "episodes"]
)
_PERSON_CUE_WORDS = frozenset(
    ["starring", "stars", "star", "actor", "actress", "actors", "director", "writer", "producer", "showrunner", "creator", "author", "novelist", "host", "co-star", "costar", "with", "by"]
)
_YEAR_RE = re.compile(r"^(?:18|19|20)\d\d$")


@dataclass(slots=True)
class _Evidence:
    people: set[int]
    shows: set[int]  # the main show included
    companies: set[int]  # the source included
    shows_of_people: set[int]  # shows the confident people are credited on
    people_of_shows: set[int]  # people credited on the confident shows
    parents: set[int]  # shows the confident shows spin off from
    platforms: set[int]  # networks and studios of the confident shows


# -- the resolver -----------------------------------------------------------------------------


class Resolver:
    def __init__(self, doc: Doc, gaz: Gazetteer, catalog: CatalogView, context: Context) -> None:
        self.doc = doc
        self.gaz = gaz
        self.catalog = catalog
        self.context = context
        self.tokens: list[Token] = doc.tokens
        self.spans: list[Span] = []
        self.parens: list[Paren] = []
        self.entities: dict[int, Entity] = {}
        self.credits: set[tuple[int, int]] = set()
        self.credit_rows: list[tuple[int, int, str, str]] = []
        self.ambiguous: list[Ambiguity] = []
        self.main_show: int | None = context.main_show
        self.main_show_inferred = False
        self.runs = [(m.start(), m.end()) for m in NAME_RUN_RE.finditer(doc.folded)]
        self._run_by_end = {e: s for s, e in self.runs}
        self._informative_caps: frozenset[str] | None = None
        self._strong_cache: tuple[set[int], set[int], set[int]] | None = None
        self._evidence_cache: _Evidence | None = None

    # 1. gazetteer hits ------------------------------------------------------------------
    def find_hits(self) -> list[Span]:
        tokens = self.tokens
        code = self.gaz.code
        codes = "".join([code(t.low) for t in tokens])  # "\n" codes to no word
        by_range: dict[tuple[int, int], Span] = {}
        for s, e, key in self.gaz.matches(codes):
            start, end = tokens[s].start, tokens[e - 1].end
            if not self._boundary_ok(start, end):
                continue
            window = tokens[s:e]
            for ref, surface in self.gaz.entries(key):
                verdict = _case_verdict(window, surface)
                if verdict is None:
                    continue
                span = by_range.get((s, e))
                if span is None:
                    span = by_range[(s, e)] = Span(s, e, start, end, [], exact=verdict)
                elif verdict and not span.exact:
                    span.refs.clear()
                    span.exact = True
                elif span.exact and not verdict:
                    continue
                if ref not in span.refs:
                    span.refs.append(ref)
        return list(by_range.values())

    def _boundary_ok(self, start: int, end: int) -> bool:
        """Not part of a longer word: "Smith-Jones", "O'Brien", "Bosch-like" are other words."""
        text = self.doc.folded
        if start >= 2 and text[start - 1] in "-'." and text[start - 2].isalnum():
            return False
        if end < len(text):
            after = text[end]
            nxt = text[end + 1 : end + 3]
            if after in "-." and nxt[:1].isalnum():
                return False
            if after == "'" and nxt[:1].isalnum() and not (nxt[:1] in "sS" and not nxt[1:2].isalnum()):
                return False
        return True

    # 2. longest match ---------------------------------------------------------------------
    @staticmethod
    def select_longest(hits: list[Span], count: int) -> list[Span]:
        taken = bytearray(count)
        chosen = []
        for sp in sorted(hits, key=lambda h: (-h.words, h.s)):
            if any(taken[sp.s : sp.e]):
                continue
            taken[sp.s : sp.e] = b"\x01" * sp.words
            chosen.append(sp)
        chosen.sort(key=lambda h: h.s)
        return chosen

    # 3. parentheses: characters, known-for titles, years --------------------------------
    def find_parens(self) -> None:
        text = self.doc.text
        folded = self.doc.folded
        for m in re.finditer(r"\(([^()\n]{1,300})\)", folded):
            open_, close = m.start(), m.end() - 1
            head = self._head_before(open_)
            if head is None:
                continue
            h_start, h_end, rank = head
            items = []
            pos = open_ + 1
            for piece in re.split(r"[,;]", folded[open_ + 1 : close]):
                lead = len(piece) - len(piece.lstrip())
                stripped = piece.strip()
                if stripped.lower().startswith("and "):
                    lead += 4
                    stripped = stripped[4:].strip()
                if stripped:
                    s = pos + lead
                    items.append((s, s + len(stripped), text[s : s + len(stripped)]))
                pos += len(piece) + 1
            if not items:
                continue
            self.parens.append(
                Paren(open_, close, h_start, h_end, text[h_start:h_end], items, rank=rank)
            )

    def _head_before(self, open_: int) -> tuple[int, int, str] | None:
        """The name right before "(": a name run, or a catalog hit such as "Bosch: Legacy"."""
        folded = self.doc.folded
        end = open_
        while end > 0 and folded[end - 1] in " \u00a0":
            end -= 1
        start = self._run_by_end.get(end)
        for sp in self.spans:
            if sp.end == end and (start is None or sp.start < start):
                start = sp.start
        if start is None:
            return None
        words = folded[start:end].split()
        rank = ""
        offset = start
        while len(words) > 1 and words[0].rstrip(".").lower() in RANK_OR_FUNCTION_WORDS:
            if words[0].rstrip(".").lower() in RANK_WORDS:
                rank = (rank + " " + words[0]).strip()
            offset = folded.index(words[1], offset + len(words[0]))
            words = words[1:]
        if words and words[0].rstrip(".").lower() in RANK_WORDS and len(words) == 1:
            return None
        return offset, end, rank

    def _spans_within(self, start: int, end: int) -> list[Span]:
        return [sp for sp in self.spans if start <= sp.start and sp.end <= end]

    def _exact_span(self, start: int, end: int) -> Span | None:
        for sp in self.spans:
            if sp.start == start and sp.end == end and not sp.suppressed:
                return sp
        return None

    def classify_parens(self) -> None:
        for p in self.parens:
            first_s, first_e, first_text = p.items[0]
            if len(p.items) == 1 and _YEAR_RE.match(first_text.strip()):
                p.kind = "year"
                continue
            head_span = self._exact_span(p.head_start, p.head_end)
            head_is_person = head_span is not None and any(
                ref_kind(r) == PERSON for r in head_span.refs
            )
            first_span = self._exact_span(first_s, first_e)
            first_is_person = (
                first_span is not None and any(ref_kind(r) == PERSON for r in first_span.refs)
            ) or (first_span is None and self.looks_like_person(first_s, first_e))
            first_is_title = first_span is not None and any(
                ref_kind(r) == SHOW for r in first_span.refs
            )
            if head_is_person:
                p.kind = "known_for"
            elif first_is_person and not first_is_title and self._character_head(p, head_span, first_span):
                p.kind = "character"
            elif self.looks_like_person(p.head_start, p.head_end) and head_span is None:
                p.kind = "known_for"
            else:
                continue
            if p.kind == "character":
                for sp in self._spans_within(p.head_start, p.head_end):
                    sp.suppressed = "character"
                if first_span is not None:
                    first_span.structural = "actor"
                    first_span.refs = [r for r in first_span.refs if ref_kind(r) == PERSON]
                    first_span.character = p.head_text
                titles = p.items[1:]
                owner = first_span
            else:
                if head_span is not None:
                    head_span.structural = "head"
                    head_span.refs = [r for r in head_span.refs if ref_kind(r) == PERSON] or head_span.refs
                titles = p.items
                owner = head_span
            for s, e, _ in titles:
                for sp in self._spans_within(s, e):
                    if any(ref_kind(r) == SHOW for r in sp.refs):
                        sp.refs = [r for r in sp.refs if ref_kind(r) == SHOW]
                    sp.structural = "known_for"
                    sp.owner = owner

    def _character_head(self, p: Paren, head_span: Span | None, first_span: Span | None) -> bool:
        """Is the name before "(Actor)" a character? A rank word says so ("Detective …"), a
        catalogued actor inside says so unless the name before is itself a catalog entry, and
        a catalog title inside the name ("Harry Bosch") says it is not a person's own name."""
        if p.rank:
            return True
        if head_span is not None and head_span.start == p.head_start:
            return False
        if first_span is not None:
            return True
        return any(
            any(ref_kind(r) == SHOW for r in sp.refs)
            for sp in self._spans_within(p.head_start, p.head_end)
        )

    def looks_like_person(self, start: int, end: int) -> bool:
        """Two to six capitalised words shaped like a name, none of them a title-ish word,
        and not exactly a catalog title or company."""
        segment = self.doc.folded[start:end]
        if not NAME_RUN_RE.fullmatch(segment):
            return False
        words = segment.replace(",", " ").split()
        caps = [w for w in words if w[:1].isupper()]
        if len(caps) < 2 or len(words) > 6:
            return False
        if any(w.rstrip(".").lower() in NOT_NAME_WORDS for w in caps):
            return False
        if all(w.isupper() and len(w) > 1 for w in caps):
            return False
        exact = self._exact_span(start, end)
        return exact is None or all(ref_kind(r) == PERSON for r in exact.refs)

    # 4. a catalog name that is only part of a longer proper name ------------------------
    def suppress_name_parts(self) -> None:
        """ "Harry Bosch" is not the show Bosch: a capitalised word glued on its left that is
        neither a catalog name nor a common word makes the hit part of another name."""
        folded = self.doc.folded
        tokens = self.tokens
        for sp in self.spans:
            if sp.suppressed or sp.s == 0 or tokens[sp.s].title_case:
                continue
            if any(ref_kind(r) == COMPANY for r in sp.refs):
                continue  # "Amazon Prime Video": owners prefix their companies' names
            if all(ref_kind(r) == PERSON for r in sp.refs) and sp.words > 1:
                continue
            prev = tokens[sp.s - 1]
            if not prev.is_word or folded[prev.end : sp.start] != " ":
                continue
            if not prev.text[:1].isupper() or prev.low in NOT_NAME_WORDS:
                continue
            if any(o is not sp and o.s <= sp.s - 1 < o.e and not o.suppressed for o in self.spans):
                continue
            if prev.low in RANK_WORDS:
                sp.suppressed = "character"
                continue
            if prev.initial and prev.low in self.doc.lowercase_words:
                continue
            if len(prev.text) == 1:
                continue
            sp.suppressed = "name-part"

    # 5. strength ------------------------------------------------------------------------
    def mark_strength(self) -> None:
        folded = self.doc.folded
        for sp in self.spans:
            sp.strong = self._is_strong(sp)
            sp.cue = bool(_VERB_CUE_RE.match(folded, sp.end))

    def _is_strong(self, sp: Span) -> bool:
        if sp.structural:
            return True
        if self.doc.is_quoted(sp.start, sp.end) or self.doc.is_emphasised(sp.start, sp.end):
            return True
        if not sp.exact:
            return False
        window = self.tokens[sp.s : sp.e]
        word_count = sum(1 for t in window if t.is_word)
        for t in window:
            if not t.is_word:
                continue
            if len(t.text) > 1 and t.text.isalpha() and any(c.isupper() for c in t.text[1:]):
                return True  # "HBO", "McDonald", "iCarly": capitals no position explains
            if not t.text[0].isupper() or t.uninformative:
                continue
            if len(t.text) == 1 and word_count < 2:
                continue
            if t.low in CALENDAR_WORDS and word_count == 1:
                continue
            return True
        return False

    # 6. load what the catalog knows about every candidate ---------------------------------
    def load(self) -> None:
        refs = {r for sp in self.spans for r in sp.refs}
        if self.context.main_show:
            refs.add(make_ref(SHOW, self.context.main_show))
        if self.context.source:
            refs.add(make_ref(COMPANY, self.context.source))
        self.entities = self.catalog.entities(refs) if refs else {}
        for sp in self.spans:
            sp.refs = [r for r in sp.refs if r in self.entities]
        people = {e.pk for e in self.entities.values() if e.kind == PERSON}
        shows = {e.pk for e in self.entities.values() if e.kind == SHOW}
        self.credit_rows = self.catalog.credits(people, shows) if people and shows else []
        self.credits = {(p, s) for p, s, _, _ in self.credit_rows}

    # 7. same names ----------------------------------------------------------------------
    def live_spans(self) -> list[Span]:
        return [sp for sp in self.spans if not sp.suppressed and sp.refs]

    def resolve(self) -> None:
        for sp in self.live_spans():
            if len(sp.refs) == 1:
                sp.ref = sp.refs[0]
        self._forget()
        for _ in range(3):
            changed = False
            for sp in self.live_spans():
                if sp.ref is not None or len(sp.refs) < 2:
                    continue
                scores = {r: self._score(sp, r) for r in sp.refs}
                best = max(scores.values())
                winners = [r for r, v in scores.items() if v == best]
                if best > 0 and len(winners) == 1:
                    sp.ref = winners[0]
                    sp.ambiguous = False
                    changed = True
                    self._forget()
                else:
                    sp.ambiguous = True
            if not changed:
                break

    def _strong_sets(self) -> tuple[set[int], set[int], set[int]]:
        """People, shows and companies resolved with confidence so far (strong or
        accepted), computed once until a span changes (``_forget``)."""
        if self._strong_cache is None:
            sets: tuple[set[int], set[int], set[int]] = (set(), set(), set())
            for sp in self.spans:
                if sp.ref is not None and not sp.suppressed and (sp.strong or sp.accepted):
                    sets[sp.ref & 3].add(sp.ref >> 2)
            self._strong_cache = sets
        return self._strong_cache

    def _forget(self) -> None:
        self._strong_cache = None
        self._evidence_cache = None

    def _evidence(self) -> _Evidence:
        """What the confident names say, as sets a candidate is tested against in O(1):
        computed once until a span changes, so scoring stays linear in the candidates."""
        if self._evidence_cache is None:
            people, shows, companies = self._strong_sets()
            shows = shows | {self.main_show} if self.main_show else set(shows)
            companies = companies | {self.context.source} if self.context.source else set(companies)
            related = [e for e in (self.entities.get(_show_ref(pk)) for pk in shows) if e]
            self._evidence_cache = _Evidence(
                people=people,
                shows=shows,
                companies=companies,
                shows_of_people={s for p, s in self.credits if p in people},
                people_of_shows={p for p, s in self.credits if s in shows},
                parents={e.spinoff_of for e in related if e.spinoff_of},
                platforms={e.network for e in related if e.network}
                | {c for e in related for c in e.studios},
            )
        return self._evidence_cache

    def _score(self, sp: Span, ref: int) -> int:
        ent = self.entities[ref]
        kind = ent.kind
        ev = self._evidence()
        score = 0
        before = {t.low for t in self.tokens[max(0, sp.s - 4) : sp.s]}
        if kind == SHOW:
            if ent.pk == self.main_show:
                score += 5
            if (
                sp.owner is not None
                and sp.owner.ref is not None
                and (ref_pk(sp.owner.ref), ent.pk) in self.credits
            ):
                score += 4
            if ent.pk in ev.shows_of_people:
                score += 3
            if (ent.network and ent.network in ev.companies) or ev.companies.intersection(ent.studios):
                score += 2
            if (ent.spinoff_of and ent.spinoff_of in ev.shows) or ent.pk in ev.parents:
                score += 2
            if before & _FILM_WORDS and ent.show_kind == "film":
                score += 2
            if before & _SERIES_WORDS and ent.show_kind in ("series", "miniseries"):
                score += 2
            year = self._year_near(sp)
            if year and ent.year == year:
                score += 3
            if sp.structural == "known_for":
                score += 1
        elif kind == PERSON:
            if ent.pk in ev.people_of_shows:
                score += 3
            if before & _PERSON_CUE_WORDS or sp.structural in ("head", "actor"):
                score += 1
        else:
            if ent.pk == self.context.source:
                score += 3
            if ent.pk in ev.platforms:
                score += 3
        return score

    def _year_near(self, sp: Span) -> int | None:
        for t in self.tokens[max(0, sp.s - 3) : sp.s]:
            if _YEAR_RE.match(t.text):
                return int(t.text)
        for p in self.parens:
            if p.kind == "year" and p.head_end == sp.end:
                return int(p.items[0][2].strip())
        return None

    # 8. weak hits need evidence ---------------------------------------------------------
    def accept(self) -> None:
        self._forget()
        for _ in range(3):
            changed = False
            strong_refs = {sp.ref for sp in self.live_spans() if sp.ref is not None and sp.strong}
            for sp in self.live_spans():
                if sp.ref is None or sp.accepted:
                    continue
                if sp.strong or sp.ref in strong_refs or self._corroborated(sp):
                    sp.accepted = True
                    changed = True
                    self._forget()
            if not changed:
                break

    def _corroborated(self, sp: Span) -> bool:
        ent = self.entities[sp.ref]
        if sp.cue and self.tokens[sp.s].is_capitalised:
            return True
        if self._proper_elsewhere(sp):
            return True
        _people, shows, companies = self._strong_sets()
        ev = self._evidence()
        if ent.kind == SHOW:
            if ent.pk == self.main_show or ent.pk in ev.shows_of_people:
                return True
            if (ent.network and ent.network in companies) or companies.intersection(ent.studios):
                return True
            return bool(ent.spinoff_of and ent.spinoff_of in shows)
        if ent.kind == PERSON:
            return sp.words > 1 and ent.pk in ev.people_of_shows
        return ent.pk in ev.platforms

    def _proper_elsewhere(self, sp: Span) -> bool:
        """The story itself treats the words as a proper name: each is capitalised somewhere
        no position explains ("Harry Bosch" before "Bosch ran …") and never written in
        lowercase ("insecure about …" would make "Insecure" a common word)."""
        words = [t for t in self.tokens[sp.s : sp.e] if t.is_word and t.low not in SMALL_WORDS]
        if not words or not all(t.is_capitalised for t in words):
            return False
        if self._informative_caps is None:
            self._informative_caps = frozenset(
                t.low for t in self.tokens if t.is_word and t.is_capitalised and not t.uninformative
            )
        return all(
            t.low in self._informative_caps and t.low not in self.doc.lowercase_words for t in words
        )

    # 9. main show -----------------------------------------------------------------------
    def infer_main_show(self) -> None:
        if self.context.main_show or self.context.kind not in ("renewal", "cancellation", "casting"):
            return
        doc = self.doc
        folded = doc.folded
        lede = doc.first_paragraph()
        lede_end = lede[1] if lede else doc.body_start
        scores: dict[int, int] = defaultdict(int)
        derived: set[int] = set()
        for sp in self.spans:
            if sp.suppressed or sp.ref is None or ref_kind(sp.ref) != SHOW:
                continue
            if sp.start >= lede_end or sp.structural == "known_for":
                continue
            pk = ref_pk(sp.ref)
            cue = bool(_RENEWAL_CUE_RE.match(folded, sp.end))
            if not (sp.accepted or (cue and doc.segment_of(sp.start).name == "title")):
                continue
            if _DERIVED_RE.match(folded, sp.end):
                derived.add(pk)
                continue
            segment = doc.segment_of(sp.start).name
            weight = {"title": 4, "dek": 2}.get(segment, 2)
            scores[pk] += weight + (2 if cue else 0)
        for pk in list(scores):
            ent = self.entities.get(_show_ref(pk))
            if ent and ent.spinoff_of in derived:
                scores[pk] += 2
        if not scores:
            return
        best = max(scores.values())
        winners = [pk for pk, v in scores.items() if v == best]
        if len(winners) == 1:
            self.main_show = winners[0]
            self.main_show_inferred = True

    # 10. surnames -----------------------------------------------------------------------
    def second_references(self) -> None:
        """A lone surname refers to the one person named in full before it."""
        doc = self.doc
        tokens = self.tokens
        full: list[tuple[int, int, tuple[str, ...]]] = []  # (offset, person pk, surname words)
        first_names: set[str] = set()
        for sp in self.accepted_spans():
            if ref_kind(sp.ref) != PERSON or sp.how != "name":
                continue
            words = [t.text for t in tokens[sp.s : sp.e] if t.is_word]
            if len(words) < 2:
                continue
            first_names.add(words[0])
            for surname in _surnames(words):
                full.append((sp.start, ref_pk(sp.ref), surname))
        # a single-word person hit that is only someone's first name is not that person
        for sp in self.accepted_spans():
            if ref_kind(sp.ref) == PERSON and sp.words == 1 and tokens[sp.s].text in first_names:
                sp.accepted = False
                sp.suppressed = "first-name"
        if not full:
            return
        covered = bytearray(len(tokens))
        for sp in self.spans:
            if sp.suppressed or sp.structural or self._holds_ground(sp):
                covered[sp.s : sp.e] = b"\x01" * sp.words
        by_surname: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
        for offset, pk, surname in full:
            by_surname[surname].append((offset, pk))
        longest = max(len(k) for k in by_surname)
        first_words = {k[0] for k in by_surname}  # surnames are capitalised (``_surnames``)
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if covered[i] or t.text not in first_words or not t.is_word:
                i += 1
                continue
            hit = None
            for n in range(longest, 0, -1):
                words = self._word_seq(i, n)
                if words is None:
                    continue
                key, end_index = words
                if key in by_surname:
                    hit = (key, end_index)
                    break
            if hit is None:
                i += 1
                continue
            key, end_index = hit
            start, end = t.start, tokens[end_index - 1].end
            if not self._lone_name(start, end) or not self._boundary_ok(start, end):
                i = end_index
                continue
            if t.initial and t.low in doc.lowercase_words:
                i = end_index
                continue
            people = sorted({pk for offset, pk in by_surname[key] if offset < start})
            other = self._other_span_at(i, end_index)
            if len(people) == 1 and other is None:
                for sp in self.spans:
                    if sp.s < end_index and i < sp.e and not sp.suppressed:
                        sp.suppressed = "surname"
                        sp.accepted = False
                span = Span(i, end_index, start, end, [_person_ref(people[0])], how="surname")
                span.ref = span.refs[0]
                span.strong = span.accepted = True
                self.spans.append(span)
            elif len(people) > 1:
                self.ambiguous.append(
                    Ambiguity(doc.text[start:end], start, doc.sentence_text(start),
                              [_person_ref(pk) for pk in people])
                )
            i = end_index
        self.spans.sort(key=lambda h: h.s)

    def _holds_ground(self, sp: Span) -> bool:
        """An accepted hit a surname may not take over: a person, a longer name, the main
        show. A lone capitalised word that is also a surname named just before ("Connelly"
        after "Michael Connelly") is the person."""
        if not sp.accepted or sp.ref is None:
            return False
        ent = self.entities.get(sp.ref)
        if ent is None:
            return False
        return ent.kind == PERSON or sp.words > 1 or (ent.kind == SHOW and ent.pk == self.main_show)

    def _word_seq(self, i: int, n: int) -> tuple[tuple[str, ...], int] | None:
        words, j = [], i
        while len(words) < n and j < len(self.tokens):
            t = self.tokens[j]
            if t.text == "\n":
                return None
            if not t.is_word:
                return None
            words.append(t.text)
            j += 1
        return (tuple(words), j) if len(words) == n else None

    def _lone_name(self, start: int, end: int) -> bool:
        """The surname is not the start or end of a longer name run ("Martin Scorsese")."""
        for s, e in self.runs:
            if s <= start and end <= e:
                head = self.doc.folded[s:start].split()
                tail = self.doc.folded[end:e].split()
                extra = [
                    w for w in head + tail
                    if w.rstrip(".").lower() not in RANK_OR_NOT_NAME_WORDS
                ]
                return not extra
        return True

    def _other_span_at(self, s: int, e: int) -> Span | None:
        for sp in self.spans:
            if sp.s < e and s < sp.e and sp.ref is not None and not sp.suppressed:
                ent = self.entities.get(sp.ref)
                if ent and ((ent.pk == self.main_show and ent.kind == SHOW) or (sp.strong and sp.words > 1)):
                    return sp
        return None

    def accepted_spans(self) -> list[Span]:
        return [sp for sp in self.spans if sp.accepted and sp.ref is not None and not sp.suppressed]

    # 11. ambiguity report ---------------------------------------------------------------
    def report_ambiguous(self) -> None:
        seen = {a.text for a in self.ambiguous}
        linked = {sp.ref for sp in self.accepted_spans()}
        for sp in self.live_spans():
            if not sp.ambiguous or sp.ref is not None:
                continue
            if not (sp.strong or any(r in linked for r in sp.refs)):
                continue
            text = self.doc.text[sp.start : sp.end]
            if text in seen:
                continue
            seen.add(text)
            self.ambiguous.append(
                Ambiguity(text, sp.start, self.doc.sentence_text(sp.start), list(sp.refs))
            )

    def run(self) -> Analysis:
        self.spans = self.select_longest(self.find_hits(), len(self.tokens))
        self.find_parens()
        self.classify_parens()
        self.suppress_name_parts()
        self.mark_strength()
        self.load()
        self.resolve()
        self.accept()
        self.infer_main_show()
        if self.main_show_inferred:
            self.resolve()
            self.accept()
        self.second_references()
        self.late_known_for()
        self.resolve()
        self.accept()
        self.report_ambiguous()
        return Analysis(
            doc=self.doc,
            spans=self.spans,
            parens=self.parens,
            entities=self.entities,
            credits=self.credits,
            credit_rows=self.credit_rows,
            ambiguous=self.ambiguous,
            main_show=self.main_show,
            main_show_inferred=self.main_show_inferred,
            runs=self.runs,
        )

    def late_known_for(self) -> None:
        """Known-for titles beside a surname ("Bastin (Bosch)") get that person as owner."""
        for p in self.parens:
            if p.kind != "other":
                continue
            head = None
            for sp in self.accepted_spans():
                if sp.start == p.head_start and sp.end == p.head_end and ref_kind(sp.ref) == PERSON:
                    head = sp
            if head is None:
                continue
            p.kind = "known_for"
            for s, e, _ in p.items:
                for sp in self._spans_within(s, e):
                    sp.structural = "known_for"
                    sp.owner = head


def _case_verdict(window: list[Token], name: list[str]) -> bool | None:
    """True when the text writes the name as the catalog does; False when it differs only
    where position explains it (a sentence's first word, a Title Case headline); None when
    the case says it is another word ("deadline" is not Deadline)."""
    if len(window) != len(name):
        return None
    exact = True
    for t, n in zip(window, name, strict=True):
        if t.text == n:
            continue
        exact = False
        if t.low != n.lower():
            return None
        if t.uninformative and t.text == n[:1].upper() + n[1:]:
            continue
        if t.title_case and n.lower() in SMALL_WORDS:
            continue
        return None
    if exact and all(not c.isupper() for t in window for c in t.text):
        return False  # a lowercase catalog name matched in lowercase proves nothing
    return exact


def _surnames(words: list[str]) -> list[tuple[str, ...]]:
    """ "John Carroll Lynch" → ("Lynch",), ("Carroll", "Lynch"); suffixes and initials skipped."""
    words = [w for w in words if w.rstrip(".") not in ("Jr", "Sr", "II", "III", "IV")]
    if len(words) < 2:
        return []
    last = words[-1]
    out = []
    if len(last) >= 2 and last[:1].isupper():
        out.append((last,))
    if len(words) >= 3 and len(words[-2]) >= 2 and words[-2][:1].isupper():
        out.append((words[-2], last))
    return out


def _show_ref(pk: int | None) -> int:
    return make_ref(SHOW, pk or 0)


def _person_ref(pk: int) -> int:
    return make_ref(PERSON, pk)


def analyse(doc: Doc, gaz: Gazetteer, catalog: CatalogView, context: Context) -> Analysis:
    """Every rule, in order, over one story."""
    return Resolver(doc, gaz, catalog, context).run()
