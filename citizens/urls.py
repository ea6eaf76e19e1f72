from django.urls import path

from citizens import views

app_name = "citizens"
urlpatterns = [
    path("", views.home, name="home"),
    path("gui/", views.file_petition, name="file"),
    path("danh-gia/", views.feedback, name="feedback"),
    path("du-lieu-ca-nhan/", views.data_request, name="data_request"),
    path("quan-tri/yeu-cau-du-lieu/", views.data_requests, name="data_requests"),
    path(
        "quan-tri/yeu-cau-du-lieu/<str:code>/",
        views.data_request_detail,
        name="data_request_detail",
    ),
    path(
        "quan-tri/yeu-cau-du-lieu/<str:code>/tra-loi/",
        views.data_request_answer,
        name="data_request_answer",
    ),
    path("quan-tri/dinh-tuyen/", views.routing_rules, name="routing"),
    path(
        "quan-tri/dinh-tuyen/<int:rule_id>/xoa/", views.routing_rule_delete, name="routing_delete"
    ),
]
