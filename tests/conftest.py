import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never the developer's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True, scope="session")
def _static_root(tmp_path_factory):
    """An existing STATIC_ROOT for the whole run (the live server starts once per session):
    whitenoise warns, an error under our pytest settings, when the folder ``collectstatic``
    writes to is missing, as it is on a clean clone."""
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
