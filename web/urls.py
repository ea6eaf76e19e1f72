from django.urls import path

from web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.matters, name="matters"),
    path("scorecards/", views.scorecard_page, name="scorecards"),
    path("units/", views.units, name="units"),
    path("units/password/", views.official_password, name="official_password"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("help/", views.help_index, name="help"),
    path("help/<str:role>/", views.help_role, name="help_role"),
]
