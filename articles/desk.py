"""The story admin's newsroom rules, as a mixin for ``ArticleAdmin``.

- Roles, object by object (``articles.roles``): a writer's changelist holds only their own
  stories and they may change one only while it is a draft; editors change any story. The
  status is never typed in: it changes through the workflow's buttons on the story page and
  its changelist actions (``articles.workflow``), each checked against the person's role.
- No lost work: the form carries the version it was opened on; saving over a newer one is
  refused, naming who saved in between, and the refused text stays in the form.
- The desk's filters: "My drafts", "Needs review", "Scheduled".
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from . import roles, workflow
from .models import Article, Author, Byline

TRANSITION_FIELD = "_transition"


class DeskFilter(admin.SimpleListFilter):
    """The three piles an editor works from."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("mine", "My drafts"), ("review", "Needs review"), ("scheduled", "Scheduled")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "mine":
            return queryset.filter(status=Article.Status.DRAFT).filter(roles.owned_by(request.user))
        if self.value() == "review":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        if self.value() == "scheduled":
            return queryset.filter(
                status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
                published_at__gt=timezone.now(),
            )
        return queryset


def _who(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


class DeskFormMixin(forms.ModelForm):
    """Optimistic locking and the workflow button, checked before anything is saved.

    ``desk_user`` is set on the form class by ``DeskAdminMixin.get_form`` (one class per
    request). The version check locks the row for the rest of the admin's transaction, so
    two saves cannot both pass it.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    desk_user = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "base_version" in self.fields and self.instance.pk:
            self.fields["base_version"].initial = self.instance.version

    @property
    def requested_transition(self) -> str | None:
        return self.data.get(TRANSITION_FIELD) or None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("base_version"))
        name = self.requested_transition
        if name:
            self._check_transition(name, cleaned)
        return cleaned

    def _check_version(self, base: int | None) -> None:
        if base is None:
            return
        version, updated_at, updated_by_id = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", "updated_at", "updated_by_id")
            .get()
        )
        if version != base:
            who = get_user_model().objects.filter(pk=updated_by_id).first()
            when = date_format(timezone.localtime(updated_at), "DATETIME_FORMAT")
            raise ValidationError(
                "%(who)s saved this story (%(when)s) while you were editing it, so your changes "
                "were not saved: they would have overwritten theirs. Your text is still in the "
                "form below: copy what you need, reload the story, and apply it again.",
                code="stale_version",
                params={"who": _who(who), "when": when},
            )

    def _check_transition(self, name: str, cleaned: dict) -> None:
        article = self.instance
        try:
            workflow.check_transition(self.desk_user, article, name)
        except PermissionDenied as refused:
            raise ValidationError(str(refused), code="forbidden") from refused
        when = cleaned.get("published_at", article.published_at)
        if name == "schedule":
            if when is None:
                self.add_error("published_at", "Set the publish time to schedule the story.")
            elif when <= timezone.now():
                self.add_error(
                    "published_at", "That time has passed: publish now, or pick a later time."
                )
        elif name == "publish" and when is not None and when > timezone.now():
            self.add_error("published_at", "That time is in the future: schedule the story.")


class DeskAdminMixin:
    """Put before ``admin.ModelAdmin`` in ``ArticleAdmin``'s bases."""

    change_form_template = "admin/articles/article/desk_change_form.html"
    actions = ["desk_submit", "desk_publish", "desk_schedule", "desk_unpublish", "desk_archive"]

    # -- permissions, object by object --

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or roles.can_view_story(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_change_story(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_change_story(request.user, obj))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return roles.can_publish(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        queryset = super().get_queryset(request)
        user = request.user
        if user.has_perm("articles.change_article") and not roles.can_edit_any(user):
            queryset = queryset.filter(roles.owned_by(user))
        return queryset

    # -- the form --

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "desk_state"]
        if not roles.can_publish(request.user):
            fields.append("published_at")
        return fields

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = ["desk_state" if f == "status" else f for f in options.get("fields", ())]
            fieldsets.append((name, {**options, "fields": fields}))
        if obj is not None and self.has_change_permission(request, obj):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], "base_version"]})
        return fieldsets

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        base = kwargs.get("form") or self.form
        kwargs["form"] = type(
            "DeskArticleForm", (DeskFormMixin, base), {"desk_user": request.user}
        )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_list_display(self, request: HttpRequest):
        return ["desk_state" if f == "status" else f for f in super().get_list_display(request)]

    def get_list_filter(self, request: HttpRequest):
        return [DeskFilter, *super().get_list_filter(request)]

    @admin.display(description="status", ordering="status")
    def desk_state(self, obj: Article) -> str:
        state = workflow.desk_state(obj)
        if state == "Scheduled":
            when = date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
            return f"Scheduled for {when}"
        return state

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        story = obj if obj is not None else Article()
        context["desk_transitions"] = workflow.allowed_transitions(request.user, story)
        context["desk_transition_field"] = TRANSITION_FIELD
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        article: Article = form.instance
        user = request.user
        if not change and not article.bylines.exists():
            # A writer's own story carries their byline unless they chose others.
            own = Author.objects.filter(user=user).first()
            if own is not None:
                Byline.objects.create(article=article, author=own, order=0)
        name = getattr(form, "requested_transition", None)
        if name:
            self._transition(request, article, name)

    def _transition(self, request: HttpRequest, article: Article, name: str) -> bool:
        kwargs = {}
        if name == "publish" and article.published_at and article.published_at <= timezone.now():
            kwargs["published_at"] = article.published_at
        try:
            workflow.SERVICES[name](article=article, by=request.user, **kwargs)
        except (PermissionDenied, ValidationError) as refused:
            self.message_user(request, f"“{article}”: {_text(refused)}", messages.ERROR)
            return False
        self.message_user(request, f"“{article}”: {workflow.desk_state(article).lower()}.")
        return True

    # -- changelist actions: wrappers over the workflow services --

    def _apply_to_selected(self, request: HttpRequest, queryset: QuerySet, name: str) -> None:
        stories = Article.objects.filter(pk__in=queryset.values("pk")).order_by("pk")
        done = 0
        for article in stories:
            try:
                workflow.SERVICES[name](article=article, by=request.user)
            except (PermissionDenied, ValidationError) as refused:
                self.message_user(request, f"“{article}”: {_text(refused)}", messages.ERROR)
            else:
                done += 1
        if done:
            label = workflow.TRANSITIONS[name].label
            self.message_user(request, f"{label}: {done} {'story' if done == 1 else 'stories'}.")

    @admin.action(description="Submit for review", permissions=["change"])
    def desk_submit(self, request, queryset):
        self._apply_to_selected(request, queryset, "submit")

    @admin.action(description="Publish now", permissions=["publish"])
    def desk_publish(self, request, queryset):
        self._apply_to_selected(request, queryset, "publish")

    @admin.action(description="Schedule at their publish time", permissions=["publish"])
    def desk_schedule(self, request, queryset):
        self._apply_to_selected(request, queryset, "schedule")

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def desk_unpublish(self, request, queryset):
        self._apply_to_selected(request, queryset, "unpublish")

    @admin.action(description="Archive", permissions=["publish"])
    def desk_archive(self, request, queryset):
        self._apply_to_selected(request, queryset, "archive")


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
