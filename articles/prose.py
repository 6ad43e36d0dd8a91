"""Story text as linking reads it: folded, tokenized, split into sentences, mapped back to HTML.

Linking matches names against the plain text of a story (headline, dek and body) but writes its
links into the body's HTML. ``Doc`` keeps both views: ``text`` is the plain text (HTML entities
decoded, Unicode composed), ``folded`` has the same length with accents and curly apostrophes
folded so that "Renée" and "Renee", "Q\u2019s" and "Q's" compare equal while positions still point
into ``text``. Body text nodes remember where they came from in the HTML, so a link can be
inserted into exactly one text node — never inside an attribute, a tag or an existing link.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field

APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4`"
OPEN_QUOTES = "\"'\u2018\u201c\u00ab\u201e"
CLOSE_QUOTES = "\"'\u2019\u201d\u00bb"


def _fold_table() -> dict[int, str]:
    """One character in, one character out: positions in folded text equal positions in text."""
    table = {ord(c): "'" for c in APOSTROPHES}
    ranges = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    for cp in ranges:
        ch = chr(cp)
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
            table[cp] = parts[0]
    for src, dst in ("øo", "ØO", "łl", "ŁL", "đd", "ĐD", "ħh", "ĦH", "\u0131i"):
        table[ord(src)] = dst
    return table


_FOLD = _fold_table()


def compose(value: str) -> str:
    """Unicode NFC: one code point per accented letter, as most text already is."""
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Accents off, apostrophes straight, case kept; same length as ``value``."""
    return value.translate(_FOLD)


TOKEN_RE = re.compile(r"\w+|\n|[^\w\s]")

# Words that stay lowercase inside titles ("The Man in the High Castle"); a Title Case
# headline capitalises them, so they never count as evidence either way.
SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "it", "nor", "of", "on", "or", "per", "so", "the", "to", "up", "via", "vs", "with", "yet"]
)
# Capitalised in any position in English, so their capital letter says nothing about a title.
CALENDAR_WORDS = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "jr", "sr", "st", "vs", "no", "nos", "inc", "co", "ltd", "corp", "mt", "gen", "lt", "sgt", "capt", "det", "prof", "rev", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est", "approx", "dept"]
)


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str  # folded, case kept
    low: str  # folded, lowercased
    segment: int = 0
    sentence: int = 0
    initial: bool = False  # first word of its sentence
    title_case: bool = False  # inside a Title Case headline, dek or heading

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def uninformative(self) -> bool:
        """Its capital letter is required by position, not by being a name."""
        return self.initial or self.title_case


@dataclass(slots=True)
class TextNode:
    """One HTML text node of the body: where it sits in ``Doc.text`` and in the HTML parts."""

    start: int
    end: int
    part: int
    linkable: bool


@dataclass(slots=True)
class Segment:
    name: str  # "title", "dek" or "body"
    start: int
    end: int


@dataclass
class Doc:
    text: str
    folded: str
    segments: list[Segment]
    body_start: int
    paragraphs: list[tuple[int, int]]  # body paragraphs, in doc offsets
    nodes: list[TextNode]
    parts: list[str]  # the body HTML cut into tags and text, exactly as written
    node_text: dict[int, str]  # part index -> that text node, decoded
    emphasis: list[tuple[int, int]]  # ranges inside <em>, <i> or <cite>
    headings: list[tuple[int, int]]  # ranges inside <h1>…<h6>
    tokens: list[Token] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)
    _token_starts: list[int] = field(default_factory=list)
    lowercase_words: frozenset[str] = frozenset()

    # -- lookups -------------------------------------------------------------------------
    def segment_of(self, offset: int) -> Segment:
        for seg in self.segments:
            if seg.start <= offset <= seg.end:
                return seg
        return self.segments[-1]

    def in_body(self, offset: int) -> bool:
        return offset >= self.body_start

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        return self.sentences[self.sentence_index(offset)]

    def sentence_text(self, offset: int) -> str:
        start, end = self.sentence_at(offset)
        return self.text[start:end].strip()

    def token_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self._token_starts, offset)

    def is_emphasised(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.emphasis)

    def first_paragraph(self) -> tuple[int, int] | None:
        return self.paragraphs[0] if self.paragraphs else None

    def is_quoted(self, start: int, end: int) -> bool:
        """Between quotes (single or double, straight or curly) — how titles are set off in headlines."""
        before = self.text[start - 1] if start > 0 else ""
        after = self.text[end : end + 2]
        return bool(before) and before in OPEN_QUOTES and any(c in CLOSE_QUOTES for c in after[:2])


# -- building a Doc --------------------------------------------------------------------------

_TAG_RE = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.S,
)
BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)
SKIP_TAGS = frozenset(["script", "style", "code", "pre", "template", "svg", "math", "textarea", "button", "select", "kbd", "samp"])
VOID_TAGS = frozenset(["br", "hr", "img", "input", "meta", "link", "wbr", "source", "track", "area", "col", "embed", "param"])
EMPHASIS_TAGS = frozenset({"em", "i", "cite"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPACE_TRANS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " "})


def _clean_line(value: str) -> str:
    return " ".join(compose(html.unescape(value or "")).split())


class _BodyBuilder:
    """Walks sanitized HTML once, collecting plain text, text nodes and paragraph ranges."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.pieces: list[str] = []
        self.length = 0
        self.parts: list[str] = []
        self.node_text: dict[int, str] = {}
        self.nodes: list[TextNode] = []
        self.paragraphs: list[tuple[int, int]] = []
        self.emphasis: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int]] = []
        self.para_start = offset
        self.para_has_text = False
        self.anchor = 0
        self.skip = 0
        self.open_emphasis: list[int] = []
        self.open_heading: list[int] = []

    @property
    def pos(self) -> int:
        return self.offset + self.length

    def _append(self, value: str) -> None:
        self.pieces.append(value)
        self.length += len(value)

    def block_break(self) -> None:
        if self.para_has_text:
            self.paragraphs.append((self.para_start, self.pos))
        if self.pieces and not self.pieces[-1].endswith("\n"):
            self._append("\n")
        self.para_start = self.pos
        self.para_has_text = False

    def text(self, raw: str) -> None:
        if self.skip:
            self.parts.append(raw)
            return
        value = compose(html.unescape(raw)).translate(_SPACE_TRANS)
        self.nodes.append(TextNode(self.pos, self.pos + len(value), len(self.parts), self.anchor == 0))
        self.node_text[len(self.parts)] = value
        self.parts.append(raw)
        self._append(value)
        if value.strip():
            self.para_has_text = True

    def tag(self, raw: str, closing: bool, name: str) -> None:
        self.parts.append(raw)
        if name in SKIP_TAGS and name not in VOID_TAGS:
            self.skip = max(0, self.skip + (-1 if closing else 1))
        if name == "a" and not raw.endswith("/>"):
            self.anchor = max(0, self.anchor + (-1 if closing else 1))
        if name in EMPHASIS_TAGS:
            if closing and self.open_emphasis:
                self.emphasis.append((self.open_emphasis.pop(), self.pos))
            elif not closing:
                self.open_emphasis.append(self.pos)
        if name in HEADING_TAGS:
            if closing and self.open_heading:
                self.headings.append((self.open_heading.pop(), self.pos))
            elif not closing:
                self.open_heading.append(self.pos)
        if name in BLOCK_TAGS:
            self.block_break()

    def feed(self, body: str) -> None:
        if "<" not in body:
            # A body without tags: every line is a paragraph.
            for i, line in enumerate(body.split("\n")):
                if i:
                    self.parts.append("\n")
                    self.block_break()
                if line:
                    self.text(line)
            self.block_break()
            return
        pos = 0
        for m in _TAG_RE.finditer(body):
            if m.start() > pos:
                self.text(body[pos : m.start()])
            name = (m.group(2) or "").lower()
            if name:
                self.tag(m.group(0), m.group(1) == "/", name)
            else:
                self.parts.append(m.group(0))
            pos = m.end()
        if pos < len(body):
            self.text(body[pos:])
        self.block_break()


def build_doc(title: str, dek: str, body: str) -> Doc:
    """The story as one plain text: headline, newline, dek, newline, body."""
    title = _clean_line(title)
    dek = _clean_line(dek)
    body_start = len(title) + 1 + len(dek) + 1
    builder = _BodyBuilder(body_start)
    builder.feed(body or "")
    text = f"{title}\n{dek}\n" + "".join(builder.pieces)
    doc = Doc(
        text=text,
        folded=fold(text),
        segments=[
            Segment("title", 0, len(title)),
            Segment("dek", len(title) + 1, len(title) + 1 + len(dek)),
            Segment("body", body_start, len(text)),
        ],
        body_start=body_start,
        paragraphs=builder.paragraphs,
        nodes=builder.nodes,
        parts=builder.parts,
        node_text=builder.node_text,
        emphasis=builder.emphasis,
        headings=builder.headings,
    )
    _tokenize(doc)
    return doc


def _tokenize(doc: Doc) -> None:
    folded = doc.folded
    tokens = [
        Token(m.start(), m.end(), m.group(0), m.group(0).lower())
        for m in TOKEN_RE.finditer(folded)
    ]
    doc.tokens = tokens
    doc._token_starts = [t.start for t in tokens]
    doc.lowercase_words = frozenset(t.text for t in tokens if t.text.islower() and t.text.isalpha())
    doc.sentences = _split_sentences(doc)
    doc._sentence_starts = [s for s, _ in doc.sentences]

    title_case_ranges = [
        (seg.start, seg.end)
        for seg in doc.segments
        if seg.name in ("title", "dek") and is_title_case(tokens, seg.start, seg.end)
    ]
    title_case_ranges += [(s, e) for s, e in doc.headings if is_title_case(tokens, s, e)]
    # one pass: tokens, sentences, segments and Title Case ranges are all in text order
    seen_sentence = -1
    starts = doc._sentence_starts
    sentence = 0
    ends = [seg.end for seg in doc.segments]
    segment = 0
    title_case_ranges.sort()
    for tok in tokens:
        start = tok.start
        while segment < 2 and start > ends[segment]:
            segment += 1
        tok.segment = segment
        while sentence + 1 < len(starts) and starts[sentence + 1] <= start:
            sentence += 1
        tok.sentence = sentence
        if sentence != seen_sentence and (tok.text[0].isalnum() or tok.text[0] == "_"):
            tok.initial = True
            seen_sentence = sentence
        if title_case_ranges:
            tok.title_case = any(s <= start < e for s, e in title_case_ranges)


def is_title_case(tokens: list[Token], start: int, end: int) -> bool:
    """Most words capitalised, small words aside: "Deadline Day for Pilots"."""
    words = [
        t for t in tokens
        if start <= t.start < end and t.text.isalpha() and t.low not in SMALL_WORDS
    ]
    if len(words) < 2:
        return False
    upper = sum(1 for t in words if t.text[0].isupper())
    return upper / len(words) >= 0.8


_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[]?[A-Z0-9])|\n")


def _split_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence ranges; a period after an initial or an abbreviation does not end one."""
    text = doc.folded
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        if m.group(0) != "\n" and m.group(0).startswith(".") and _period_is_not_an_end(text, m.start()):
            continue
        end = m.end()
        if text[start:end].strip():
            bounds.append((start, end))
        start = end
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def _period_is_not_an_end(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "Michael J. Fox", "P.I."
    if "." in word and all(len(p) <= 1 for p in word.split(".")):
        return True  # a dotted acronym: "U.S.", "S.W.A.T."
    return word.lower() in ABBREVIATIONS


# -- writing links into the body -------------------------------------------------------------

def insert_links(doc: Doc, links: list[tuple[int, int, str]]) -> str:
    """The body HTML with ``<a href>`` around each (start, end, url) range of ``doc.text``.

    Each range must lie inside one linkable text node (``node_for``); a text node that
    receives a link is written again from its decoded text, every other part of the HTML is
    written back exactly as it was.
    """
    by_part: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, url in links:
        node = node_for(doc, start, end)
        if node is None:
            continue
        by_part.setdefault(node.part, []).append((start - node.start, end - node.start, url))
    out = []
    for index, part in enumerate(doc.parts):
        wanted = by_part.get(index)
        if not wanted:
            out.append(part)
            continue
        value = doc.node_text[index]
        pos, pieces = 0, []
        for start, end, url in sorted(wanted):
            if start < pos:
                continue
            pieces.append(html.escape(value[pos:start], quote=False))
            pieces.append(
                f'<a href="{html.escape(url)}">{html.escape(value[start:end], quote=False)}</a>'
            )
            pos = end
        pieces.append(html.escape(value[pos:], quote=False))
        out.append("".join(pieces))
    return "".join(out)


def node_for(doc: Doc, start: int, end: int) -> TextNode | None:
    """The linkable text node holding the whole range, if there is one."""
    for node in doc.nodes:
        if node.start <= start and end <= node.end:
            return node if node.linkable else None
    return None
