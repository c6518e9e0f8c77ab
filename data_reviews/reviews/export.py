"""The review summary as a Word document (python-docx), from the same context as the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from data_reviews.models import ProblemCheck, ProblemStatement
from mtss.documents import bullets, document_bytes, facts_table, new_document

if TYPE_CHECKING:
    from docx.document import Document as DocumentType


def _problem(
    doc: DocumentType, problem: ProblemStatement, *, carried: bool, check: ProblemCheck | None = None
) -> None:
    doc.add_heading(problem.what, level=3)
    rows = [
        ("Who", problem.who),
        ("Where", problem.where),
        ("When", problem.when),
        ("How often", problem.how_often),
        ("Goal", " ".join(filter(None, [problem.goal, problem.goal_target]))),
        (
            "Goal date",
            f"{problem.goal_date:%B} {problem.goal_date.day}, {problem.goal_date:%Y}"
            if problem.goal_date
            else "",
        ),
        ("Status", problem.get_status_display()),
    ]
    if carried:
        rows.insert(0, ("Raised at", f"{problem.review.title} ({problem.review.held_on:%Y-%m-%d})"))
    facts_table(doc, [(label, value or "—") for label, value in rows], grid=True)
    factors = list(problem.factors.all())
    if factors:
        doc.add_paragraph("Why (contributing factors):")
        for factor in factors:
            doc.add_paragraph(factor.text, style="List Bullet")
    actions = list(problem.actions.all())
    if actions:
        doc.add_paragraph("Plan:")
        for action in actions:
            owner = action.owner.get_full_name() if action.owner else "no owner"
            due = f"{action.due_date:%Y-%m-%d}" if action.due_date else "no due date"
            doc.add_paragraph(f"{action.description} — {owner}, due {due}", style="List Bullet")
    if carried:
        if check is None:
            doc.add_paragraph("Check at this review: not recorded yet.")
        else:
            doc.add_paragraph(
                f"Check at this review: fidelity {check.get_fidelity_display().lower()}; "
                f"effectiveness {check.get_effectiveness_display().lower()}; "
                f"next step {check.get_next_step_display().lower()}."
                + (f" Current rate: {check.current_rate}." if check.current_rate else "")
            )


def review_docx(context: dict[str, Any]) -> bytes:
    review = context["review"]
    doc = new_document(f"{review.title}: {review.scope_name}")
    facts = [f"Held on {review.held_on:%B} {review.held_on.day}, {review.held_on:%Y}"]
    if review.facilitator:
        facts.append(f"facilitated by {review.facilitator.get_full_name()}")
    if review.meeting_label:
        facts.append(review.meeting_label)
    doc.add_paragraph("; ".join(facts) + ".")
    doc.add_heading("The data we looked at", level=2)
    for source in context["sources"]:
        doc.add_paragraph(f"{source.title} (as of {source.as_of:%Y-%m-%d})", style="List Bullet")
        doc.add_paragraph(source.summary)
    if not context["sources"]:
        doc.add_paragraph("None recorded.")
    doc.add_heading("Successes", level=2)
    bullets(doc, (success.text for success in context["successes"]), empty="None recorded.")
    doc.add_heading("Precise problem statements", level=2)
    for problem in context["problems"]:
        _problem(doc, problem, carried=False)
    if not context["problems"]:
        doc.add_paragraph("No new problem statements.")
    doc.add_heading("Problems carried forward", level=2)
    for problem, check in context["carried"]:
        _problem(doc, problem, carried=True, check=check)
    if not context["carried"]:
        doc.add_paragraph("No earlier problems are open.")
    return document_bytes(doc)
