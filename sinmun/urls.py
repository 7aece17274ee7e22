from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from sinmun.public.views import media

admin.site.site_header = "신문 시스템 관리"
admin.site.site_title = "신문 시스템 관리"
admin.site.index_title = "슈퍼유저 전용"


def _superusers_only(request) -> bool:
    """Let only superusers into Django's admin: the newsroom's roles work in the desk."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

urlpatterns = [
    # Django's admin is for superusers only; the newsroom works in the desk.
    path("admin/", admin.site.urls),
    path("desk/", include("sinmun.desk.urls")),
    path("api/", include("sinmun.api.urls")),
    path("ads/", include("sinmun.ads.urls")),
    path("", include("sinmun.syndication.urls")),
    path("", include("sinmun.pages.urls")),
    path("audience/", include("sinmun.audience.urls")),
    path("", include("sinmun.public.urls")),
]

if settings.SERVE_MEDIA:
    # One-process installs serve photos themselves (see SINMUN_SERVE_MEDIA in the README).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", media),
    ]

handler400 = "sinmun.public.views.bad_request"
handler404 = "sinmun.public.views.not_found"
handler500 = "sinmun.public.views.server_error"
