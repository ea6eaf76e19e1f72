from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/actions/", views.case_action, name="action"),
    path("<str:code>/settle/", views.case_settle, name="settle"),
]
