"""Answering a search: the person's own scope per kind, ranked, a few results per kind, highlighted.

Two queries whatever the number of kinds and matches: the first ranks the person's matching
entries and numbers them within each kind, keeping the ids of the best of each; the second reads
those entries and, on PostgreSQL, cuts their highlighted fragments (ts_headline runs on them only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Expression, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coordinators.models import Membership
from mtss.search.index import SEARCH_CONFIG
from mtss.search.kinds import KINDS, MARK_START, MARK_STOP, Kind
from mtss.search.models import SearchEntry

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
RESULTS_PER_KIND = 8
SNIPPET_LENGTH = 220
# Words this long or longer also find the words they begin.
PREFIX_FROM = 3
# Letters and digits only: the words become a tsquery, so nothing else may reach it.
WORD = re.compile(r"[^\W_]+")


@dataclass
class Hit:
    title: SafeString
    snippet: SafeString
    url: str
    detail: str
    school: str


@dataclass
class Group:
    kind: Kind
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more matched than are shown


@dataclass
class Answer:
    text: str  # the words searched, as bounded
    terms: list[str]
    groups: list[Group]
    too_long: bool = False

    @property
    def count(self) -> int:
        return sum(len(group.hits) for group in self.groups)


def terms_of(text: str) -> tuple[str, list[str], bool]:
    """The query as searched (cut to MAX_QUERY_LENGTH) and its distinct words (at most MAX_TERMS)."""
    text = " ".join((text or "").split())
    too_long = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    words = list(dict.fromkeys(word.lower() for word in WORD.findall(text)))
    return text, words[:MAX_TERMS], too_long


def _scoped(member: Membership) -> QuerySet[SearchEntry]:
    """The entries of the member's district that the member's own selectors would show."""
    allowed = Q()
    for kind in KINDS.values():
        allowed |= Q(kind=kind.key, object_id__in=kind.scope(member).values("pk"))
    return SearchEntry.objects.filter(district_id=member.district_id).filter(allowed)


def _query(terms: list[str]) -> SearchQuery:
    # Every word must match, each as a prefix so that a half-typed word already finds something
    # (but "2" is only 2, not 2026).
    return SearchQuery(
        " & ".join(f"{term}:*" if len(term) >= PREFIX_FROM else term for term in terms),
        search_type="raw",
        config=SEARCH_CONFIG,
    )


def _best_of_each_kind(entries: QuerySet[SearchEntry], rank: Expression) -> list[int]:
    """The ids of the best RESULTS_PER_KIND + 1 entries of each kind (one more, to know of more)."""
    return list(
        entries.annotate(
            rank=rank,
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=[rank.desc(), F("id").desc()]),
        )
        .filter(place__lte=RESULTS_PER_KIND + 1)
        .values_list("pk", flat=True)
    )


def _postgres(entries: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    query = _query(terms)
    rank = SearchRank(F("vector"), query)
    best = _best_of_each_kind(entries.filter(vector=query), rank)
    # A second query by primary key: ts_headline then runs on these rows only, and the planner
    # reads them by index instead of scanning the table for a subquery's unknown number of ids.
    marks: dict[str, Any] = {"config": SEARCH_CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    return (
        SearchEntry.objects.filter(pk__in=best)
        .annotate(
            rank=rank,
            title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
            snippet=SearchHeadline(
                "body", query, max_words=20, min_words=8, max_fragments=2, fragment_delimiter=" … ", **marks
            ),
        )
        .order_by("-rank", "-id")
    )


def _fallback_rank(terms: list[str]) -> Expression:
    """SQLite: a word in the title counts twice a word in the body."""
    score: Expression = Value(0)
    for term in terms:
        score = (
            score
            + Case(When(title__icontains=term, then=Value(2)), default=Value(0), output_field=IntegerField())
            + Case(When(body__icontains=term, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return score


def _fallback(entries: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    for term in terms:
        entries = entries.filter(Q(title__icontains=term) | Q(body__icontains=term))
    rank = _fallback_rank(terms)
    best = _best_of_each_kind(entries, rank)
    return SearchEntry.objects.filter(pk__in=best).annotate(rank=rank).order_by("-rank", "-id")


def _marked(text: str) -> SafeString:
    """Escape a headline first, then turn its marks into <mark>: the record's text stays inert."""
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


def mark_terms(text: str, terms: list[str]) -> str:
    """Put the marks around each occurrence of the words (any case), for the SQLite fallback."""
    if not terms:
        return text
    # At the start of a word, as PostgreSQL's prefix match marks them (no "2" marked inside "2026").
    words = "|".join(
        re.escape(term) if len(term) >= PREFIX_FROM else rf"{re.escape(term)}(?![^\W_])"
        for term in sorted(terms, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<![^\W_])(?:{words})", re.IGNORECASE)
    return pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_STOP}", text)


def fragment(body: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """The part of the body around the first word found, about `length` characters long."""
    body = " ".join(body.split())
    lowered = body.lower()
    found = [i for i in (lowered.find(term) for term in terms) if i >= 0]
    start = max(0, min(found) - length // 3) if found else 0
    piece = body[start : start + length]
    return ("… " if start else "") + piece + (" …" if start + length < len(body) else "")


def search_for(member: Membership, text: str) -> Answer:
    text, terms, too_long = terms_of(text)
    if not terms:
        return Answer(text=text, terms=terms, groups=[], too_long=too_long)
    entries = _scoped(member)
    postgres = connection.vendor == "postgresql"
    found = _postgres(entries, terms) if postgres else _fallback(entries, terms)
    # Groups in the order of their best match; hits arrive best first.
    groups: dict[str, Group] = {}
    for entry in found.select_related("school"):
        group = groups.setdefault(entry.kind, Group(KINDS[entry.kind]))
        if len(group.hits) == RESULTS_PER_KIND:
            group.more = True
            continue
        if postgres:
            title, snippet = entry.title_marked, " ".join(entry.snippet.split())  # type: ignore[attr-defined]
        else:
            title, snippet = mark_terms(entry.title, terms), mark_terms(fragment(entry.body, terms), terms)
        group.hits.append(
            Hit(
                title=_marked(title),
                snippet=_marked(snippet),
                url=entry.url,
                detail=entry.detail,
                school=entry.school.name if entry.school is not None and entry.kind != "school" else "",
            )
        )
    return Answer(
        text=text,
        terms=terms,
        groups=list(groups.values()),
        too_long=too_long,
    )
