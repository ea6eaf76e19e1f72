from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.stats, name="stats"),
    path("stats.csv", views.stats_csv, name="stats_csv"),
    path("map/", views.public_map, name="map"),
]
