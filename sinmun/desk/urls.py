from django.urls import include, path

from .views import articles, auth, corrections, dashboard, history, stats

app_name = "desk"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password"),
    path("account/two-factor/", auth.two_factor, name="two-factor"),
    path("audit/", dashboard.audit, name="audit"),
    path("manage/", include(("sinmun.desk.manage_urls", "manage"))),
    path("related/", include(("sinmun.related.desk_urls", "related"))),
    path("manage/ads/", include(("sinmun.ads.desk.urls", "ads"))),
    path("articles/new/", articles.new, name="new"),
    path("articles/new/autosave/", articles.autosave, name="autosave-new"),
    path("articles/<int:pk>/", articles.edit, name="edit"),
    path("articles/<int:pk>/preview/", articles.preview, name="preview"),
    path("articles/<int:pk>/autosave/", articles.autosave, name="autosave"),
    path("articles/<int:pk>/presence/", articles.heartbeat, name="presence"),
    path("articles/<int:pk>/history/", history.history, name="history"),
    path("articles/<int:pk>/diff/", history.diff, name="diff"),
    path("articles/<int:pk>/restore/<int:revision>/", history.restore, name="restore"),
    path("articles/<int:pk>/correction/", corrections.correction, name="correction"),
    path("articles/<int:pk>/<str:action>/", articles.act, name="act"),
    path("photos/", articles.photo, name="photo"),
    path("stats/", stats.overview, name="stats"),
    path("stats/article/<int:pk>/", stats.article, name="stats-article"),
    path("stats/<str:kind>.csv", stats.export, name="stats-csv"),
]
