"""Builders for district processes in a given state."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coordinators.models import Membership
from implementation_plans.models import Process, ProcessVersion
from implementation_plans.processes import services
from implementation_plans.processes.catalogue import STANDARD_BY_SLUG


def coaching_texts(extra: str = "") -> dict[str, str]:
    return {
        "who_coached": "All seven elementary schools' Tier 1 reading teams." + extra,
        "coaches": "Two district literacy coaches, supported by the MTSS coordinator.",
        "cycle": "- Pre-conference\n- Observation\n- Debrief within 48 hours",
        "needs": "Fidelity checks and fall screening data.",
        "effectiveness": "Coaching logs and TFI Tier 1 scores each spring.",
    }


def texts_for(process: Process, extra: str = "") -> dict[str, str]:
    if process.slug == "coaching-system":
        return coaching_texts(extra)
    return {s["key"]: f"How {process.name} handles {s['heading'].lower()}.{extra}" for s in process.sections}


def started(member: Membership, slug: str = "coaching-system") -> Process:
    return services.process_start(member=member, slug=slug)


def drafted(member: Membership, slug: str = "coaching-system", texts: dict | None = None) -> Process:
    process = started(member, slug)
    services.draft_save(member=member, process=process, texts=texts_for(process) if texts is None else texts)
    process.refresh_from_db()
    return process


def submitted(member: Membership, slug: str = "coaching-system") -> ProcessVersion:
    process = drafted(member, slug)
    return services.draft_submit(member=member, process=process)


def approved(author: Membership, leader: Membership, slug: str = "coaching-system") -> ProcessVersion:
    version = submitted(author, slug)
    return services.version_approve(member=leader, version=version)


def with_versions(
    author: Membership, leader: Membership, count: int, slug: str = "coaching-system"
) -> Process:
    """A process with `count` versions: alternately returned and revised, the last one approved."""
    process = started(author, slug)
    for n in range(count):
        services.draft_save(member=author, process=process, texts=texts_for(process, f" Round {n}."))
        process.refresh_from_db()
        version = services.draft_submit(member=author, process=process)
        if n == count - 1:
            services.version_approve(member=leader, version=version)
        else:
            services.version_request_changes(
                member=leader, version=version, comment=f"Please revise round {n}."
            )
            services.comment_add(
                member=leader, version=version, body="Be specific.", section_key=process.sections[0]["key"]
            )
        process.refresh_from_db()
    return process


def all_standard_started(member: Membership) -> list[Process]:
    return [started(member, slug) for slug in STANDARD_BY_SLUG]


def backdate_submission(version: ProcessVersion, days: int) -> None:
    ProcessVersion.objects.filter(pk=version.pk).update(submitted_at=timezone.now() - timedelta(days=days))
