from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """Refuses passwords longer than ``max_length`` characters (SECURITY.md: 8 to 128)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("The password may be at most %(max)d characters long.")
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Your password can be at most %(max)d characters long.") % {"max": self.max_length}


class NotBlankValidator:
    """Refuses a password made of spaces only (SECURITY.md: 8 to 128 characters, no
    composition rules; spaces are allowed within a passphrase, not as the whole of it)."""

    def validate(self, password: str, user: object = None) -> None:
        if not password.strip():
            raise ValidationError(
                _("The password may not be made of spaces only."), code="password_blank"
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be made of spaces only.")
