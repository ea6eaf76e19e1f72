from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from config.api import api
from web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", web_views.readyz, name="readyz"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cong-dan/", include("citizens.urls")),
    path("open-data/", include("opendata.urls")),
    path("open311/v2/", include("opendata.open311_urls")),
    path("", include("web.urls")),
]
for app in (
    "petitions",
    "registry",
    "plans",
    "cases",
    "alerts",
    "reviews",
    "statements",
    "reports",
    "notifications",
    "outbox",
    "units",
    "signing",
):
    try:
        urlpatterns.insert(-1, path(f"{app}/", include(f"{app}.urls")))
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
