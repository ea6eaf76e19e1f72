from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/tasks/new/", views.task_new, name="task_new"),
    path("<int:plan_id>/plans/new/", views.child_new, name="child_new"),
    path("<int:plan_id>/briefings/new/", views.briefing_new, name="briefing_new"),
    path("<int:plan_id>/progress/", views.progress_upload, name="progress_upload"),
    path("<int:plan_id>/progress/template.xlsx", views.progress_template, name="progress_template"),
    path("briefings/<int:briefing_id>/minutes/", views.minutes_download, name="minutes"),
    path("directives/<int:directive_id>/file/", views.directive_file, name="directive_file"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<str:code>/", views.task_detail, name="task"),
    path("tasks/<str:code>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<str:code>/complete/", views.task_complete, name="task_complete"),
]
