from django.urls import path

from statements import views

app_name = "statements"
urlpatterns = [
    path("", views.statement_list, name="list"),
    path("new/", views.statement_new, name="new"),
    path("public/", views.public_page, name="public"),
    path("spokespersons/", views.spokesperson_register, name="spokespersons"),
    path(
        "spokespersons/<int:pk>/<str:action>/",
        views.spokesperson_action,
        name="spokesperson_action",
    ),
    path("indicators/", views.indicators, name="indicators"),
    path("<str:code>/", views.statement_detail, name="detail"),
    path("<str:code>/<str:action>/", views.statement_action, name="action"),
]
