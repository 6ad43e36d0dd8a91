"""The catalog desk: companies, shows, seasons, people and credits.

Editors live in these screens, so every foreign key into a large table is an autocomplete
(no select with ten thousand options), every autocomplete target can be searched, and every
changelist column that reaches across a relation is joined or annotated up front: a page of
a hundred rows costs the same handful of queries as a page of three.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from taggit.models import Tag

from newsroom.autocomplete import is_autocomplete
from newsroom.revisions import RevisionAdmin
from newsroom.text import unique_slug
from newsroom.uploads import SafeImageUploadsAdminMixin

from .models import Company, Credit, Person, Season, Show, TaggedShow
from .tags import find_tag, tag_merge

ALIAS_MAX_LENGTH = 200


def related_count(model: type[Model], field: str) -> Coalesce:
    """How many ``model`` rows point at each row, as a correlated subquery.

    A ``Count()`` over a join would group the whole table and make the changelist's
    ``COUNT(*)`` group it too; a subquery is evaluated only for the rows on the page and is
    left out of the count.
    """
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class AliasesField(forms.CharField):
    """A list of names edited as text, one alias per line.

    The model stores aliases as a JSON list (they feed the linking gazetteer); a textarea
    with one name per line is what an editor can type without learning JSON. Blank lines and
    repeats are dropped; a name too short to link safely is refused.
    """

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Other names the text may use, one per line.")
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            lines = [str(item) for item in value]
        else:
            lines = (value or "").splitlines()
        aliases: list[str] = []
        seen: set[str] = set()
        for line in lines:
            alias = " ".join(line.split())
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                aliases.append(alias)
        return aliases

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for alias in value:
            if len(alias) < 2:
                errors.append(
                    ValidationError(
                        "“%(alias)s” is too short: one-letter aliases would link everywhere.",
                        code="alias_too_short",
                        params={"alias": alias},
                    )
                )
            elif len(alias) > ALIAS_MAX_LENGTH:
                errors.append(
                    ValidationError(
                        "An alias has at most %(max)d characters.",
                        code="alias_too_long",
                        params={"max": ALIAS_MAX_LENGTH},
                    )
                )
        if errors:
            raise ValidationError(errors)

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial) != self.to_python(data)


class KeyedAdminForm(forms.ModelForm):
    """Form for catalog entries that carry an import key, a slug and aliases.

    Slug and key may be left empty: the slug is made from the name and the key from the
    slug, here rather than only in ``save()``, so that a clash with another entry's key is a
    form error the editor can fix instead of a database error.
    """

    aliases = AliasesField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("key", "slug"):
            if name in self.fields:
                self.fields[name].required = False
        if "key" in self.fields:
            self.fields["key"].help_text = (
                "Identity used by imports; made from the slug when left empty. Change it only "
                "if the import files change too."
            )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get(self._meta.model.name_field)
        if "slug" in self.fields and not cleaned.get("slug") and name:
            cleaned["slug"] = unique_slug(self.instance, name)
        if "key" in self.fields and not cleaned.get("key") and cleaned.get("slug"):
            cleaned["key"] = cleaned["slug"]
        if name:
            same = [a for a in cleaned.get("aliases") or [] if a.casefold() == name.casefold()]
            if same:
                self.add_error(
                    "aliases", f"“{same[0]}” is already the name: list only other names."
                )
        return cleaned


# Inlines -------------------------------------------------------------------------------------


class KnownAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its current choice from a row already in memory.

    The stock widget fetches the selected option's label with one query per widget: one per
    inline row, so a show with sixty credits cost sixty queries to open. Inline rows arrive
    with their related rows joined; ``known`` hands those to the widget.
    """

    known: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known is None or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.known[pk], True, len(options)))
        return [(None, options, 0)]


class JoinedAutocompleteInline(admin.TabularInline):
    """A tabular inline whose autocomplete columns render without a query per row.

    ``get_queryset`` must ``select_related`` every field in ``autocomplete_fields``.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                KnownAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self.get_autocomplete_fields(request)

        class Formset(formset):
            def _construct_form(self, i, **form_kwargs):
                form = super()._construct_form(i, **form_kwargs)
                for name in names:
                    related = getattr(form.instance, name, None) if form.instance.pk else None
                    widget = getattr(form.fields.get(name), "widget", None)
                    widget = getattr(widget, "widget", widget)  # inside the related-field wrapper
                    if related is not None and isinstance(widget, KnownAutocompleteSelect):
                        widget.known = {str(related.pk): str(related)}
                return form

        return Formset


class SeasonInline(JoinedAutocompleteInline):
    model = Season
    extra = 0
    fields = ("number", "premiere_date", "episode_count", "status", "is_final", "announced_by")
    autocomplete_fields = ("announced_by",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Season]:
        return super().get_queryset(request).select_related("show", "announced_by")


class ShowCreditInline(JoinedAutocompleteInline):
    """The show's cast and crew, one row per credit, people picked by autocomplete."""

    model = Credit
    fk_name = "show"
    extra = 1
    fields = ("person", "role", "character", "order")
    autocomplete_fields = ("person",)
    ordering = ("role", "order", "id")
    verbose_name = "credit"
    verbose_name_plural = "cast & crew"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Credit]:
        return super().get_queryset(request).select_related("person", "show")


class PersonCreditInline(JoinedAutocompleteInline):
    """The person's credits across shows, shows picked by autocomplete."""

    model = Credit
    fk_name = "person"
    extra = 1
    fields = ("show", "role", "character", "order")
    autocomplete_fields = ("show",)
    ordering = ("show__title", "role", "order")
    verbose_name = "credit"
    verbose_name_plural = "credits"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Credit]:
        return super().get_queryset(request).select_related("person", "show")


# Model admins --------------------------------------------------------------------------------


@admin.register(Company)
class CompanyAdmin(RevisionAdmin):
    form = KeyedAdminForm
    list_display = ("name", "kind", "show_count", "website", "key")
    list_filter = ("kind",)
    ordering = ("name",)
    search_fields = ("name", "key", "aliases")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "kind", "aliases", "website", "description")}),
        ("Identity", {"fields": ("slug", "key", "wikidata_id")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Company]:
        return super().get_queryset(request).annotate(_show_count=related_count(Show, "network"))

    @admin.display(description="shows on it", ordering="_show_count")
    def show_count(self, obj: Company) -> int:
        return obj._show_count


@admin.register(Show)
class ShowAdmin(SafeImageUploadsAdminMixin, RevisionAdmin):
    form = KeyedAdminForm
    list_display = (
        "title",
        "year_start",
        "kind",
        "network",
        "status",
        "spinoff_of",
        "credit_count",
        "tag_list",
    )
    list_filter = ("kind", "status", "status_locked", ("network", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("network", "spinoff_of")
    ordering = ("title", "year_start")
    show_full_result_count = False
    search_fields = ("title", "key", "aliases", "imdb_id")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("network", "studios", "spinoff_of")
    inlines = (SeasonInline, ShowCreditInline)
    fieldsets = (
        (None, {"fields": ("title", "kind", ("year_start", "year_end"), "aliases", "tags")}),
        ("Where it airs", {"fields": ("network", "studios", "spinoff_of")}),
        ("Status", {"fields": ("status", "status_locked")}),
        ("About", {"fields": ("description", "poster", "poster_alt")}),
        ("Identity", {"fields": ("slug", "key", "imdb_id", "tvmaze_id", "wikidata_id")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Show]:
        return (
            super()
            .get_queryset(request)
            .annotate(_credit_count=related_count(Credit, "show"))
            .prefetch_related("tags")
        )

    @admin.display(description="credits", ordering="_credit_count")
    def credit_count(self, obj: Show) -> int:
        return obj._credit_count

    @admin.display(description="tags")
    def tag_list(self, obj: Show) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))


@admin.register(Season)
class SeasonAdmin(RevisionAdmin):
    list_display = ("show", "number", "premiere_date", "episode_count", "status", "is_final")
    list_filter = ("status", "is_final")
    list_select_related = ("show",)
    search_fields = ("show__title",)
    autocomplete_fields = ("show", "announced_by")
    date_hierarchy = "premiere_date"
    ordering = ("show__title", "number")


@admin.register(Person)
class PersonAdmin(SafeImageUploadsAdminMixin, RevisionAdmin):
    form = KeyedAdminForm
    list_display = ("name", "birth_year", "credit_count", "imdb_id", "key")
    list_filter = (
        "credits__role",
        ("imdb_id", admin.EmptyFieldListFilter),
        ("headshot", admin.EmptyFieldListFilter),
    )
    ordering = ("name",)
    show_full_result_count = False
    search_fields = ("name", "key", "aliases", "imdb_id")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PersonCreditInline,)
    fieldsets = (
        (None, {"fields": ("name", "aliases", ("birth_year", "death_year"), "bio")}),
        ("Headshot", {"fields": ("headshot", "headshot_alt")}),
        ("Identity", {"fields": ("slug", "key", "imdb_id", "wikidata_id")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        qs = super().get_queryset(request)
        if is_autocomplete(request):
            return qs  # the credit count is for the changelist, not the picker
        return qs.annotate(_credit_count=related_count(Credit, "person"))

    @admin.display(description="credits", ordering="_credit_count")
    def credit_count(self, obj: Person) -> int:
        return obj._credit_count


@admin.register(Credit)
class CreditAdmin(RevisionAdmin):
    list_display = ("person", "show", "role", "character", "order")
    list_filter = ("role",)
    list_select_related = ("person", "show")
    search_fields = ("person__name", "show__title", "character")
    autocomplete_fields = ("person", "show")
    ordering = ("show__title", "role", "order")
    show_full_result_count = False


# Tags ----------------------------------------------------------------------------------------


class TagAdminForm(forms.ModelForm):
    """The tag form refuses a name another tag already has in any case."""

    class Meta:
        model = Tag
        fields = ("name", "slug")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = find_tag(name)
        if same is not None and same.pk != self.instance.pk:
            raise ValidationError(
                "The tag “%(other)s” already exists (tags ignore case): use it, or merge.",
                code="tag_exists",
                params={"other": same.name},
            )
        return name


class TagMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this tag",
        help_text="Every story and show carrying the other selected tags moves to it.",
    )

    def __init__(self, *args, tags: QuerySet[Tag], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = tags


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags shared by stories and shows; duplicates are merged with an action."""

    form = TagAdminForm
    list_display = ("name", "slug", "story_count", "show_count")
    ordering = ("name",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    actions = ("merge_tags",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        from articles.models import TaggedArticle

        return (
            super()
            .get_queryset(request)
            .annotate(
                _story_count=related_count(TaggedArticle, "tag"),
                _show_count=related_count(TaggedShow, "tag"),
            )
        )

    @admin.display(description="stories", ordering="_story_count")
    def story_count(self, obj: Tag) -> int:
        return obj._story_count

    @admin.display(description="shows", ordering="_show_count")
    def show_count(self, obj: Tag) -> int:
        return obj._show_count

    @admin.action(description="Merge the selected tags into one", permissions=("change",))
    def merge_tags(self, request: HttpRequest, queryset: QuerySet[Tag]):
        """Ask which of the selected tags to keep, then fold the others into it (tag_merge)."""
        tags = queryset.order_by("name")
        if tags.count() < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = TagMergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            result = tag_merge(tags=list(tags), into=form.cleaned_data["into"])
            self.message_user(
                request,
                f"Merged {', '.join(result.merged)} into {result.into.name} "
                f"({result.rows_moved} stories and shows moved).",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/taggit/tag/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Merge tags",
                "form": form,
                "tags": tags,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
