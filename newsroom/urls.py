from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "The desk"

urlpatterns = [
    path("admin/", admin.site.urls),
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
