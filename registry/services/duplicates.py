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
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from common import throttle
from common.clock import today
from common.errors import Invalid
from common.text import nfc
from common.throttle import Limit
from matters.models import Matter
from matters.selectors import get_matter_for_user, require_can_act
from petitions.models import Petition, PetitionerKey
from registry import dedupe
from registry.models import ContentBand, DuplicateLink, ImportedPetition

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


@task()
def index_batch(batch_id: int) -> int:
    """The job that puts the petitions of an import into the index (the importer enqueues
    it; defined here so that services never import ``registry.tasks``)."""
    ids = ImportedPetition.objects.filter(batch_id=batch_id).values_list("matter_id", flat=True)
    rows = Petition.objects.filter(matter_id__in=ids).values_list("matter_id", "content", "summary")
    return index_many(
        [(mid, content or summary or "") for mid, content, summary in rows.iterator()]
    )


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
#
# What a caller is told (SECURITY.md: a denouncer's identity never leaks, not even as a yes/no
# answer). A complaint or proposal that looks the same is named by its code whatever its unit
# (API.md). A sealed petition (a denunciation) is named only when the caller may see it, and,
# when it matched by the denouncer's ID number alone, only when the caller may also reveal
# who sent it (its handler, its owner unit's head). Any other sealed match is left out, so
# that the answer is exactly the answer for "no match", and the sealed petition's handler is
# told instead (``tell_owners``). Even a hint such as "there may be a related petition" would
# be a yes/no answer to "is this number a denouncer's?", repeated as often as one asks.


@dataclass(frozen=True)
class Match:
    """A petition that looks the same as the one asked about."""

    matter: Matter
    sealed: bool
    by_id_only: bool  # found only through the vault's blind index of denouncers' ID numbers
    shown: bool


@dataclass(frozen=True)
class Screened:
    codes: list[str]  # what the caller is told, ordered by code, at most MAX_RESULTS
    sealed: list[Match]  # every sealed petition the lookup touched, shown or not

    @property
    def hidden(self) -> list[Match]:
        return [m for m in self.sealed if not m.shown]


def _screen(user: Any, ids: set[int], sealed_codes: set[str]) -> Screened:
    """Split the matches (``ids`` by any signal, ``sealed_codes`` by a denouncer's ID number)
    into what ``user`` may be told and the sealed ones they may not."""
    from matters.selectors import matters_visible_to
    from vault.selectors import can_reveal

    if not ids and not sealed_codes:
        return Screened([], [])
    rows = list(
        Matter.objects.filter(Q(id__in=ids) | Q(code__in=sealed_codes), kind=Matter.Kind.PETITION)
        .select_related("owner", "handler")
        .annotate(sealed=F("petition__sealed"))
    )
    sealed_ids = [m.id for m in rows if m.sealed]
    visible = (
        set(
            matters_visible_to(user, Matter.objects.filter(id__in=sealed_ids)).values_list(
                "id", flat=True
            )
        )
        if sealed_ids
        else set()
    )
    codes: list[str] = []
    sealed: list[Match] = []
    for matter in sorted(rows, key=lambda m: m.code):
        if not matter.sealed:
            codes.append(matter.code)
            continue
        by_id_only = matter.id not in ids
        shown = matter.id in visible and (not by_id_only or can_reveal(user, matter))
        sealed.append(Match(matter=matter, sealed=True, by_id_only=by_id_only, shown=shown))
        if shown:
            codes.append(matter.code)
    return Screened(codes[:MAX_RESULTS], sealed)


def _sealed_same_person(code: str) -> list[str]:
    from vault.services import VaultUnavailable, blind_index_same_person

    try:
        return blind_index_same_person(code, sealed=True)
    except VaultUnavailable:
        log.warning("duplicate finder: vault unavailable, sealed ID matching skipped")
        return []


def _screened_for_petition(petition: Petition, user: Any) -> Screened:
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
    ids.discard(own)
    sealed_codes: set[str] = set()
    if petition.sealed:
        code = petition.matter.code
        sealed_codes = set(_sealed_same_person(code)) - {code}
    return _screen(user, ids, sealed_codes)


def find_duplicates(petition: Petition, *, user: Any) -> list[str]:
    """Codes of other petitions that look the same as ``petition`` (same petitioner ID,
    identical or near-identical content, or linked into its group) and that ``user`` may be
    told of: complaints and proposals in any unit; sealed petitions only within the rules
    above. Ordered by code, at most ``MAX_RESULTS``. Indexes ``petition`` if it is not yet."""
    cached = getattr(petition, "duplicates_seen", None)
    if cached is not None and cached[0] == user.pk:
        return list(cached[1])
    return _screened_for_petition(petition, user).codes


def tell_owners(
    *, actor: Any, screened: Screened, origin: str = "", matter: Matter | None = None
) -> None:
    """Write one ``petition.duplicate_check`` audit event for every sealed petition a lookup
    by ``actor`` touched, and tell the handler (or, without one, the head) of each sealed
    petition ``actor`` was not told about, once a day per asking unit. The text names the
    asking unit and nothing of what was asked. Call inside a transaction."""
    from notifications.services import notify, recipients_of_unit

    unit = getattr(actor, "unit", None)
    unit_code = unit.code if unit is not None else ""
    unit_name = unit.name if unit is not None else _("an administrator")
    for match in screened.sealed:
        sealed = match.matter
        audit_record(
            actor=actor,
            action="petition.duplicate_check",
            matter=sealed.code,
            unit=sealed.owner.code,
            data={
                "origin": origin,
                "by_unit": unit_code,
                "petition": matter.code if matter is not None else "",
                "told": match.shown,
            },
        )
        if match.shown:
            continue
        handler = sealed.handler
        people = (
            [handler]
            if handler is not None and handler.is_active and handler.unit_id == sealed.owner_id
            else recipients_of_unit(sealed.owner)
        )
        notify(
            people,
            kind="petition.duplicate_elsewhere",
            text=_(
                "A duplicate check by %(unit)s matched sealed petition %(code)s (the same "
                "denouncer's ID number or the same content). They were not told of it; "
                "contact them if it is the same matter."
            )
            % {"unit": unit_name, "code": sealed.code},
            matter=sealed.code,
            url=reverse("petitions:detail", args=[sealed.code]),
            dedupe_key=f"dup:{sealed.code}:{unit_code or actor.pk}:{today().isoformat()}",
        )


@transaction.atomic
def duplicates_on_intake(*, actor: Any, petition: Petition) -> list[str]:
    """At intake: find what the new petition looks like, audit and tell as ``tell_owners``
    says, and keep the answer for ``actor`` on ``petition`` (the intake response shows it)."""
    screened = _screened_for_petition(petition, actor)
    tell_owners(actor=actor, screened=screened, origin="intake", matter=petition.matter)
    petition.duplicates_seen = (actor.pk, list(screened.codes))  # type: ignore[attr-defined]
    return screened.codes


# Duplicate checks per official and per client address in an hour (settings), each ID number
# asked about counting as one lookup (a check with no number counts one).
MAX_CHECK_IDS = 50


def _check_limits() -> tuple[Limit, Limit]:
    from django.conf import settings

    return (
        Limit("dupcheck_user", settings.DUPLICATE_CHECKS_PER_OFFICIAL, 3600),
        Limit("dupcheck_addr", settings.DUPLICATE_CHECKS_PER_ADDRESS, 3600),
    )


def duplicates_check(
    *,
    actor: Any,
    address: str,
    content: str = "",
    summary: str = "",
    id_numbers: list[str] | None = None,
    sealed: bool = False,
) -> list[str]:
    """Codes of petitions that would look the same as one about to be filed, that ``actor``
    may be told of (the rules above; sealed IDs are matched in the vault's blind index). Every
    sealed petition touched is audited and, when not shown, its handler told. Nothing to
    compare, or more than ``MAX_CHECK_IDS`` numbers: Invalid. Over the hourly limit of
    lookups for ``actor`` or for ``address``: TooMany (429)."""
    from petitions.duplicates import content_key, id_key

    numbers = [n.strip() for n in (id_numbers or []) if n and n.strip()]
    text = content or summary
    if not (text.strip() or numbers):
        raise Invalid({"content": _("give the content, the summary or an ID number")})
    if len(numbers) > MAX_CHECK_IDS:
        raise Invalid(
            {"id_numbers": _("at most %(n)s ID numbers at a time") % {"n": MAX_CHECK_IDS}}
        )
    weight = max(1, len(numbers))
    limits = tuple(zip(_check_limits(), (f"u{actor.pk}", address), strict=True))
    for limit, key in limits:
        throttle.refuse_if_over(limit, key, weight, "duplicate checks")
    for limit, key in limits:
        throttle.add(limit, key, weight)
    ids: set[int] = set()
    if numbers and not sealed:
        ids |= set(
            PetitionerKey.objects.filter(key__in=[id_key(n) for n in numbers]).values_list(
                "petition_id", flat=True
            )[:MAX_RESULTS]
        )
    ids |= content_matches(text, content_key=content_key(content))
    sealed_codes: set[str] = set()
    if numbers and sealed:
        from vault.services import VaultUnavailable, blind_index_find

        try:
            sealed_codes = set(blind_index_find(numbers, sealed=True))
        except VaultUnavailable:
            log.warning("duplicate check: vault unavailable, sealed ID matching skipped")
    screened = _screen(actor, ids, sealed_codes)
    with transaction.atomic():
        tell_owners(actor=actor, screened=screened, origin="check")
    return screened.codes


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
    if target is not None and not _may_name(actor, target):
        target = None  # a sealed petition out of scope answers as if there were none
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


def _may_name(user: Any, matter: Matter) -> bool:
    """Whether ``user`` may be told that petition ``matter`` exists: any complaint or
    proposal; a sealed petition only within their scope."""
    from matters.selectors import matters_visible_to

    if not Petition.objects.filter(matter_id=matter.id, sealed=True).exists():
        return True
    return matters_visible_to(user, Matter.objects.filter(id=matter.id)).exists()


def duplicate_group(user: Any, matter: Matter) -> list[dict[str, Any]]:
    """The group of ``matter`` as rows for a page or a response: code, owner unit, status,
    and (for petitions the user may see) the title. Codes of complaints and proposals out
    of the user's scope are shown without their title; sealed petitions out of their scope
    are left out."""
    from matters.selectors import matters_visible_to

    ids = group_ids(matter.id)
    if len(ids) == 1:
        return []
    root = ids[0]
    rows = Matter.objects.filter(id__in=ids).select_related("owner")
    rows = rows.annotate(sealed=F("petition__sealed"))
    visible = set(
        matters_visible_to(user, Matter.objects.filter(id__in=ids)).values_list("id", flat=True)
    )
    out = []
    for m in sorted(rows, key=lambda m: (m.id != root, m.code)):
        if m.sealed and m.id not in visible:
            continue
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
    return out if len(out) > 1 else []


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
