"""The eight district processes every district drafts, with their sections and guiding prompts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardProcess:
    slug: str
    name: str
    purpose: str
    sections: tuple[tuple[str, str, str], ...]  # (key, heading, prompt)

    def section_list(self) -> list[dict[str, str]]:
        return [{"key": k, "heading": h, "prompt": p} for k, h, p in self.sections]


STANDARD_PROCESSES: tuple[StandardProcess, ...] = (
    StandardProcess(
        "initiative-review",
        "Initiative and Innovation Review Process",
        "How the district decides whether a new initiative or practice is worth adopting.",
        (
            ("trigger", "When a review happens", "What starts a review: a new proposal, a grant, a renewal?"),
            ("evidence", "Evidence and need", "What evidence and local data must a proposal bring?"),
            (
                "hexagon",
                "Fit and readiness",
                "How are need, fit, resources, evidence, readiness and capacity rated?",
            ),
            ("decision", "Who decides", "Who reviews, who decides, and how is the decision shared?"),
        ),
    ),
    StandardProcess(
        "initiative-alignment",
        "Initiative and Innovation Alignment Process",
        "How current initiatives are inventoried, compared and kept, merged or dropped.",
        (
            (
                "inventory",
                "Initiative inventory",
                "How and when is the inventory of current initiatives updated?",
            ),
            ("overlap", "Finding overlaps", "How are overlapping purposes, staff and outcomes identified?"),
            ("decisions", "Keep, merge or drop", "Who decides, using which criteria?"),
            ("communication", "Communicating decisions", "How do schools and staff learn what changed?"),
        ),
    ),
    StandardProcess(
        "coaching-system",
        "Coaching System",
        "How schools get high-quality coaching while they learn effective innovations.",
        (
            ("who_coached", "Who is coached", "Which schools, teams and staff receive coaching?"),
            ("coaches", "By whom", "Who coaches, and how are coaches selected and supported?"),
            ("cycle", "Coaching cycle", "What does one coaching cycle look like, and how often?"),
            (
                "needs",
                "Identifying coaching needs",
                "How are coaching needs identified (data, fidelity checks)?",
            ),
            (
                "effectiveness",
                "Measuring effectiveness",
                "How is coaching effectiveness measured and reported?",
            ),
        ),
    ),
    StandardProcess(
        "communication-barriers",
        "Communication Plan and Barrier Removal Process",
        "How information flows between schools, the DIT and executive leaders, and how barriers are removed.",
        (
            ("groups", "Groups and designees", "Which groups communicate, and who is each group's designee?"),
            (
                "protocol",
                "What is shared, how and when",
                "What is gathered and shared, in what format and timeframe?",
            ),
            ("barriers", "Raising barriers", "How does a school or team raise a barrier, and to whom?"),
            (
                "escalation",
                "Escalation and response",
                "When does a barrier go to the executive leader, and how fast?",
            ),
        ),
    ),
    StandardProcess(
        "implementation-plan",
        "District Implementation Plan",
        "How the District Implementation Plan is written, monitored and revised.",
        (
            ("goals", "Goals", "Which district goals does the plan serve, and how are they measured?"),
            (
                "development",
                "Developing the plan",
                "Who writes activities, from which data (DCA, data reviews)?",
            ),
            ("monitoring", "Monitoring progress", "How often is progress reviewed, and by whom?"),
            ("revision", "Revising the plan", "When and how are activities changed or retired?"),
        ),
    ),
    StandardProcess(
        "principal-support",
        "Differentiated Principal Support",
        "Differentiated plans to support principals: staff readiness, turnover and resistance to change.",
        (
            ("readiness", "Staff readiness", "How is staff readiness assessed, and what support follows?"),
            ("turnover", "Principal or staff turnover", "What happens when a principal or key staff leave?"),
            ("resistance", "Resistance to change", "How is resistance recognized and addressed?"),
            ("differentiation", "Tiers of support", "How is support differentiated between principals?"),
        ),
    ),
    StandardProcess(
        "recruitment-selection",
        "Staff Recruitment and Selection Process",
        "How staff who support effective innovations are recruited and selected.",
        (
            ("roles", "Roles covered", "Which roles does this process cover?"),
            ("competencies", "Competencies sought", "Which skills and dispositions are required?"),
            (
                "selection",
                "Selection steps",
                "What are the interview and selection steps, and who takes part?",
            ),
            ("onboarding", "Onboarding", "How are new staff introduced to the district's practices?"),
        ),
    ),
    StandardProcess(
        "staff-learning",
        "Staff Learning Plans",
        "Learning plans for all staff assigned to support effective innovations: development and monitoring.",
        (
            (
                "audience",
                "Who needs learning plans",
                "Which staff are assigned to support effective innovations?",
            ),
            ("development", "Developing a plan", "How is each learning plan developed, and with whom?"),
            ("delivery", "Professional learning", "What professional learning is offered, and when?"),
            ("monitoring", "Monitoring", "How are learning plans monitored and updated?"),
        ),
    ),
)

STANDARD_BY_SLUG: dict[str, StandardProcess] = {p.slug: p for p in STANDARD_PROCESSES}
