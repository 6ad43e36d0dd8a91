"""Queries of a fixed shape, compiled to SQL once instead of on every page view.

The busiest pages run the same few queries with different ids. Building a QuerySet and
compiling it costs about half a millisecond each, several times what SQLite or PostgreSQL then
spend on the query itself. A :class:`PreparedQuery` is written as an ordinary QuerySet with
its integer parameters named; the first time it runs on a database it is compiled with
stand-in values, and afterwards only the parameter values change.

Limits, checked when the SQL is made: parameters are integers (ids); the query returns plain
values (``values_list()``) that need no conversion from the database (text, integers); each
stand-in appears in the compiled parameters exactly where its value goes. Rows come back as
tuples, in the QuerySet's column order. Reads are routed like the QuerySet's own (the replica
router applies).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

# Far outside any real id, and distinct per parameter position.
_STAND_IN_BASE = -7_130_000_001


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], *names: str) -> None:
        """``build(**{name: int})`` returns the QuerySet; ``names`` are its parameters."""
        self.build = build
        self.names = names
        self._compiled: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self._model: type | None = None

    def _compile(self, alias: str) -> tuple[str, tuple[Any, ...]]:
        stand_ins = {name: _STAND_IN_BASE - i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.get_converters([col for col, _, _ in compiler.select]):
            raise ValueError(f"{self.build.__qualname__}: columns need conversion; not preparable")
        slots: list[Any] = []
        by_value = {value: name for name, value in stand_ins.items()}
        for value in params:
            slots.append(_Slot(by_value[value]) if value in by_value else value)
        found = {slot.name for slot in slots if isinstance(slot, _Slot)}
        if found != set(self.names):
            raise ValueError(f"{self.build.__qualname__}: parameters {set(self.names) - found} not in its SQL")
        return sql, tuple(slots)

    def rows(self, **values: int) -> list[tuple]:
        """Run it with these parameter values; the rows as tuples."""
        if self._model is None:
            self._model = self.build(**dict.fromkeys(self.names, 0)).model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, slots = compiled
        params = [int(values[s.name]) if isinstance(s, _Slot) else s for s in slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name
