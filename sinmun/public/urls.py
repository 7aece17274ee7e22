from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("article/<str:public_id>/", views.article, name="article"),
    path("article/<str:public_id>/related/", views.related, name="related"),
    path("reporter/<slug:slug>/", views.reporter, name="reporter"),
    path("keyword/<str:name>/", views.keyword, name="keyword"),
    path("series/<slug:slug>/", views.series, name="series"),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
]
