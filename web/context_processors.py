from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# (url name, label, who sees it): "all" officials, those who "act" on matters (not auditors
# only), or "admin"istrators. Apps that land later add themselves here.
NAV = [
    ("reports:dashboard", _("Overview"), "all"),
    ("web:matters", _("Matters"), "all"),
    ("petitions:inbox", _("Petitions"), "all"),
    ("registry:home", _("Petition register (Excel)"), "all"),
    ("plans:list", _("Plans and tasks"), "all"),
    ("cases:list", _("Cases"), "all"),
    ("alerts:list", _("Early warning"), "all"),
    ("reviews:list", _("Project reviews"), "all"),
    ("statements:list", _("Press"), "all"),
    ("reports:list", _("Reports"), "all"),
    ("web:scorecards", _("Scorecards"), "all"),
    ("web:units", _("Units and officials"), "all"),
    ("web:calendar", _("Calendar"), "all"),
    ("citizens:data_requests", _("Personal data requests"), "act"),
    ("outbox:index", _("Outbox"), "admin"),
    ("citizens:routing", _("Routing of online petitions"), "admin"),
    ("web:help", _("Help"), "all"),
]


def _sees(user: Any, who: str) -> bool:
    if who == "admin":
        return bool(user.is_superuser or user.is_admin)
    if who == "act":
        return bool(user.is_superuser or user.is_admin or user.can_act)
    return True


def navigation(request: HttpRequest) -> dict[str, Any]:
    from django.urls import NoReverseMatch, reverse

    user: Any = request.user
    if not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    from notifications.selectors import unread_count

    items = []
    for name, label, who in NAV:
        if not _sees(user, who):
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
    return {"nav_items": items, "unread_notifications": unread_count(user)}
