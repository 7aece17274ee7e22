"""The site's URLs with the 관리자 pages included under /desk/manage/, until desk/urls.py does.

Only the tests of the 관리자 pages use it (``@pytest.mark.urls``).
"""

from django.urls import URLResolver, include, path

from sinmun import urls as site
from sinmun.desk import urls as desk

_desk = [*desk.urlpatterns, path("manage/", include(("sinmun.desk.manage_urls", "manage")))]
urlpatterns = [
    path("desk/", include((_desk, "desk"))),
    *(
        p
        for p in site.urlpatterns
        if not (isinstance(p, URLResolver) and getattr(p, "app_name", None) == "desk")
    ),
]
handler404 = site.handler404
handler500 = site.handler500
