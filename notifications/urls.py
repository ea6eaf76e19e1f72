from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.notification_open, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("settings/", views.preference, name="settings"),
]
