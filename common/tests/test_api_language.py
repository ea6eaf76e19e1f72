"""One rule for the language of every API (docs/DEVELOPING.md): the JSON API answers in the
language asked for with ``Accept-Language`` when it is one of ours, in Vietnamese otherwise.
The same kind of bad request (a field left empty or out of range) to apps that each build
their own answer must therefore come back in Vietnamese without the header and in English
with it: an app that forces one language on its endpoints fails here."""

from __future__ import annotations

from typing import Any

import pytest

from petitions.tests.helpers import body as petition_body
from petitions.tests.helpers import file as petition_file
from petitions.tests.helpers import travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

CASE = {
    "title": "",
    "area": "33",
    "category": "land",
    "lead": "A",
    "coordinating": [],
    "risk": "high",
    "opened_on": "2026-02-10",
    "due_on": "2026-04-10",
}
DIRECTIVE = {"number": "", "title": "Kết luận", "issued_on": "2026-01-05", "issuer": "Bộ Chính trị"}

# (app, who asks, method, path, data, the field at fault, its message in vi, in en)
BAD_REQUESTS = [
    ("cases", "head_a", "post", "cases", CASE, "title", "bắt buộc nhập", "required"),
    ("plans", "clerk_a", "post", "directives", DIRECTIVE, "number", "bắt buộc nhập", "required"),
    ("petitions", "clerk_a", "post", "petitions", None, "summary", "bắt buộc nhập", "required"),
    (
        "reports",
        "leader_p",
        "get",
        "reports/former-areas",
        {"province": "34", "year": 1800},
        "year",
        "không phải là năm: 1800",
        "not a year: 1800",
    ),
]


def ask(world: Any, who: str, method: str, path: str, data: Any, language: str | None) -> Any:
    api = world.api(getattr(world, who))
    if language:
        api.headers["Accept-Language"] = language
    if method == "get":
        return api.get(path, **data)
    return api.post(path, data if data is not None else petition_body(world, summary=""))


@pytest.mark.parametrize(
    ("app", "who", "method", "path", "data", "field", "vi", "en"),
    BAD_REQUESTS,
    ids=[row[0] for row in BAD_REQUESTS],
)
def test_every_api_answers_in_the_language_asked_for_vietnamese_by_default(
    world: Any, app: str, who: str, method: str, path: str, data: Any, field: str, vi: str, en: str
) -> None:
    with travel():
        answers = {
            language: ask(world, who, method, path, data, language)
            for language in (None, "en", "vi")
        }
    for language, expected in ((None, vi), ("en", en), ("vi", vi)):
        response = answers[language]
        assert response.status_code == 422, (app, language, response.content)
        payload = response.json()
        assert payload["errors"][field] == expected, (app, language, payload)
        assert expected in payload["detail"], (app, language, payload)


def test_service_and_selector_errors_answer_in_the_language_asked_for(world: Any) -> None:
    """Messages raised deep in the services and selectors (a transfer to the unit that
    already owns the petition, matters.services; a unit code the dashboard cannot read,
    reports.selectors) follow the API's language too, not only the schema's field checks."""
    with travel():
        code = petition_file(world)["code"]
        transfer = {"to": "A", "reason": "", "legal_basis": ""}
        answers = {}
        for language in (None, "en"):
            clerk, leader = world.api(world.clerk_a), world.api(world.leader_p)
            if language:
                clerk.headers["Accept-Language"] = leader.headers["Accept-Language"] = language
            answers[language] = (
                clerk.post(f"petitions/{code}/transfer", transfer),
                leader.get("reports/dashboard", unit="A B"),
            )
    expected = {
        None: (
            {
                "to": f"{code} đã thuộc đơn vị A",
                "reason": "bắt buộc nhập",
                "legal_basis": "bắt buộc nhập: điều khoản quy định thẩm quyền của đơn vị tiếp nhận",
            },
            {"unit": "không phải là mã đơn vị"},
        ),
        "en": (
            {
                "to": f"A already owns {code}",
                "reason": "required",
                "legal_basis": "required: the article that makes the receiving unit competent",
            },
            {"unit": "not a unit code"},
        ),
    }
    for language, wanted in expected.items():
        for response, errors in zip(answers[language], wanted, strict=True):
            assert response.status_code == 422, (language, response.content)
            payload = response.json()
            assert payload["errors"] == errors, (language, payload)
            assert all(message in payload["detail"] for message in errors.values()), payload
