from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("closed/", views.closed_units, name="closed"),
]
