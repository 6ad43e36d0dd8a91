"""Facts that trade-press prose states about people, read from the patterns it is written in.

Entertainment trade stories name people in a few fixed shapes, and those shapes say what the
people did:

- "executive produced by A, B and C", "with D and E serving as co-executive producers",
  "created by", "written by", "directed by", "based on the novels by" — crew and their role;
- "starring X", "the cast also features X, Y and Z", "X and Y also star" — cast;
- "Detective Y (X)" — X plays the character Y;
- "Name (Title1, Title2)" — the titles a person is known for;
- "author X", "showrunner X", "creator X" — a role stated beside the name.

``extract_facts`` turns these into ``Fact``s about the story's subject show; linking stores the
ones the catalog lacks as ``Suggestion`` rows (a person not yet catalogued, a credit missing)
for an editor to accept or reject. The rules are about the prose, never about particular names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.models import Credit

from .gazetteer import PERSON, SHOW, ref_kind, ref_pk
from .matching import (
    NAME_RUN_RE,
    RANK_OR_NOT_NAME_WORDS,
    RANK_WORDS,
    Analysis,
    Span,
)

Role = Credit.Role

_ROLE_WORDS = {
    "co-executive producer": Role.CO_EXECUTIVE_PRODUCER,
    "co-executive producers": Role.CO_EXECUTIVE_PRODUCER,
    "executive producer": Role.EXECUTIVE_PRODUCER,
    "executive producers": Role.EXECUTIVE_PRODUCER,
    "producer": Role.PRODUCER,
    "producers": Role.PRODUCER,
    "showrunner": Role.SHOWRUNNER,
    "showrunners": Role.SHOWRUNNER,
    "co-showrunner": Role.SHOWRUNNER,
    "co-showrunners": Role.SHOWRUNNER,
    "creator": Role.CREATOR,
    "creators": Role.CREATOR,
    "co-creator": Role.CREATOR,
    "co-creators": Role.CREATOR,
    "writer": Role.WRITER,
    "writers": Role.WRITER,
    "director": Role.DIRECTOR,
    "directors": Role.DIRECTOR,
    "author": Role.SOURCE_AUTHOR,
    "authors": Role.SOURCE_AUTHOR,
    "novelist": Role.SOURCE_AUTHOR,
}
_ROLE_NOUN = (
    r"(co-executive producers?|executive producers?|co-showrunners?|showrunners?|co-creators?|"
    r"creators?|producers?|writers?|directors?)"
)

# Cues after which a list of names follows.
_FORWARD_CUES: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"\bco-executive[- ]produced by\s+", re.I), Role.CO_EXECUTIVE_PRODUCER),
    (re.compile(r"\bexecutive[- ]produced by\s+", re.I), Role.EXECUTIVE_PRODUCER),
    (re.compile(r"\b(?<!executive )(?<!executive-)produced by\s+", re.I), Role.PRODUCER),
    (re.compile(r"\b(?:co-)?created by\s+", re.I), Role.CREATOR),
    (re.compile(r"\bwritten by\s+", re.I), Role.WRITER),
    (re.compile(r"\bdirected by\s+", re.I), Role.DIRECTOR),
    (re.compile(r"\bshowrun by\s+", re.I), Role.SHOWRUNNER),
    (
        re.compile(
            r"\b(?:based on|adapted from|inspired by)(?: the)?(?: [\w-]+){0,2} "
            r"(?:novels?|books?|works?|stories|series|memoir) (?:by|of)\s+",
            re.I,
        ),
        Role.SOURCE_AUTHOR,
    ),
    (re.compile(r"\b(?:co-)?starring\s+", re.I), Role.CAST),
    (re.compile(r"\b(?:series|show|film|drama|comedy) (?:also )?(?:co-)?stars\s+", re.I), Role.CAST),
    (
        re.compile(
            r"\b(?:ensemble |supporting |main |series )?cast (?:also |additionally )?"
            r"(?:features|includes|include|feature|comprises|is led by|also includes)\s+",
            re.I,
        ),
        Role.CAST,
    ),
    (re.compile(r"\b(?:co-)?executive producers? (?:also )?(?:include|includes|are|is)\s+", re.I), None),
    (re.compile(r"\bfrom (?:creator|showrunner|writer|director)s?\s+", re.I), None),
]
# Cues before which a list of names stands.
_BACKWARD_CUES: list[tuple[re.Pattern[str], str | None]] = [
    (
        re.compile(
            r"\s+(?:(?:are|is|will|also|all)\s+)*(?:serving|serve|serves|set to serve|to serve)"
            rf" as (?:the )?(?:series'? |show'?s? )?{_ROLE_NOUN}\b",
            re.I,
        ),
        None,
    ),
    (
        re.compile(
            r"\s+(?:(?:will|also|are set to|is set to|to|both|all)\s+)*(co-)?executive[- ]produces?\b",
            re.I,
        ),
        "ep",
    ),
    (
        re.compile(rf"\s+(?:are|is|will be)\s+(?:also\s+)?(?:the\s+)?(?:series'?\s+)?{_ROLE_NOUN}\b", re.I),
        None,
    ),
    (re.compile(r"\s+(?:have|has)\s+(?:also\s+)?(?:joined|boarded)\s+the\s+cast\b", re.I), Role.CAST),
    (re.compile(r"\s+(?:(?:also|will|are set to|to)\s+)*(?:co-)?star\b(?!\w)", re.I), Role.CAST),
    (re.compile(r"\s+rounds? out the cast\b", re.I), Role.CAST),
]
_APPOSITION_RE = re.compile(
    r"\b(co-executive producer|executive producer|co-showrunner|showrunner|co-creator|creator|"
    r"writer|director|author|novelist)\s+(?=[A-Z])",
    re.I,
)
_SEPARATOR_RE = re.compile(r"[ \u00a0]*(?:,[ \u00a0]*(?:and[ \u00a0]+|&[ \u00a0]+)?|[ \u00a0]+and[ \u00a0]+|[ \u00a0]+&[ \u00a0]+)")
_AS_CHARACTER_RE = re.compile(r"[ \u00a0]+as[ \u00a0]+")
_LIST_START_RE = re.compile(r"\b(?:with|while|and|as|by|alongside)\s+", re.I)


@dataclass
class Fact:
    """Something the text states about one person."""

    name: str
    person: int | None  # catalogued person pk
    start: int
    role: str = ""
    character: str = ""
    known_for: list[str] = field(default_factory=list)
    known_for_shows: list[int] = field(default_factory=list)
    show: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class SuggestionData:
    kind: str  # "person", "credit" or "ambiguous"
    person_name: str
    person: int | None
    show: int | None
    role: str
    character: str
    known_for: tuple[str, ...]
    evidence: str

    @property
    def key(self) -> tuple:
        return (self.kind, self.person_name, self.show, self.role, self.character)


class _Reader:
    def __init__(self, analysis: Analysis) -> None:
        self.a = analysis
        self.doc = analysis.doc
        self.folded = analysis.doc.folded
        self.people: dict[tuple[int, int], Span] = {}
        for sp in analysis.accepted():
            if ref_kind(sp.ref) == PERSON:
                self.people[(sp.start, sp.end)] = sp
        self.full_names: list[tuple[int, str, int | None]] = []  # offset, name, pk
        for sp in analysis.accepted():
            if ref_kind(sp.ref) == PERSON and sp.how == "name":
                self.full_names.append((sp.start, analysis.entities[sp.ref].name, ref_pk(sp.ref)))

    # -- who is named here --------------------------------------------------------------
    def who(self, start: int, end: int) -> tuple[str, int | None] | None:
        sp = self.people.get((start, end))
        if sp is not None:
            return self.a.entities[sp.ref].name, ref_pk(sp.ref)
        for other in self.a.accepted():
            if other.start <= start < other.end and ref_kind(other.ref) != PERSON:
                return None  # a title or company, not a person
        text = self.doc.text[start:end]
        if self.person_like(start, end):
            return text, None
        words = self.folded[start:end].split()
        if len(words) == 1 and words[0][:1].isupper() and len(words[0]) > 1:
            found = {
                (name, pk)
                for offset, name, pk in self.full_names
                if offset < start and _fold_last(name) == words[0]
            }
            if len(found) == 1:
                return found.pop()
        return None

    def person_like(self, start: int, end: int) -> bool:
        segment = self.folded[start:end]
        if not NAME_RUN_RE.fullmatch(segment):
            return False
        words = segment.split()
        caps = [w for w in words if w[:1].isupper()]
        if len(caps) < 2 or len(words) > 5:
            return False
        if any(w.rstrip(".,").lower() in RANK_OR_NOT_NAME_WORDS for w in caps):
            return False
        return not all(w.isupper() and len(w) > 1 for w in caps)

    def register(self, start: int, end: int) -> None:
        """Remember a full name from a pattern, so a surname later can refer to it."""
        if self.person_like(start, end) and (start, end) not in self.people:
            self.full_names.append((start, self.doc.text[start:end], None))

    # -- the subject of a credit --------------------------------------------------------
    def subject_show(self, cue_start: int) -> int | None:
        """The show a list of credits belongs to: one named right before the cue
        ("Nikita, starring …"), otherwise the story's main show."""
        sentence_start, _ = self.doc.sentence_at(cue_start)
        for sp in self.a.accepted():
            if ref_kind(sp.ref) != SHOW or sp.structural == "known_for":
                continue
            if sentence_start <= sp.start and sp.end <= cue_start:
                between = self.folded[sp.end : cue_start]
                if re.fullmatch(r"[\s,]*(?:(?:which|that|is|was|will be|has been|also)\s+)*", between):
                    return ref_pk(sp.ref)
        return self.a.main_show

    # -- lists of names -----------------------------------------------------------------
    def parse_list(self, pos: int, limit: int) -> list[tuple[int, int, str, tuple[int, int] | None]]:
        """Names separated by commas and "and" from ``pos``: (start, end, character, paren)."""
        items = []
        folded = self.folded
        while pos < limit:
            m = NAME_RUN_RE.match(folded, pos)
            if not m or m.end() > limit:
                break
            start, end = m.start(), m.end()
            if self.who(start, end) is None:
                break
            pos = end
            paren = None
            stripped = pos
            while stripped < limit and folded[stripped] in " \u00a0":
                stripped += 1
            if stripped < limit and folded[stripped] == "(":
                close = folded.find(")", stripped)
                if 0 < close <= limit:
                    paren = (stripped, close)
                    pos = close + 1
            character = ""
            ch = _AS_CHARACTER_RE.match(folded, pos)
            if ch:
                cm = NAME_RUN_RE.match(folded, ch.end())
                if cm and cm.end() <= limit:
                    character = _strip_rank(self.doc.text[cm.start() : cm.end()])
                    pos = cm.end()
            items.append((start, end, character, paren))
            sep = _SEPARATOR_RE.match(folded, pos)
            if not sep or sep.end() >= limit:
                break
            pos = sep.end()
        return items

    def parse_list_before(self, cue_start: int) -> list[tuple[int, int, str, tuple[int, int] | None]]:
        """The names standing before a cue, back to "with", "while" or the sentence start."""
        sentence_start, _ = self.doc.sentence_at(cue_start)
        segment = self.folded[sentence_start:cue_start]
        starts = [sentence_start] + [sentence_start + m.end() for m in _LIST_START_RE.finditer(segment)]
        for begin in sorted(starts, reverse=False):
            while begin < cue_start and self.folded[begin] in " \u00a0,;:\u2014-":
                begin += 1
            items = self.parse_list(begin, cue_start)
            if items and self._list_end(items) >= cue_start:
                return items
        return []

    def _list_end(self, items: list) -> int:
        _start, end, _character, paren = items[-1]
        end = paren[1] + 1 if paren else end
        while end < len(self.folded) and self.folded[end] in " \u00a0":
            end += 1
        return end

    def paren_titles(self, paren: tuple[int, int] | None) -> tuple[list[str], list[int]]:
        if paren is None:
            return [], []
        for p in self.a.parens:
            if p.open == paren[0]:
                return self.titles_of(p.items)
        return [], []

    def titles_of(self, items: list[tuple[int, int, str]]) -> tuple[list[str], list[int]]:
        titles, shows = [], []
        for s, e, text in items:
            titles.append(text.strip())
            for sp in self.a.accepted():
                if s <= sp.start and sp.end <= e and ref_kind(sp.ref) == SHOW:
                    shows.append(ref_pk(sp.ref))
        return titles, shows


def _fold_last(name: str) -> str:
    from .prose import compose, fold

    return fold(compose(name)).split()[-1]


def _strip_rank(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").lower() in RANK_WORDS:
        words = words[1:]
    return " ".join(words)


# Words without which a cue cannot match: a cheap substring test skips the regular
# expression over a story that has none of them (most cues, in most stories).
_NEEDLES: dict[str, tuple[str, ...]] = {
    "produc": ("produc",),
    "creat": ("created by",),
    "written": ("written by",),
    "directed": ("directed by",),
    "showrun": ("showrun by",),
    "based": ("based on", "adapted from", "inspired by"),
    "starring": ("starring",),
    "stars": (" stars",),
    "cast": ("cast",),
    "from": ("from ",),
    "serv": ("serv",),
    "joined": ("joined", "boarded"),
    "star": ("star",),
    "round": ("round",),
    "role": ("producer", "showrunner", "creator", "writer", "director"),
}


def _needles(cue: re.Pattern[str]) -> tuple[str, ...]:
    pattern = cue.pattern
    if _ROLE_NOUN in pattern:
        return _NEEDLES["role"]
    for word, needles in (
        ("rounds? out", _NEEDLES["round"]),
        ("joined|boarded", _NEEDLES["joined"]),
        ("serving|serve", _NEEDLES["serv"]),
        ("produc", _NEEDLES["produc"]),
        ("created by", _NEEDLES["creat"]),
        ("written by", _NEEDLES["written"]),
        ("directed by", _NEEDLES["directed"]),
        ("showrun by", _NEEDLES["showrun"]),
        ("based on", _NEEDLES["based"]),
        ("starring", _NEEDLES["starring"]),
        (") (?:also )?(?:co-)?stars", _NEEDLES["stars"]),
        ("cast (?:also", _NEEDLES["cast"]),
        ("from (?:creator", _NEEDLES["from"]),
        ("star\\b", _NEEDLES["star"]),
    ):
        if word in pattern:
            return needles
    return ()


_CUE_NEEDLES = {cue.pattern: _needles(cue) for cue, _ in [*_FORWARD_CUES, *_BACKWARD_CUES]}


def _cue_matches(cue: re.Pattern[str], folded: str, lowered: str, start: int, cache: dict) -> list:
    """The cue's matches from ``start`` on, found once per story."""
    found = cache.get(cue.pattern)
    if found is None:
        needles = _CUE_NEEDLES.get(cue.pattern, ())
        if needles and not any(n in lowered for n in needles):
            found = []
        else:
            found = list(cue.finditer(folded, start))
        cache[cue.pattern] = found
    return found


def extract_facts(analysis: Analysis) -> list[Fact]:
    """Every statement about a person that the patterns find, in text order."""
    r = _Reader(analysis)
    doc = analysis.doc
    folded = doc.folded
    lowered = folded.lower()
    cache: dict[str, list] = {}
    facts: list[Fact] = []
    body_or_dek = doc.segments[1].start
    appositions = list(_APPOSITION_RE.finditer(folded, body_or_dek))

    def add(start: int, end: int, *, role: str = "", character: str = "",
            paren: tuple[int, int] | None = None, show: int | None = None,
            titles: tuple[list[str], list[int]] | None = None) -> None:
        person = r.who(start, end)
        if person is None:
            return
        name, pk = person
        known, shows = titles if titles is not None else r.paren_titles(paren)
        facts.append(
            Fact(name=name, person=pk, start=start, role=role, character=character,
                 known_for=known, known_for_shows=shows, show=show if role else None,
                 evidence=doc.sentence_text(start))
        )

    # pass 1: full names from every pattern, so later surnames can be resolved
    for p in analysis.parens:
        if p.kind == "character":
            r.register(p.items[0][0], p.items[0][1])
        elif p.kind == "known_for":
            r.register(p.head_start, p.head_end)
    for cue, _ in _FORWARD_CUES:
        for m in _cue_matches(cue, folded, lowered, body_or_dek, cache):
            _s, end = doc.sentence_at(m.end())
            for start, stop, _c, _p in r.parse_list(m.end(), end):
                r.register(start, stop)
    for m in appositions:
        run = NAME_RUN_RE.match(folded, m.end())
        if run:
            r.register(run.start(), run.end())
    r.full_names.sort()

    # pass 2: the facts
    for p in analysis.parens:
        if p.open < body_or_dek:
            continue
        if p.kind == "character":
            s, e, _ = p.items[0]
            add(s, e, role=Role.CAST, character=_strip_rank(p.head_text),
                show=r.subject_show(p.head_start), titles=r.titles_of(p.items[1:]))
        elif p.kind in ("known_for", "other"):
            add(p.head_start, p.head_end, titles=r.titles_of(p.items))
    for cue, role in _FORWARD_CUES:
        for m in _cue_matches(cue, folded, lowered, body_or_dek, cache):
            _s, end = doc.sentence_at(m.end())
            item_role = role or _role_from(m.group(0))
            show = r.subject_show(m.start())
            for start, stop, character, paren in r.parse_list(m.end(), end):
                add(start, stop, role=item_role, character=character, paren=paren, show=show)
    for cue, role in _BACKWARD_CUES:
        for m in _cue_matches(cue, folded, lowered, body_or_dek, cache):
            if role == "ep":
                item_role = Role.CO_EXECUTIVE_PRODUCER if m.group(1) else Role.EXECUTIVE_PRODUCER
            else:
                item_role = role or _role_from(m.group(1) or "")
            if not item_role:
                continue
            show = r.subject_show(m.start())
            for start, stop, character, paren in r.parse_list_before(m.start()):
                add(start, stop, role=item_role, character=character, paren=paren, show=show)
    for m in appositions:
        run = NAME_RUN_RE.match(folded, m.end())
        if not run:
            continue
        paren = None
        after = run.end()
        while after < len(folded) and folded[after] in " \u00a0":
            after += 1
        if after < len(folded) and folded[after] == "(":
            close = folded.find(")", after)
            if close > 0:
                paren = (after, close)
        role = _ROLE_WORDS.get(m.group(1).lower(), "")
        add(run.start(), run.end(), role=role, paren=paren, show=r.subject_show(m.start()))
    facts.sort(key=lambda f: f.start)
    return facts


def _role_from(phrase: str) -> str:
    phrase = phrase.lower()
    for words in sorted(_ROLE_WORDS, key=len, reverse=True):
        if words in phrase:
            return _ROLE_WORDS[words]
    return ""


def _same_character(a: str, b: str) -> bool:
    from .prose import compose, fold

    def norm(v: str) -> str:
        return " ".join(fold(compose(_strip_rank(v))).lower().split())

    return norm(a) == norm(b)


def suggestions_from(analysis: Analysis, facts: list[Fact]) -> list[SuggestionData]:
    """What the catalog lacks, given the facts: people not in it, credits not in it."""
    credits: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for person, show, role, character in analysis.credit_rows:
        credits.setdefault((person, show), []).append((role, character))

    # what each person does in this story, to give their known-for titles a role
    roles_of: dict[tuple[str, int | None], str] = {}
    for f in facts:
        if f.role:
            roles_of.setdefault((f.name, f.person), f.role)

    out: dict[tuple, SuggestionData] = {}
    with_role: set[tuple[str, int | None]] = set()
    characters: dict[tuple, str] = {}
    for f in facts:
        if f.role and f.show and f.character:
            characters.setdefault((f.name, f.person, f.show, f.role), f.character)

    def put(item: SuggestionData) -> None:
        current = out.get(item.key)
        if current is None or len(item.known_for) > len(current.known_for):
            out[item.key] = item

    for f in facts:
        ident = (f.name, f.person)
        if f.role and f.show:
            character = f.character or characters.get((f.name, f.person, f.show, f.role), "")
            with_role.add(ident)
            if f.person is None:
                put(SuggestionData("person", f.name, None, f.show, f.role, character,
                                   tuple(f.known_for), f.evidence))
                continue
            existing = credits.get((f.person, f.show), [])
            same_role = [c for r, c in existing if r == f.role]
            if not same_role or (
                character and not any(_same_character(c, character) for c in same_role)
                and all(c == "" for c in same_role)
            ):
                put(SuggestionData("credit", f.name, f.person, f.show, f.role, character,
                                   tuple(f.known_for), f.evidence))
        # titles beside a catalogued actor or author that the catalog does not credit them
        # for; a producer's or writer's titles say nothing certain about their role there
        role = f.role or roles_of.get(ident) or Role.CAST
        if f.person is not None and role in (Role.CAST, Role.SOURCE_AUTHOR):
            for show in f.known_for_shows:
                if show == f.show or (f.person, show) in credits:
                    continue
                put(SuggestionData("credit", f.name, f.person, show, role, "", (), f.evidence))
    for f in facts:
        ident = (f.name, f.person)
        if f.person is None and ident not in with_role:
            put(SuggestionData("person", f.name, None, None, "", "", tuple(f.known_for), f.evidence))
    # a role-less fact for the same person and role adds nothing once a character is known
    keys = list(out)
    for key in keys:
        kind, name, show, role, character = key
        if not character and any(
            k[0] == kind and k[1] == name and k[2] == show and k[3] == role and k[4]
            for k in keys
        ):
            out.pop(key, None)
    return list(out.values())


def ambiguous_suggestions(analysis: Analysis) -> list[SuggestionData]:
    out = []
    for amb in analysis.ambiguous:
        labels = tuple(
            analysis.entities[r].label if r in analysis.entities else str(r) for r in amb.refs
        )
        out.append(SuggestionData("ambiguous", amb.text, None, None, "", "", labels, amb.sentence))
    return out
