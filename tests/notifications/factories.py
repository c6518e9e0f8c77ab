from __future__ import annotations

import factory
from django.utils import timezone

from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.factories import DistrictFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    district = factory.SubFactory(DistrictFactory)
    recipient = factory.SubFactory(UserFactory)
    kind = Kind.APPROVAL_REQUEST
    subject = factory.Sequence(lambda n: f"Approval requested: Coaching System v{n}")
    body = "Maria Lopez submitted the Coaching System for approval."
    url = "/"
    key = factory.Sequence(lambda n: f"process-version:{n}:submitted")
    due_at = factory.LazyFunction(timezone.now)
