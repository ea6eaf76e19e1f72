"""No select starts on an arbitrary value (issue 14 item 3): the area starts on the
official's own commune where that is the usual answer, else on an empty "— Chọn —" that is
required; the category never starts on land, a task's lead unit never on the provincial
party committee."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.test import Client

from plans.tests.conftest import DAY


def starts_on(html: str, name: str) -> str:
    """The value a browser shows first in the select ``name``: the option marked selected,
    else the first one."""
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, name
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', found.group(1))
    chosen = [value for value, attrs in options if "selected" in attrs]
    return chosen[0] if chosen else options[0][0]


def page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_intake_form_starts_on_the_usual_answer_or_on_nothing(world: Any) -> None:
    commune_head = page(world.head_c, "/petitions/new/")
    assert starts_on(commune_head, "area") == world.commune.code
    department = page(world.clerk_a, "/petitions/new/")
    assert starts_on(department, "area") == ""
    for html in (commune_head, department):
        assert starts_on(html, "category") == ""
        assert '<option value="" selected>— Chọn —</option>' in html


def test_a_new_task_starts_with_nothing_chosen(pw: Any) -> None:
    with time_machine.travel(DAY, tick=False):
        html = page(pw.w.leader_p, f"/plans/{pw.plan}/")
    for name in ("t-lead", "t-area", "t-category"):
        assert starts_on(html, name) == "", name
    # The units are in the order of the tree, not of their codes.
    lead = re.search(r'<select name="t-lead"[^>]*>(.*?)</select>', html, re.S)
    from units.models import Unit

    tree = [u.code for u in Unit.objects.filter(is_active=True).order_by("path")]
    assert lead and re.findall(r'value="(\w+)"', lead.group(1)) == tree
