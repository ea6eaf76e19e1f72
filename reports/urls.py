from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("documents/", views.report_list, name="list"),
    path("documents/<int:report_id>/status/", views.report_status, name="status"),
    path("documents/<int:report_id>/download/", views.report_download, name="download"),
    path("documents/<int:report_id>/download.pdf", views.report_download_pdf, name="download_pdf"),
    path("documents/schedules/", views.schedule, name="schedule"),
]
