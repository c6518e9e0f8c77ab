from __future__ import annotations

import pytest
from django.db import connection, transaction

from mtss.audit.models import AuditEvent, AuditRowsAreReadOnly
from mtss.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted_by_the_application(side_a):
    event = audit_record(
        action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school
    )
    event.action = "something else"
    with pytest.raises(AuditRowsAreReadOnly):
        event.save()
    with pytest.raises(AuditRowsAreReadOnly):
        event.delete()
    with pytest.raises(AuditRowsAreReadOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditRowsAreReadOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.actor, stored.object_label) == (
        "approve",
        side_a.leader,
        side_a.school.name,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_updates_of_audit_rows(side_a):
    event = audit_record(action="login", actor=side_a.leader)
    with (
        pytest.raises(Exception, match="audit rows cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
