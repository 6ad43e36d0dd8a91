"""The story desk: stories with their bylines and links, authors, and the suggestion queue.

An editor opens the story list many times a day, so it answers in a fixed number of queries
however many stories a page shows: the main show, source and last editor are joined, bylines
are prefetched. The links that linking found are listed on the story itself, where an editor
can exclude a wrong one without leaving the page.
"""

from __future__ import annotations

import nh3
from django import forms
from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from catalog.admin import JoinedAutocompleteInline, related_count

from .models import Article, Author, Byline, Mention, Suggestion


class ArticleAdminForm(forms.ModelForm):
    """Keeps the body safe to render and the publish time consistent with the status."""

    def clean_body(self) -> str:
        # The page renders the body as HTML: whatever is pasted in, only safe markup stays.
        return nh3.clean(self.cleaned_data.get("body") or "")

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
    fields = ("target_link", "kind", "matched_text", "character", "found", "in_body", "excluded")
    readonly_fields = ("target_link", "kind", "matched_text", "character", "found", "in_body")
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
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
