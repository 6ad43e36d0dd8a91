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

import itertools
import re
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


_WORD_RE = re.compile(r"\w")
CODE_WIDTH = 3  # characters per word in the automaton's keys
_UNKNOWN = "\x00" * CODE_WIDTH  # a word no name contains
_MAX_CODE = 1 << 21


def _word_code(n: int) -> str:
    """Word number ``n`` as three characters of 7 bits each.

    pyahocorasick finds a node's child by a linear scan of its children, so a node with
    hundreds of thousands of children (the root, one per distinct first word) would make
    every step of matching and building slow as the catalog grows. Spelling each word as
    three small "digits" caps every node at 128 children, whatever the catalog's size. Each
    digit position has its own range of characters, so a match can only start on a word.
    """
    return chr(0x100 + (n >> 14)) + chr(0x180 + ((n >> 7) & 127)) + chr(0x200 + (n & 127))


class Gazetteer:
    """Names → entity references, matched over a story's words.

    Each distinct word (folded, lowercased) gets a code of its own (``_word_code``), so a
    name is a short string of word codes and its whole-word matches are the only matches.
    Names are added in batches: a batch is joined into one text, tokenized and coded
    by a few calls into C, which is what keeps a million-name build in seconds.
    """

    MAX_WORDS = 40
    BATCH = 20_000

    def __init__(self, version: object = None) -> None:
        self.version = version
        self.vocab: dict[str, str] = {}
        self.names = 0
        self._next_code = 1
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS, ahocorasick.KEY_STRING)
        self._key_len = array("B")
        self._key_head = array("l")
        self._entry_ref = array("q")
        self._entry_next = array("l")
        self._pending_surfaces: list[str] = []
        self._surfaces = ""
        self._batch_refs: list[int] = []
        self._batch_texts: list[str] = []

    # -- building --------------------------------------------------------------------------
    def add(self, kind: int, pk: int, name: str) -> None:
        """Queue one name (or alias) of an entity, with its variants; ``finish()`` (or a full
        batch) adds them."""
        if not name:
            return
        text = name if name.isascii() else fold(compose(name))
        if "\n" in text:
            text = text.replace("\n", " ")
        if not text[0].isalnum() and not _WORD_RE.search(text):
            return  # punctuation only: never a name
        ref = (pk << 2) | kind
        self.names += 1
        if "." in text or ":" in text or text[:4].lower() == "the ":
            for variant in name_variants(TOKEN_RE.findall(text), kind):
                self._batch_refs.append(ref)
                self._batch_texts.append(" ".join(variant))
        else:
            self._batch_refs.append(ref)
            self._batch_texts.append(text)
        if len(self._batch_texts) >= self.BATCH:
            self._flush()

    def _code(self, word: str) -> str:
        if self._next_code >= _MAX_CODE:
            raise ValueError("More distinct words in the catalog than the gazetteer can code.")
        code = self.vocab[word] = _word_code(self._next_code)
        self._next_code += 1
        return code

    def _flush(self) -> None:
        texts, refs = self._batch_texts, self._batch_refs
        if not texts:
            return
        words = TOKEN_RE.findall("\n".join(texts).lower())
        vocab = self.vocab
        new = set(words).difference(vocab)
        new.discard("\n")
        first = self._next_code
        self._next_code += len(new)
        if self._next_code >= _MAX_CODE:
            raise ValueError("More distinct words in the catalog than the gazetteer can code.")
        vocab.update(zip(new, map(_word_code, range(first, self._next_code)), strict=True))
        vocab["\n"] = "\n"
        keys = "".join(map(vocab.__getitem__, words)).split("\n")
        del vocab["\n"]
        if len(keys) != len(texts):  # a name whose lowercase form tokenizes differently
            keys = ["".join(vocab.get(w) or self._code(w) for w in TOKEN_RE.findall(t.lower()))
                    for t in texts]
        get, add_word = self._automaton.get, self._automaton.add_word
        key_len, key_head = self._key_len, self._key_head
        entry_ref, entry_next = self._entry_ref, self._entry_next
        surfaces = self._pending_surfaces  # one per entry, same index
        limit = self.MAX_WORDS * CODE_WIDTH
        for key_text, ref, text in zip(keys, refs, texts, strict=True):
            if not key_text or len(key_text) > limit:
                continue
            key = get(key_text, -1)
            if key < 0:
                key = len(key_len)
                add_word(key_text, key)
                key_len.append(len(key_text) // CODE_WIDTH)
                key_head.append(-1)
            else:
                entry = key_head[key]
                while entry >= 0:
                    if entry_ref[entry] == ref and surfaces[entry] == text:
                        break
                    entry = entry_next[entry]
                if entry >= 0:
                    continue
            entry_next.append(key_head[key])
            key_head[key] = len(entry_ref)
            entry_ref.append(ref)
            surfaces.append(text)
        self._batch_texts, self._batch_refs = [], []

    def finish(self) -> Gazetteer:
        """Freeze: add the last batch, build the automaton's failure links and pack the
        surfaces into one string."""
        self._flush()
        lengths = map((1).__add__, map(len, self._pending_surfaces))
        offsets = array("L", itertools.accumulate(lengths, initial=0))
        self._surfaces = "\x00".join(self._pending_surfaces) + "\x00"
        self._pending_surfaces = []
        self._surface_offsets = offsets
        if len(self._key_len):
            self._automaton.make_automaton()
        return self

    # -- matching --------------------------------------------------------------------------
    def code(self, low: str) -> str:
        """The word's code, or a code no name contains."""
        return self.vocab.get(low, _UNKNOWN)

    def matches(self, codes: str) -> Iterator[tuple[int, int, int]]:
        """(first word, last word + 1, key) of every name found in a story's coded words."""
        if not len(self._key_len):
            return
        key_len = self._key_len
        for end, key in self._automaton.iter(codes):
            last = end // CODE_WIDTH
            yield last - key_len[key] + 1, last + 1, key

    def entries(self, key: int) -> Iterator[tuple[int, list[str]]]:
        """(entity reference, the name's words as the catalog writes them) for every entity
        that has this name."""
        entry = self._key_head[key]
        while entry >= 0:
            start, end = self._surface_offsets[entry], self._surface_offsets[entry + 1] - 1
            yield self._entry_ref[entry], TOKEN_RE.findall(self._surfaces[start:end])
            entry = self._entry_next[entry]

    def lookup(self, name: str) -> list[int]:
        """References of the entities carrying exactly this name (any case), for callers."""
        codes = "".join(self.code(t.lower()) for t in name_tokens(name))
        if not codes or _UNKNOWN in codes or not len(self._key_len):
            return []
        key = self._automaton.get(codes, -1)
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
