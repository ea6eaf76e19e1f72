import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    HANDLER = "handler", _("Handler")
    HEAD = "head", _("Head")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# Roles that may act on the matters their unit owns; an auditor only reads.
ACTING_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.HEAD, Role.LEADER})
# Roles that also see the matters of the units below their own.
OVERSIGHT_ROLES = frozenset({Role.HEAD, Role.LEADER})


class User(AbstractUser):  # type: ignore[django-manager-missing]  # ProviderSecondFactor's
    """An official: a user who belongs to one unit and holds roles there."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    # A service account of another system (the province's data-sharing platform, a
    # statistics script): it may get API tokens with its password alone even where the
    # second factor is required of people (docs/deploy.md, "API accounts").
    api_account = models.BooleanField(
        _("API account"),
        default=False,
        help_text=_(
            "A service account for another system: it gets API tokens with its password "
            "alone, even where officials need their second factor."
        ),
    )

    # `dutdiem createsuperuser --noinput` needs only a username and a password (API.md).
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("official")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or Role.ADMIN in self.roles

    @property
    def can_act(self) -> bool:
        return any(role in ACTING_ROLES for role in self.roles)

    @property
    def has_oversight(self) -> bool:
        return any(role in OVERSIGHT_ROLES for role in self.roles)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Issued after the second factor was checked. Where the second factor is required, only
    # such tokens (and those of API accounts) are accepted.
    second_factor = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user_id}"

    @classmethod
    def new_raw(cls) -> str:
        return secrets.token_urlsafe(32)


class ProviderSecondFactor(Device):
    """The second factor the province's identity provider checked at sign-in (its ``acr`` or
    ``amr`` says so; accounts/sso.py). It stands in the session as a django-otp device, so
    that the rules for the second factor (the middleware, the API) see the session as
    verified. It never checks a code itself: it cannot be used to sign in here."""

    class Meta:
        verbose_name = _("second factor of the identity provider")

    def verify_token(self, token: object) -> bool:
        return False
