"""What every import shares: its error, its counts, its dry run, its progress and its command.

Imports are run by staff on files they did not write, so they promise the same things
whatever the format: bad input stops the import with a message naming the file and the
record, and nothing of that file is written (one transaction per file); a dry run does all
the work, including the database writes, inside a transaction that is then rolled back, so
its summary is exactly what a real run would print; and the summary counts every record as
created, updated, unchanged or skipped — skips always with their reason.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


class ImportFailed(Exception):
    """Bad input. The message names the file and the record, e.g.
    ``catalog.json: credits[12].person: unknown key 'jane-doe'``."""


@dataclass
class ImportStats:
    """Counts per kind of record ("show", "person", "credit", "story", …)."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def skip(self, kind: str, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[(kind, reason)] += count

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def kinds(self) -> list[str]:
        seen: dict[str, None] = {}
        for counter in (self.created, self.updated, self.unchanged):
            for kind in counter:
                seen.setdefault(kind, None)
        for kind, _reason in self.skipped:
            seen.setdefault(kind, None)
        return list(seen)

    def merge(self, other: ImportStats) -> None:
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)
        self.skipped.update(other.skipped)
        self.notes.extend(other.notes)

    def summary_lines(self) -> list[str]:
        """One line per kind of record, then one per reason for skipping, then notes."""
        lines = []
        for kind in self.kinds():
            skipped = sum(n for (k, _r), n in self.skipped.items() if k == kind)
            lines.append(
                f"{kind}: {self.created[kind]:,} created, {self.updated[kind]:,} updated, "
                f"{self.unchanged[kind]:,} unchanged, {skipped:,} skipped"
            )
        for (kind, reason), count in sorted(self.skipped.items()):
            lines.append(f"  skipped {count:,} {kind}: {reason}")
        lines.extend(self.notes)
        if not lines:
            lines.append("nothing to import")
        if self.dry_run:
            lines.append("Dry run: everything was checked and rolled back; nothing was written.")
        return lines


class _DryRunRollback(Exception):
    pass


@contextmanager
def import_transaction(*, dry_run: bool) -> Iterator[None]:
    """All of an import's writes in one transaction, rolled back at the end of a dry run.

    Nested inside another import transaction this is a savepoint, so a multi-file import
    run dry sees its earlier files' rows while checking the later ones.
    """
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass


class Progress(Protocol):
    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...


ProgressFactory = Callable[[str, int | None, str], Progress]
"""Called with (description, total or None, unit); returns something to update and close."""


class _NoProgress:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def no_progress(description: str, total: int | None, unit: str) -> Progress:
    return _NoProgress()


class _QuietLines:
    """Off a terminal: one line when a step ends, instead of a bar redrawn many times."""

    def __init__(self, write: Callable[[str], None], description: str, unit: str) -> None:
        self.write, self.description, self.unit = write, description, unit
        self.count, self.started = 0, time.monotonic()

    def update(self, n: int = 1) -> None:
        self.count += n

    def close(self) -> None:
        seconds = time.monotonic() - self.started
        done = (
            f"{self.count / 1e6:,.1f} MB" if self.unit == "B" else f"{self.count:,} {self.unit}"
        )
        self.write(f"{self.description}: {done} in {seconds:.1f}s")


class ImportCommand(BaseCommand):
    """Base for the import commands: --dry-run, progress, the summary, errors as CommandError."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do all the work and print the summary, then roll back: nothing is written.",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Never draw a progress bar (one line per step instead).",
        )

    def progress_factory(self, options: dict) -> ProgressFactory:
        """A bar redrawn on standard error when that is a terminal (so ``> log`` still shows
        it, and ``2> log`` gets no escape codes), one line per step on standard output
        otherwise, nothing at verbosity 0."""
        if options["verbosity"] < 1:
            return no_progress
        if self.stderr.isatty() and not options.get("no_progress"):
            from tqdm import tqdm

            stream = self.stderr._out

            def bar(description: str, total: int | None, unit: str) -> Progress:
                scale = unit == "B"
                return tqdm(
                    total=total, desc=description, unit=unit, unit_scale=scale, file=stream,
                    leave=False, dynamic_ncols=True,
                )

            return bar

        def lines(description: str, total: int | None, unit: str) -> Progress:
            return _QuietLines(self.stdout.write, description, unit)

        return lines

    def run_import(self, function: Callable[[], ImportStats], *, title: str) -> ImportStats:
        """Run one import, turning bad input into CommandError and printing the summary."""
        try:
            stats = function()
        except ImportFailed as error:
            raise CommandError(f"{error}\nNothing from that file was written.") from error
        self.print_summary(stats, title=title)
        return stats

    def print_summary(self, stats: ImportStats, *, title: str) -> None:
        if self.verbosity < 1:
            return
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        for line in stats.summary_lines():
            style = self.style.WARNING if line.lstrip().startswith("skipped") else None
            self.stdout.write(style(line) if style else line)

    def dry_run_done(self) -> None:
        if self.verbosity >= 1:
            self.stdout.write(
                self.style.WARNING(
                    "Dry run: everything was checked and rolled back; nothing was written."
                )
            )

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)


def require(condition: bool, message: str) -> None:
    """Raise ImportFailed unless ``condition``: keeps validation lists short and readable."""
    if not condition:
        raise ImportFailed(message)


__all__ = [
    "CommandError",
    "ImportCommand",
    "ImportFailed",
    "ImportStats",
    "Progress",
    "ProgressFactory",
    "import_transaction",
    "no_progress",
    "require",
    "tag_ids",
]


def tag_ids(names: list[str]) -> dict[str, int]:
    """Tag ids for ``names`` (case-insensitive, as the site's tags are), creating missing tags.

    Keys of the result are the lower-cased names. Tags are few and shared by every import,
    so missing ones are created one by one through taggit, which makes their unique slugs.
    """
    from django.db.models.functions import Lower
    from taggit.models import Tag

    wanted = {name.lower(): name for name in names}
    if not wanted:
        return {}
    found: dict[str, int] = {}
    for lowered, pk in (
        Tag.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=list(wanted))
        .order_by("pk")
        .values_list("lowered", "pk")
    ):
        found.setdefault(lowered, pk)
    for lowered, name in wanted.items():
        if lowered not in found:
            found[lowered] = Tag.objects.create(name=name).pk
    return found
