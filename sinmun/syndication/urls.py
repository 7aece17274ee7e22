"""URLs for feed readers and crawlers (included at the site root by ``sinmun/urls.py``)."""

from django.urls import path

from . import feeds, views

app_name = "syndication"

urlpatterns = [
    path("rss/", feeds.SiteFeed.as_view(), name="feed"),
    path("rss/section/<slug:slug>/", feeds.SectionFeed.as_view(), name="section_feed"),
    path("rss/series/<slug:slug>/", feeds.SeriesFeed.as_view(), name="series_feed"),
    path("rss/reporter/<slug:slug>/", feeds.ReporterFeed.as_view(), name="reporter_feed"),
    path("sitemap.xml", views.index, name="index"),
    path("sitemap-news.xml", views.news, name="news"),
    path("sitemap-<str:section>.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
