"""Queries of a fixed shape, compiled to SQL once instead of on every page view.

The busiest pages run the same few queries with different ids. Building a QuerySet and
compiling it costs about half a millisecond each (more with subquery annotations), several
times what SQLite or PostgreSQL then spend on the query itself. A :class:`PreparedQuery` is
written as an ordinary QuerySet with its parameters named; the first time it runs on a
database it is compiled with stand-in values, and afterwards only the parameter values change.

Parameters are integers (ids), strings (slugs) or aware datetimes (such as "now" for what is
published); each stand-in must appear in the compiled parameters exactly where its value goes,
which is checked when the SQL is made. Results are what the QuerySet would give:

- :meth:`PreparedQuery.rows` for a ``values_list()`` query: tuples in its column order,
  converted from the database as the QuerySet converts them (dates, JSON);
- :meth:`PreparedQuery.objects` for a model query: instances built the way Django's own
  model iterable builds them, ``select_related`` objects and annotations included.

Reads are routed like the QuerySet's own (the replica router applies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import _get_from_db, get_related_populators
from django.http import Http404

# Far outside any real id, slug or date, and distinct per parameter position.
_INT_STAND_IN = -7_130_000_001
_STR_STAND_IN = "\x00prepared-stand-in-{}\x00"
_DATETIME_STAND_IN = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)

Param = int | str | datetime


def _kind(value: Param) -> type:
    for kind in (datetime, str):
        if isinstance(value, kind):
            return kind
    return int


def _stand_in(kind: type, index: int) -> Param:
    if kind is datetime:
        return _DATETIME_STAND_IN.replace(microsecond=index + 1)
    if kind is str:
        return _STR_STAND_IN.format(index)
    return _INT_STAND_IN - index


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[Any, ...]  # compiled parameters; a _Slot where a named value goes
    converters: list
    queryset: QuerySet
    compiler: Any


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], *names: str) -> None:
        """``build(**params)`` returns the QuerySet; ``names`` are its parameters."""
        self.build = build
        self.names = names
        self._compiled: dict[tuple, _Compiled] = {}
        self._model: type[Model] | None = None

    def _compile(self, alias: str, kinds: tuple[type, ...]) -> _Compiled:
        connection = connections[alias]
        stand_ins = {name: _stand_in(kind, i) for i, (name, kind) in enumerate(zip(self.names, kinds, strict=True))}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        converters = list(compiler.get_converters([col for col, _, _ in compiler.select]).items())
        by_value = {_adapt(connection, value): name for name, value in stand_ins.items()}
        slots = tuple(_Slot(by_value[v]) if _hashable(v) and v in by_value else v for v in params)
        found = {slot.name for slot in slots if isinstance(slot, _Slot)}
        if found != set(self.names):
            missing = ", ".join(sorted(set(self.names) - found))
            raise ValueError(f"{self.build.__qualname__}: parameters not in its SQL: {missing}")
        return _Compiled(sql, slots, converters, queryset, compiler)

    def _run(self, values: dict[str, Param]) -> tuple[_Compiled, str, list[tuple]]:
        kinds = tuple(_kind(values[name]) for name in self.names)
        if self._model is None:
            self._model = self.build(**{n: _stand_in(k, 0) for n, k in zip(self.names, kinds, strict=True)}).model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get((alias, kinds))
        if compiled is None:
            compiled = self._compiled[(alias, kinds)] = self._compile(alias, kinds)
        connection = connections[alias]
        params = [_adapt(connection, values[s.name]) if isinstance(s, _Slot) else s for s in compiled.slots]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        return compiled, alias, rows

    def rows(self, **values: Param) -> list[tuple]:
        """Run it with these parameter values; the rows as tuples."""
        return self._run(values)[2]

    def objects(self, **values: Param) -> list[Model]:
        """Run it with these parameter values; the rows as model instances (what iterating
        the QuerySet gives, as ``django.db.models.query.ModelIterable`` builds them)."""
        compiled, alias, rows = self._run(values)
        compiler, queryset = compiled.compiler, compiled.queryset
        select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [column[0].target.attname for column in select[first:last]]
        from_db = _get_from_db(klass_info["model"], queryset._fetch_mode)
        populators = get_related_populators(klass_info, select, alias, queryset._fetch_mode)
        objects = []
        for row in rows:
            obj = from_db(alias, attnames, row[first:last])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in (annotations or {}).items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def first(self, **values: Param) -> Model | None:
        found = self.objects(**values)
        return found[0] if found else None

    def first_or_404(self, **values: Param) -> Model:
        """:meth:`first`, or ``Http404`` when there is none (``get_object_or_404`` for a
        page's own row)."""
        found = self.first(**values)
        if found is None:
            raise Http404("No such page.")
        return found


def _adapt(connection, value: Any) -> Any:
    """A parameter as the backend binds it (what a DateTimeField lookup compiles to)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _converted(row: tuple, converters: list, connection) -> tuple:
    """What ``SQLCompiler.apply_converters`` does, with this thread's connection."""
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name
