"""Errors raised by services and selectors, mapped to HTTP status codes by the API and views.

Each carries a message for people; ``Invalid`` also names the fields (or rows) at fault.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """Missing, or out of the caller's scope: the two look the same (404)."""

    status = 404


class Forbidden(DomainError):
    """Visible to the caller but not theirs to change (403)."""

    status = 403


class Conflict(DomainError):
    """The state changed under the caller, or a uniqueness rule refuses the change (409)."""

    status = 409


class Invalid(DomainError):
    """Input that breaks a rule (422). ``errors`` maps a field or row to its message."""

    status = 422

    def __init__(self, errors: dict[str, str] | str, message: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {"__all__": errors}
        self.errors = errors
        text = message or "; ".join(
            msg if field == "__all__" else f"{field}: {msg}" for field, msg in errors.items()
        )
        super().__init__(text)


class Unavailable(DomainError):
    """Not ready yet, or a dependency is down; the caller should try again shortly (503)."""

    status = 503
