"""The ads pages, included by ``desk/urls.py`` under ``manage/ads/`` as ``desk:ads:…``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("advertisers/", views.advertisers, name="advertisers"),
    path("advertisers/new/", views.advertiser_edit, name="advertiser-new"),
    path("advertisers/<int:pk>/", views.advertiser_edit, name="advertiser-edit"),
    path("campaigns/new/", views.campaign_edit, name="campaign-new"),
    path("campaigns/<int:pk>/", views.campaign_edit, name="campaign"),
    path("campaigns/<int:campaign_pk>/creatives/new/", views.creative_edit, name="creative-new"),
    path("creatives/<int:pk>/", views.creative_edit, name="creative-edit"),
    path("preview/", views.preview, name="preview"),
    path("report/", views.report, name="report"),
]
