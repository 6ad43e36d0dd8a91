"""The full-page cache, its precise invalidation, and a Redis cache that degrades.

A trade-press site gets its traffic in spikes on a few pages, and those pages change rarely:
anonymous GET and HEAD requests for public pages are answered from the default cache (Redis
in production, shared by every app server) without touching the database.

What is cached, what is not
    Only anonymous reads: a request that carries a session cookie or an ``Authorization``
    header (editors, previews), the admin, and ``?preview`` URLs bypass the cache. Only plain
    200 responses are stored: not one that sets a cookie (or a CSRF token, or a modified
    session), says ``Cache-Control: private``/``no-store``/``no-cache``, or varies on ``*``.

How a cached page is purged
    Each page depends on a few *entity keys*: the story, show, person, company, tag or author
    it is about (the model instances at the top of its template context, or what the view
    declared with :func:`depends_on`), or ``lists`` for a page about no one entity (home,
    story lists, feeds, sitemaps, search, the scorecard). Every key has a *generation*: the
    time it last changed. A stored page carries the generations it was rendered with; it is
    served only while they are unchanged, so purging a key is writing a new generation,
    whatever pages depend on it and whichever app server stored them.

    Signals bump keys after the transaction commits (``transaction.on_commit``), and fan out
    to every page that shows the changed row: a person's change reaches the stories that
    mention them and the shows that credit them; a story's change reaches its mentioned
    people, shows and companies, its tags, authors and main show, and ``lists``.

    Time changes pages too: a scheduled story goes live without any write, so no page is kept
    past the next scheduled publish time (each page's timeout is at most the seconds until
    then).

    A page rendered while a change commits must not be stored with the old content: a page is
    stored only if none of its keys changed in the ``PAGE_CACHE_SAFETY_SECONDS`` before its
    rendering began (which also covers a read replica lagging by less than that).

Compressed
    A stored page of a kilobyte or more is kept gzip-compressed (a fifth of its size in
    Redis) and sent compressed, with ``Vary: Accept-Encoding``, to every client that accepts
    gzip (every browser, crawler and CDN); it is decompressed for any other.

Headers for a CDN in front
    A stored page carries an ``ETag`` (a revalidation is answered 304 from the cache); the
    outer ``newsroom.caching.CacheHeadersMiddleware`` and ``ConditionalGetMiddleware`` add
    ``Cache-Control`` and answer conditional requests, for stored and fresh pages alike.

Settings: ``PAGE_CACHE_ENABLED``, ``PAGE_CACHE_SECONDS``, ``PAGE_CACHE_SAFETY_SECONDS``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import DatabaseError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

PAGE_PREFIX = "page:"
GEN_PREFIX = "pagegen:"
GOLIVE_KEY = "pagecache:next-golive"
LISTS = "lists"
ALL = "all"
HEADER = "X-Page-Cache"
ENTRY_VERSION = 2  # 2: the content may be stored gzip-compressed
# Pages at least this long are stored gzip-compressed (a person page with 40 shows and 40
# stories, 33 KB, is 5 KB), and sent that way to every client that accepts gzip.
COMPRESS_MIN_BYTES = 1024
NEVER_STORE = ("private", "no-store", "no-cache")


# -- Redis that degrades --------------------------------------------------------------------


def _degrades(fallback: Callable[..., Any]):
    """Run a cache call; on a Redis error log it, stop calling Redis for a moment, and
    answer as if the key were missing (``fallback`` gets the call's arguments)."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except (self._errors) as exc:
                self._failed(method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _missing_default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty_dict(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _incr_missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable)")


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a ``redis.Redis`` for every cache operation. Building one
    fills its table of response callbacks (about 170 entries, each key upper-cased): a
    quarter of a millisecond, twice per cached page, which was two thirds of the time a
    cached page took to serve. A ``redis.Redis`` is safe to share between threads (each
    command takes a connection from the pool, which also starts afresh in a forked worker),
    so one is kept per connection pool."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    def get_and_many(self, key, keys):
        """``get(key)`` and ``get_many(keys)`` in one round trip (a pipeline, no
        transaction: the two reads run one after the other, as two calls would)."""
        pipe = self.get_client(key).pipeline(transaction=False)
        pipe.get(key)
        pipe.mget(keys)
        value, values = pipe.execute()
        loads = self._serializer.loads
        return (
            None if value is None else loads(value),
            {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None},
        )


class SafeRedisCache(RedisCache):
    """Django's Redis cache, except that a Redis outage is a cache miss, never an error.

    Django's ``RedisCache`` raises on connection errors, which would turn a cache outage
    into a site outage. Here every call that fails is logged (at most once every
    ``log_every`` seconds) and answered as a miss; after a failure Redis is left alone for
    ``retry_after`` seconds so that requests do not each wait for a dead server. Set short
    socket timeouts in ``OPTIONS`` so a hung server fails fast too.
    """

    retry_after = 1.0
    log_every = 10.0

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        import redis

        self._class = SharedClientRedisCacheClient
        self._errors = (redis.exceptions.RedisError, OSError)
        self._down_until = 0.0
        self._logged_at = 0.0
        self._lock = threading.Lock()

    def _failed(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + self.retry_after
            if now - self._logged_at < self.log_every:
                return
            self._logged_at = now
        logger.warning(
            "cache unavailable (%s: %s: %s); serving without it, retrying in %.0f s",
            operation, type(exc).__name__, exc, self.retry_after,
        )

    def get_and_many(self, key: str, keys: list[str]) -> tuple[Any, dict[str, Any]]:
        """``(get(key), get_many(keys))`` in one round trip to Redis."""
        key_map = {self.make_and_validate_key(k): k for k in keys}
        value, found = self._cache.get_and_many(self.make_and_validate_key(key), list(key_map))
        return value, {key_map[k]: v for k, v in found.items()}

    get_and_many = _degrades(lambda *args, **kwargs: (None, {}))(get_and_many)
    add = _degrades(_false)(RedisCache.add)
    get = _degrades(_missing_default)(RedisCache.get)
    set = _degrades(_nothing)(RedisCache.set)
    touch = _degrades(_false)(RedisCache.touch)
    delete = _degrades(_false)(RedisCache.delete)
    get_many = _degrades(_empty_dict)(RedisCache.get_many)
    has_key = _degrades(_false)(RedisCache.has_key)
    incr = _degrades(_incr_missing)(RedisCache.incr)
    set_many = _degrades(_all_failed)(RedisCache.set_many)
    delete_many = _degrades(_nothing)(RedisCache.delete_many)
    clear = _degrades(_nothing)(RedisCache.clear)


# -- entity keys and generations -----------------------------------------------------------


@functools.cache
def _tracked() -> dict[type[models.Model], str]:
    from taggit.models import Tag

    from articles.models import Article, Author
    from catalog.models import Company, Person, Show

    return {Article: "article", Show: "show", Person: "person", Company: "company",
            Tag: "tag", Author: "author"}


def entity_key(obj: models.Model) -> str | None:
    """``"person:12"`` for a tracked row (story, show, person, company, tag, author)."""
    label = _tracked().get(obj._meta.concrete_model)
    if label is None or obj.pk is None:
        return None
    return f"{label}:{obj.pk}"


def _gen_keys(keys: Iterable[str]) -> list[str]:
    return [GEN_PREFIX + key for key in keys]


def _generations(keys: tuple[str, ...]) -> tuple:
    found = cache.get_many(_gen_keys(keys))
    return tuple(found.get(GEN_PREFIX + key) for key in keys)


def _gen_timeout() -> int:
    # Longer than any page lives, so a page never outlives the generation it was checked on.
    return max(3600, 4 * page_cache_seconds())


def bump(keys: Iterable[str]) -> None:
    """Give ``keys`` a new generation now: every page depending on one is stale."""
    keys = set(keys)
    if not keys:
        return
    now = time.time()
    cache.set_many({GEN_PREFIX + key: now for key in keys}, timeout=_gen_timeout())


_pending = threading.local()

# A transaction that changes more rows than this purges every page instead of working out
# which pages show each of them (bulk imports).
FANOUT_LIMIT = 500


def _pending_state() -> tuple[set[str], dict[tuple[str, Any], models.Model]]:
    if not hasattr(_pending, "keys"):
        _pending.keys, _pending.objects = set(), {}
    return _pending.keys, _pending.objects


def _register_flush(using: str | None) -> None:
    """Flush when the transaction commits (at once outside one).

    Registered on every change: the first callback to run flushes everything pending and the
    rest find nothing to do. (Registering once per transaction would lose the flush when the
    savepoint that registered it rolls back.) Keys left from a rolled-back transaction are
    flushed with the next one: an extra purge, never a missed one.
    """
    transaction.on_commit(_flush, using=using, robust=True)


def bump_on_commit(keys: Iterable[str], using: str | None = None) -> None:
    """Bump ``keys`` once the current transaction commits."""
    _pending_state()[0].update(keys)
    _register_flush(using)


def _fanout_on_commit(obj: models.Model, using: str | None = None) -> None:
    """Purge the pages showing ``obj`` once the transaction commits.

    The fan-out runs then, not now, so it sees the rows written after ``obj`` in the same
    transaction (linking replaces a story's mentions after saving the story).
    """
    _pending_state()[1][(obj._meta.label, obj.pk)] = obj
    _register_flush(using)


def _flush() -> None:
    keys, objects = _pending_state()
    if not keys and not objects:
        return
    _pending.keys, _pending.objects = set(), {}
    if ALL in keys or len(objects) > FANOUT_LIMIT:
        # Every page depends on ALL (and the go-live check on LISTS): working out the pages
        # that show each object would only bump more keys (tens of thousands after an
        # import that creates genre tags).
        keys = keys | {ALL, LISTS}
    else:
        try:
            for obj in objects.values():
                keys |= _fanout(obj)
        except DatabaseError:
            logger.exception("page cache: could not work out which pages to purge; purging all")
            keys = keys | {ALL}
    bump(keys)


def purge(*objects: models.Model) -> None:
    """Purge the pages showing ``objects`` (for code that writes without signals)."""
    for obj in objects:
        _fanout_on_commit(obj)


def purge_all() -> None:
    """Purge every cached page (after bulk loads that bypass signals)."""
    bump_on_commit({ALL})


def depends_on(request: HttpRequest, *things: models.Model | str) -> None:
    """Declare what a page shows, when its template context does not say it.

    Views call it with model instances (or keys like ``"lists"``); a page that shows a list
    of recent stories besides its own entity should add ``"lists"``.
    """
    deps = request.__dict__.setdefault("_page_cache_deps", set())
    for thing in things:
        key = thing if isinstance(thing, str) else entity_key(thing)
        if key:
            deps.add(key)


# -- what each change purges (signals) ---------------------------------------------------------


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


def _ids(queryset, *fields: str) -> set:
    rows = queryset.values_list(*fields)
    return {value for row in rows for value in row if value is not None}


def _keys(label: str, ids: Iterable) -> set[str]:
    return {f"{label}:{pk}" for pk in ids if pk is not None}


def _fanout(obj: models.Model) -> set[str]:
    """The keys of every page that shows ``obj`` (its own page and those listing it)."""
    from taggit.models import Tag

    from articles.models import Article, Author, Byline, Mention, TaggedArticle
    from catalog.models import Company, Credit, Person, Season, Show, TaggedShow

    keys = {LISTS}
    own = entity_key(obj)
    if own:
        keys.add(own)
    old = getattr(obj, "_page_cache_old", {})
    if isinstance(obj, Article):
        mentions = Mention.objects.active().filter(article=obj.pk)
        keys |= _keys("person", _ids(mentions.filter(person__isnull=False), "person_id"))
        keys |= _keys("show", _ids(mentions.filter(show__isnull=False), "show_id"))
        keys |= _keys("company", _ids(mentions.filter(company__isnull=False), "company_id"))
        keys |= _keys("tag", _ids(TaggedArticle.objects.filter(content_object=obj.pk), "tag_id"))
        keys |= _keys("author", _ids(Byline.objects.filter(article=obj.pk), "author_id"))
        keys |= _keys("show", _ids(Season.objects.filter(announced_by=obj.pk), "show_id"))
        main_shows = {obj.main_show_id, old.get("main_show_id")} - {None}
        keys |= _keys("show", main_shows)
        keys |= _keys("company", {obj.source_id, old.get("source_id")})
        # Pages listing "stories about their shows": the people credited on the main show,
        # its network and its studios.
        keys |= _keys("person", _ids(Credit.objects.filter(show__in=main_shows), "person_id"))
        keys |= _keys("company", _ids(Show.objects.filter(pk__in=main_shows), "network_id"))
        keys |= _keys(
            "company",
            _ids(Show.studios.through.objects.filter(show__in=main_shows), "company_id"),
        )
    elif isinstance(obj, Person):
        keys |= _keys("article", _ids(Mention.objects.filter(person=obj.pk), "article_id"))
        keys |= _keys("show", _ids(Credit.objects.filter(person=obj.pk), "show_id"))
    elif isinstance(obj, Show):
        keys |= _keys("article", _ids(Mention.objects.filter(show=obj.pk), "article_id"))
        keys |= _keys("article", _ids(Article.objects.filter(main_show=obj.pk), "id"))
        keys |= _keys("person", _ids(Credit.objects.filter(show=obj.pk), "person_id"))
        keys |= _keys("company", _ids(Show.studios.through.objects.filter(show=obj.pk), "company_id"))
        keys |= _keys("company", {obj.network_id, old.get("network_id")})
        keys |= _keys("show", {obj.spinoff_of_id, old.get("spinoff_of_id")})
        keys |= _keys("show", _ids(Show.objects.filter(spinoff_of=obj.pk), "id"))
        keys |= _keys("tag", _ids(TaggedShow.objects.filter(content_object=obj.pk), "tag_id"))
    elif isinstance(obj, Company):
        shows = Show.objects.filter(network=obj.pk)
        keys |= _keys("show", _ids(shows, "id"))
        keys |= _keys("show", _ids(Show.studios.through.objects.filter(company=obj.pk), "show_id"))
        keys |= _keys("article", _ids(Mention.objects.filter(company=obj.pk), "article_id"))
        keys |= _keys("article", _ids(Article.objects.filter(source=obj.pk), "id"))
        keys |= _keys("article", _ids(Article.objects.filter(main_show__network=obj.pk), "id"))
    elif isinstance(obj, Tag):
        keys |= _keys("article", _ids(TaggedArticle.objects.filter(tag=obj.pk), "content_object_id"))
        keys |= _keys("show", _ids(TaggedShow.objects.filter(tag=obj.pk), "content_object_id"))
    elif isinstance(obj, Author):
        keys |= _keys("article", _ids(Byline.objects.filter(author=obj.pk), "article_id"))
    elif isinstance(obj, Mention):
        keys |= _keys("article", {obj.article_id})
        keys |= _keys("person", {obj.person_id, old.get("person_id")})
        keys |= _keys("show", {obj.show_id, old.get("show_id")})
        keys |= _keys("company", {obj.company_id, old.get("company_id")})
    elif isinstance(obj, Credit):
        keys |= _keys("show", {obj.show_id, old.get("show_id")})
        keys |= _keys("person", {obj.person_id, old.get("person_id")})
    elif isinstance(obj, Season):
        keys |= _keys("show", {obj.show_id, old.get("show_id")})
    elif isinstance(obj, Byline):
        keys |= _keys("article", {obj.article_id, old.get("article_id")})
        keys |= _keys("author", {obj.author_id, old.get("author_id")})
    elif isinstance(obj, TaggedArticle):
        keys |= _keys("article", {obj.content_object_id})
        keys |= _keys("tag", {obj.tag_id})
    elif isinstance(obj, TaggedShow):
        keys |= _keys("show", {obj.content_object_id})
        keys |= _keys("tag", {obj.tag_id})
    return keys


# Foreign keys whose previous value also names a page that showed the row.
_REMEMBER = {
    "articles.Article": ("main_show_id", "source_id"),
    "catalog.Show": ("network_id", "spinoff_of_id"),
    "articles.Mention": ("person_id", "show_id", "company_id"),
    "catalog.Credit": ("person_id", "show_id"),
    "catalog.Season": ("show_id",),
    "articles.Byline": ("article_id", "author_id"),
}


def _remember_old(sender, instance, raw=False, **kwargs) -> None:
    if not enabled() or raw or instance.pk is None:
        return
    fields = _REMEMBER.get(sender._meta.label)
    if fields:
        instance._page_cache_old = (
            sender._base_manager.filter(pk=instance.pk).values(*fields).first() or {}
        )


def _saved(sender, instance, raw=False, using=None, **kwargs) -> None:
    if not enabled() or raw:
        return
    _fanout_on_commit(instance, using=using)


def _deleting(sender, instance, using=None, **kwargs) -> None:
    """Before the delete: the fan-out reads the rows about to go."""
    if not enabled():
        return
    bump_on_commit(_fanout(instance), using=using)


def _studios_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs) -> None:
    """Show.studios: the show's page and each studio's page (either side of the relation)."""
    if not enabled() or action not in ("pre_clear", "post_add", "post_remove"):
        return
    through = sender.objects
    if action == "pre_clear":
        field = "show" if not reverse else "company"
        other = "company_id" if not reverse else "show_id"
        pk_set = _ids(through.filter(**{field: instance.pk}), other)
    own, others = ("company", "show") if reverse else ("show", "company")
    bump_on_commit({LISTS, f"{own}:{instance.pk}", *_keys(others, pk_set or ())}, using=using)


def connect_signals() -> None:
    """Called from ``NewsroomConfig.ready()``."""
    from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
    from taggit.models import Tag

    from articles.models import Article, Author, Byline, Mention, TaggedArticle
    from catalog.models import Company, Credit, Person, Season, Show, TaggedShow

    for model in (Article, Show, Person, Company, Tag, Author, Mention, Credit, Season, Byline,
                  TaggedArticle, TaggedShow):
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
        if model._meta.label in _REMEMBER:
            pre_save.connect(_remember_old, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_studios_changed, sender=Show.studios.through, dispatch_uid="page-cache-studios")


# -- scheduled stories ---------------------------------------------------------------------


def seconds_until_next_go_live() -> float | None:
    """Seconds until the next scheduled story goes live (None when none is scheduled).

    Cached, and checked against the ``lists`` generation that every story change bumps: a
    newly scheduled story is seen at once.
    """
    from articles.models import Article

    lists_gen = _generations((LISTS,))[0]
    entry = cache.get(GOLIVE_KEY)
    now = time.time()
    if entry is None or entry[0] != lists_gen or (entry[1] and entry[1] <= now):
        first = (
            Article.objects.scheduled().order_by("published_at")
            .values_list("published_at", flat=True).first()
        )
        entry = (lists_gen, first.timestamp() if first else None)
        cache.set(GOLIVE_KEY, entry, timeout=3600)
    return None if entry[1] is None else entry[1] - now


# -- the middleware -------------------------------------------------------------------------


def cacheable_request(request: HttpRequest) -> bool:
    from newsroom.routers import is_public_request

    return is_public_request(request) and "preview" not in request.GET


def page_key(request: HttpRequest) -> str:
    # Host and scheme too: feeds and canonical links are absolute URLs.
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_PREFIX + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in NEVER_STORE):
        return False
    return "*" not in response.get("Vary", "")


def _page_deps(request: HttpRequest, response: HttpResponseBase) -> tuple[str, ...]:
    deps = set(request.__dict__.get("_page_cache_deps", ()))
    if not deps:
        for value in (getattr(response, "context_data", None) or {}).values():
            if isinstance(value, models.Model):
                key = entity_key(value)
                if key:
                    deps.add(key)
                # A story's page shows its main show's cast and crew panel.
                main_show_id = getattr(value, "main_show_id", None)
                if key and key.startswith("article:") and main_show_id:
                    deps.add(f"show:{main_show_id}")
    if not deps:
        deps.add(LISTS)
    deps.add(ALL)
    return tuple(sorted(deps))


# Per process: the dependencies each page had when this process last read or stored it, so
# that a hit reads the page and its generations together (PageCacheMiddleware.lookup). A
# guess, never trusted: the entry's own list decides. Bounded; forgotten wholesale when full.
_known_deps: dict[str, tuple[str, ...]] = {}
KNOWN_DEPS_LIMIT = 20_000


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header admits gzip: named (or ``*``) without ``q=0``."""
    wildcard = None
    for part in accept_encoding.split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip().lower()
        if coding not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding != "*":
            return q > 0
        wildcard = q > 0
    return bool(wildcard)


def _remember_deps(key: str, deps: tuple[str, ...]) -> None:
    if len(_known_deps) >= KNOWN_DEPS_LIMIT:
        _known_deps.clear()
    _known_deps[key] = deps


class PageCacheMiddleware:
    """Answers anonymous public reads from the cache; stores what it may (see module doc).

    Goes right after ``SecurityMiddleware`` and ``WhiteNoiseMiddleware`` and before
    ``SessionMiddleware``, so that it sees the cookies and headers every other middleware
    adds before deciding to store a response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not enabled() or not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        entry = self.lookup(key)
        if entry is not None:
            return self.replay(request, entry)
        started = time.time()
        response = self.get_response(request)
        if storable(request, response):
            self.store(key, request, response, started)
        response[HEADER] = "miss"
        return response

    def lookup(self, key: str) -> tuple | None:
        """The stored entry for ``key`` if every object it shows is still at the generation
        it was stored with; ``None`` otherwise.

        An entry names what it depends on, so its generations are read after it. With Redis
        both are read in one round trip when this process has seen the page before: the
        generations of the dependencies it had then are fetched with the entry and used if
        the entry still has the same dependencies (almost always), and read again if not.
        """
        known = _known_deps.get(key)
        get_and_many = getattr(cache, "get_and_many", None)
        if known is not None and get_and_many is not None:
            entry, found = get_and_many(key, _gen_keys(known))
            gens = tuple(found.get(GEN_PREFIX + dep) for dep in known)
        else:
            entry, gens = cache.get(key), None
        if entry is None or entry[0] != ENTRY_VERSION:
            return None
        deps = entry[1]
        if gens is None or deps != known:
            gens = _generations(deps)
            _remember_deps(key, deps)
        return entry if gens == entry[2] else None

    def store(self, key: str, request: HttpRequest, response: HttpResponseBase, started: float) -> None:
        deps = _page_deps(request, response)
        gens = _generations(deps)
        margin = float(getattr(settings, "PAGE_CACHE_SAFETY_SECONDS", 2.0))
        if any(gen is not None and gen > started - margin for gen in gens):
            return  # a change committed while (or just before) this page was read
        timeout = float(page_cache_seconds())
        try:
            until = seconds_until_next_go_live()
        except DatabaseError:
            return  # the page was rendered; not knowing when it expires, do not store it
        if until is not None:
            timeout = min(timeout, until)
        if timeout < 1:
            return
        if not response.has_header("ETag"):
            set_response_etag(response)
        content = response.content
        compressed = len(content) >= COMPRESS_MIN_BYTES and not response.has_header("Content-Encoding")
        if compressed:
            content = gzip.compress(content, compresslevel=6, mtime=0)
            # This answer and the cached ones alike: the body depends on Accept-Encoding.
            patch_vary_headers(response, ["Accept-Encoding"])
        headers = [(k, v) for k, v in response.headers.items() if k not in (HEADER, "Content-Length")]
        entry = (ENTRY_VERSION, deps, gens, response.status_code, headers, content, compressed)
        cache.set(key, entry, timeout=int(timeout))
        _remember_deps(key, deps)

    def replay(self, request: HttpRequest, entry: tuple) -> HttpResponseBase:
        """The stored page, compressed for a client that accepts gzip (with a weak ETag,
        as Django's ``GZipMiddleware`` marks a compressed body), as it was for any other."""
        _, _, _, status, headers, content, compressed = entry
        send_compressed = compressed and accepts_gzip(request.headers.get("Accept-Encoding", ""))
        if compressed and not send_compressed:
            content = gzip.decompress(content)
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(content))
        if send_compressed:
            response.headers["Content-Encoding"] = "gzip"
            if etag := response.get("ETag"):
                response.headers["ETag"] = re.sub(r'^(W/)?"', 'W/"', etag)
        response[HEADER] = "hit"
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
        return conditional
