"""Finding petitions that look the same in any unit, and grouping them.

Three signals, each one indexed lookup:
- the same complainant or proposer ID number: keyed hashes in ``PetitionerKey`` (written
  at intake with ``petitions.duplicates.id_key``);
- the same denouncer ID number: the vault's blind index, matched only against other
  sealed IDs (a link to a complaint that names its author would reveal the denouncer);
- near-identical content: identical once folded (``Petition.content_key``), or close by
  the LSH bands of ``registry.dedupe`` and a rapidfuzz check.

Manual links (a clerk records that a petition duplicates an original) form flat groups.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import Invalid
from common.text import nfc
from matters.models import Matter
from matters.selectors import get_matter_for_user, require_can_act
from petitions.models import Petition, PetitionerKey
from registry import dedupe
from registry.models import ContentBand, DuplicateLink

log = logging.getLogger(__name__)

MAX_RESULTS = 50


def petition_text(petition: Petition) -> str:
    """The text compared for near-identical content: the content, else the summary."""
    return petition.content or petition.summary or ""


# --- the content index ------------------------------------------------------------------------


def index_content(matter_id: int, text: str) -> int:
    """(Re)write the LSH bands of one petition's text; returns how many were written."""
    keys = dedupe.bands_of(text)
    ContentBand.objects.filter(matter_id=matter_id).delete()
    ContentBand.objects.bulk_create([ContentBand(matter_id=matter_id, key=k) for k in keys])
    return len(keys)


def index_many(items: list[tuple[int, str]], batch_size: int = 20000) -> int:
    """Bands of many new petitions (``(matter_id, text)``), written in bulk with plain
    parameterised INSERTs (no model instances: an import writes millions); returns how many."""
    table = connection.ops.quote_name(ContentBand._meta.db_table)
    sql = f"INSERT INTO {table} (matter_id, key) VALUES (%s, %s)"  # noqa: S608 - own table name
    rows: list[tuple[int, int]] = []
    written = 0
    with connection.cursor() as cursor:
        for matter_id, text in items:
            rows.extend((matter_id, k) for k in dedupe.bands_of(text))
            if len(rows) >= batch_size:
                cursor.executemany(sql, rows)
                written += len(rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
    return written + len(rows)


def _buckets(keys: list[int], near: int | None) -> list[list[int]]:
    """For each band key, the ids of the petitions sharing it: the ``BUCKET_CAP`` just
    before ``near`` and half as many just after it (without ``near``: the newest), all in
    one round trip. A copy is filed close in time to its original, and this keeps a lookup's
    work bounded however many form letters share a band."""
    if not keys:
        return []
    # Only the model's own table name and integers are interpolated; values are parameters.
    table = ContentBand._meta.db_table
    cap, after = int(dedupe.BUCKET_CAP), int(dedupe.BUCKET_CAP) // 2
    parts: list[str] = []
    params: list[int] = []
    for i, key in enumerate(keys):
        if near is None:
            parts.append(
                f"SELECT * FROM (SELECT key, matter_id FROM {table} WHERE key = %s "  # noqa: S608
                f"ORDER BY matter_id DESC LIMIT {cap}) AS b{i}"
            )
            params.append(key)
        else:
            parts.append(
                f"SELECT * FROM (SELECT key, matter_id FROM {table} WHERE key = %s "  # noqa: S608
                f"AND matter_id < %s ORDER BY matter_id DESC LIMIT {cap}) AS b{i}"
            )
            parts.append(
                f"SELECT * FROM (SELECT key, matter_id FROM {table} WHERE key = %s "  # noqa: S608
                f"AND matter_id > %s ORDER BY matter_id ASC LIMIT {after}) AS a{i}"
            )
            params.extend((key, near, key, near))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    by_key: dict[int, list[int]] = {k: [] for k in keys}
    for key, matter_id in rows:
        by_key[key].append(matter_id)
    return [by_key[k] for k in keys]


def content_matches(
    text: str, *, exclude: int | None = None, content_key: str = "", index_own: bool = False
) -> set[int]:
    """Matter ids of petitions whose content is identical once folded, or near-identical.
    With ``index_own``, ``exclude`` (the petition asked about) is put into the index if the
    band lookup shows it is not there yet."""
    found: set[int] = set()
    if content_key:
        same = Petition.objects.filter(content_key=content_key)
        if exclude is not None:
            same = same.exclude(matter_id=exclude)
        found |= set(same.values_list("matter_id", flat=True)[:MAX_RESULTS])
    norm = dedupe.normalise(text)
    if len(norm) < dedupe.MIN_CHARS:
        return found
    keys = dedupe.band_keys(dedupe.signature(norm))
    buckets = _buckets(keys, exclude)
    if index_own and exclude is not None:
        # Indexed at intake, or the first time the finder meets the petition.
        if not ContentBand.objects.filter(matter_id=exclude).exists():
            index_content(exclude, text)
    candidates = [c for c in dedupe.rank(buckets, near=exclude) if c not in found]
    if not candidates:
        return found
    texts = Petition.objects.filter(matter_id__in=candidates).values_list(
        "matter_id", "content", "summary"
    )
    for matter_id, content, summary in texts:
        if dedupe.compare(norm, dedupe.normalise(content or summary or "")).duplicate:
            found.add(matter_id)
    return found


# --- the finder -------------------------------------------------------------------------------


def _codes(ids: set[int]) -> list[str]:
    if not ids:
        return []
    return list(
        Matter.objects.filter(id__in=ids)
        .order_by("code")
        .values_list("code", flat=True)[:MAX_RESULTS]
    )


def _sealed_same_person(code: str) -> list[str]:
    from vault.services import VaultUnavailable, blind_index_same_person

    try:
        return blind_index_same_person(code, sealed=True)
    except VaultUnavailable:
        log.warning("duplicate finder: vault unavailable, sealed ID matching skipped")
        return []


def find_duplicates(petition: Petition) -> list[str]:
    """Codes of other petitions, in any unit, that look the same as ``petition`` (same
    petitioner ID, identical or near-identical content, or linked into its group), ordered
    by code, at most ``MAX_RESULTS``. Indexes ``petition`` if it is not yet."""
    own = petition.matter_id
    ids: set[int] = set()
    if not petition.sealed:
        keys = PetitionerKey.objects.filter(petition_id=own).values("key")
        ids |= set(
            PetitionerKey.objects.filter(key__in=keys)
            .exclude(petition_id=own)
            .values_list("petition_id", flat=True)[:MAX_RESULTS]
        )
    ids |= content_matches(
        petition_text(petition), exclude=own, content_key=petition.content_key, index_own=True
    )
    ids |= {m for m in group_ids(own) if m != own}
    rows = dict(Matter.objects.filter(id__in=ids | {own}).values_list("id", "code"))
    codes = {code for matter_id, code in rows.items() if matter_id != own}
    if petition.sealed:
        codes |= set(_sealed_same_person(rows.get(own, "")))
    return sorted(codes)[:MAX_RESULTS]


def find_duplicates_for_input(
    *,
    content: str = "",
    summary: str = "",
    id_numbers: list[str] | None = None,
    sealed: bool = False,
) -> list[str]:
    """Codes of petitions that would look the same as one about to be filed (for a warning
    before intake). Sealed IDs are matched in the vault's blind index."""
    from petitions.duplicates import content_key, id_key

    numbers = [n for n in (id_numbers or []) if n]
    ids: set[int] = set()
    if numbers and not sealed:
        ids |= set(
            PetitionerKey.objects.filter(key__in=[id_key(n) for n in numbers]).values_list(
                "petition_id", flat=True
            )[:MAX_RESULTS]
        )
    text = content or summary
    ids |= content_matches(text, content_key=content_key(content))
    codes = set(_codes(ids))
    if numbers and sealed:
        from vault.services import VaultUnavailable, blind_index_find

        try:
            codes |= set(blind_index_find(numbers, sealed=True))
        except VaultUnavailable:
            log.warning("duplicate check: vault unavailable, sealed ID matching skipped")
    return sorted(codes)[:MAX_RESULTS]


# --- groups -----------------------------------------------------------------------------------


def group_root(matter_id: int) -> int:
    """The original of the group ``matter_id`` belongs to (itself if it is not linked)."""
    original = (
        DuplicateLink.objects.filter(matter_id=matter_id)
        .values_list("original_id", flat=True)
        .first()
    )
    return original or matter_id


def group_ids(matter_id: int) -> list[int]:
    """The original first, then its duplicates by code; [matter_id] alone without a group.
    One query for a petition that is an original or in no group, two for a member."""
    links = list(
        DuplicateLink.objects.filter(Q(matter_id=matter_id) | Q(original_id=matter_id))
        .order_by("matter__code")
        .values_list("matter_id", "original_id")
    )
    root = next((original for member, original in links if member == matter_id), matter_id)
    if root != matter_id:
        links = list(
            DuplicateLink.objects.filter(original_id=root)
            .order_by("matter__code")
            .values_list("matter_id", "original_id")
        )
    members = [member for member, original in links if original == root]
    return [root, *members] if members else [matter_id]


@transaction.atomic
def duplicate_link(*, actor: Any, code: str, original: str, note: str = "") -> DuplicateLink:
    """Record that petition ``code`` duplicates petition ``original`` (in any unit). Linking
    to a member links to its group's original; the duplicates of ``code`` follow it into
    that group. Out of scope: NotFound; not the owner: Forbidden; bad original: Invalid."""
    matter = get_matter_for_user(actor, code, kind=Matter.Kind.PETITION)
    require_can_act(actor, matter)
    note = nfc(note or "")
    target = Matter.objects.filter(code=(original or "").strip(), kind=Matter.Kind.PETITION).first()
    if target is None:
        raise Invalid({"original": _("no petition with code %(code)s") % {"code": original}})
    root_id = group_root(target.id)
    if root_id == matter.id or target.id == matter.id:
        raise Invalid(
            {"original": _("%(code)s cannot be a duplicate of its own group") % {"code": code}}
        )
    if len(note) > 300:
        raise Invalid({"note": _("at most %(n)s characters") % {"n": 300}})
    DuplicateLink.objects.filter(original_id=matter.id).update(original_id=root_id)
    link, _created = DuplicateLink.objects.update_or_create(
        matter=matter, defaults={"original_id": root_id, "reason": note, "linked_by": actor}
    )
    root_code = Matter.objects.filter(id=root_id).values_list("code", flat=True).get()
    audit_record(
        actor=actor,
        action="petition.duplicate_link",
        matter=matter.code,
        unit=matter.owner.code,
        data={"original": root_code},
    )
    return link


@transaction.atomic
def duplicate_unlink(*, actor: Any, code: str) -> None:
    """Take petition ``code`` out of its group. An original cannot be taken out while it
    has duplicates (Invalid): unlink them first, or link it to another original."""
    matter = get_matter_for_user(actor, code, kind=Matter.Kind.PETITION)
    require_can_act(actor, matter)
    deleted, _by_model = DuplicateLink.objects.filter(matter=matter).delete()
    if not deleted:
        if DuplicateLink.objects.filter(original=matter).exists():
            raise Invalid(
                {
                    "code": _("%(code)s is the original of its group; unlink its duplicates first")
                    % {"code": code}
                }
            )
        raise Invalid({"code": _("%(code)s is not linked to another petition") % {"code": code}})
    audit_record(
        actor=actor,
        action="petition.duplicate_unlink",
        matter=matter.code,
        unit=matter.owner.code,
        data={},
    )


def duplicate_group(user: Any, matter: Matter) -> list[dict[str, Any]]:
    """The group of ``matter`` as rows for a page or a response: code, owner unit, status,
    and (for petitions the user may see) the title. Codes of petitions out of the user's
    scope are shown without their title."""
    from matters.selectors import matters_visible_to

    ids = group_ids(matter.id)
    if len(ids) == 1:
        return []
    root = ids[0]
    rows = Matter.objects.filter(id__in=ids).select_related("owner")
    visible = set(
        matters_visible_to(user, Matter.objects.filter(id__in=ids)).values_list("id", flat=True)
    )
    out = []
    for m in sorted(rows, key=lambda m: (m.id != root, m.code)):
        out.append(
            {
                "code": m.code,
                "original": m.id == root,
                "owner": m.owner.code,
                "owner_name": m.owner.name,
                "status": m.status,
                "opened_on": m.opened_on,
                "title": m.title if m.id in visible else None,
                "visible": m.id in visible,
                "current": m.id == matter.id,
            }
        )
    return out


def reindex_all(batch_size: int = 2000) -> int:
    """Rebuild the whole content index (after the parameters of ``registry.dedupe`` change)."""
    ContentBand.objects.all().delete()
    total = 0
    qs = Petition.objects.order_by("matter_id").values_list("matter_id", "content", "summary")
    last = 0
    while True:
        chunk = list(qs.filter(Q(matter_id__gt=last))[:batch_size])
        if not chunk:
            return total
        total += index_many([(mid, content or summary or "") for mid, content, summary in chunk])
        last = chunk[-1][0]
