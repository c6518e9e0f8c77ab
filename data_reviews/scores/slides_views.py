"""Download as slides: ask on a dashboard, watch the worker draw the deck, download it.

Who may ask is exactly who may open the dashboard: the district dashboard's roles for the district
deck, anyone who reaches the school's dashboard for a school's deck. A deck is its asker's alone.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from coordinators.models import Role
from data_reviews.models import SlideDeck
from data_reviews.scores import selectors, slide_decks
from mtss.access import MemberRequest, member_required

# The dashboard's filters as its query string has them; longer values are no filter at all.
FILTER_LENGTHS = {"subject": 32, "period": 32, "sort": 16}


def _filters(request: HttpRequest) -> dict[str, str]:
    values = {name: request.POST.get(name, "") for name in FILTER_LENGTHS}
    return {name: value if len(value) <= FILTER_LENGTHS[name] else "" for name, value in values.items()}


@require_POST
@member_required(*Role.district_staff())
def district_slides(request: MemberRequest) -> HttpResponse:
    deck = slide_decks.slide_deck_request(member=request.membership, school=None, **_filters(request))
    return redirect("score_slides_detail", deck.pk)


@require_POST
@member_required()
def school_slides(request: MemberRequest, pk: int) -> HttpResponse:
    school = selectors.get_dashboard_school_for_user(request.membership, pk)
    deck = slide_decks.slide_deck_request(member=request.membership, school=school, **_filters(request))
    return redirect("score_slides_detail", deck.pk)


def dashboard_url(deck: SlideDeck) -> str:
    """Back to the dashboard the deck was asked from, with the same filters."""
    if deck.school_id is not None:
        url = reverse("score_school_dashboard", args=[deck.school_id])
    else:
        url = reverse("score_district_dashboard")
    query = urlencode(
        {name: value for name, value in [("subject", deck.subject), ("period", deck.period)] if value}
    )
    return f"{url}?{query}" if query else url


@member_required()
def slides_detail(request: MemberRequest, pk: int) -> HttpResponse:
    deck = slide_decks.as_shown(selectors.get_slide_deck_for_user(request.membership, pk))
    context = {"deck": deck, "dashboard_url": dashboard_url(deck)}
    return render(request, "data_reviews/scores/slides_detail.html", context)


@member_required()
def slides_progress(request: MemberRequest, pk: int) -> HttpResponse:
    deck = slide_decks.as_shown(selectors.get_slide_deck_for_user(request.membership, pk))
    return render(request, "data_reviews/scores/_slides_progress.html", {"deck": deck})


@member_required()
def slides_download(request: MemberRequest, pk: int) -> HttpResponse:
    deck = selectors.get_slide_deck_for_user(request.membership, pk)
    if deck.status != SlideDeck.Status.READY:
        messages.error(request, "These slides are not ready. Wait for them here, or ask for them again.")
        return redirect("score_slides_detail", deck.pk)
    response = HttpResponse(deck.content, content_type=slide_decks.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{deck.file_name}"'
    return response
