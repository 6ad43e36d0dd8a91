"""The catalog: companies, shows and their seasons, people, and the credits that join them.

Companies, shows and people carry a unique ``key``: the identity used by the catalog
interchange format, so a re-import updates a row instead of duplicating it. Names and aliases
feed the linking gazetteer (``articles.linking``); any change bumps ``CatalogVersion`` so that
every process rebuilds it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, DenseRank
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from newsroom.links import page_url
from newsroom.text import unique_slug

from .tags import CaseInsensitiveTaggableManager

imdb_title_id = RegexValidator(r"^tt\d{7,}$", "An IMDb title id looks like tt1234567.")
imdb_name_id = RegexValidator(r"^nm\d{7,}$", "An IMDb name id looks like nm1234567.")
wikidata_id = RegexValidator(r"^Q\d+$", "A Wikidata id looks like Q12345.")


class CatalogVersion(models.Model):
    """One row whose number goes up whenever a name in the catalog may have changed.

    Gazetteers are cached per version, so a change made by any process (admin, import,
    another app server) is seen by all of them on their next link.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"catalog v{self.version}"


def bump_catalog_version() -> None:
    updated = CatalogVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        CatalogVersion.objects.get_or_create(pk=1, defaults={"version": 2})


def current_catalog_version() -> int:
    row = CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 1


class RemembersLoaded:
    """Keeps the values of ``remembered_fields`` as loaded from the database (and again after
    each save), as ``_loaded_<field>``, so that a save and its signals can tell what it
    changed (``catalog.signals``: a person's new IMDb id, or a credit moved to another show,
    invalidates IMDb credit digests; a show's new title is copied to its credits)."""

    remembered_fields: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember()
        return instance

    def _remember(self) -> None:
        for name in self.remembered_fields:
            setattr(self, f"_loaded_{name}", self.__dict__.get(name))

    def changed_since_loaded(self, *names: str) -> bool:
        """Whether any of ``names`` (every remembered field when none are given) differs from
        its value as loaded or last saved (None for a row not stored yet)."""
        return any(
            self.__dict__.get(name) != getattr(self, f"_loaded_{name}", None) for name in names or self.remembered_fields
        )

    def save(self, *args, **kwargs) -> None:
        # Remembered after the post_save signals, which see the values the row had.
        super().save(*args, **kwargs)
        self._remember()


class KeepsCopies:
    """A model with ``copied_fields``: copies of other rows' values, written only by the code
    that keeps them (a show's newest story time, a credit's copies of its show). A whole save
    of a stored row leaves them as the database has them: the instance's values may predate
    their last update (an editor's form loaded before a story went live)."""

    copied_fields: tuple[str, ...] = ()

    def save(self, *args, **kwargs) -> None:
        if kwargs.get("update_fields") is None and not self._state.adding and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.copied_fields and f.attname not in deferred
            ]
        super().save(*args, **kwargs)


class KeyedModel(models.Model):
    """A catalog entry with an import key, a unique slug and aliases."""

    key = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Identity used by imports and exports; made from the slug when left empty.",
    )
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in the page address.")
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text='Other names the text may use, as a list: ["Amazon Prime Video", "Prime"].',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    name_field = "name"

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.display_name())
        if not self.key:
            self.key = self.slug
        self.aliases = [a.strip() for a in (self.aliases or []) if isinstance(a, str) and a.strip()]
        super().save(*args, **kwargs)

    def display_name(self) -> str:
        return getattr(self, self.name_field)


class CompanyQuerySet(models.QuerySet):
    def for_detail(self) -> CompanyQuerySet:
        """The company page reads its shows and stories through their own QuerySets."""
        return self.all()


class Company(KeyedModel):
    class Kind(models.TextChoices):
        NETWORK = "network", "Network"
        STREAMER = "streamer", "Streamer"
        STUDIO = "studio", "Studio"
        PUBLICATION = "publication", "Publication"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        max_length=20, null=True, blank=True, unique=True, validators=[wikidata_id]
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["network", "streamer", "studio", "publication", "other"]),
                name="company_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_url("catalog:company_detail", slug=self.slug)


class TaggedShow(TaggedItemBase):
    """Tags on shows through a real foreign key (genres, franchises, platforms)."""

    content_object = models.ForeignKey("Show", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "show tag"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedshow_unique")
        ]


def effective_status_rule(*, kind: str, final: str, show: str = "") -> Case:
    """What the public is told about a show, as one SQL expression: the show page and the
    renewal scorecard both read it, so they never disagree.

    ``kind`` and ``final`` name the deciding story's kind and final-season flag (NULL when no
    story decides); ``show`` is the path to the show's own fields ("" on a show query,
    "main_show__" on a story query). An editor's lock keeps the stored status; a renewal
    announcing the final season means ending.
    """
    return Case(
        When(**{f"{show}status_locked": True}, then=F(f"{show}status")),
        When(**{kind: "renewal", final: True}, then=Value(Show.Status.ENDING.value)),
        When(**{kind: "renewal"}, then=Value(Show.Status.RENEWED.value)),
        When(**{kind: "cancellation"}, then=Value(Show.Status.CANCELLED.value)),
        default=F(f"{show}status"),
        output_field=models.CharField(),
    )


class ShowQuerySet(models.QuerySet):
    def for_listing(self) -> ShowQuerySet:
        """Shows in lists: their network is shown beside the title."""
        return self.select_related("network")

    def for_detail(self) -> ShowQuerySet:
        """The show page's row: the show with its network and the show it spun off from,
        in one query. Its studios, spinoffs, tags, public seasons and credits are read
        beside it as plain rows (``catalog.profiles``); hundreds of model instances and
        ``prefetch_related`` cost more than the page's queries.
        """
        return self.select_related("network", "spinoff_of")

    def with_effective_status(self, at: datetime | None = None) -> ShowQuerySet:
        """Annotate ``effective_status``: what the public is told about the show today.

        The latest *published* renewal or cancellation story about the show (its main show;
        publish time passed) decides: renewed (or ending, when it announced the final season)
        or cancelled. A story scheduled for later decides nothing until its time comes,
        because this is computed when the page is read, not when the story is saved. With no
        such story, or when an editor locked the status, the stored ``status`` stands.
        ``status_story_id`` is the deciding story, for a "per …" link, and ``status_story_at``
        its publish time, for the scorecard of its year.
        """
        from articles.models import Article

        latest = (
            Article.objects.published(at)
            .filter(
                main_show=OuterRef("pk"),
                kind__in=[Article.Kind.RENEWAL, Article.Kind.CANCELLATION],
            )
            .order_by("-published_at", "-pk")
        )
        return self.annotate(
            status_story_kind=Subquery(latest.values("kind")[:1]),
            status_story_final=Subquery(latest.values("is_final_season")[:1]),
            status_story_id=Subquery(latest.values("pk")[:1]),
            status_story_at=Subquery(latest.values("published_at")[:1]),
        ).annotate(
            effective_status=effective_status_rule(
                kind="status_story_kind", final="status_story_final"
            )
        )

    def on_network(self, company: Company) -> ShowQuerySet:
        return self.filter(network=company)

    def from_studio(self, company: Company) -> ShowQuerySet:
        return self.filter(
            pk__in=Show.studios.through.objects.filter(company=company).values("show_id")
        )

    def tagged(self, tag) -> ShowQuerySet:
        return self.filter(pk__in=TaggedShow.objects.filter(tag=tag).values("content_object_id"))

    def newest_first(self) -> ShowQuerySet:
        """Profile lists of shows: the most recent titles first, undated ones last."""
        return self.order_by(F("year_start").desc(nulls_last=True), "title", "id")


class Show(RemembersLoaded, KeepsCopies, KeyedModel):
    remembered_fields = ("title", "year_start")
    copied_fields = ("newest_story_at",)

    class Kind(models.TextChoices):
        SERIES = "series", "Series"
        MINISERIES = "miniseries", "Miniseries"
        FILM = "film", "Film"
        SPECIAL = "special", "Special"

    class Status(models.TextChoices):
        IN_DEVELOPMENT = "in_development", "In development"
        AIRING = "airing", "Airing"
        RENEWED = "renewed", "Renewed"
        CANCELLED = "cancelled", "Cancelled"
        ENDED = "ended", "Ended"
        ENDING = "ending", "Ending"
        UNKNOWN = "", "Unknown"

    name_field = "title"

    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERIES)
    year_start = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1880), MaxValueValidator(2100)]
    )
    year_end = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1880), MaxValueValidator(2100)]
    )
    network = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_shows",
        help_text="Original network or streaming platform.",
    )
    studios = models.ManyToManyField(Company, blank=True, related_name="studio_shows")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        default=Status.UNKNOWN,
        help_text="Set by the latest published renewal or cancellation story unless locked.",
    )
    status_locked = models.BooleanField(
        default=False,
        help_text="Keep the status as set here: stories will not change it.",
    )
    spinoff_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="spinoffs"
    )
    description = models.TextField(blank=True)
    imdb_id = models.CharField(
        "IMDb id", max_length=16, null=True, blank=True, unique=True, validators=[imdb_title_id]
    )
    tvmaze_id = models.PositiveIntegerField("TVmaze id", null=True, blank=True, unique=True)
    wikidata_id = models.CharField(
        max_length=20, null=True, blank=True, unique=True, validators=[wikidata_id]
    )
    poster = models.ImageField(upload_to="posters/%Y/", blank=True)
    poster_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="WebP sizes of the poster for pages, made when it is saved (newsroom.images).",
    )
    poster_alt = models.CharField(max_length=255, blank=True)
    newest_story_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the newest published or scheduled story about the show goes or went "
        "live (kept by articles.Article.save).",
    )
    tags = TaggableManager(
        through=TaggedShow,
        blank=True,
        manager=CaseInsensitiveTaggableManager,
        help_text="Genres and franchises.",
    )

    objects = ShowQuerySet.as_manager()

    class Meta:
        ordering = ["title", "year_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["series", "miniseries", "film", "special"]),
                name="show_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["", "in_development", "airing", "renewed", "cancelled", "ended", "ending"]
                ),
                name="show_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(year_end__isnull=True)
                | Q(year_start__isnull=True)
                | Q(year_end__gte=F("year_start")),
                name="show_years_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(spinoff_of=F("pk")), name="show_not_own_spinoff"
            ),
        ]
        indexes = [models.Index(fields=["title"]), models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.year_start})" if self.year_start else self.title

    def save(self, *args, **kwargs) -> None:
        renamed = not self._state.adding and self.changed_since_loaded()
        super().save(*args, **kwargs)
        if renamed:
            self.credits.sync_show_copies()

    def get_absolute_url(self) -> str:
        return page_url("catalog:show_detail", slug=self.slug)

    @property
    def is_film(self) -> bool:
        return self.kind == self.Kind.FILM

    @property
    def schema_type(self) -> str:
        return self.schema_type_of(self.kind)

    @classmethod
    def schema_type_of(cls, kind: str) -> str:
        """schema.org type of a show of this kind (for rows read without a Show)."""
        return "Movie" if kind == cls.Kind.FILM else "TVSeries"

    @property
    def name(self) -> str:
        return self.title

    @property
    def effective_status_label(self) -> str:
        """The label of ``effective_status`` when annotated (``with_effective_status()``)."""
        value = getattr(self, "effective_status", self.status) or ""
        return Show.Status(value).label


class SeasonQuerySet(models.QuerySet):
    def visible(self, at: datetime | None = None) -> SeasonQuerySet:
        """Seasons the public may see: known to the catalog, or announced by a story that is
        published and whose publish time has passed (by ``at``, now unless given)."""
        return self.filter(
            Q(announced_by__isnull=True)
            | Q(
                announced_by__status__in=["published", "scheduled"],
                announced_by__published_at__lte=at or timezone.now(),
            )
        )


class Season(models.Model):
    class Status(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        IN_PRODUCTION = "in_production", "In production"
        AIRING = "airing", "Airing"
        AIRED = "aired", "Aired"
        CANCELLED = "cancelled", "Cancelled"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="seasons")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200)])
    premiere_date = models.DateField(null=True, blank=True)
    episode_count = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ANNOUNCED)
    is_final = models.BooleanField(default=False, help_text="Announced as the final season.")
    announced_by = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announced_seasons",
        help_text="The renewal story that announced this season; hidden until it is published.",
    )

    objects = SeasonQuerySet.as_manager()

    class Meta:
        ordering = ["show", "number"]
        constraints = [
            models.UniqueConstraint(fields=["show", "number"], name="season_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=200), name="season_number_range"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["announced", "in_production", "airing", "aired", "cancelled"]
                ),
                name="season_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.show.title} season {self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.show.get_absolute_url()}#season-{self.number}"


class PersonQuerySet(models.QuerySet):
    def for_detail(self) -> PersonQuerySet:
        """The person page. Its credits come as plain rows
        (``Credit.objects.person_page_values()``), one query however many there are."""
        return self.all()


class Person(RemembersLoaded, KeyedModel):
    remembered_fields = ("imdb_id",)

    name = models.CharField(max_length=200)
    bio = models.TextField(blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(null=True, blank=True)
    headshot = models.ImageField(upload_to="people/%Y/", blank=True)
    headshot_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="WebP sizes of the headshot for pages, made when it is saved (newsroom.images).",
    )
    headshot_alt = models.CharField(max_length=255, blank=True)
    imdb_id = models.CharField(
        "IMDb id", max_length=16, null=True, blank=True, unique=True, validators=[imdb_name_id]
    )
    wikidata_id = models.CharField(
        max_length=20, null=True, blank=True, unique=True, validators=[wikidata_id]
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["name"]),
            # The newest edit of anyone: the people sitemap's lastmod in the sitemap index,
            # one index read instead of a scan of a million people (100 ms).
            models.Index(fields=["updated_at"], name="person_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_url("catalog:person_detail", slug=self.slug)



# Above any billing order (a PositiveIntegerField holds up to 2**31 - 1 on every database).
MAX_BILLING_ORDER = 2**31 - 1

# A show's cast & crew panel, on the show's page and beside its stories, lists the top of its
# billing: at most this many credits, then a link to the show's full cast & crew (paginated).
PANEL_CREDITS = 40

# What a credit keeps a copy of from its show (Credit.show_sort_year, …): the name of the copy,
# and the show's value, as read from a Show query.
COPIED_FROM_SHOW = {
    "show_sort_year": Coalesce("year_start", 0),
    "show_sort_title": F("title"),
    "show_story_at": F("newest_story_at"),
}

# How a person's shows are ordered on their pages: newest first (undated last), then by title.
# Read from each credit's copy of its show's year and title, in the order of the index
# credit_person_shows: a page of someone's newest shows reads those shows' credits, not all.
PERSON_SHOW_ORDER = (F("show_sort_year").desc(), F("show_sort_title").asc(), F("show_id").asc())


class CreditQuerySet(models.QuerySet):
    def cast(self) -> CreditQuerySet:
        return self.filter(role=Credit.Role.CAST)

    def crew(self) -> CreditQuerySet:
        return self.exclude(role=Credit.Role.CAST)

    def with_people(self) -> CreditQuerySet:
        return self.select_related("person")

    def with_shows(self) -> CreditQuerySet:
        return self.select_related("show", "show__network")

    def in_billing_order(self) -> CreditQuerySet:
        """Cast and crew as a show's page lists them: billing order, then by name."""
        return self.order_by("order", "person__name", "id")

    def top_of_billing(self, show_id: int, count: int) -> CreditQuerySet:
        """The first ``count`` credits of a show in billing order, as ``show_page_values()``.

        Billing order breaks ties of ``order`` by the person's name, so sorting needs every
        credit joined to its person. Only credits whose order is at most the ``count``-th
        smallest (ties included) can be among the first ``count``; the rest are filtered out
        before the join, so a story's panel reads 40 people rather than a show's 300.
        """
        cutoff = (
            Credit.objects.filter(show_id=show_id).order_by("order").values("order")[count - 1 : count]
        )
        # Fewer than ``count`` credits: no cutoff, every credit is in.
        within = Coalesce(Subquery(cutoff), Value(MAX_BILLING_ORDER))
        return self.filter(show_id=show_id, order__lte=within).show_page_values()[:count]

    def show_page_values(self) -> CreditQuerySet:
        """A show's cast and crew as the show page lists them, as plain tuples (person id,
        name, slug, role, character) in billing order: no model instances per credit."""
        return self.in_billing_order().values_list(
            "person_id", "person__name", "person__slug", "role", "character"
        )

    def person_page_values(self) -> CreditQuerySet:
        """A person's credits as their page groups them, as plain tuples (show id, title,
        slug, first year, role, character): newest show first, then by title."""
        return self.order_by(*PERSON_SHOW_ORDER, "role", "order", "id").values_list(
            "show_id", "show__title", "show__slug", "show__year_start", "role", "character"
        )

    def sync_show_copies(self) -> int:
        """Set these credits' copies of their show's first year, title and newest story time
        (:data:`COPIED_FROM_SHOW`) to the show's own; returns how many credits were written.
        For writes that bypass ``Show.save()`` and ``Credit.save()``: bulk imports, a story's
        new time (``articles``)."""
        show = Show.objects.filter(pk=OuterRef("show_id"))
        return self.update(
            **{name: Subquery(show.values(value=value)) for name, value in COPIED_FROM_SHOW.items()}
        )

    def of_shows_ranked(self, first: int, last: int) -> CreditQuerySet:
        """The credits of a person's ``first``-th to ``last``-th shows (counted from 1, in
        :data:`PERSON_SHOW_ORDER`): a page of their credits that never splits a show."""
        # A bigint, as SQL's dense_rank() gives (and as the stand-ins of prepared queries need).
        rank = Window(DenseRank(), order_by=list(PERSON_SHOW_ORDER), output_field=models.BigIntegerField())
        return self.annotate(show_rank=rank).filter(show_rank__gte=first, show_rank__lte=last)


class Credit(RemembersLoaded, KeepsCopies, models.Model):
    remembered_fields = ("show_id",)
    copied_fields = tuple(COPIED_FROM_SHOW)

    class Role(models.TextChoices):
        CAST = "cast", "Cast"
        CREATOR = "creator", "Creator"
        SHOWRUNNER = "showrunner", "Showrunner"
        EXECUTIVE_PRODUCER = "executive_producer", "Executive producer"
        CO_EXECUTIVE_PRODUCER = "co_executive_producer", "Co-executive producer"
        PRODUCER = "producer", "Producer"
        WRITER = "writer", "Writer"
        DIRECTOR = "director", "Director"
        SOURCE_AUTHOR = "source_author", "Author of source material"

    # No index of their own: credit_unique starts with person, the (show, role, order) index
    # with show. Each extra B-tree is paid on every credit an import writes.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="credits", db_index=False
    )
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="credits", db_index=False)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.CAST)
    character = models.CharField(
        max_length=255, blank=True, help_text="For cast: the character's name as billed."
    )
    order = models.PositiveIntegerField(default=0, help_text="Billing order; lower comes first.")
    # Copies of the show's first year (0 when unknown), title and newest story time
    # (Show.newest_story_at), so that a person's page finds their newest shows, and the shows
    # with their newest stories, in one index (credit_person_shows) rather than by reading
    # every show they are credited on: someone credited on 300 shows costs their page what
    # someone on 40 does. Kept by Credit.save(), Show.save(), articles.Article.save(), and by
    # the imports (CreditQuerySet.sync_show_copies()).
    show_sort_year = models.PositiveSmallIntegerField(default=0, editable=False)
    show_sort_title = models.CharField(max_length=255, default="", editable=False)
    show_story_at = models.DateTimeField(null=True, editable=False)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["show", "role", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "show", "role", "character"], name="credit_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "cast",
                        "creator",
                        "showrunner",
                        "executive_producer",
                        "co_executive_producer",
                        "producer",
                        "writer",
                        "director",
                        "source_author",
                    ]
                ),
                name="credit_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(role="cast") | Q(character=""), name="credit_character_only_for_cast"
            ),
        ]
        indexes = [
            models.Index(fields=["show", "role", "order"]),
            # A person's shows newest first (PERSON_SHOW_ORDER), each with its newest story
            # time: read from the index alone. Key columns rather than INCLUDE, which SQLite
            # has not.
            models.Index(
                fields=["person", "-show_sort_year", "show_sort_title", "show", "show_story_at"],
                name="credit_person_shows",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.character:
            label = f"as {self.character}"
        return f"{self.person} — {self.show.title} ({label})"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        moved = self._state.adding or self.changed_since_loaded("show_id")
        if moved and (fields is None or {"show", "show_id"} & set(fields)):
            # As stored: a show instance at hand may predate a story's new time.
            for name, value in Show.objects.filter(pk=self.show_id).values(**COPIED_FROM_SHOW).get().items():
                setattr(self, name, value)
            if fields is not None:
                kwargs["update_fields"] = {*fields, *COPIED_FROM_SHOW}
            elif not self._state.adding:
                kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields if not f.primary_key]
        super().save(*args, **kwargs)



class ImdbCreditsDigest(models.Model):
    """A digest of the rows the last IMDb import gave for a show's credits, per file.

    A re-run compares the title's rows with it and skips an unchanged title with that one
    comparison instead of matching each credit. It is only written when every row was
    applied (all people found), and any change to the show's credits made elsewhere deletes
    it (``catalog.signals``; bulk writes delete it themselves), so a digest that is there
    still describes credits that are all stored as the file gave them.
    """

    show = models.OneToOneField(Show, on_delete=models.CASCADE, primary_key=True, related_name="+")
    principals = models.BigIntegerField(null=True, help_text="Of title.principals' rows.")
    crew = models.BigIntegerField(null=True, help_text="Of title.crew's rows.")

    class Meta:
        verbose_name = "IMDb credits digest"

    def __str__(self) -> str:
        return f"IMDb credits digest of show {self.show_id}"
