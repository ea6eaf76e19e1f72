"""Who may open a petition's sealed identity: the only place that decides it.

Law on Denunciations 2018, Art. 8(3), 47, 56: only the person resolving the denunciation
may know the denouncer. Here that is the petition's handler in the owner unit, and the
owner unit's head. Once the petition is transferred the former unit is neither (the
handoff clears the handler and changes the owner), so it loses the right at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.errors import Forbidden
from matters.models import Matter
from matters.selectors import get_matter_for_user


def can_reveal(user: Any, matter: Matter) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    is_handler = matter.handler_id == user.pk and user.unit_id == matter.owner_id
    is_head = matter.owner.head_id is not None and matter.owner.head_id == user.pk
    return bool(is_handler or is_head)


def get_petition_for_reveal(user: Any, code: str) -> Matter:
    """The petition ``code`` if ``user`` may reveal its petitioners. Out of scope: NotFound
    (404); visible but not the handler or the owner's head: Forbidden (403)."""
    matter = get_matter_for_user(user, code, kind=Matter.Kind.PETITION)
    if not can_reveal(user, matter):
        raise Forbidden(
            _("only the handler of %(code)s and the head of its owner unit may see who sent it")
            % {"code": matter.code}
        )
    return matter
