"""The site's URLs plus one view that fails, to test the 500 page end to end."""

from django.urls import path

from newsroom.urls import handler404, handler500
from newsroom.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a view that fails")


urlpatterns = [*site_urlpatterns, path("fail/", failing_view)]

__all__ = ["handler404", "handler500", "urlpatterns"]
