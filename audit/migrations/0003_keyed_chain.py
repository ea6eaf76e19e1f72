"""The keyed chain and the database's refusal to erase the log.

Existing installations: the entries already written keep their plain SHA-256 hashes and are
verified as before; the head's ``keyed_from`` is set to the next entry, the first one that
will be an HMAC under the audit key. That first keyed entry links to the last unkeyed one, and
every anchor holds ``keyed_from`` under the key's MAC, so neither the boundary nor the older
entries can be changed unseen once the first keyed entry is written. A new installation has
``keyed_from`` = 1: its whole chain is keyed.

Triggers (see ``audit.guard``): SQLite gains a DELETE trigger on entries, which lets a
connection marked by the test runner through; PostgreSQL gains TRUNCATE triggers, which let
the session setting ``dutdiem.audit_erase`` = on through. On both, the head record cannot be
deleted, moved backwards, or have its ``keyed_from`` changed.
"""

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT dutdiem_audit_erase_allowed()
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
       WHEN NOT dutdiem_audit_erase_allowed()
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
       WHEN NEW.last_seq < OLD.last_seq OR NEW.keyed_from <> OLD.keyed_from
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_DROP = ["audit_event_no_delete", "audit_head_no_delete", "audit_head_forward_only"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_refuse_erase() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('dutdiem.audit_erase', true), '') = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit events are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION audit_head_refuse() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           IF coalesce(current_setting('dutdiem.audit_erase', true), '') = 'on' THEN
             RETURN OLD;
           END IF;
           RAISE EXCEPTION 'audit events are append-only';
         END IF;
         IF NEW.last_seq < OLD.last_seq OR NEW.keyed_from <> OLD.keyed_from THEN
           RAISE EXCEPTION 'audit events are append-only';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_erase();""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
       FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_erase();""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_audithead
       FOR EACH ROW EXECUTE FUNCTION audit_head_refuse();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead",
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_refuse_erase()",
    "DROP FUNCTION IF EXISTS audit_head_refuse()",
]


def start_keyed_chain(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditHead")
    for head in head_model.objects.using(schema_editor.connection.alias).all():
        head.keyed_from = head.last_seq + 1
        head.save(update_fields=["keyed_from"])


def triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_DROP:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        for sql in POSTGRES_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.AddField(
            model_name="audithead",
            name="keyed_from",
            field=models.BigIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(start_keyed_chain, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]
