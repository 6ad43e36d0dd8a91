"""Admin changelist searches that stay fast on 100k stories and a million people.

Django's search ORs ``icontains`` over every search field and keeps the changelist's
ordering. On PostgreSQL that goes wrong twice on a large table:

* A search field across a relation (``main_show__title``) joins the other table into the
  ``WHERE``, so the planner cannot combine the trigram indexes
  (articles/migrations/0005_admin_search_indexes.py) with a BitmapOr: it scans every story
  joined to its show. Here such a field becomes an id subquery
  (``main_show__in=Show.objects.filter(title__icontains=term)``), which the related table's own
  trigram index answers, so editors still find stories by their show's title. It is written
  ``main_show_id = ANY(ARRAY(subquery))``: a plain ``IN (subquery)`` ORed with the other fields
  becomes a per-row hashed filter, while ``= ANY(array)`` is an index condition the BitmapOr
  can combine (the date hierarchy's MIN/MAX of ``published_at``: 740 ms -> 11 ms).
* With ``ORDER BY name LIMIT 100`` the planner walks the name index and filters row by row,
  discarding hundreds of thousands of people before the hundredth "Hiro". For a term the
  trigram indexes can serve (three characters or more) the first ordering key is wrapped in a
  no-op (``name || ''``, ``n + 0``) that no index provides: the planner takes the indexed
  matches and top-N sorts only those. The order an editor sees is unchanged; shorter terms
  keep the plain ordering, which an index walk answers quickly when nearly every row matches.

Search semantics are Django's for plain fields (each word must match some field,
case-insensitively; quoted phrases stay whole). Admins whose search fields use ``^``, ``=``,
``@``, explicit lookups or many-valued relations get Django's search unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import BooleanField, F, Func, OrderBy, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils.text import smart_split, unescape_string_literal

# Trigram indexes need three characters; shorter terms keep the index-walk ordering.
OPAQUE_ORDERING_MIN_LENGTH = 3

_TEXT = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}
_NUMBER = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "FloatField",
    "DecimalField",
}
_TIME = {"DateTimeField", "DateField"}


class Unindexed(Func):
    """The value of its expression, written so that no index on it applies (PostgreSQL only;
    elsewhere the expression itself). Sorts exactly like the expression."""

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        kind = self.source_expressions[0].output_field.get_internal_type()
        if kind in _TEXT:
            return f"({sql} || '')", params
        if kind in _NUMBER:
            return f"({sql} + 0)", params
        if kind in _TIME:
            return f"({sql} + interval '0 seconds')", params
        return sql, params

    @property
    def output_field(self):
        return self.source_expressions[0].output_field


class InSubquery(Func):
    """``column IN (subquery)``, on PostgreSQL ``column = ANY(ARRAY(subquery))`` so that an
    index on ``column`` can join a BitmapOr."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: QuerySet) -> None:
        super().__init__(F(column), Subquery(ids))

    def _parts(self, compiler):
        lhs, lhs_params = compiler.compile(self.source_expressions[0])
        rhs, rhs_params = compiler.compile(self.source_expressions[1])
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection, **extra_context):
        lhs, rhs, params = self._parts(compiler)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        lhs, rhs, params = self._parts(compiler)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def _unindexed(item: Any) -> Any:
    """``item`` (an ``order_by`` entry) with its expression made unindexable."""
    if isinstance(item, str):
        if item == "?" or "." in item:
            return item
        descending = item.startswith("-")
        return OrderBy(Unindexed(F(item.lstrip("-"))), descending=descending)
    if isinstance(item, OrderBy):
        return OrderBy(
            Unindexed(item.expression),
            descending=item.descending,
            nulls_first=item.nulls_first,
            nulls_last=item.nulls_last,
        )
    return item


class IndexedSearchMixin:
    """A ``ModelAdmin`` mixin: searches each table through its own trigram index, and sorts
    only the matches instead of walking an ordering index past non-matching rows."""

    def _search_lookups(self, model: type[models.Model], fields) -> list | None:
        """Per search field, ``(relation path, lookup on the related model)`` (the path is
        empty for the model's own fields), or None when a field needs Django's search."""
        lookups = []
        for name in map(str, fields):
            if name[:1] in "^=@":
                return None
            parts = name.split(LOOKUP_SEP)
            opts, path = model._meta, []
            for part in parts[:-1]:
                try:
                    field = opts.get_field(part)
                except FieldDoesNotExist:
                    return None
                if not (field.is_relation and (field.many_to_one or field.one_to_one)):
                    return None
                if not field.concrete:
                    return None
                path.append(part)
                opts = field.related_model._meta
            try:
                last = opts.get_field(parts[-1])
            except FieldDoesNotExist:
                return None
            if last.is_relation:
                return None
            lookups.append((path, f"{parts[-1]}__icontains"))
        return lookups

    def _term_query(self, model, lookups, term: str) -> Q:
        query = Q()
        for path, lookup in lookups:
            if not path:
                query |= Q(**{lookup: term})
                continue
            # One subquery per relation: the related table's trigram index finds its rows.
            related = model
            for part in path:
                related = related._meta.get_field(part).related_model
            ids = related._base_manager.filter(**{lookup: term}).order_by().values("pk")
            column = model._meta.get_field(path[0]).attname
            query |= Q(InSubquery(column, _nested(model, path, ids)))
        return query

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        fields = self.get_search_fields(request)
        lookups = self._search_lookups(queryset.model, fields) if fields else None
        if not search_term or lookups is None:
            return super().get_search_results(request, queryset, search_term)
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            terms.append(bit)
        for term in terms:
            queryset = queryset.filter(self._term_query(queryset.model, lookups, term))
        ordering = list(queryset.query.order_by)
        if ordering and any(len(t) >= OPAQUE_ORDERING_MIN_LENGTH for t in terms):
            ordering[0] = _unindexed(ordering[0])
            queryset = queryset.order_by(*ordering)
        return queryset, False


def _nested(model: type[models.Model], path: list[str], ids: QuerySet) -> QuerySet:
    """For a path of several relations (``show__network__name``), the ids of the first
    relation's rows whose path ends in ``ids``."""
    if len(path) == 1:
        return ids
    first = model._meta.get_field(path[0]).related_model
    column = first._meta.get_field(path[1]).attname
    return first._base_manager.filter(InSubquery(column, _nested(first, path[1:], ids))).values(
        "pk"
    )
