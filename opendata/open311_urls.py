from django.urls import re_path

from opendata import open311

FMT = r"\.(?P<fmt>[a-z]+)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]{1,40})" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests, name="requests"),
    re_path(r"^requests/(?P<code>[\w-]{1,40})" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]{1,40})" + FMT, open311.token, name="token"),
]
