"""The site under another prefix: what ``page_url`` must follow when the URLconf changes."""

from django.urls import include, path

urlpatterns = [path("catalog/", include("catalog.urls"))]
