"""The desk's related-list actions, included under /desk/related/ (namespace desk:related)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/pin/", views.pin, name="pin"),
    path("<int:pk>/remove/<int:other>/", views.remove, name="remove"),
    path("<int:pk>/undo/<int:other>/", views.undo, name="undo"),
]
