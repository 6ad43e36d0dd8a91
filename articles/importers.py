"""Story archives in: Markdown files with front matter, folders of them, and WordPress exports.

Each file is read in two steps that never mix. Parsing turns the file into ``StoryRecord``s
and refuses bad input with a message naming the file and the record; it never touches the
database. Writing upserts the records in one transaction per file, so a file either goes in
whole or not at all, and counts every story as created, updated, unchanged or skipped.

Identity, so that a second run updates instead of duplicating:

- a WordPress post is the site's address and its ``wp:post_id`` (the guid or link when the
  export lacks them); stored in ``Article.import_key``;
- a Markdown story is its slug: the ``slug`` of the front matter, or the file name without
  its leading ``YYYY-MM-DD-`` date.

What an import leaves alone, because others own it: the slug of a story already imported
(its address must not move), tags that linking or an editor added (an import adds the tags of
its file and never removes one), the main show when the file names none (linking infers it),
and everything linking writes (the linked body, mentions, suggestions).

HTML from either format goes through ``newsroom.sanitize`` — the same allow-list as the
admin — and XML is parsed with defusedxml: a file that declares entities (the "billion
laughs" bomb, external entities reading local files or URLs) is refused outright.

Published and scheduled stories that an import created or changed are linked to the catalog
once, at the end, in one batch (``articles.linking.link_articles``).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

import markdown
import yaml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from catalog.models import Company, Show
from newsroom.importing import (
    ImportFailed,
    ImportStats,
    ProgressFactory,
    import_transaction,
    no_progress,
    tag_ids,
)
from newsroom.sanitize import plain_text, sanitize_html
from newsroom.text import unique_slug

from .models import Article, Author, Byline, TaggedArticle, keep_byline_authors

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
WXR_SUFFIXES = frozenset({".xml", ".wxr"})
WXR_VERSIONS = frozenset({"1.0", "1.1", "1.2"})

# Front matter keys. ``slug`` is ours (the design's example leaves it to the file name).
FRONT_MATTER_KEYS = frozenset(
    {
        "title", "dek", "kind", "status", "published", "source", "source_url", "show", "tags",
        "authors", "slug",
    }
)  # fmt: skip

# WordPress post status → story status. Private posts are kept away from the public as
# drafts; trashed and auto-saved posts were never meant to be read.
WXR_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
    "private": Article.Status.DRAFT,
}
WXR_STATUSES_SKIPPED = {"trash": "in the WordPress trash", "auto-draft": "an unsaved auto-draft"}

_TITLE_MAX = Article._meta.get_field("title").max_length
_DEK_MAX = Article._meta.get_field("dek").max_length
_SLUG_MAX = Article._meta.get_field("slug").max_length
_KEY_MAX = Article._meta.get_field("import_key").max_length
_TAG_MAX = 100  # taggit's Tag.name

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?\n)?---[ \t]*(?:\n(?P<body>.*))?\Z", re.DOTALL)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/(?P<excerpt>excerpt/)?$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
_ZERO_DATE = "0000-00-00 00:00:00"
_BLOCK_START = re.compile(
    r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|pre|hr|dl|section|!--)[\s>/]",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
_SHORTCODE = re.compile(
    r"\[/?(?:gallery|audio|video|playlist|embed|wpvideo|youtube|soundcloud)\b[^\]]*\]",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------
# Records


@dataclass
class ImageRecord:
    """A featured image whose file was given locally."""

    filename: str
    data: bytes
    alt: str = ""
    credit: str = ""


@dataclass
class StoryRecord:
    """One story as a file states it. ``fields`` holds only what the file gives."""

    where: str
    slug: str
    fields: dict[str, Any]
    import_key: str | None = None
    match_slug: bool = False  # Markdown: the slug is the identity
    source: str | None = None  # a publication's name, key or alias
    show: str | None = None  # a catalog show key
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    image: ImageRecord | None = None
    undated: bool = False  # a published post without a date, imported as a draft


@dataclass
class ArchiveFile:
    """A parsed file: its stories, and what it held that is not a story (with reasons)."""

    source: str
    stories: list[StoryRecord] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ArchiveStats(ImportStats):
    """Import counts, plus the stories that linking should read at the end."""

    to_link: list[int] = field(default_factory=list)


@dataclass
class ArticleImportResult:
    """What ``import_articles`` did: one summary per file, the files refused, the linking."""

    files: list[tuple[str, ArchiveStats]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    linked: int = 0
    link_summary: str = ""

    @property
    def total(self) -> ImportStats:
        total = ImportStats()
        for _name, stats in self.files:
            total.merge(stats)
        return total


# ---------------------------------------------------------------------------------------------
# Finding files


def archive_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: each path given, and the Markdown files inside each folder given.

    Folders are read recursively, in name order, so runs are repeatable.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES
            )
            if not found:
                raise ImportFailed(f"{path}: no Markdown files (.md) in this folder")
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in MARKDOWN_SUFFIXES | WXR_SUFFIXES:
                raise ImportFailed(
                    f"{path.name}: not a story archive (expected .md Markdown or .xml WordPress export)"
                )
            files.append(path)
        else:
            raise ImportFailed(f"{path}: no such file or folder")
    return files


def read_archive_file(path: Path, *, media: Path | None = None) -> ArchiveFile:
    """Parse one Markdown file or WordPress export (errors name the file by its name)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read ({error.strerror})") from error
    if path.suffix.lower() in WXR_SUFFIXES:
        return parse_wxr(raw, source=path.name, media=media)
    archive = ArchiveFile(source=path.name)
    archive.stories.append(parse_markdown(raw, source=path.name, default_slug=path.stem))
    return archive


# ---------------------------------------------------------------------------------------------
# Markdown with front matter


def parse_markdown(raw: bytes | str, *, source: str, default_slug: str) -> StoryRecord:
    """Check a Markdown story and turn it into a record; the database is not touched."""
    text = _decode(raw, source).replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ImportFailed(
            f"{source}: no front matter: the file must start with a line '---', then the "
            "fields (title, status, …), then another '---' line"
        )
    try:
        meta = yaml.safe_load(match["meta"] or "")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ImportFailed(f"{source}{line}: front matter is not valid YAML ({problem})") from error
    if not isinstance(meta, dict):
        raise ImportFailed(f"{source}: front matter must be fields ('title: …'), not a list or text")
    fm = _FrontMatter(source, meta)

    slug = fm.text("slug") or _DATE_PREFIX.sub("", default_slug)
    slug = slugify(slug)[:_SLUG_MAX].strip("-")
    if not slug:
        fm.fail("cannot make an address from it; give a slug", "slug")
    fields: dict[str, Any] = {
        "title": fm.text("title", required=True, max_length=_TITLE_MAX),
        "dek": fm.text("dek", max_length=_DEK_MAX),
        "kind": fm.choice("kind", Article.Kind.values, default=Article.Kind.NEWS),
        "status": fm.choice("status", Article.Status.values, default=Article.Status.DRAFT),
        "published_at": fm.moment("published"),
        "source_url": fm.text("source_url", max_length=500),
        "body": sanitize_html(markdown.markdown(match["body"] or "", extensions=["sane_lists"])),
    }
    if fields["status"] in (Article.Status.PUBLISHED, Article.Status.SCHEDULED) and not fields[
        "published_at"
    ]:
        fm.fail(f"required when status is {fields['status']}", "published")
    if fields["source_url"]:
        _check_url(fields["source_url"], lambda message: fm.fail(message, "source_url"))
    return StoryRecord(
        where=source,
        slug=slug,
        fields=fields,
        import_key=None,
        match_slug=True,
        source=fm.text("source") or None,
        show=fm.text("show") or None,
        tags=fm.names("tags", max_length=_TAG_MAX),
        authors=fm.names("authors", max_length=200),
    )


class _FrontMatter:
    """Reads front matter field by field, naming the file and the field in every error."""

    def __init__(self, source: str, meta: dict) -> None:
        self.source, self.meta = source, meta
        unknown = sorted(str(k) for k in meta if k not in FRONT_MATTER_KEYS)
        if unknown:
            self.fail(f"unknown field (known: {', '.join(sorted(FRONT_MATTER_KEYS))})", unknown[0])

    def fail(self, message: str, name: str) -> None:
        raise ImportFailed(f"{self.source}: {name}: {message}")

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.meta.get(name)
        if value is None:
            if required:
                self.fail("required", name)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(f"expected text, got {type(value).__name__}", name)
        value = str(value).strip()
        if required and not value:
            self.fail("must not be empty", name)
        if max_length and len(value) > max_length:
            self.fail(f"longer than {max_length} characters", name)
        return value

    def choice(self, name: str, choices: list[str], *, default: str) -> str:
        value = self.meta.get(name)
        if value is None:
            return default
        if value not in choices:
            self.fail(f"{value!r} is not one of {', '.join(choices)}", name)
        return value

    def moment(self, name: str) -> datetime | None:
        value = self.meta.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                self.fail(f"{value!r} is not a date and time (e.g. 2025-10-10T14:00:00Z)", name)
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time())
        if not isinstance(value, datetime):
            self.fail("expected a date and time (e.g. 2025-10-10T14:00:00Z)", name)
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def names(self, name: str, *, max_length: int) -> list[str]:
        value = self.meta.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("expected a list of names, e.g. [renewals, crime drama]", name)
        names = _unique(v.strip() for v in value if v.strip())
        for item in names:
            if len(item) > max_length:
                self.fail(f"{item[:40]!r}… is longer than {max_length} characters", name)
        return names


# ---------------------------------------------------------------------------------------------
# WordPress eXtended RSS (WXR)


def parse_wxr(raw: bytes, *, source: str, media: Path | None = None) -> ArchiveFile:
    """Check a WordPress export and turn its posts into records; the database is not touched.

    Pages, menu items and other post types are reported as skipped. An attachment becomes
    the hero image of the post that features it (``_thumbnail_id``) when its file is found
    under ``media`` (the export's ``uploads`` folder, or any folder holding the files).
    """
    try:
        root = SafeElementTree.fromstring(
            raw, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise ImportFailed(
            f"{source}: refused: the file declares XML entities or external references "
            f"({error}); a WordPress export never does, and expanding them is how XML bombs "
            "and file-reading attacks work"
        ) from error
    except ParseError as error:
        line, column = error.position
        raise ImportFailed(
            f"{source} line {line}, column {column + 1}: not well-formed XML: "
            f"{str(error).split(':')[0]} (is the file truncated or hand-edited?)"
        ) from error
    _normalise_tags(root)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ImportFailed(f"{source}: not a WordPress export (no <rss><channel>)")
    version = (channel.findtext("wp:wxr_version") or "").strip()
    if not version:
        raise ImportFailed(
            f"{source}: not a WordPress export: no WXR version (<wp:wxr_version>) in the channel"
        )
    if version not in WXR_VERSIONS:
        raise ImportFailed(
            f"{source}: WXR version {version!r} is not one this import reads "
            f"({', '.join(sorted(WXR_VERSIONS))})"
        )
    # Post ids are unique within a site; an export naming no site at all is known by its
    # title (or, failing that, its file name).
    site = (
        _text(channel, "wp:base_blog_url")
        or _text(channel, "link")
        or _text(channel, "wp:base_site_url")
        or f"export:{_text(channel, 'title') or source}"
    )
    authors = {}
    for element in channel.findall("wp:author"):
        login = _text(element, "wp:author_login")
        name = _text(element, "wp:author_display_name") or " ".join(
            filter(None, [_text(element, "wp:author_first_name"), _text(element, "wp:author_last_name")])
        )
        if login:
            authors[login] = name or login

    archive = ArchiveFile(source=source)
    items = channel.findall("item")
    attachments: dict[str, Element] = {}
    posts: list[tuple[int, Element]] = []
    for number, item in enumerate(items, start=1):
        post_type = _text(item, "wp:post_type") or "post"
        if post_type == "post":
            posts.append((number, item))
        elif post_type == "attachment":
            attachments[_text(item, "wp:post_id")] = item
        else:
            archive.skipped.append((post_type, "not a story (only posts are)"))

    featured: set[str] = set()
    seen: dict[str, str] = {}
    protected = 0
    for number, item in posts:
        record, thumbnail = _wxr_story(item, number=number, source=source, site=site, authors=authors)
        if record is None:
            archive.skipped.append(("story", thumbnail))  # the reason, for skipped posts
            continue
        if _text(item, "wp:post_password"):
            protected += 1
            record.fields["status"] = Article.Status.DRAFT
        if thumbnail:
            featured.add(thumbnail)
            attachment = attachments.get(thumbnail)
            if attachment is None:
                archive.skipped.append(("image", "featured image not in the export"))
            else:
                record.image = _wxr_image(attachment, media, archive)
        if record.import_key in seen:
            raise ImportFailed(
                f"{record.where}: the same post as {seen[record.import_key]} (same wp:post_id); "
                "an export holds each post once"
            )
        seen[record.import_key] = record.where.split(": ", 1)[1]
        archive.stories.append(record)
    for post_id in attachments:
        if post_id not in featured:
            archive.skipped.append(("attachment", "not a post's featured image"))
    undated = sum(record.undated for record in archive.stories)
    if undated:
        archive.notes.append(
            f"{undated} published post(s) without a date imported as drafts, for an editor to date"
        )
    if protected:
        archive.notes.append(
            f"{protected} password-protected post(s) imported as drafts, never public"
        )
    return archive


def _normalise_tags(root: Element) -> None:
    """Rename namespaced tags to short prefixes (``wp:post_id``) whatever the WXR version.

    WXR 1.0, 1.1 and 1.2 differ in the WordPress namespace (``http://wordpress.org/export/1.0/``
    … and the ``https`` variant), not in the elements this import reads.
    """
    prefixes: dict[str, str] = dict(_NAMESPACES)
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            continue
        uri, local = tag[1:].split("}", 1)
        prefix = prefixes.get(uri)
        if prefix is None:
            match = _WP_NAMESPACE.match(uri)
            prefix = ("excerpt" if match["excerpt"] else "wp") if match else uri
            prefixes[uri] = prefix
        element.tag = f"{prefix}:{local}"


def _text(element: Element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _wxr_story(
    item: Element, *, number: int, source: str, site: str, authors: dict[str, str]
) -> tuple[StoryRecord | None, str]:
    """One post as a record, and its featured image id (or, when skipped, the reason)."""
    post_id = _text(item, "wp:post_id")
    raw_title = item.findtext("title") or ""
    title = plain_text(raw_title)
    where = f"{source}: item {number} (post {post_id or '?'}"
    where += f", {title[:60]!r})" if title else ")"

    wp_status = _text(item, "wp:status") or "publish"
    if wp_status in WXR_STATUSES_SKIPPED:
        return None, f"{wp_status}: {WXR_STATUSES_SKIPPED[wp_status]}"
    status = WXR_STATUSES.get(wp_status)
    if status is None:
        raise ImportFailed(
            f"{where}: wp:status: {wp_status!r} is not a WordPress post status "
            f"({', '.join([*WXR_STATUSES, *WXR_STATUSES_SKIPPED])})"
        )

    key = wxr_import_key(site=site, post_id=post_id, guid=_text(item, "guid"), link=_text(item, "link"))
    if key is None:
        raise ImportFailed(f"{where}: no wp:post_id, guid or link: nothing identifies the post")

    published_at = _wxr_date(item, where)
    undated = status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED) and not published_at
    if undated:
        # Making up a publish time would misdate the archive; an editor dates it instead.
        status = Article.Status.DRAFT

    slug_source = unquote(_text(item, "wp:post_name")) or title or f"post-{post_id}"
    slug = slugify(slug_source, allow_unicode=False)[:_SLUG_MAX].strip("-") or f"post-{post_id}"
    if not title:
        title = _text(item, "wp:post_name").replace("-", " ").capitalize() or f"Untitled post {post_id}"
    if len(title) > _TITLE_MAX:
        title = title[: _TITLE_MAX - 1].rstrip() + "…"
    dek = plain_text(item.findtext("excerpt:encoded") or "")
    if len(dek) > _DEK_MAX:
        dek = dek[: _DEK_MAX - 1].rsplit(" ", 1)[0] + "…"

    tags: list[str] = []
    for category in item.findall("category"):
        if category.get("domain") in ("category", "post_tag"):
            name = plain_text(category.text or "")
            if name:
                tags.append(name[:_TAG_MAX].strip())
    creator = _text(item, "dc:creator") or _text(item, "wp:author")
    thumbnail = ""
    for meta in item.findall("wp:postmeta"):
        if _text(meta, "wp:meta_key") == "_thumbnail_id":
            thumbnail = _text(meta, "wp:meta_value")

    record = StoryRecord(
        where=where,
        slug=slug,
        import_key=key,
        fields={
            "title": title,
            "dek": dek,
            "status": status,
            "published_at": published_at,
            "body": sanitize_html(wordpress_html(item.findtext("content:encoded") or "")),
        },
        tags=_unique(tags),
        authors=[authors.get(creator, creator)] if creator else [],
    )
    record.undated = undated
    return record, thumbnail


def wxr_import_key(*, site: str, post_id: str, guid: str, link: str) -> str | None:
    """A post's identity: the site's address and the post id, which WordPress keeps unique
    within a site; the guid or the link only when the export lacks either (real exports
    repeat guids: WordPress's own theme test data has posts sharing one)."""
    if site and post_id:
        key = f"wxr:{site.rstrip('/')}/?p={post_id}"
    elif guid or link:
        key = f"wxr:{guid or link}"
    else:
        return None
    if len(key) > _KEY_MAX:
        key = "wxr:sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _wxr_date(item: Element, where: str) -> datetime | None:
    """The post's GMT date; ``0000-00-00 00:00:00`` (an unsaved date: drafts) is no date."""
    gmt = _text(item, "wp:post_date_gmt")
    if gmt and gmt != _ZERO_DATE:
        try:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError as error:
            raise ImportFailed(
                f"{where}: wp:post_date_gmt: {gmt!r} is not a date (YYYY-MM-DD HH:MM:SS)"
            ) from error
    pub_date = _text(item, "pubDate")
    if pub_date and not gmt:
        try:
            moment = parsedate_to_datetime(pub_date)
        except (TypeError, ValueError):
            return None
        if moment.year > 1 and moment.tzinfo is not None:
            return moment.astimezone(UTC)
    return None


def _wxr_image(attachment: Element, media: Path | None, archive: ArchiveFile) -> ImageRecord | None:
    """The featured image's file from ``media``, checked to be an image; None when absent."""
    url = _text(attachment, "wp:attachment_url") or _text(attachment, "guid")
    if media is None:
        archive.skipped.append(("image", "files not given (import with --media DIR)"))
        return None
    path = urlsplit(url).path
    relative = unquote(path.split("/uploads/", 1)[1]) if "/uploads/" in path else ""
    candidates = []
    if relative and ".." not in PurePosixPath(relative).parts:
        candidates.append(media / relative)
    name = PurePosixPath(unquote(path)).name
    if name and name not in ("..", "."):
        candidates.append(media / name)
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        archive.skipped.append(("image", "file not found in the --media folder"))
        return None
    data = found.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        archive.skipped.append(("image", "file is not a readable image"))
        return None
    alt = ""
    for meta in attachment.findall("wp:postmeta"):
        if _text(meta, "wp:meta_key") == "_wp_attachment_image_alt":
            alt = _text(meta, "wp:meta_value")
    alt = alt or plain_text(attachment.findtext("excerpt:encoded") or "")
    return ImageRecord(filename=found.name, data=data, alt=alt[:300])


def wordpress_html(content: str) -> str:
    """WordPress post content as HTML: paragraphs from blank lines, captions as figures.

    WordPress stores classic-editor posts without ``<p>`` tags and adds them when a page is
    shown (``wpautop``); block-editor posts carry their own. Text between blank lines that
    does not start with a block element becomes a paragraph, single line breaks inside it
    ``<br>``. ``[caption]`` shortcodes become figures; media shortcodes, which need
    WordPress to render, are dropped.
    """
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    content = _CAPTION.sub(_caption_figure, content)
    content = _SHORTCODE.sub("", content)
    blocks = re.split(r"\n\s*\n", content)
    out = []
    for block in blocks:
        block = block.strip()
        if not block:
            continue
        if _BLOCK_START.match(block):
            out.append(block)
        else:
            out.append("<p>" + block.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _caption_figure(match: re.Match) -> str:
    inner = match[1].strip()
    media = _CAPTION_MEDIA.match(inner)
    if not media:
        return inner
    caption = media[2].strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{media[1]}{figcaption}</figure>\n\n"


# ---------------------------------------------------------------------------------------------
# Writing


def import_stories(
    archive: ArchiveFile, *, dry_run: bool = False, progress: ProgressFactory = no_progress
) -> ArchiveStats:
    """Write a parsed file: upsert its stories, bylines, tags and images, in one transaction.

    A story that cannot be written (an unknown show or publication) rolls back the whole
    file. Image files are stored only once the transaction commits, so a dry run or a
    refused file leaves no file behind either.
    """
    stats = ArchiveStats(dry_run=dry_run)
    for kind, reason in archive.skipped:
        stats.skip(kind, reason)
    stats.notes.extend(archive.notes)
    bar = progress(archive.source, len(archive.stories), "stories")
    try:
        with import_transaction(dry_run=dry_run):
            writer = _StoryWriter(archive, stats)
            for record in archive.stories:
                writer.write(record)
                bar.update()
    finally:
        bar.close()
    return stats


class _StoryWriter:
    def __init__(self, archive: ArchiveFile, stats: ArchiveStats) -> None:
        self.stats = stats
        self.authors: dict[str, Author] = {}
        self.shows = self._lookup_shows({r.show for r in archive.stories if r.show})
        self.sources = self._lookup_sources({r.source for r in archive.stories if r.source})

    # Lookups, once per file ----------------------------------------------------------------

    def _lookup_shows(self, keys: set[str]) -> dict[str, Show]:
        return {show.key: show for show in Show.objects.filter(key__in=keys)}

    def _lookup_sources(self, names: set[str]) -> dict[str, Company]:
        """Publications by name, key or alias, case-insensitive (a story's source is one)."""
        if not names:
            return {}
        wanted = {name.casefold() for name in names}
        found: dict[str, Company] = {}
        for company in Company.objects.filter(kind=Company.Kind.PUBLICATION).order_by("pk"):
            for spelling in (company.name, company.key, *(company.aliases or [])):
                folded = str(spelling).casefold()
                if folded in wanted:
                    found.setdefault(folded, company)
        return found

    def _author(self, name: str) -> Author:
        folded = name.casefold()
        if folded not in self.authors:
            author = (
                Author.objects.annotate(lowered=Lower("name"))
                .filter(lowered=name.lower())
                .order_by("pk")
                .first()
            )
            if author is None:
                author = Author.objects.create(name=name)
                self.stats.created["author"] += 1
            self.authors[folded] = author
        return self.authors[folded]

    # One story -----------------------------------------------------------------------------

    def write(self, record: StoryRecord) -> None:
        wanted = dict(record.fields)
        if record.show:
            show = self.shows.get(record.show)
            if show is None:
                raise ImportFailed(f"{record.where}: show: unknown show key {record.show!r}")
            wanted["main_show"] = show
        if record.source:
            source = self.sources.get(record.source.casefold())
            if source is None:
                raise ImportFailed(
                    f"{record.where}: source: no publication named {record.source!r} in the "
                    "catalog (import it first, or leave source out)"
                )
            wanted["source"] = source

        article = self._find(record)
        if article is None:
            article = Article(import_key=record.import_key)
            article.slug = unique_slug(article, record.slug, max_length=_SLUG_MAX)
            created = True
        else:
            created = False
        changed = created
        for name, value in wanted.items():
            if getattr(article, name) != value:
                setattr(article, name, value)
                changed = True
                if name == "body":
                    # The linked body is of the old text; linking writes the new one.
                    article.body_html = ""
                    article.linked_at = None
        image_changed = record.image is not None and self._set_image(article, record.image)
        changed = changed or image_changed
        if changed:
            self._save(article, record)
        bylines_changed = self._bylines(article, record.authors)
        tags_changed = self._tags(article, record.tags)
        if created:
            self.stats.created["story"] += 1
        elif changed or bylines_changed or tags_changed:
            self.stats.updated["story"] += 1
        else:
            self.stats.unchanged["story"] += 1
        if article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED) and (
            changed or bylines_changed or tags_changed or article.linked_at is None
        ):
            self.stats.to_link.append(article.pk)

    def _find(self, record: StoryRecord) -> Article | None:
        if record.match_slug:
            article = Article.objects.filter(slug=record.slug).first()
            if article is not None and article.import_key and article.import_key.startswith("wxr:"):
                raise ImportFailed(
                    f"{record.where}: slug: {record.slug!r} is the address of a story imported "
                    "from WordPress; give this story another slug"
                )
            return article
        return Article.objects.filter(import_key=record.import_key).first()

    def _save(self, article: Article, record: StoryRecord) -> None:
        # Article.save() raises the version of a stored story (optimistic locking).
        try:
            article.full_clean(exclude=["hero_image"])
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise ImportFailed(f"{record.where}: {problems}") from error
        article.save()

    def _set_image(self, article: Article, image: ImageRecord) -> bool:
        """Point the story at the image, storing the file when the transaction commits."""
        field = article.hero_image
        if field.name and field.storage.exists(field.name):
            with field.storage.open(field.name, "rb") as stored:
                same = stored.read() == image.data
            if same:
                if image.alt and article.hero_alt != image.alt:
                    article.hero_alt = image.alt
                    self.stats.updated["image"] += 1
                    return True
                self.stats.unchanged["image"] += 1
                return False
            self.stats.updated["image"] += 1
        else:
            self.stats.created["image"] += 1
        storage = field.storage
        name = storage.get_available_name(
            field.field.generate_filename(article, image.filename), max_length=100
        )
        article.hero_image.name = name
        article.hero_alt = image.alt or article.hero_alt
        data = image.data

        def store() -> None:
            saved = storage.save(name, ContentFile(data))
            if saved != name:
                Article.objects.filter(hero_image=name).update(hero_image=saved)

        transaction.on_commit(store)
        return True

    def _bylines(self, article: Article, names: list[str]) -> bool:
        if not names:
            return False
        wanted = [self._author(name).pk for name in names]
        current = list(
            Byline.objects.filter(article=article).order_by("order", "id").values_list("author_id", flat=True)
        )
        if current == wanted:
            return False
        Byline.objects.filter(article=article).delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=pk, order=order) for order, pk in enumerate(wanted)
        )
        keep_byline_authors([article.pk])  # bulk_create sends no signal
        return True

    def _tags(self, article: Article, names: list[str]) -> bool:
        """Add the file's tags that the story lacks; never remove one (linking and editors
        add their own)."""
        if not names:
            return False
        wanted = set(tag_ids(names).values())
        current = set(TaggedArticle.objects.filter(content_object=article).values_list("tag_id", flat=True))
        missing = wanted - current
        if not missing:
            return False
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag_id=pk) for pk in sorted(missing)
        )
        return True


# ---------------------------------------------------------------------------------------------
# The whole import


def import_articles(
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    media: Path | None = None,
    link: bool = True,
    progress: ProgressFactory = no_progress,
) -> ArticleImportResult:
    """Import story archives: each file in its own transaction, then link in one batch.

    A refused file is reported (its message names the file and the record) and nothing of
    it is written; the other files still go in, and the caller decides how to exit. A dry
    run checks and writes everything inside a transaction that is rolled back, and does not
    link (linking would only repeat the real run's work on rows about to vanish).
    """
    result = ArticleImportResult()
    files = archive_files(paths)
    # Each file commits on its own; a dry run wraps them all in one transaction rolled back
    # at the end, so later files are checked against the rows of earlier ones.
    with import_transaction(dry_run=True) if dry_run else nullcontext():
        bar = progress("files", len(files), "files") if len(files) > 1 else None
        for path in files:
            # A bar per file only where a file holds many stories (WordPress exports).
            per_file = progress if path.suffix.lower() in WXR_SUFFIXES else no_progress
            try:
                archive = read_archive_file(path, media=media)
                stats = import_stories(archive, dry_run=False, progress=per_file)
            except ImportFailed as error:
                result.failures.append(str(error))
            else:
                result.files.append((path.name, stats))
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
    to_link = _unique(pk for _name, stats in result.files for pk in stats.to_link)
    if link and to_link and not dry_run:
        result.linked, result.link_summary = link_stories(to_link, progress=progress)
    elif dry_run and to_link:
        result.link_summary = f"linking: {len(to_link)} stories would be linked"
    return result


def link_stories(pks: list[int], *, progress: ProgressFactory = no_progress) -> tuple[int, str]:
    """Link the given stories to the catalog with one gazetteer; returns (count, summary)."""
    from .linking import link_articles

    bar = progress("linking", len(pks), "stories")
    try:
        batch = link_articles(
            Article.objects.filter(pk__in=pks).order_by("pk"),
            on_progress=lambda article, result: bar.update(),
        )
    finally:
        bar.close()
    return batch.stories, (
        f"linked {batch.stories} stories: {batch.mentions} mentions, "
        f"{batch.suggestions_created} new suggestions, {batch.ambiguous} ambiguous names"
    )


# ---------------------------------------------------------------------------------------------
# Helpers


def _decode(raw: bytes | str, source: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFailed(
            f"{source} line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset "
            f"{error.start}); save the file as UTF-8"
        ) from error


def _check_url(url: str, fail) -> None:
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        fail(f"{url!r} is not an http(s) address")


def _unique(items: Iterable) -> list:
    seen: dict = {}
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        seen.setdefault(key, item)
    return list(seen.values())
