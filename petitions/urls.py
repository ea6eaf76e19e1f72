from django.urls import path

from petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.intake, name="intake"),
    path("reception/", views.reception, name="reception"),
    path("reception/<int:session_id>/", views.session_detail, name="session"),
    path("rules/", views.rules, name="rules"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/advice/", views.advice, name="advice"),
    path("<str:code>/act/<str:action>/", views.act, name="act"),
    path("<str:code>/documents/", views.document_upload, name="document_upload"),
    path("<str:code>/documents/<int:document_id>/", views.document, name="document"),
]
