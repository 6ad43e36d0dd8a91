"""Revisions of stories and catalog entries: who saved what and when, compared and restored.

Every admin save of a story or a catalog entry (show, season, person, company, credit) is
kept by django-reversion as a revision, with the editor and the time, together with the rows
edited inline on the same page (a story's bylines and links, a show's seasons and credits).
The history page lists them newest first; an editor ticks two to compare them field by field
(``compare_view``), or opens one to restore it through the usual change form (reversion's
``revision_view``: the old values fill the form, saving it makes them current, and that save
is a revision too).

Revisions are made by the admin only. Imports and bulk commands write without them — a
catalog import of a million rows must not also write a million versions — so an imported
entry's history starts at its first save in the admin (``manage.py createinitialrevisions``
records a starting point for every registered model when one is wanted).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.admin import VersionAdmin
from reversion.models import Version

# Words, runs of spaces and whole tags: the units a text diff is told in.
_TOKENS = re.compile(r"<[^>]*>|\s+|[^\s<]+")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    diff: SafeString


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def _related_label(field: models.Field, pk: Any) -> Any:
    """A foreign key's target by name ("an editor", "Prime Video"), not by number."""
    if pk is None:
        return None
    target = field.related_model._default_manager.filter(pk=pk).first()
    return str(target) if target is not None else f"{pk} (deleted)"


def text_diff(old: str, new: str) -> SafeString:
    """An inline diff of two texts: removed words in ``<del>``, added words in ``<ins>``.

    Both texts are escaped first, so a story's HTML is shown as its source, never rendered.
    """
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def compare_versions(model: type[models.Model], old: Version, new: Version) -> list[FieldChange]:
    """The fields whose stored values differ between two versions of one object."""
    old_fields, new_fields = old.field_dict, new.field_dict
    changes = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name not in old_fields and name not in new_fields:
            continue
        before, after = old_fields.get(name), new_fields.get(name)
        if before == after:
            continue
        if field.is_relation:
            before, after = _related_label(field, before), _related_label(field, after)
        before_text, after_text = _display(before), _display(after)
        changes.append(
            FieldChange(
                label=str(field.verbose_name),
                old=before_text,
                new=after_text,
                diff=text_diff(before_text, after_text),
            )
        )
    return changes


def _related_rows(version: Version) -> dict[str, set[str]]:
    """The other rows saved in the same revision (inline bylines, credits…), by kind."""
    rows: dict[str, set[str]] = {}
    for other in version.revision.version_set.select_related("content_type"):
        if other.pk == version.pk:
            continue
        kind = str(other.content_type.model_class()._meta.verbose_name_plural)
        rows.setdefault(kind, set()).add(other.object_repr)
    return rows


class RevisionAdmin(VersionAdmin):
    """A model admin whose saves are kept as revisions, with a compare view on its history.

    Mix in before ``admin.ModelAdmin`` (it is one): ``class ShowAdmin(RevisionAdmin)``.
    """

    object_history_template = "admin/revisions/object_history.html"
    history_latest_first = True

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info}_compare",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        """Reading the list needs no revision (nor the savepoint one costs); saving from it
        (list-editable columns, actions) does."""
        if request.method == "POST":
            return super().changelist_view(request, extra_context)
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """Reversion's history, each row also carrying its version for the compare form."""
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        versions = self._reversion_order_version_queryset(
            request,
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision", "revision__user"),
        )
        context = {
            "compare_url": reverse(f"admin:{info}_compare", args=[object_id]),
            "action_list": [
                {
                    "version": version,
                    "revision": version.revision,
                    "url": reverse(
                        f"admin:{info}_revision", args=[quote(version.object_id), version.pk]
                    ),
                }
                for version in versions
            ],
        }
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two versions of one object side by side: the changed fields, word by word."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such entry.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            ids = sorted({int(request.GET["old"]), int(request.GET["new"])})
        except (KeyError, ValueError):
            ids = []
        if len(ids) != 2:
            raise Http404("Choose two different versions to compare.")
        old = get_object_or_404(versions, pk=ids[0])
        new = get_object_or_404(versions, pk=ids[1])
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        old_rows, new_rows = _related_rows(old), _related_rows(new)
        related = [
            {
                "kind": kind,
                "removed": sorted(old_rows.get(kind, set()) - new_rows.get(kind, set())),
                "added": sorted(new_rows.get(kind, set()) - old_rows.get(kind, set())),
            }
            for kind in sorted(old_rows.keys() | new_rows.keys())
        ]
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Compare versions of {obj}",
            "old": old,
            "new": new,
            "changes": compare_versions(self.model, old, new),
            "related": [row for row in related if row["removed"] or row["added"]],
            "history_url": reverse(f"admin:{info}_history", args=[obj.pk]),
            "restore_url": reverse(f"admin:{info}_revision", args=[obj.pk, old.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/revisions/compare.html", context)
