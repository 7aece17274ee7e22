"""The 관리자 pages, included by ``desk/urls.py`` under ``manage/`` as the ``manage`` namespace
(names read ``desk:manage:…``)."""

from django.urls import path

from .views import manage

urlpatterns = [
    path("", manage.index, name="index"),
    path("outlet/", manage.outlet, name="outlet"),
    path("sections/", manage.sections, name="sections"),
    path("sections/new/", manage.section_edit, name="section-new"),
    path("sections/<int:pk>/", manage.section_edit, name="section-edit"),
    path("series/", manage.series_list, name="series"),
    path("series/new/", manage.series_edit, name="series-new"),
    path("series/<int:pk>/", manage.series_edit, name="series-edit"),
    path("reporters/", manage.reporters, name="reporters"),
    path("reporters/new/", manage.reporter_edit, name="reporter-new"),
    path("reporters/<int:pk>/", manage.reporter_edit, name="reporter-edit"),
    path("accounts/", manage.account_list, name="accounts"),
    path("accounts/new/", manage.account_new, name="account-new"),
    path("accounts/<int:pk>/", manage.account_detail, name="account"),
    path("accounts/<int:pk>/role/", manage.account_role, name="account-role"),
    path("accounts/<int:pk>/active/", manage.account_active, name="account-active"),
    path("accounts/<int:pk>/password/", manage.account_password, name="account-password"),
    path("portal/", manage.portal_list, name="portal"),
    path("legal/", manage.legal_list, name="legal"),
    path("legal/<slug:slug>/", manage.legal_edit, name="legal-edit"),
    path("legal/<slug:slug>/reset/", manage.legal_reset, name="legal-reset"),
    path("api/", manage.api_clients, name="api-clients"),
    path("api/new/", manage.api_client_new, name="api-client-new"),
    path("api/<int:pk>/revoke/", manage.api_client_revoke, name="api-client-revoke"),
]
