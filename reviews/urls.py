from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_new, name="new"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/<str:code>/", views.consultation_detail, name="consultation"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("map/", views.review_map, name="map"),
    path("<str:code>/", views.review_detail, name="detail"),
    path("<str:code>/<str:action>/", views.review_action, name="action"),
]
