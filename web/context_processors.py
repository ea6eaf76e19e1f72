from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# (url name, label, who sees it). Apps that land later add themselves here.
NAV = [
    ("reports:dashboard", _("Overview"), "all"),
    ("web:matters", _("Matters"), "all"),
    ("petitions:inbox", _("Petitions"), "all"),
    ("plans:list", _("Plans and tasks"), "all"),
    ("cases:list", _("Cases"), "all"),
    ("alerts:list", _("Early warning"), "all"),
    ("reviews:list", _("Project reviews"), "all"),
    ("statements:list", _("Press"), "all"),
    ("reports:list", _("Reports"), "all"),
    ("web:scorecards", _("Scorecards"), "all"),
    ("web:units", _("Units and officials"), "all"),
    ("web:calendar", _("Calendar"), "all"),
    ("outbox:index", _("Outbox"), "admin"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    from django.urls import NoReverseMatch, reverse

    items = []
    user = getattr(request, "user", None)
    is_admin = bool(getattr(user, "is_superuser", False) or getattr(user, "is_admin", False))
    for name, label, who in NAV:
        if who == "admin" and not is_admin:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "url": url,
                "label": label,
                "active": request.path.startswith(url) and url != "/" or request.path == url,
            }
        )
    return {"nav_items": items}
