from django.urls import path

from web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.matters, name="matters"),
    path("scorecards/", views.scorecard_page, name="scorecards"),
    path("units/", views.units, name="units"),
    path("calendar/", views.calendar_page, name="calendar"),
]
