from django.urls import path

from outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("sent/", views.sent, name="sent"),
    path("<int:message_id>/requeue/", views.requeue, name="requeue"),
    path("<int:message_id>/discard/", views.discard, name="discard"),
    path("channel/<str:channel>/requeue/", views.requeue_channel, name="requeue_channel"),
]
