"""A stand-in approval endpoint: one write and its notification in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from coordinators.models import District, User
from mtss import urls as mtss_urls
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify


def approve(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        district = District.objects.get(slug=request.POST["district"])
        author = User.objects.get(email=request.POST["author"])
        notify(
            district=district,
            recipients=[author],
            kind=Kind.APPROVAL_DECISION,
            subject="Approved: Coaching System",
            body="Your Coaching System draft was approved.",
            url="/",
            key="process-version:77:approved",
        )
    return HttpResponse("Approved", status=200)


urlpatterns = [path("approve/", approve, name="test_approve"), *mtss_urls.urlpatterns]
