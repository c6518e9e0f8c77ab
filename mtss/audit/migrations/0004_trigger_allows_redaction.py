"""On PostgreSQL the trigger still refuses DELETE and every UPDATE but one kind: a redaction.

When a district or a person is deleted, their audit rows keep what happened (time, action, kind and id
of the object, outcome) and lose what identified the deleted content. A redaction may only set
`district_id`, `actor_id` or `ip_address` to NULL and `actor_label`, `object_label` to '' or `detail`
to '{}'; any other change of any column is refused, as before.
"""

from django.db import migrations

REDACTION_ONLY = """
CREATE OR REPLACE FUNCTION audit_rows_are_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.at = OLD.at
        AND NEW.action = OLD.action
        AND NEW.object_type = OLD.object_type
        AND NEW.object_id = OLD.object_id
        AND NEW.outcome = OLD.outcome
        AND (NEW.district_id IS NOT DISTINCT FROM OLD.district_id OR NEW.district_id IS NULL)
        AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR NEW.actor_id IS NULL)
        AND (NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address OR NEW.ip_address IS NULL)
        AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label = '')
        AND (NEW.object_label = OLD.object_label OR NEW.object_label = '')
        AND (NEW.detail = OLD.detail OR NEW.detail = '{}'::jsonb)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_rows_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REDACTION_ONLY)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
