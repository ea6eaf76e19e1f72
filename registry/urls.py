from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("track/", views.track, name="track"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:batch_id>/", views.import_status, name="import_status"),
    path("export/", views.export, name="export"),
    path("petition/<str:code>/identity/", views.identity_panel, name="identity"),
    path("petition/<str:code>/sealed/<str:ref>/", views.sealed_file, name="sealed_file"),
    path("petition/<str:code>/duplicates/", views.duplicates_panel, name="duplicates"),
    path("petition/<str:code>/duplicates/link/", views.duplicates_link, name="duplicates_link"),
    path("petition/<str:code>/receipt/", views.receipt, name="receipt"),
]
