from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in an official's in-app inbox (and by e-mail when configured).

    Text must never carry a denouncer's identity: it names the matter by code and title only.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    matter = models.CharField(_("matter"), max_length=40, blank=True, db_index=True)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Lets a daily job send "due soon" once per matter and day, however often it runs.
    dedupe_key = models.CharField(max_length=120, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_dedupe",
            )
        ]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text[:40]}"


class Preference(models.Model):
    """How an official wants notifications by e-mail. No row means the default: each
    notification is copied by e-mail when the official has an address."""

    class Email(models.TextChoices):
        EACH = "each", _("one e-mail for each notification")
        DAILY = "daily", _("one daily digest of the unread notifications")
        NONE = "none", _("no e-mail, only in the application")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("notifications by e-mail"), max_length=10, choices=Email.choices, default=Email.EACH
    )
    # The digest covers the notifications created after the last one sent.
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class Seen(models.Model):
    """When an official last opened a matter. A matter that came into the official's unit
    (registered there, or handed over to it) after that moment is new to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "matter"], name="seen_once_per_matter")
        ]
        verbose_name = _("matter seen")

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.matter_id} at {self.at:%Y-%m-%d %H:%M}"
