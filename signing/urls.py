from django.urls import path

from signing import views

app_name = "signing"
urlpatterns = [
    path("matters/<str:code>/check/", views.check, name="check"),
]
