import pytest

from newsroom import cache as page_cache


@pytest.fixture
def page_cache_on(settings):
    """The full-page cache switched on as in production, without the safety margin (tests
    write and read within the same second) and with pages living an hour."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SAFETY_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 3600
    page_cache._pending.__dict__.clear()
    yield
    page_cache._pending.__dict__.clear()
