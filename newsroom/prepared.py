"""Queries of a fixed shape, compiled to SQL once instead of on every page view.

The busiest pages run the same few queries with different ids. Building a QuerySet and
compiling it costs about half a millisecond each, several times what SQLite or PostgreSQL then
spend on the query itself. A :class:`PreparedQuery` is written as an ordinary QuerySet with
its parameters named; the first time it runs on a database it is compiled with stand-in
values, and afterwards only the parameter values change.

Limits, checked when the SQL is made: parameters are integers (ids) or aware datetimes (such
as "now" for what is published), and each stand-in appears in the compiled parameters exactly
where its value goes. The query returns values (``values_list()``): rows come back as tuples
in the QuerySet's column order, converted from the database the way the QuerySet converts
them (dates, JSON). Reads are routed like the QuerySet's own (the replica router applies).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

# Far outside any real id or date, and distinct per parameter position.
_INT_STAND_IN = -7_130_000_001
_DATETIME_STAND_IN = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


def _stand_in(kind: type, index: int) -> int | datetime:
    if kind is datetime:
        return _DATETIME_STAND_IN.replace(microsecond=index + 1)
    return _INT_STAND_IN - index


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], *names: str) -> None:
        """``build(**params)`` returns the QuerySet; ``names`` are its parameters."""
        self.build = build
        self.names = names
        self._compiled: dict[tuple, tuple[str, tuple[Any, ...], list]] = {}
        self._model: type | None = None

    def _compile(self, alias: str, kinds: tuple[type, ...]) -> tuple[str, tuple[Any, ...], list]:
        connection = connections[alias]
        stand_ins = {name: _stand_in(kind, i) for i, (name, kind) in enumerate(zip(self.names, kinds, strict=True))}
        compiler = self.build(**stand_ins).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        converters = list(compiler.get_converters([col for col, _, _ in compiler.select]).items())
        by_value = {_adapt(connection, value): name for name, value in stand_ins.items()}
        slots = tuple(_Slot(by_value[v]) if _hashable(v) and v in by_value else v for v in params)
        found = {slot.name for slot in slots if isinstance(slot, _Slot)}
        if found != set(self.names):
            missing = ", ".join(sorted(set(self.names) - found))
            raise ValueError(f"{self.build.__qualname__}: parameters not in its SQL: {missing}")
        return sql, slots, converters

    def rows(self, **values: int | datetime) -> list[tuple]:
        """Run it with these parameter values; the rows as tuples."""
        kinds = tuple(datetime if isinstance(values[name], datetime) else int for name in self.names)
        if self._model is None:
            self._model = self.build(**{n: _stand_in(k, 0) for n, k in zip(self.names, kinds, strict=True)}).model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get((alias, kinds))
        if compiled is None:
            compiled = self._compiled[(alias, kinds)] = self._compile(alias, kinds)
        sql, slots, converters = compiled
        connection = connections[alias]
        params = [_adapt(connection, values[s.name]) if isinstance(s, _Slot) else s for s in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        return [_converted(row, converters, connection) for row in rows]


def _adapt(connection, value: Any) -> Any:
    """A parameter as the backend binds it (what a DateTimeField lookup compiles to)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return int(value)


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
