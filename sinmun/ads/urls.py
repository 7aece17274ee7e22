from django.urls import path

from . import views

app_name = "ads"

urlpatterns = [
    path("serve/", views.serve, name="serve"),
    path("v/", views.view, name="view"),
    path("c/<str:token>/", views.click, name="click"),
    path("f/<str:token>/", views.frame, name="frame"),
]
