from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<int:alert_id>/", views.alert_detail, name="detail"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_status, name="run_status"),
]
