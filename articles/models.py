"""Stories, their bylines, and what linking found in them.

An ``Article`` is visible to the public when its status is published and its publish time has
passed: visibility is decided when a page is read, so a scheduled story goes live on time
without a job. ``Mention`` rows are the stored result of linking (``articles.linking``): the
page renders them, nothing is matched on a page view. ``Suggestion`` rows are facts the text
states that the catalog lacks, waiting for an editor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from catalog.models import (
    Company,
    Credit,
    KeepsCopies,
    Person,
    RemembersLoaded,
    Show,
    effective_status_rule,
)
from catalog.tags import CaseInsensitiveTaggableManager
from newsroom.links import page_url
from newsroom.text import unique_slug


class Author(RemembersLoaded, models.Model):
    """A byline. Not an account: guest and freelance writers have one too."""

    remembered_fields = ("name", "slug")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="authors/%Y/", blank=True)
    photo_alt = models.CharField(max_length=255, blank=True)
    photo_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="WebP sizes of the photo for pages, made when it is saved (newsroom.images).",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account that writes under this byline, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return page_url("articles:author_detail", slug=self.slug)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "story tag"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedarticle_unique")
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self, at: datetime | None = None) -> ArticleQuerySet:
        """What the public may see: published (or scheduled) and publish time passed (by
        ``at``, now unless given).

        A scheduled story needs nothing to happen at its time: the moment it is read after
        ``published_at`` it is live, whichever of the two statuses it was saved with.
        """
        return self.filter(
            status__in=Article.LIVE_STATUSES, published_at__lte=at or timezone.now()
        )

    def scheduled(self) -> ArticleQuerySet:
        """Published or scheduled stories whose time has not come yet."""
        return self.filter(
            status__in=Article.LIVE_STATUSES, published_at__gt=timezone.now()
        )

    def drafts(self) -> ArticleQuerySet:
        return self.filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW])

    def _with_bylines(self) -> ArticleQuerySet:
        return self.select_related("main_show", "source").prefetch_related(
            models.Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("author").order_by("order", "id"),
            )
        )

    def for_listing(self) -> ArticleQuerySet:
        """Story lists: headline, dek, date, kind, main show and bylines, in two queries.

        The bodies are left in the database: a list never shows them, and twenty of them
        would be most of the bytes read.
        """
        return (
            self._with_bylines()
            .defer("body", "body_html", "main_show__description", "source__description")
            .order_by("-published_at", "-id")
        )

    def for_detail(self) -> ArticleQuerySet:
        """The story page's row: the story with its main show, the show's network and the
        source joined, in one query.

        What the page lists beside it (bylines, tags, mentions, the cast & crew panel) is read
        by :func:`articles.story.story_parts` in one plain query each, not by
        ``prefetch_related``: building four prefetches cost more than the page's SQL.
        """
        return self.select_related("main_show__network", "source")

    def newest(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-id")

    def renewal_news(self) -> ArticleQuerySet:
        """Renewal and cancellation stories: the home page's "latest renewals"."""
        return self.filter(kind__in=[Article.Kind.RENEWAL, Article.Kind.CANCELLATION])

    def by_author(self, author: Author) -> ArticleQuerySet:
        return self.filter(pk__in=Byline.objects.filter(author=author).values("article_id"))

    def tagged(self, tag) -> ArticleQuerySet:
        return self.filter(pk__in=TaggedArticle.objects.filter(tag=tag).values("content_object_id"))

    def about(self, show: Show) -> ArticleQuerySet:
        """Stories whose subject is the show."""
        return self.filter(main_show=show)

    def mentioning(
        self, *, person: Person | int | None = None, show: Show | int | None = None,
        company: Company | int | None = None,
    ) -> ArticleQuerySet:
        """Stories that name the entity, by their active (not excluded) mentions.

        A subquery rather than a join, so each story comes once and slicing stays cheap.
        """
        target = {"person": person, "show": show, "company": company}
        target = {key: value for key, value in target.items() if value is not None}
        if len(target) != 1:
            raise ValueError("mentioning() takes exactly one of person, show or company")
        return self.filter(pk__in=Mention.objects.active().filter(**target).values("article_id"))

    def about_shows_of(self, person: Person | int) -> ArticleQuerySet:
        """Stories about any show the person is credited on (each story once)."""
        return self.filter(main_show__in=Credit.objects.filter(person=person).values("show_id"))

    # The profile pages' story lists, newest first and bounded. A person named in a thousand
    # stories, or credited on three hundred shows, must not make their page walk the whole
    # archive: each is shaped so the database reads about ``limit`` rows per entity.

    def newest_mentioning(self, *, at: datetime, limit: int, **target: int) -> ArticleQuerySet:
        """The ``limit`` newest public stories naming the entity (``person=``, ``show=`` or
        ``company=``, an id or a model), as of ``at``: the first rows of its
        ``mention_*_newest`` index."""
        latest = Mention.objects.public(at).filter(**target).newest()
        return self.published(at).filter(pk__in=latest.values("article_id")[:limit]).newest()

    def newest_about_shows_of(self, person: int, *, at: datetime, limit: int) -> ArticleQuerySet:
        """The ``limit`` newest public stories about a show the person is credited on, as of
        ``at`` (whether or not they name the person: a page listing both drops the ones it
        already lists under :meth:`newest_mentioning`).

        On PostgreSQL, only some of the person's shows are read for stories: the ``limit``
        newest stories are about at most ``limit`` shows, and each of those has a story at
        least as new as them, so they are about the ``limit`` shows whose newest story is
        newest. Each credit carries its show's newest story time
        (``Credit.show_story_at``, in the person's index ``credit_person_shows``); a show
        whose newest story is scheduled after ``at`` is read too, whatever its other stories'
        times. Each of those shows gives its own newest ``limit`` stories (the first rows of
        its ``article_show_newest`` index, ``LATERAL``), and the newest ``limit`` of those are
        the answer: the same stories as the plain filter, for 40 shows of someone credited on
        300. Elsewhere (SQLite, the demo) the plain filter.
        """
        if connections[self.db].vendor != "postgresql":
            return self.published(at).about_shows_of(person).newest()
        article, credit = (m._meta.db_table for m in (Article, Credit))
        newest_per_show = RawSQL(  # noqa: S611 — see the note on its text below
            f"""
            SELECT per_show.id FROM (
                (SELECT DISTINCT show_story_at, show_id FROM {credit}
                 WHERE person_id = %s AND show_story_at <= %s
                 ORDER BY show_story_at DESC LIMIT {int(limit)})
                UNION ALL
                SELECT DISTINCT show_story_at, show_id FROM {credit}
                WHERE person_id = %s AND show_story_at > %s
            ) shows
            CROSS JOIN LATERAL (
                SELECT a.id, a.published_at FROM {article} a
                WHERE a.main_show_id = shows.show_id AND a.status = ANY(%s) AND a.published_at <= %s
                ORDER BY a.published_at DESC, a.id DESC
                LIMIT {int(limit)}
            ) per_show
            ORDER BY per_show.published_at DESC, per_show.id DESC
            LIMIT {int(limit)}
            """,  # noqa: S608 — table names from the models, limit an int; values are parameters
            (person, at, person, at, list(Article.LIVE_STATUSES), at),
        )
        return self.published(at).filter(pk__in=newest_per_show).newest()

    def concerning_company(self, company: Company) -> ArticleQuerySet:
        """Stories that name the company, are about one of its shows (as network or
        studio), or that it first reported.

        Each part is a set of ids (read once, hashed) rather than a join: the newest of a
        network's stories are found without joining every newer story to its show, and the
        stories naming it come from its ``mention_company_newest`` index alone (a story that
        is live has a ``story_live_at``; one that is not is filtered out by ``published()``).
        """
        studio_shows = Show.studios.through.objects.filter(company=company).values("show_id")
        network_shows = Show.objects.filter(network=company).values("pk")
        naming = Mention.objects.active().filter(company=company, story_live_at__isnull=False)
        return self.filter(
            Q(pk__in=naming.values("article_id"))
            | Q(main_show__in=network_shows)
            | Q(main_show__in=studio_shows)
            | Q(source=company)
        )

    def for_feed(self) -> ArticleQuerySet:
        """Feed entries: the listing shape plus tags, which feeds carry as categories."""
        return self.for_listing().prefetch_related("tags")

    def deciding(self, since: datetime, at: datetime) -> ArticleQuerySet:
        """The renewal scorecard's rows: for each show, its latest renewal or cancellation
        story published between ``since`` and ``at`` (by publish time, then id), annotated with
        the show's ``effective_status`` as of ``at`` by the show page's own rule.

        The latest story per show is ranked in a subquery (one pass over the window's
        stories, sorted by show), so filters on the result (a verdict, a platform) apply to
        each show's deciding story and never let an older story of the show stand in for it.
        """
        latest = (
            Article.objects.published(at)
            .renewal_news()
            .filter(published_at__gte=since, main_show__isnull=False)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("main_show_id")],
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank=1)
            .values("pk")
        )
        return self.filter(pk__in=latest).annotate(
            effective_status=effective_status_rule(
                kind="kind", final="is_final_season", show="main_show__"
            )
        )

    # What each profile page lists. Each is one filter built from subqueries, so a story that
    # qualifies twice (about a show and naming it) appears once, with no DISTINCT needed.

    def about_show(self, show: Show) -> ArticleQuerySet:
        """Stories about a show (its main show) or naming it in the text."""
        named = Mention.objects.active().filter(show=show).values("article_id")
        return self.filter(Q(main_show=show) | Q(pk__in=named))

    def about_person(self, person: Person) -> ArticleQuerySet:
        """Stories naming a person, or about a show the person is credited on."""
        named = Mention.objects.active().filter(person=person).values("article_id")
        credited_shows = Credit.objects.filter(person=person).values("show_id")
        return self.filter(Q(pk__in=named) | Q(main_show__in=credited_shows))

    def about_company(self, company: Company) -> ArticleQuerySet:
        """Stories naming a company, or about a show it airs (network) or makes (studio)."""
        named = Mention.objects.active().filter(company=company).values("article_id")
        its_shows = Show.objects.filter(Q(network=company) | Q(studios=company)).values("pk")
        return self.filter(Q(pk__in=named) | Q(main_show__in=its_shows))



def keep_byline_authors(article_ids: Iterable[int]) -> None:
    """Set these stories' ``byline_authors`` to their bylines' authors, as stored: after a
    byline or an author's name or slug changed. Stories whose copy is right are not written."""
    ids = list(article_ids)
    for start in range(0, len(ids), 2000):
        part = ids[start : start + 2000]
        authors: dict[int, list[list[str]]] = {pk: [] for pk in part}
        bylines = Byline.objects.filter(article_id__in=part).order_by("article_id", "order", "id")
        for article_id, name, slug in bylines.values_list("article_id", "author__name", "author__slug"):
            authors[article_id].append([name, slug])
        stale = [
            Article(pk=pk, byline_authors=authors[pk])
            for pk, stored in Article.objects.filter(pk__in=part).values_list("pk", "byline_authors")
            if stored != authors[pk]
        ]
        Article.objects.bulk_update(stale, ["byline_authors"], batch_size=500)


def keep_newest_story_times(show_ids: set[int]) -> None:
    """Set each of these shows' ``newest_story_at``, and their credits' copies of it
    (``Credit.show_story_at``), to the publish time of the newest published or scheduled
    story about the show (None when there is none): after a story about them was saved with
    a new status, time or show, or deleted. One query when nothing changed."""
    if not show_ids:
        return
    shows = Show.objects.filter(pk__in=show_ids).annotate(newest=Subquery(_newest_story_time()))
    for pk, stored, now in shows.values_list("pk", "newest_story_at", "newest"):
        if stored != now:
            Show.objects.filter(pk=pk).update(newest_story_at=now)
            Credit.objects.filter(show_id=pk).update(show_story_at=now)


def keep_all_newest_story_times() -> None:
    """Every show's ``newest_story_at`` and every credit's copies, set-based: after stories
    were written in bulk, bypassing ``Article.save()`` (``bench/dataset.py``)."""
    Show.objects.update(newest_story_at=Subquery(_newest_story_time()))
    Credit.objects.sync_show_copies()


def _newest_story_time() -> QuerySet:
    """The publish time of the newest published or scheduled story about the show ``pk``."""
    return (
        Article.objects.filter(main_show=OuterRef("pk"), status__in=Article.LIVE_STATUSES, published_at__isnull=False)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class Article(RemembersLoaded, KeepsCopies, models.Model):
    # What decides its show's newest story time (keep_newest_story_times).
    remembered_fields = ("main_show_id", "status", "published_at")
    copied_fields = ("byline_authors",)

    class Kind(models.TextChoices):
        RENEWAL = "renewal", "Renewal"
        CANCELLATION = "cancellation", "Cancellation"
        CASTING = "casting", "Casting"
        NEWS = "news", "News"
        REVIEW = "review", "Review"
        FEATURE = "feature", "Feature"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    # Statuses that go public by themselves once ``published_at`` has passed.
    LIVE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in the story's address.")
    dek = models.CharField(
        max_length=500, blank=True, help_text="One sentence under the headline."
    )
    body = models.TextField(blank=True, help_text="The story, as sanitized HTML.")
    body_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The body with catalog links, written by linking; what the page renders.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the story goes or went live."
    )
    authors = models.ManyToManyField(Author, through="Byline", blank=True, related_name="articles")
    source = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sourced_articles",
        limit_choices_to={"kind": Company.Kind.PUBLICATION},
        help_text="The publication that first reported the story.",
    )
    source_url = models.URLField(max_length=500, blank=True)
    hero_image = models.ImageField(upload_to="heroes/%Y/%m/", blank=True)
    hero_image_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="WebP sizes of the hero image for pages, made when it is saved (newsroom.images).",
    )
    hero_alt = models.CharField(
        max_length=300, blank=True, help_text="What the image shows, for readers who can't see it."
    )
    # A copy of the bylines, [[name, slug], …] in byline order, so that a list of stories
    # writes its cards' bylines from the stories' own rows (articles.cards) instead of a
    # query for them. Kept by keep_byline_authors(): Byline and Author saves, the imports.
    byline_authors = models.JSONField(default=list, editable=False)
    hero_credit = models.CharField(max_length=200, blank=True)
    main_show = models.ForeignKey(
        Show,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="main_articles",
        help_text="The show the story is about. Inferred from the headline when left empty.",
    )
    main_show_inferred = models.BooleanField(
        default=False, editable=False, help_text="The main show was set by linking, not an editor."
    )
    season_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The season a renewal announces."
    )
    is_final_season = models.BooleanField(default=False)
    import_key = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Identity in an imported archive (WXR post id or guid).",
    )
    tags = TaggableManager(
        through=TaggedArticle, blank=True, manager=CaseInsensitiveTaggableManager
    )
    removed_tags = models.JSONField(
        default=list, blank=True, editable=False, help_text="Automatic tags an editor removed."
    )
    linked_at = models.DateTimeField(null=True, blank=True, editable=False)
    went_live_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the go-live work (log entry, cache purge) was done; empty until then.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save; an edit based on an older one is refused."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and archive stories"),
            ("edit_any_article", "Can edit any story, whoever wrote it"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["renewal", "cancellation", "casting", "news", "review", "feature"]
                ),
                name="article_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "in_review", "scheduled", "published", "archived"]
                ),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"]) | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(season_number__isnull=True) | Q(season_number__gte=1),
                name="article_season_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["kind", "status", "-published_at"]),
            models.Index(fields=["main_show", "status", "-published_at"]),
            # The newest save is the pages' Last-Modified (newsroom.caching): an index read.
            models.Index(fields=["updated_at"], name="article_updated_at_idx"),
            # A show's stories newest first, straight from the index: its newest public
            # stories, and the one deciding its status, are the first matching rows. (The
            # index above has a range per status to merge and sort. No partial condition on
            # status: a prepared statement's generic plan could not use it.) Status is a key
            # column so that a person page's probe of each of their shows (300 at the large
            # dataset) is read from the index alone: 2.4 ms of SQL before, 1.6 ms after.
            models.Index(
                fields=["main_show", "-published_at", "-id", "status"], name="article_show_newest"
            ),
            # Every story in publish order, carrying what the stories sitemap reads: a sitemap
            # page is read from the index alone, however many stories it skips (the last
            # page, where new stories land, skipped 96,000 rows through the table: 160 ms at
            # the large dataset). Also the publish-time index. Key columns rather than
            # INCLUDE, which SQLite has not.
            models.Index(
                fields=["published_at", "id", "status", "slug", "updated_at"],
                name="article_published_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Every whole save of a stored story is a new version: an edit begun on an older
            # one is refused (optimistic locking in the admin), never silently overwritten.
            # Partial saves (linking writing body_html) leave the editor's text alone.
            self.version = (self.version or 0) + 1
        shows = {self.main_show_id, getattr(self, "_loaded_main_show_id", None)} - {None}
        show_time_changed = self.changed_since_loaded()
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or {"status", "published_at"} & set(fields):
            Mention.objects.filter(article_id=self.pk).exclude(
                story_live_at=self.live_at
            ).update(story_live_at=self.live_at)
        if show_time_changed and (fields is None or {"status", "published_at", "main_show", "main_show_id"} & set(fields)):
            keep_newest_story_times(shows)

    def get_absolute_url(self) -> str:
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return page_url(
            "articles:article_detail",
            year=when.year,
            month=f"{when.month:02d}",
            day=f"{when.day:02d}",
            slug=self.slug,
        )

    @property
    def live_at(self) -> datetime | None:
        """When the public sees the story: its publish time while it is published or
        scheduled (possibly still ahead), None otherwise. Copied onto its mentions."""
        return self.published_at if self.status in self.LIVE_STATUSES else None

    @property
    def is_published(self) -> bool:
        return (
            self.status in self.LIVE_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def rendered_body(self) -> str:
        """The linked body when linking has run, the sanitized body otherwise."""
        return self.body_html or self.body


class Byline(RemembersLoaded, models.Model):
    remembered_fields = ("article_id",)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class MentionQuerySet(models.QuerySet):
    def active(self) -> MentionQuerySet:
        """Mentions the page shows: not excluded by an editor."""
        return self.filter(excluded=False)

    def public(self, at: datetime | None = None) -> MentionQuerySet:
        """Active mentions in stories the public sees (``Article.objects.published()``)."""
        return self.active().filter(story_live_at__lte=at or timezone.now())

    def newest(self) -> MentionQuerySet:
        """Newest story first, in the order of the ``mention_*_newest`` indexes."""
        return self.order_by("-story_live_at", "-article_id")


class Mention(models.Model):
    """One catalog entity a story names (exactly one of person, show, company)."""

    class Found(models.TextChoices):
        AUTOMATIC = "automatic", "Found by linking"
        EDITOR = "editor", "Added by an editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    show = models.ForeignKey(
        Show, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    found = models.CharField(max_length=20, choices=Found.choices, default=Found.AUTOMATIC)
    excluded = models.BooleanField(
        default=False, help_text="An editor says this link is wrong; relinking keeps it out."
    )
    matched_text = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(
        null=True, blank=True, help_text="Character offset of the first linked mention in the body."
    )
    character = models.CharField(
        max_length=255, blank=True, help_text="The character the text says this person plays."
    )
    in_body = models.BooleanField(
        default=True, help_text="Named in the body (not only the headline or dek)."
    )
    # The story's ``live_at``, kept here by Article.save(), so that the newest public stories
    # naming a person, show or company are the first rows of one index rather than a walk
    # through every story probing for a mention. Public means live_at <= now.
    story_live_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, show__isnull=True, company__isnull=True)
                    | Q(person__isnull=True, show__isnull=False, company__isnull=True)
                    | Q(person__isnull=True, show__isnull=True, company__isnull=False)
                ),
                name="mention_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["article", "person"], condition=Q(person__isnull=False),
                name="mention_unique_person",
            ),
            models.UniqueConstraint(
                fields=["article", "show"], condition=Q(show__isnull=False),
                name="mention_unique_show",
            ),
            models.UniqueConstraint(
                fields=["article", "company"], condition=Q(company__isnull=False),
                name="mention_unique_company",
            ),
            models.CheckConstraint(
                condition=Q(found__in=["automatic", "editor"]), name="mention_found_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=[target, "-story_live_at", "-article"],
                condition=Q(excluded=False, story_live_at__isnull=False, **{f"{target}__isnull": False}),
                name=f"mention_{target}_newest",
            )
            for target in ("person", "show", "company")
        ] + [
            # The newest public mention of anyone (a sitemap section's lastmod).
            models.Index(
                fields=["-story_live_at", "-article"],
                condition=Q(excluded=False, story_live_at__isnull=False),
                name="mention_newest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} → {self.target}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding or kwargs.get("update_fields") is None:
            self.story_live_at = self.article.live_at
        super().save(*args, **kwargs)

    @property
    def target(self) -> Person | Show | Company:
        return self.person or self.show or self.company


class Suggestion(models.Model):
    """A fact the story states that the catalog lacks, for an editor to accept or reject."""

    class Kind(models.TextChoices):
        PERSON = "person", "New person"
        CREDIT = "credit", "New credit"
        AMBIGUOUS = "ambiguous", "Ambiguous name"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    person_name = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions"
    )
    show = models.ForeignKey(
        Show, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions"
    )
    role = models.CharField(max_length=30, blank=True)
    character = models.CharField(max_length=255, blank=True)
    known_for = models.JSONField(default=list, blank=True, help_text="Titles named beside the person.")
    evidence = models.TextField(blank=True, help_text="The sentence the suggestion came from.")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "person_name", "show", "role", "character"],
                name="suggestion_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "credit", "ambiguous"]), name="suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="suggestion_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        what = self.person_name or (self.person.name if self.person_id else "")
        if self.role:
            what += f" — {self.role.replace('_', ' ')}"
        return f"{self.get_kind_display()}: {what}"
