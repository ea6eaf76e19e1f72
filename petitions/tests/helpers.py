"""Shared bits of the petition tests: a valid intake body and a few shortcuts."""

from __future__ import annotations

from typing import Any

import time_machine

NOW = "2027-03-15 09:00 +07:00"


def travel(when: str = NOW) -> Any:
    return time_machine.travel(when, tick=False)


def body(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "complaint",
        "channel": "post",
        "received_on": "2027-03-01",
        "area": world.commune.code,
        "category": "land",
        "summary": "Khiếu nại quyết định thu hồi đất",
        "content": "Gia đình tôi không đồng ý với quyết định thu hồi đất số 12/QĐ-UBND.",
        "petitioners": [
            {
                "full_name": "Nguyễn Văn An",
                "id_number": "034080001234",
                "address": "Thôn Đông",
                "phone": "0912345678",
            }
        ],
        "signers": 1,
        # The tests file petitions at dates of their own, far from the day they run.
        "confirm_date": True,
    }
    data.update(overrides)
    return data


def file(world: Any, user: Any = None, **overrides: Any) -> dict[str, Any]:
    """File a petition through the API and return the 201 answer."""
    response = world.api(user or world.clerk_a).post("petitions", body(world, **overrides))
    assert response.status_code == 201, response.content
    return response.json()
