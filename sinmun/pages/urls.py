from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("policy/<slug:slug>/", views.legal, name="legal"),
]
