"""The vault: sealing, reveal rights and audit, tampering, rotation, an unreachable vault."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connections, transaction

from audit.models import AuditEvent
from matters.services import matter_handoff
from vault import keys
from vault.models import BlindIndex, SealedRecord
from vault.services import (
    VaultUnavailable,
    blind_index_find,
    blind_index_put,
    identity_open,
    identity_seal,
    identity_status,
    vault_available,
)
from vault.testing import vault_broken
from vault.tests.helpers import (
    SENTINEL_ID,
    SENTINEL_NAME,
    bare_petition,
    denouncer,
    denunciation,
)

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-03-10 09:00 +07:00", tick=False):
        yield


def sealed_petition(world: Any) -> Any:
    return denunciation(world.handler_a)


def opened(code: str) -> list[dict[str, Any]]:
    petitioners = identity_open(code)
    assert petitioners is not None
    return petitioners


def reveals(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(matter=code, action="identity.reveal"))


def test_seal_stores_only_ciphertext_bound_to_the_petition(world: Any) -> None:
    matter = bare_petition(world.a)
    ref = identity_seal(matter.code, [denouncer()])
    assert ref.startswith("S-") and SENTINEL_ID not in ref
    record = SealedRecord.objects.using("vault").get(ref=ref)
    blob = bytes(record.ciphertext) + bytes(record.wrapped_key)
    for secret in (SENTINEL_NAME, SENTINEL_ID, "Sentinel"):
        assert secret.encode() not in blob
    assert record.key_id == keys.load_keyring().current
    assert identity_open(matter.code) == [denouncer()]
    # The blind index holds a digest, not the number.
    entry = BlindIndex.objects.using("vault").get(petition_code=matter.code)
    assert entry.sealed and SENTINEL_ID not in entry.digest


def test_ciphertext_moved_to_another_petition_does_not_open(world: Any) -> None:
    first = bare_petition(world.a)
    second = bare_petition(world.a)
    identity_seal(first.code, [denouncer()])
    identity_seal(second.code, [denouncer("Người Khác", "001200000001")])
    a = SealedRecord.objects.using("vault").get(petition_code=first.code)
    b = SealedRecord.objects.using("vault").get(petition_code=second.code)
    SealedRecord.objects.using("vault").filter(pk=b.pk).update(
        ciphertext=a.ciphertext, nonce=a.nonce, wrapped_key=a.wrapped_key
    )
    with pytest.raises(VaultUnavailable):
        identity_open(second.code)
    assert identity_open(first.code) == [denouncer()]


def test_reseal_of_a_reused_code_replaces_the_orphan(world: Any) -> None:
    matter = bare_petition(world.a)
    identity_seal(matter.code, [denouncer("Mồ Côi", "001111111111")])
    identity_seal(matter.code, [denouncer()])
    assert SealedRecord.objects.using("vault").filter(petition_code=matter.code).count() == 1
    assert opened(matter.code)[0]["full_name"] == SENTINEL_NAME
    assert blind_index_find(["001111111111"], sealed=True) == []


def test_handler_reveals_with_reason_and_one_audit_event(world: Any) -> None:
    matter = sealed_petition(world)
    response = world.api(world.handler_a).get(
        f"petitions/{matter.code}/identity", reason="xác minh nội dung tố cáo"
    )
    assert response.status_code == 200, response.content
    assert response.json()["petitioners"][0]["full_name"] == SENTINEL_NAME
    events = reveals(matter.code)
    assert len(events) == 1
    assert events[0].actor == "handler_a"
    assert events[0].data["reason"] == "xác minh nội dung tố cáo"
    # The audit log names the action, never the identity.
    listing = world.api(world.auditor_p).get("audit/events", matter=matter.code)
    assert listing.status_code == 200
    actions = [e["action"] for e in listing.json()["items"]]
    assert actions == ["petition.receive", "identity.reveal"]
    assert SENTINEL_NAME not in listing.content.decode()


def test_head_of_owner_reveals(world: Any) -> None:
    matter = sealed_petition(world)
    response = world.api(world.head_a).get(
        f"petitions/{matter.code}/identity", reason="ký quyết định"
    )
    assert response.status_code == 200
    assert len(reveals(matter.code)) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clerk_a", 403),  # same unit, not the handler
        ("leader_p", 403),  # sees the petition from above, not its owner's head
        ("auditor_p", 403),
        ("admin", 403),  # administrators do not read sealed identities either
        ("official_b", 404),
        ("head_b", 404),
        ("head_c", 404),
    ],
)
def test_others_cannot_reveal(world: Any, persona: str, status: int) -> None:
    matter = sealed_petition(world)
    response = world.api(getattr(world, persona)).get(
        f"petitions/{matter.code}/identity", reason="tò mò"
    )
    assert response.status_code == status, response.content
    assert SENTINEL_NAME not in response.content.decode()
    assert reveals(matter.code) == []


def test_anonymous_caller_gets_401(world: Any) -> None:
    matter = sealed_petition(world)
    assert world.api(None).get(f"petitions/{matter.code}/identity").status_code == 401


def test_transfer_takes_the_right_away_from_the_former_unit(world: Any) -> None:
    matter = sealed_petition(world)
    with transaction.atomic():
        matter_handoff(
            actor=world.handler_a,
            matter=matter,
            to="B",
            reason="không thuộc thẩm quyền",
            legal_basis="Điều 24 Luật Tố cáo 2018",
        )
    for persona in ("handler_a", "head_a"):
        response = world.api(getattr(world, persona)).get(
            f"petitions/{matter.code}/identity", reason="xem lại"
        )
        assert response.status_code in (403, 404), (persona, response.status_code)
    response = world.api(world.head_b).get(f"petitions/{matter.code}/identity", reason="thụ lý")
    assert response.status_code == 200
    assert [e.actor for e in reveals(matter.code)] == ["head_b"]


def test_unknown_petition_is_404(world: Any) -> None:
    response = world.api(world.head_a).get("petitions/D2026-33-999999/identity", reason="x")
    assert response.status_code == 404


def test_vault_unreachable_says_identity_unavailable(world: Any) -> None:
    matter = sealed_petition(world)
    with vault_broken():
        assert vault_available() is False
        assert identity_status(matter.code) == "unavailable"
        api = world.api(world.handler_a)
        api.headers["Accept-Language"] = "en"
        response = api.get(f"petitions/{matter.code}/identity", reason="x")
        assert response.status_code == 503
        assert "identity is unavailable" in response.json()["detail"]
        # Nothing was revealed, so nothing is audited.
        assert reveals(matter.code) == []
        # The rest goes on: lists and details of matters answer.
        listing = world.api(world.handler_a).get("matters", kind="petition")
        assert listing.status_code == 200 and listing.json()["count"] == 1
        with pytest.raises(VaultUnavailable):
            identity_seal(matter.code, [denouncer()])
        ready = world.api(None).get("/readyz")
        assert ready.status_code == 503
    assert vault_available() is True
    assert identity_status(matter.code) == "sealed"


def test_blind_index_matches_within_its_class_only(world: Any) -> None:
    blind_index_put("D2026-33-000001", ["001 099 000 123"], sealed=False)
    blind_index_put("D2026-33-000002", ["001099000123"], sealed=False)
    blind_index_put("D2026-33-000003", ["001099000123"], sealed=True)
    assert blind_index_find(["001099000123"], exclude="D2026-33-000001") == ["D2026-33-000002"]
    assert blind_index_find(["001099000123"], sealed=True) == ["D2026-33-000003"]
    assert blind_index_find(["999999999999"]) == []


def test_rotate_key_rewraps_every_record(world: Any, vault_keyring: Path) -> None:
    petitions = [bare_petition(world.a, handler=world.handler_a) for _ in range(3)]
    for i, matter in enumerate(petitions):
        identity_seal(matter.code, [denouncer(f"Người {i}", f"00100000000{i}")])
    old = keys.load_keyring().current
    before = {r.ref: bytes(r.wrapped_key) for r in SealedRecord.objects.using("vault").all()}
    call_command("vault", "rotate-key", "--retire", stdout=open(os.devnull, "w"))
    keys.keyring_reset()
    keyring = json.loads(vault_keyring.read_text())
    assert keyring["current"] != old and list(keyring["keys"]) == [keyring["current"]]
    assert stat.S_IMODE(vault_keyring.stat().st_mode) == 0o600
    for record in SealedRecord.objects.using("vault").all():
        assert record.key_id == keyring["current"]
        assert bytes(record.wrapped_key) != before[record.ref]
        assert record.rewrapped_at is not None
    for i, matter in enumerate(petitions):
        assert opened(matter.code)[0]["full_name"] == f"Người {i}"
    # The blind index key is kept, so earlier digests still match.
    assert blind_index_find(["001000000001"], sealed=True) == [petitions[1].code]
    assert AuditEvent.objects.filter(action="vault.rotate_key").count() == 1


def test_rotation_can_be_rerun_after_an_interruption(world: Any, vault_keyring: Path) -> None:
    petitions = [bare_petition(world.a) for _ in range(3)]
    for matter in petitions:
        identity_seal(matter.code, [denouncer()])
    calls = {"n": 0}

    def die(done: int) -> None:
        calls["n"] += 1
        raise KeyboardInterrupt

    from vault.services import vault_rotate_key

    with pytest.raises(KeyboardInterrupt):
        vault_rotate_key(batch_size=1, progress=die)
    keys.keyring_reset()
    current = keys.load_keyring().current
    assert SealedRecord.objects.using("vault").filter(key_id=current).count() == 1
    # Every record still opens: the old key stays until the rotation finishes.
    assert all(identity_open(m.code) for m in petitions)
    vault_rotate_key(retire=True)
    keys.keyring_reset()
    keyring = keys.load_keyring()
    assert len(keyring.keys) == 1
    assert all(identity_open(m.code) for m in petitions)


def test_key_file_is_created_0600_outside_production(vault_keyring: Path) -> None:
    assert not vault_keyring.exists()
    keyring = keys.load_keyring()
    assert vault_keyring.exists()
    assert stat.S_IMODE(vault_keyring.stat().st_mode) == 0o600
    assert keyring.current in keyring.keys and len(keyring.index_key) == 32


def test_production_refuses_to_make_a_key(settings: Any, vault_keyring: Path) -> None:
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="No vault key"):
        keys.load_keyring()
    assert not vault_keyring.exists()
    from django.apps import apps

    with pytest.raises(ImproperlyConfigured):
        apps.get_app_config("vault").ready()


def test_production_refuses_a_key_file_others_can_read(settings: Any, vault_keyring: Path) -> None:
    keys.load_keyring()  # made 0600 in development
    keys.keyring_reset()
    vault_keyring.chmod(0o644)
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        keys.load_keyring()
    vault_keyring.chmod(0o600)
    assert keys.load_keyring().current


def test_key_from_environment(settings: Any) -> None:
    settings.VAULT_KEY = "ab" * 32
    keys.keyring_reset()
    keyring = keys.load_keyring()
    assert keyring.keys[keyring.current] == bytes.fromhex("ab" * 32)
    assert keyring.index_key != keyring.keys[keyring.current]
    settings.VAULT_KEY = "not a key"
    keys.keyring_reset()
    with pytest.raises(ImproperlyConfigured):
        keys.load_keyring()


def test_rotation_of_an_inline_key_needs_an_output_file(
    settings: Any, world: Any, tmp_path: Path
) -> None:
    settings.VAULT_KEY = "cd" * 32
    keys.keyring_reset()
    matter = bare_petition(world.a)
    identity_seal(matter.code, [denouncer()])
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="keyring-out"):
        call_command("vault", "rotate-key")
    out = tmp_path / "new.key"
    call_command("vault", "rotate-key", "--keyring-out", str(out), stdout=open(os.devnull, "w"))
    settings.VAULT_KEY = out.read_text()
    keys.keyring_reset()
    assert opened(matter.code)[0]["full_name"] == SENTINEL_NAME


def test_default_database_has_no_vault_tables() -> None:
    with connections["default"].cursor() as cursor:
        tables = connections["default"].introspection.table_names(cursor)
    assert "vault_sealedrecord" not in tables
    with connections["vault"].cursor() as cursor:
        assert "vault_sealedrecord" in connections["vault"].introspection.table_names(cursor)


def test_an_api_reveal_needs_a_reason(world: Any) -> None:
    """Issue 13, finding 9: a reveal through the API without a reason used to be accepted
    (and audited as "no reason given"). Now 422 naming ``reason``, and nothing revealed."""
    matter = sealed_petition(world)
    api = world.api(world.handler_a)
    for params in ({}, {"reason": ""}, {"reason": "   "}):
        response = api.get(f"petitions/{matter.code}/identity", **params)
        assert response.status_code == 422, response.content
        assert "reason" in response.json()["errors"]
        assert SENTINEL_NAME not in response.content.decode()
    assert reveals(matter.code) == []
    # The reason may come in a header (percent-encoded UTF-8) instead of the query string.
    response = api.client.get(
        f"/api/v1/petitions/{matter.code}/identity",
        headers={**api.headers, "X-Reveal-Reason": quote("xác minh nội dung tố cáo")},
    )
    assert response.status_code == 200 and SENTINEL_NAME in response.content.decode()
    assert [event.data["reason"] for event in reveals(matter.code)] == ["xác minh nội dung tố cáo"]
    # Out of scope is still 404 before any word about the reason.
    assert world.api(world.official_b).get(f"petitions/{matter.code}/identity").status_code == 404
