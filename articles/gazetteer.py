"""The gazetteer: every catalog name and alias in one Aho-Corasick automaton.

Names are matched word by word: each distinct word (folded, lowercased) gets a small integer,
each name becomes a tuple of those integers, and ``pyahocorasick`` finds every name in a story
in one pass over its words. Matching on words gives whole-word matching for free and keeps the
automaton small (a node per word of a name, not per letter), so a million names fit in a few
hundred megabytes and a story is matched in time proportional to its length, not the catalog's.

Payloads are compact: per name key, a chain of (entity reference, surface) entries stored in
flat ``array`` columns, where an entity reference packs kind and primary key into one integer
and the surface is the name's words with their case, kept to tell "Deadline" from "deadline".

The gazetteer is built once per catalog version and cached in the process (``get_gazetteer``):
every link run asks the database for the version — one query — and rebuilds only when another
process (the admin, an import, another app server) has changed the catalog.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator

import ahocorasick

from .prose import TOKEN_RE, compose, fold

PERSON, SHOW, COMPANY = 0, 1, 2
KIND_NAMES = ("person", "show", "company")


def make_ref(kind: int, pk: int) -> int:
    return (pk << 2) | kind


def ref_kind(ref: int) -> int:
    return ref & 3


def ref_pk(ref: int) -> int:
    return ref >> 2


def name_tokens(name: str) -> list[str]:
    """A name as the words linking compares: folded, case kept, punctuation as its own word."""
    return [t for t in TOKEN_RE.findall(fold(compose(name))) if t != "\n"]


def name_variants(tokens: list[str], kind: int) -> list[list[str]]:
    """Forms a text may use for the same name.

    "Magnum P.I." also without its final period; "The Lincoln Lawyer" also as "Lincoln
    Lawyer" (titles and companies only, and only when two words remain); "Bosch: Legacy"
    also without the colon.
    """
    variants = [tokens]
    words = [t for t in tokens if t[0].isalnum()]
    if (
        len(tokens) >= 3
        and tokens[-1] == "."
        and len(tokens[-2]) == 1
        and tokens[-3] == "."
    ):
        variants.append(tokens[:-1])
    if kind != PERSON and tokens and tokens[0].lower() == "the" and len(words) >= 3:
        variants.append(tokens[1:])
    if ":" in tokens and len(words) >= 2:
        variants.append([t for t in tokens if t != ":"])
    unique: list[list[str]] = []
    for v in variants:
        if v and v not in unique:
            unique.append(v)
    return unique


class Gazetteer:
    """Names → entity references, matched over a story's words."""

    MAX_WORDS = 40

    def __init__(self, version: object = None) -> None:
        self.version = version
        self.vocab: dict[str, int] = {}
        self.names = 0
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS, ahocorasick.KEY_SEQUENCE)
        self._key_len = array("B")
        self._key_head = array("l")
        self._entry_ref = array("q")
        self._entry_next = array("l")
        self._entry_surface = array("L")
        self._pending_surfaces: list[str] = []
        self._surface_len = 0
        self._surfaces = ""
        self._ready = False

    # -- building --------------------------------------------------------------------------
    def add(self, kind: int, pk: int, name: str) -> None:
        """Add one name (or alias) of an entity, with its variants."""
        tokens = name_tokens(name or "")
        if not any(t[0].isalnum() for t in tokens) or len(tokens) > self.MAX_WORDS:
            return
        self.names += 1
        ref = make_ref(kind, pk)
        for variant in name_variants(tokens, kind):
            self._add_variant(ref, variant)

    def _add_variant(self, ref: int, tokens: list[str]) -> None:
        vocab = self.vocab
        key_ids = []
        for t in tokens:
            low = t.lower()
            wid = vocab.get(low)
            if wid is None:
                wid = vocab[low] = len(vocab) + 1
            key_ids.append(wid)
        key_tuple = tuple(key_ids)
        surface = " ".join(tokens)
        key = self._automaton.get(key_tuple, -1)
        if key < 0:
            key = len(self._key_len)
            self._automaton.add_word(key_tuple, key)
            self._key_len.append(len(key_tuple))
            self._key_head.append(-1)
        else:
            entry = self._key_head[key]
            while entry >= 0:
                if self._entry_ref[entry] == ref and self._surface_of_pending(entry) == surface:
                    return
                entry = self._entry_next[entry]
        entry = len(self._entry_ref)
        self._entry_ref.append(ref)
        self._entry_next.append(self._key_head[key])
        self._entry_surface.append(len(self._pending_surfaces))
        self._pending_surfaces.append(surface)
        self._key_head[key] = entry

    def _surface_of_pending(self, entry: int) -> str:
        return self._pending_surfaces[self._entry_surface[entry]]

    def finish(self) -> Gazetteer:
        """Freeze: build the automaton's failure links and pack the surfaces into one string."""
        offsets = array("L")
        pos = 0
        for s in self._pending_surfaces:
            offsets.append(pos)
            pos += len(s) + 1
        offsets.append(pos)
        self._surfaces = "\x00".join(self._pending_surfaces) + "\x00"
        self._pending_surfaces = []
        self._surface_offsets = offsets
        if len(self._key_len):
            self._automaton.make_automaton()
        self._ready = True
        return self

    # -- matching --------------------------------------------------------------------------
    def word_id(self, low: str) -> int:
        return self.vocab.get(low, 0)

    def matches(self, ids: tuple[int, ...]) -> Iterator[tuple[int, int, int]]:
        """(first word, last word + 1, key) of every name found in a sequence of word ids."""
        if not len(self._key_len):
            return
        key_len = self._key_len
        for end, key in self._automaton.iter(ids):
            yield end - key_len[key] + 1, end + 1, key

    def entries(self, key: int) -> Iterator[tuple[int, str]]:
        """(entity reference, surface) for every entity that has this name."""
        entry = self._key_head[key]
        while entry >= 0:
            index = self._entry_surface[entry]
            start, end = self._surface_offsets[index], self._surface_offsets[index + 1] - 1
            yield self._entry_ref[entry], self._surfaces[start:end]
            entry = self._entry_next[entry]

    def lookup(self, name: str) -> list[int]:
        """References of the entities carrying exactly this name (any case), for callers."""
        ids = tuple(self.vocab.get(t.lower(), 0) for t in name_tokens(name))
        if not ids or 0 in ids or not len(self._key_len):
            return []
        key = self._automaton.get(ids, -1)
        return [] if key < 0 else sorted({ref for ref, _ in self.entries(key)})

    def stats(self) -> dict[str, int]:
        return {
            "names": self.names,
            "keys": len(self._key_len),
            "entries": len(self._entry_ref),
            "words": len(self.vocab),
        }


def build_gazetteer(
    people: Iterable[tuple[int, str, list[str] | None]] = (),
    shows: Iterable[tuple[int, str, list[str] | None]] = (),
    companies: Iterable[tuple[int, str, list[str] | None]] = (),
    *,
    version: object = None,
) -> Gazetteer:
    """A gazetteer from (pk, name, aliases) rows: the database's, or a benchmark's lists."""
    gaz = Gazetteer(version)
    for kind, rows in ((PERSON, people), (SHOW, shows), (COMPANY, companies)):
        for pk, name, aliases in rows:
            gaz.add(kind, pk, name)
            for alias in aliases or ():
                if isinstance(alias, str):
                    gaz.add(kind, pk, alias)
    return gaz.finish()


def build_gazetteer_from_db(version: object = None) -> Gazetteer:
    """Read every name and alias in chunks, so a million rows never sit in memory at once."""
    from catalog.models import Company, Person, Show

    chunk = 5000
    return build_gazetteer(
        Person.objects.order_by().values_list("pk", "name", "aliases").iterator(chunk_size=chunk),
        Show.objects.order_by().values_list("pk", "title", "aliases").iterator(chunk_size=chunk),
        Company.objects.order_by().values_list("pk", "name", "aliases").iterator(chunk_size=chunk),
        version=version,
    )


_lock = threading.Lock()
_cached: Gazetteer | None = None


def catalog_stamp() -> tuple:
    """The catalog version and when it changed: one cheap query, asked once per link run.

    The timestamp rides along with the number so that a database restored to an older state
    (or a test database rolled back) can never be mistaken for the catalog a cached
    gazetteer was built from.
    """
    from catalog.models import CatalogVersion

    row = CatalogVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return tuple(row) if row else (1, None)


def get_gazetteer() -> Gazetteer:
    """The process's gazetteer for the current catalog version, rebuilt when it changed."""
    global _cached
    stamp = catalog_stamp()
    cached = _cached
    if cached is not None and cached.version == stamp:
        return cached
    with _lock:
        if _cached is not None and _cached.version == stamp:
            return _cached
        _cached = build_gazetteer_from_db(stamp)
        return _cached


def clear_gazetteer_cache() -> None:
    global _cached
    with _lock:
        _cached = None
