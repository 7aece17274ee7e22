from django.urls import path, register_converter

from . import views


class TextConverter:
    """One path segment that can be stored: no slash and no NUL.

    PostgreSQL text cannot hold NUL, so ``/article/%00/`` looked up with Django's ``str``
    converter raised ``DataError`` (a 500) where SQLite answered 404; now neither database
    sees it and both answer the site's 404.
    """

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TextConverter, "text")

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("article/<text:public_id>/", views.article, name="article"),
    path("article/<text:public_id>/related/", views.related, name="related"),
    path("reporter/<slug:slug>/", views.reporter, name="reporter"),
    path("keyword/<text:name>/", views.keyword, name="keyword"),
    path("series/<slug:slug>/", views.series, name="series"),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
]
