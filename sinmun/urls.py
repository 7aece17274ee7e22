from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = "신문 데스크"
admin.site.site_title = "신문 데스크"
admin.site.index_title = "편집국 관리"

urlpatterns = [
    path("desk/", admin.site.urls),
    path("api/", include("sinmun.api.urls")),
    path("", include("sinmun.syndication.urls")),
    path("", include("sinmun.pages.urls")),
    path("", include("sinmun.public.urls")),
]

if settings.SERVE_MEDIA:
    # One-process installs serve photos themselves (see SINMUN_SERVE_MEDIA in the README).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "sinmun.public.views.not_found"
handler500 = "sinmun.public.views.server_error"
