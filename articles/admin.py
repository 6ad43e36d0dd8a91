"""The story desk: stories with their bylines and links, authors, and the suggestion queue.

An editor opens the story list many times a day, so it answers in a fixed number of queries
however many stories a page shows: the main show, source and last editor are joined, bylines
are prefetched. The links that linking found are listed on the story itself, where an editor
can exclude a wrong one without leaving the page, add a missing one, and see the suggestions
the story raised. Saving a published or scheduled story links it again — in
``save_related()``, after the tags and inlines are saved, so linking sees what the editor
just wrote.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from catalog.admin import JoinedAutocompleteInline, related_count
from newsroom.changelist import IndexedSearchMixin
from newsroom.revisions import RevisionAdmin
from newsroom.uploads import RequiredAltTextFormMixin, SafeImageUploadsAdminMixin

from . import services
from .desk import DeskAdminMixin
from .linking import link_article
from .models import Article, Author, Byline, Mention, Suggestion
from .richtext import RichTextBodyFormMixin


def _should_link(article: Article) -> bool:
    return article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


class ArticleAdminForm(RichTextBodyFormMixin, RequiredAltTextFormMixin, forms.ModelForm):
    """Keeps the body safe to render (``articles.richtext``), the hero image described, and
    the publish time consistent with the status."""

    alt_text_for = {"hero_image": "hero_alt"}

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if (
            status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
            and not cleaned.get("published_at")
            and "published_at" not in self.errors
        ):
            self.add_error("published_at", "A published or scheduled story needs a publish time.")
        return cleaned


class BylineInline(JoinedAutocompleteInline):
    model = Byline
    extra = 1
    fields = ("author", "order")
    autocomplete_fields = ("author",)
    ordering = ("order",)
    verbose_name_plural = "bylines"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Byline]:
        return super().get_queryset(request).select_related("author", "article")


def _admin_link(obj) -> str:
    """A link to the catalog entry's admin page, labelled with its name."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


class MentionInline(admin.TabularInline):
    """What linking found in the story and how; the editor's one lever is "excluded".

    Rows are written by linking, so they are not added or deleted here: excluding a wrong
    link keeps it out when the story is linked again, which deleting would not.
    """

    model = Mention
    extra = 0
    can_delete = False
    fields = (
        "target_link", "kind", "matched_text", "how_found", "character", "found", "in_body",
        "excluded",
    )  # fmt: skip
    readonly_fields = (
        "target_link", "kind", "matched_text", "how_found", "character", "found", "in_body",
    )  # fmt: skip
    ordering = ("position", "id")
    verbose_name = "link"
    verbose_name_plural = "links found in the story"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mention]:
        return super().get_queryset(request).select_related("article", "person", "show", "company")

    @admin.display(description="links to")
    def target_link(self, obj: Mention) -> str:
        return _admin_link(obj.target)

    @admin.display(description="kind")
    def kind(self, obj: Mention) -> str:
        return obj.target._meta.verbose_name

    @admin.display(description="how")
    def how_found(self, obj: Mention) -> str:
        return how_found(obj)


def how_found(mention: Mention) -> str:
    """In words, how linking recognised the entity in the text."""
    if mention.found == Mention.Found.EDITOR:
        return "added by an editor"
    if not mention.matched_text:
        return "not in the text"
    target = mention.target
    name = str(getattr(target, "name", target))
    if mention.matched_text == name:
        how = "by name"
    elif mention.matched_text in name.split():
        how = "by surname, named in full earlier"
    else:
        how = "by another name"
    if not mention.in_body:
        how += ", in the headline or dek only"
    if mention.character:
        how += f", playing {mention.character}"
    return how


@admin.register(Article)
class ArticleAdmin(IndexedSearchMixin, DeskAdminMixin, SafeImageUploadsAdminMixin, RevisionAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "status",
        "is_published",
        "kind",
        "published_at",
        "main_show",
        "byline",
        "source",
        "updated_by",
    )
    list_filter = ("status", "kind", "published_at", ("source", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("main_show", "source", "updated_by")
    search_fields = ("title", "dek", "slug", "main_show__title")
    date_hierarchy = "published_at"
    ordering = (F("published_at").desc(nulls_first=True), "-id")
    show_full_result_count = False
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("main_show", "source")
    inlines = (BylineInline, MentionInline)
    readonly_fields = (
        "main_show_inferred",
        "linking_report",
        "pending_suggestions",
        "linked_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "dek", "body", "kind", "tags")}),
        ("Publishing", {"fields": ("status", "published_at")}),
        (
            "Subject",
            {"fields": ("main_show", "main_show_inferred", "season_number", "is_final_season")},
        ),
        ("Linking", {"fields": ("linking_report", "pending_suggestions")}),
        ("Source", {"fields": ("source", "source_url")}),
        ("Image", {"fields": ("hero_image", "hero_alt", "hero_credit")}),
        (
            "History",
            {
                "classes": ("collapse",),
                "fields": ("linked_at", "created_by", "created_at", "updated_by", "updated_at"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # for_listing() joins the main show and source and prefetches the bylines. A queryset
        # that already selects related rows makes the changelist skip list_select_related, so
        # it is applied here; the admin's ordering (undated drafts first) replaces the public one.
        return (
            super()
            .get_queryset(request)
            .for_listing()
            .select_related(*self.list_select_related)
            .order_by(*self.get_ordering(request))
        )

    @admin.display(description="live", boolean=True)
    def is_published(self, obj: Article) -> bool:
        return obj.is_published

    @admin.display(description="by")
    def byline(self, obj: Article) -> str:
        # bylines are prefetched with their authors by for_listing(): no query per row.
        return ", ".join(b.author.name for b in obj.bylines.all())

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Link the story once everything is saved: tags and inlines are written by
        ``super()``, so linking (not a post_save signal) sees the editor's final version."""
        article = form.instance
        before = set(article.tags.names()) if change else set()
        super().save_related(request, form, formsets, change)
        if change:
            services.article_record_tag_edit(
                article=article, before=before, after=set(article.tags.names())
            )
        if _should_link(article):
            result = link_article(article)
            article.refresh_from_db()
            if result.ambiguous:
                names = ", ".join(f"“{a.text}”" for a in result.ambiguous)
                self.message_user(
                    request,
                    f"Not linked because they could mean more than one entry: {names}.",
                    messages.WARNING,
                )

    @admin.display(description="links")
    def linking_report(self, obj: Article) -> str:
        if obj.pk is None:
            return "Linking runs when the story is published."
        add_url = reverse("admin:articles_mention_add") + f"?article={obj.pk}"
        when = (
            f"Last linked {obj.linked_at:%Y-%m-%d %H:%M}."
            if obj.linked_at
            else "Not linked yet: linking runs when the story is published."
        )
        ambiguous = obj.suggestions.filter(
            kind=Suggestion.Kind.AMBIGUOUS, status=Suggestion.Status.PENDING
        ).values_list("person_name", "known_for")
        rows = format_html_join(
            "",
            "<li>“{}” could be: {}</li>",
            ((name, "; ".join(options)) for name, options in ambiguous),
        )
        return format_html(
            "<p>{}</p>{}<p><a href=\"{}\">Add a link linking missed</a> (kept on every relink)."
            " Exclude a wrong link below.</p>",
            when,
            format_html("<p>Not linked, ambiguous:</p><ul>{}</ul>", rows) if ambiguous else "",
            add_url,
        )

    @admin.display(description="pending suggestions")
    def pending_suggestions(self, obj: Article) -> str:
        if obj.pk is None:
            return "—"
        pending = list(
            obj.suggestions.filter(status=Suggestion.Status.PENDING)
            .exclude(kind=Suggestion.Kind.AMBIGUOUS)
            .select_related("person", "show")
        )
        if not pending:
            return "None."
        queue = reverse("admin:articles_suggestion_changelist")
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>{}</li>',
            (
                (
                    reverse("admin:articles_suggestion_change", args=[s.pk]),
                    str(s),
                    f" on {s.show.title}" if s.show_id else "",
                )
                for s in pending
            ),
        )
        return format_html(
            '<ul>{}</ul><p><a href="{}?article__id__exact={}&amp;status__exact=pending">'
            "Accept or reject them</a></p>",
            items,
            queue,
            obj.pk,
        )


@admin.register(Author)
class AuthorAdmin(SafeImageUploadsAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "user", "story_count")
    list_select_related = ("user",)
    ordering = ("name",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Author]:
        return super().get_queryset(request).annotate(_story_count=related_count(Byline, "author"))

    @admin.display(description="stories", ordering="_story_count")
    def story_count(self, obj: Author) -> int:
        return obj._story_count


class MentionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        targets = [name for name in ("person", "show", "company") if cleaned.get(name)]
        if len(targets) != 1:
            raise forms.ValidationError("Choose exactly one of person, show or company.")
        return cleaned


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    """Every link across stories: where a person, show or company is mentioned.

    A link added here is marked as an editor's, so relinking keeps it.
    """

    form = MentionAdminForm
    list_display = ("article", "target_link", "found", "matched_text", "in_body", "excluded")
    list_editable = ("excluded",)
    list_filter = ("found", "excluded", "in_body")
    list_select_related = ("article", "person", "show", "company")
    show_full_result_count = False
    search_fields = (
        "article__title",
        "person__name",
        "show__title",
        "company__name",
        "matched_text",
    )
    autocomplete_fields = ("article", "person", "show", "company")
    readonly_fields = ("found",)
    fields = (
        "article",
        "person",
        "show",
        "company",
        "matched_text",
        "character",
        "position",
        "in_body",
        "excluded",
        "found",
    )

    @admin.display(description="links to")
    def target_link(self, obj: Mention) -> str:
        return _admin_link(obj.target)

    def save_model(self, request: HttpRequest, obj: Mention, form, change: bool) -> None:
        if not change:
            obj.found = Mention.Found.EDITOR
        super().save_model(request, obj, form, change)
        if _should_link(obj.article):
            link_article(obj.article)  # the body's links follow the editor's change

    def delete_model(self, request: HttpRequest, obj: Mention) -> None:
        article = obj.article
        super().delete_model(request, obj)
        if _should_link(article):
            link_article(article)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("in_body", True)
        return initial


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """The queue of facts the stories state and the catalog lacks."""

    list_display = (
        "__str__",
        "kind",
        "status",
        "article",
        "person",
        "show",
        "role",
        "character",
        "created_at",
    )
    list_filter = ("status", "kind", "role")
    list_select_related = ("article", "person", "show", "decided_by")
    search_fields = (
        "person_name",
        "person__name",
        "show__title",
        "character",
        "evidence",
        "article__title",
    )
    autocomplete_fields = ("article", "person", "show")
    date_hierarchy = "created_at"
    actions = ("accept_suggestions", "reject_suggestions")
    readonly_fields = ("created_at", "decided_at", "decided_by")
    fields = (
        "article",
        "kind",
        "status",
        "person_name",
        "person",
        "show",
        "role",
        "character",
        "known_for",
        "evidence",
        "created_at",
        "decided_at",
        "decided_by",
    )

    @admin.action(description="Accept the selected suggestions (adds people and credits)")
    def accept_suggestions(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        rows = list(queryset.select_related("article", "person"))
        skipped = [s for s in rows if s.kind == Suggestion.Kind.AMBIGUOUS]
        try:
            accepted = services.suggestions_accept(suggestions=rows, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"Accepted {accepted} suggestions.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{len(skipped)} ambiguous names were left: settle them by adding the right "
                "link on the story.",
                messages.WARNING,
            )

    @admin.action(description="Reject the selected suggestions")
    def reject_suggestions(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        rejected = services.suggestions_reject(suggestions=list(queryset), by=request.user)
        self.message_user(request, f"Rejected {rejected} suggestions.", messages.SUCCESS)
