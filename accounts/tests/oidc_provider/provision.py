"""Provision the stand-in provider: ``python -m accounts.tests.oidc_provider.provision`` with
IDP_PROVISION holding JSON ``{"users": [[username, password], ...], "client": {...}}``."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accounts.tests.oidc_provider.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

spec = json.loads(os.environ["IDP_PROVISION"])
for username, password in spec["users"]:
    User.objects.create_user(username=username, password=password, email=f"{username}@tinh.vn")
client = spec["client"]
Application.objects.create(
    name="dutdiem",
    client_id=client["id"],
    client_secret=client["secret"],
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=client["redirect_uri"],
    post_logout_redirect_uris=client["post_logout_redirect_uri"],
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
