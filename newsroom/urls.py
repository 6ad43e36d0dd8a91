from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom import autocomplete
from newsroom.throttle import ThrottledAdminAuthenticationForm

from . import sitemaps, views

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "The desk"
# Password guessing on the admin login is throttled (newsroom/throttle.py).
admin.site.login_form = ThrottledAdminAuthenticationForm
# Autocompletes page without counting and rank prefix matches first (newsroom/autocomplete.py).
autocomplete.install(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap_section,
        name="sitemap_section",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", include("catalog.urls")),
    path("", include("articles.urls")),
]

if settings.BENCH_CEILING_VIEW:
    from newsroom.views import ceiling

    urlpatterns.insert(0, path("_bench/ceiling/", ceiling, name="bench_ceiling"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
