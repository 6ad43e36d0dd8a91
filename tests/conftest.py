import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never the developer's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """An existing STATIC_ROOT: whitenoise warns (an error under our pytest settings) when
    the folder ``collectstatic`` writes to is missing, as it is on a clean clone."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
