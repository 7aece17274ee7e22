from django.urls import path

from . import views

app_name = "audience"

urlpatterns = [
    path("view/", views.beacon, name="beacon"),
]
