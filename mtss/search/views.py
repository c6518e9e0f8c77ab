"""The search page: the top bar's box sends its words here."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from mtss.access import MemberRequest, member_required
from mtss.search import selectors


@member_required()
def search(request: MemberRequest) -> HttpResponse:
    answer = selectors.search_for(request.membership, request.GET.get("q", ""))
    return render(
        request,
        "search/search.html",
        {
            "answer": answer,
            "max_length": selectors.MAX_QUERY_LENGTH,
            "per_kind": selectors.RESULTS_PER_KIND,
        },
    )
