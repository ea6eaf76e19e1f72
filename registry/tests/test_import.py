"""dutdiem import-petitions: the columns of API.md, every bad row and column at once,
all-or-nothing, --valid-only, reruns, dates, text IDs, legacy fonts."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from audit.models import AuditEvent
from audit.services import audit_verify
from matters.models import Matter
from petitions.models import Petition, Petitioner
from registry import register as reg
from registry.models import ImportBatch, ImportedPetition
from registry.tests.helpers import register, row, travel
from vault.models import SealedRecord

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now() -> Any:
    # Messages are checked in English here; the Vietnamese catalogue is checked below.
    with travel(), translation.override("en"):
        yield


def run(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_petitions", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def petitions() -> int:
    return Matter.objects.filter(kind="petition").count()


def test_imports_a_good_register(world: Any, tmp_path: Path) -> None:
    path = register(
        tmp_path / "so.xlsx",
        [
            row(),
            row(
                **{
                    reg.KIND: "Tố cáo",
                    reg.NAME: "Lê Thị Kín",
                    reg.ID_NUMBER: "001099000321",
                    reg.CATEGORY: "corruption",
                    reg.SUMMARY: "Tố cáo cán bộ nhận tiền",
                }
            ),
            row(
                **{
                    reg.KIND: "Kiến nghị, phản ánh",
                    reg.NAME: None,
                    reg.ID_NUMBER: None,
                    reg.ADDRESS: None,
                    reg.PHONE: None,
                    reg.CHANNEL: "Trực tiếp",
                    reg.DATE: datetime(2026, 3, 3),
                    reg.SUMMARY: "Đề nghị sửa đường",
                }
            ),
        ],
    )
    code, out, err = run(path, "--unit", "A", "--user", "clerk_a")
    assert (code, out.strip(), err) == (0, "imported 3", "")
    matters = list(Matter.objects.filter(kind="petition").order_by("code"))
    assert [m.code for m in matters] == [f"D2026-33-{n:06d}" for n in (1, 2, 3)]
    assert {m.owner.code for m in matters} == {"A"}
    assert all(m.handler and m.handler.username == "clerk_a" for m in matters)
    complaint, denunciation, proposal = (Petition.objects.get(matter=m) for m in matters)
    assert complaint.kind == "complaint" and complaint.channel == "post"
    assert complaint.petitioners.get().id_number == "034080001234"
    assert complaint.matter.due_on is not None and complaint.processing_rule is not None
    assert proposal.received_on.isoformat() == "2026-03-03" and proposal.channel == "in_person"
    # The denouncer is sealed in the vault, never in the petitions tables.
    assert denunciation.sealed and denunciation.vault_ref
    assert not Petitioner.objects.filter(petition=denunciation).exists()
    assert not Petitioner.objects.filter(full_name="Lê Thị Kín").exists()
    record = SealedRecord.objects.using("vault").get(petition_code=denunciation.matter.code)
    assert record.ref == denunciation.vault_ref
    # One audit event per petition, chained like any other.
    assert AuditEvent.objects.filter(action="petition.receive").count() == 3
    assert audit_verify().ok


def test_every_bad_row_and_column_at_once_and_nothing_imported(world: Any, tmp_path: Path) -> None:
    path = register(
        tmp_path / "bad.xlsx",
        [
            row(),
            row(**{reg.DATE: "2026-03-02", reg.ID_NUMBER: "12345"}),
            row(**{reg.KIND: "Đơn thư", reg.AREA: "99999", reg.CATEGORY: "Bầu cử"}),
            row(**{reg.SUMMARY: None, reg.SIGNERS: 0, reg.PHONE: "abc"}),
            row(
                **{
                    reg.DATE: "31/02/2026",
                    reg.KIND: "Khiếu nại",
                    reg.NAME: None,
                    reg.ID_NUMBER: None,
                    reg.ADDRESS: None,
                    reg.PHONE: None,
                }
            ),
            row(**{reg.DATE: "01/04/2026"}),
        ],
    )
    code, out, err = run(path, "--unit", "A")
    assert code == 1 and out == ""
    lines = err.splitlines()
    for expected in (
        "row 3, Ngày nhận",
        "row 3, Số CCCD",
        "row 4, Loại đơn",
        "row 4, Mã địa bàn",
        "row 4, Lĩnh vực",
        "row 5, Tóm tắt",
        "row 5, Số người ký",
        "row 5, Điện thoại",
        "row 6, Ngày nhận",
        "row 6, Họ tên",
        "row 7, Ngày nhận",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert not any(line.startswith("row 2,") for line in lines)
    assert "5 of 6 rows have errors; nothing was imported" in lines[-1]
    assert petitions() == 0
    assert ImportBatch.objects.get().status == "refused"


def test_valid_only_imports_the_good_rows_and_lists_the_others(world: Any, tmp_path: Path) -> None:
    path = register(
        tmp_path / "mixed.xlsx", [row(), row(**{reg.KIND: "?"}), row(**{reg.SUMMARY: "Khác"})]
    )
    code, out, err = run(path, "--unit", "A", "--valid-only")
    assert code == 0
    assert out.startswith("imported 2")
    assert "row 3, Loại đơn" in err
    assert petitions() == 2


def test_rerun_imports_only_what_is_missing(world: Any, tmp_path: Path) -> None:
    first = register(tmp_path / "a.xlsx", [row(), row(**{reg.KIND: "?"})])
    assert run(first, "--unit", "A", "--valid-only")[0] == 0
    assert petitions() == 1
    fixed = register(tmp_path / "b.xlsx", [row(), row(**{reg.SUMMARY: "Khiếu nại việc cấp sổ đỏ"})])
    code, out, _err = run(fixed, "--unit", "A")
    assert code == 0
    assert out.startswith("imported 1; 1 rows were imported before")
    assert petitions() == 2
    code, out, _err = run(fixed, "--unit", "A")
    assert out.startswith("imported 0") and petitions() == 2
    # Into another unit the same rows are other petitions.
    assert run(fixed, "--unit", "B")[1].startswith("imported 2")


def test_an_interrupted_save_leaves_nothing_and_a_rerun_finishes(
    world: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    path = register(
        tmp_path / "big.xlsx", [row(**{reg.SUMMARY: f"Khiếu nại số {i}"}) for i in range(30)]
    )
    from registry.services import importer

    real = importer._audit_many

    def killed(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # the process dies after the petitions were written

    monkeypatch.setattr(importer, "_audit_many", killed)
    with pytest.raises(KeyboardInterrupt):
        run(path, "--unit", "A")
    assert petitions() == 0
    assert not ImportedPetition.objects.exists()
    assert not Petitioner.objects.exists()
    monkeypatch.setattr(importer, "_audit_many", real)
    code, out, _err = run(path, "--unit", "A")
    assert (code, out.strip()) == (0, "imported 30")
    # The codes taken by the interrupted run were given back: no gap.
    assert Matter.objects.order_by("-code").first().code == "D2026-33-000030"  # type: ignore[union-attr]


def test_ids_and_phones_keep_leading_zeros(world: Any, tmp_path: Path) -> None:
    path = register(
        tmp_path / "numbers.xlsx",
        [
            row(**{reg.ID_NUMBER: 34080001234, reg.PHONE: 912345678, reg.AREA: 33}),
            row(
                **{
                    reg.ID_NUMBER: " 034 080 009 999 ",
                    reg.PHONE: "0912.345.679",
                    reg.AREA: world.commune.code,
                    reg.SUMMARY: "Đơn khác",
                }
            ),
        ],
    )
    assert run(path, "--unit", "A")[0] == 0
    people = {p.id_number: p.phone for p in Petitioner.objects.all()}
    assert people == {"034080001234": "0912345678", "034080009999": "0912345679"}
    assert set(Matter.objects.values_list("area_id", flat=True)) == {"33", world.commune.code}


def test_headers_in_any_order_and_extra_columns_ignored(world: Any, tmp_path: Path) -> None:
    columns = list(reversed(reg.COLUMNS)) + ["Ghi chú"]
    path = register(tmp_path / "order.xlsx", [row(**{"Ghi chú": "x"})], columns=columns)
    assert run(path, "--unit", "A")[1].startswith("imported 1")


def test_missing_columns_are_named(world: Any, tmp_path: Path) -> None:
    columns = [c for c in reg.COLUMNS if c not in (reg.AREA, reg.SUMMARY)]
    path = register(tmp_path / "cols.xlsx", [row()], columns=columns)
    code, _out, err = run(path, "--unit", "A")
    assert code == 1
    assert "missing: Mã địa bàn, Tóm tắt" in err
    assert petitions() == 0


@pytest.mark.parametrize(
    ("text", "font"),
    [
        ("NguyÔn V¨n An", None),  # TCVN3 (ABC) read as Unicode
        ("Nguyeãn Vaên An", None),  # VNI
        ("Nguyễn Văn An", ".VnTime"),  # a TCVN3 font on the cells
    ],
)
def test_legacy_fonts_are_refused(world: Any, tmp_path: Path, text: str, font: str | None) -> None:
    path = register(tmp_path / "legacy.xlsx", [row(**{reg.NAME: text})], font=font)
    code, _out, err = run(path, "--unit", "A", "--valid-only")
    assert code == 1
    assert "legacy Vietnamese font" in err and "Unicode" in err and "row 2, Họ tên" in err
    assert petitions() == 0


def test_not_a_workbook(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "so.xlsx"
    path.write_text("Ngày nhận;Loại đơn\n", encoding="utf-8")
    code, _out, err = run(path, "--unit", "A")
    assert code == 1 and "not an Excel workbook" in err


def test_unknown_unit_or_file(world: Any, tmp_path: Path) -> None:
    path = register(tmp_path / "so.xlsx", [row()])
    assert run(path, "--unit", "ZZ")[0] == 2
    assert run(tmp_path / "none.xlsx", "--unit", "A")[0] == 2
    assert run(path, "--unit", "A", "--user", "nobody")[0] == 2
    assert petitions() == 0


def test_same_row_twice_in_one_file(world: Any, tmp_path: Path) -> None:
    path = register(tmp_path / "twice.xlsx", [row(), row()])
    code, _out, err = run(path, "--unit", "A")
    assert code == 1 and "row 3, Tóm tắt: the same petition as row 2" in err


def test_messages_in_vietnamese(world: Any, tmp_path: Path) -> None:
    path = register(tmp_path / "bad.xlsx", [row(**{reg.KIND: "?"})])
    with translation.override("vi"):
        code, _out, err = run(path, "--unit", "A")
    assert code == 1
    assert "row 2, Loại đơn: phải là một trong" in err
    assert "không nhập đơn nào" in err


def test_interrupted_imports_are_swept_as_failed_and_saved_nothing(world, settings, tmp_path):
    """A batch left waiting, reading or saving by a stopped server is marked failed by the
    daily sweep once it is older than IMPORT_STALE_HOURS; finished and recent ones stay."""
    from datetime import timedelta

    from django.utils import timezone

    from registry.services.uploads import sweep_stale_imports, upload_path

    settings.MEDIA_ROOT = str(tmp_path)
    now = timezone.now()
    old = now - timedelta(hours=7)

    def batch(status, created_at):
        return ImportBatch.objects.create(
            unit=world.a, user=world.clerk_a, file_hash="x", status=status, created_at=created_at
        )

    saving = batch(ImportBatch.Status.SAVING, old)
    pending = batch(ImportBatch.Status.PENDING, old)
    recent = batch(ImportBatch.Status.SAVING, now - timedelta(hours=1))
    done = batch(ImportBatch.Status.DONE, old)
    kept = upload_path(pending.pk)
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"PK\x03\x04")

    assert sweep_stale_imports(now) == 2
    statuses = dict(ImportBatch.objects.values_list("pk", "status"))
    assert statuses[saving.pk] == statuses[pending.pk] == ImportBatch.Status.FAILED
    assert statuses[recent.pk] == ImportBatch.Status.SAVING
    assert statuses[done.pk] == ImportBatch.Status.DONE
    assert "import the file again" in ImportBatch.objects.get(pk=saving.pk).message
    assert not kept.exists()
    assert sweep_stale_imports(now) == 0


def test_saved_rows_pin_every_table_the_import_writes(world: Any, tmp_path: Path) -> None:
    """What ``save_rows`` writes, field by field: matters, petitions, petitioners and their
    keys, the import rows and the audit events (pins the import while it is reshaped)."""
    from petitions.duplicates import content_key, id_key
    from petitions.models import PetitionerKey

    path = register(
        tmp_path / "pin.xlsx",
        [
            row(),
            row(**{reg.KIND: "Tố cáo", reg.NAME: "Lê Thị Kín", reg.SUMMARY: "Tố cáo cán bộ"}),
            row(**{reg.SIGNERS: 3, reg.ID_NUMBER: None, reg.SUMMARY: "Khiếu nại tập thể"}),
        ],
    )
    assert run(path, "--unit", "A", "--user", "clerk_a")[0] == 0
    batch = ImportBatch.objects.get()
    matters = list(Matter.objects.filter(kind="petition").order_by("code"))
    assert [(m.title, m.search_text, m.area_id, m.province, m.category_id) for m in matters] == [
        (
            "Khiếu nại quyết định thu hồi đất",
            "khieu nai quyet dinh thu hoi dat",
            "33",
            "33",
            "land",
        ),
        ("Tố cáo cán bộ", "to cao can bo", "33", "33", "land"),
        ("Khiếu nại tập thể", "khieu nai tap the", "33", "33", "land"),
    ]
    assert {(m.status, str(m.opened_on), str(m.clock_start)) for m in matters} == {
        ("received", "2026-03-02", "2026-03-02")
    }
    assert all(m.due_on and m.rule_id and m.area_before_id is None for m in matters)
    found = [Petition.objects.get(matter=m) for m in matters]
    assert [(p.kind, p.signers, p.sealed, p.instance, p.receipt_pin_hash) for p in found] == [
        ("complaint", 1, False, 1, ""),
        ("denunciation", 1, True, 1, ""),
        ("complaint", 3, False, 1, ""),
    ]
    for p in found:
        assert p.content_key == content_key(p.content) and p.summary == p.matter.title
        assert p.processing_due_on == p.matter.due_on
        assert p.processing_rule_id == p.matter.rule_id
    assert [bool(p.vault_ref) for p in found] == [False, True, False]
    people = list(
        Petitioner.objects.order_by("petition_id").values_list(
            "petition_id", "position", "full_name", "id_number", "is_representative"
        )
    )
    assert people == [
        (matters[0].pk, 1, "Nguyễn Văn An", "034080001234", False),
        (matters[2].pk, 1, "Nguyễn Văn An", "", False),
    ]
    assert list(PetitionerKey.objects.values_list("petition_id", "key")) == [
        (matters[0].pk, id_key("034080001234"))
    ]
    assert sorted(
        ImportedPetition.objects.values_list("matter_id", "batch_id", "unit_id", "row")
    ) == [(m.pk, batch.pk, m.owner_id, n) for m, n in zip(matters, (2, 3, 4), strict=True)]
    events = list(AuditEvent.objects.filter(action="petition.receive").order_by("seq"))
    assert [e.matter for e in events] == [m.code for m in matters]
    assert {e.actor for e in events} == {"clerk_a"}
    assert [e.data for e in events] == [
        {
            "kind": p.kind,
            "channel": "post",
            "received_on": "2026-03-02",
            "signers": p.signers,
            "rule": p.processing_rule.ref,  # type: ignore[union-attr]
            "due_on": str(p.processing_due_on),
            "first_instance": None,
            "sealed": p.sealed,
            "import": batch.pk,
            "row": n,
        }
        for p, n in zip(found, (2, 3, 4), strict=True)
    ]
