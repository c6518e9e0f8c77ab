# ruff: noqa: E501 - the demo tables below read better one record per line
"""Demo content: a year-long District Implementation Plan, two DCA administrations, a school's TFI,
an initiative inventory with one overlap, barriers (open, escalated, decided) and a practice library.

Everything is looked up by a natural key first, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from coordinators.models import School
from implementation_plans.models import (
    AssessmentItem,
    Barrier,
    CapacityAssessment,
    CommunicationProtocol,
    Initiative,
    PlanActivity,
    PlanGoal,
    Practice,
    ProgressUpdate,
)
from mtss.demo import DemoContext, get_or_create_all

# name, domains (a=academic, b=behaviour, s=SEL), tiers, grouping, evidence, description, success criteria, link
PRACTICES = [
    ("Positive Behavioral Interventions and Supports (PBIS)", "b", "123", "whole_group", "strong",
     "A school-wide framework: a few positively stated expectations taught like any other lesson, "
     "acknowledged often, with a consistent response to problem behavior and decisions made from data.",
     "TFI Tier 1 at or above 70%; office referrals trending down.", "https://www.pbis.org"),
    ("Check-In/Check-Out (CICO)", "b", "2", "individual", "strong",
     "A student checks in with a mentor each morning, carries a daily progress report rated by teachers "
     "through the day, and checks out in the afternoon; the report goes home.",
     "80% of enrolled students earn 80% of daily points for six weeks.", "https://www.pbis.org"),
    ("Check & Connect", "bs", "23", "individual", "strong",
     "A mentor monitors attendance, grades and behavior each week and works with the student and family "
     "over at least two years to keep the student engaged in school.",
     "Attendance at or above 90% for mentored students.", "https://checkandconnect.umn.edu"),
    ("Good Behavior Game", "b", "1", "whole_group", "strong",
     "Classroom teams earn a reward together when the team keeps the number of rule breaks under a limit "
     "during short, announced game periods that grow longer over time.",
     "Disruptions during game periods fall by half within a month.", "https://www.air.org"),
    ("Reading Mastery small group", "a", "23", "small_group", "strong",
     "A scripted, explicit phonics and decoding program taught to small groups placed by skill, with quick "
     "pacing, choral responses and immediate correction.",
     "Students reach the next placement level within a grading period.", ""),
    ("Lexia Core5 Reading", "a", "12", "individual", "moderate",
     "Adaptive computer practice in foundational reading skills; the teacher uses its reports to plan "
     "offline lessons for students who stall.",
     "Students meet weekly usage minutes and advance one level a month.", "https://www.lexialearning.com"),
    ("Second Step", "s", "1", "whole_group", "moderate",
     "A classroom social-emotional learning curriculum with short weekly lessons on empathy, emotion "
     "management and problem solving.", "Lessons delivered weekly in every K-8 classroom.",
     "https://www.secondstep.org"),
    ("Social skills groups", "s", "2", "small_group", "promising",
     "A counsellor teaches a targeted skill (joining in, calming down, solving a conflict) to four to six "
     "students, with practice and feedback, then prompts it in class.",
     "Teacher ratings of the target skill improve after eight sessions.", ""),
    ("Function-based behavior intervention plan", "b", "3", "individual", "strong",
     "After a functional behavioral assessment, the team teaches a replacement behavior that meets the same "
     "need and changes triggers and responses so the problem behavior no longer pays off.",
     "Target behavior falls by 80% from baseline.", ""),
    ("Peer-Assisted Learning Strategies (PALS)", "a", "1", "small_group", "strong",
     "Class-wide peer tutoring: pairs take turns as coach and reader in structured reading or math routines "
     "a few times a week.", "Fluency growth at or above the typical rate for the grade.", ""),
    ("Explicit vocabulary instruction", "a", "1", "whole_group", "moderate",
     "Teachers choose useful words from texts, give student-friendly definitions and examples, and plan "
     "repeated use across the week.", "Students use target words in writing samples.", ""),
    ("Repeated reading", "a", "2", "individual", "moderate",
     "A student reads the same short passage several times with feedback until reaching a fluency goal, then "
     "moves on to a new passage.", "Words correct per minute rise at least 1.5 a week.", ""),
    ("Number Rockets", "a", "2", "small_group", "promising",
     "Small-group early numeracy tutoring for first graders on number sense, counting strategies and "
     "addition and subtraction facts.", "Students reach the winter math screening benchmark.", ""),
    ("Schema-based instruction for word problems", "a", "23", "small_group", "strong",
     "Students learn to recognize the structure of a word problem (combine, compare, change) and use a "
     "matching diagram before computing.", "Word-problem accuracy of 80% on weekly probes.", ""),
    ("Restorative circles", "bs", "1", "whole_group", "promising",
     "Regular classroom circles build relationships; responsive circles repair harm after an incident.",
     "Fewer repeat referrals for the same students.", ""),
    ("Behavior contracts", "b", "2", "individual", "moderate",
     "A written agreement between student and teacher naming a goal behavior, how it is measured and the "
     "reward for meeting it.", "Goal met on 4 of 5 days for three weeks.", ""),
    ("Classroom check-up", "b", "1", "whole_group", "promising",
     "A coach observes a classroom, shares data on praise and corrections, and the teacher picks one "
     "strategy to improve, with follow-up observations.", "Praise-to-correction ratio of 4:1.", ""),
    ("Zones of Regulation", "s", "12", "small_group", "emerging",
     "A common vocabulary for emotional states and tools to move between them, taught in lessons and "
     "reinforced through the day.", "Students name a zone and a tool when prompted.", ""),
    ("Self-monitoring", "bs", "23", "individual", "strong",
     "The student records their own on-task behavior at signaled intervals and compares ratings with the "
     "teacher's.", "On-task intervals above 80%.", ""),
    ("Co-teaching (one teach, one assist and station teaching)", "a", "1", "whole_group", "promising",
     "A general and a special education teacher share planning and instruction in one classroom so students "
     "with disabilities receive core instruction with support.", "Co-planning time held weekly.", ""),
]  # fmt: skip

GOALS = [
    ("Every school implements PBIS Tier 1 with fidelity",
     "All twelve schools reach 70% on the Tiered Fidelity Inventory Tier 1 by spring."),
    ("80% of K-3 students at or above the reading benchmark",
     "Strengthen core reading and small-group intervention in every elementary school."),
    ("Build the district's capacity to support MTSS",
     "Raise the District Capacity Assessment total to 80%."),
]  # fmt: skip

DCA_ITEMS = [
    ("Commitment and leadership", "The superintendent names MTSS a district priority in writing."),
    ("Commitment and leadership", "The District Implementation Team meets monthly with a set agenda."),
    ("Commitment and leadership", "DIT members have time in their assignments for MTSS work."),
    ("Commitment and leadership", "The school board hears an MTSS progress update at least twice a year."),
    ("Systems alignment", "District initiatives are reviewed for fit before adoption."),
    ("Systems alignment", "A written plan explains how barriers reach the executive leader."),
    ("Systems alignment", "Budget for MTSS training is set aside each year."),
    ("Systems alignment", "Hiring interviews ask about data-based decision making."),
    ("Action planning", "The implementation plan names an owner and due date for every activity."),
    ("Action planning", "Coaches support each school while it learns a new practice."),
    ("Action planning", "District data are reviewed each screening window."),
    ("Action planning", "Fidelity data are collected for each effective innovation."),
]
BASELINE_SCORES = [2, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0]
FALL_SCORES = [2, 2, 1, 1, 1, 0, 2, 1, 2, 0, 2, 1]

TFI_ITEMS = [
    ("Tier 1", "A team meets at least monthly to review school-wide behavior data."),
    ("Tier 1", "Three to five positive expectations are posted and taught."),
    ("Tier 1", "Staff acknowledge expected behavior more often than they correct."),
    ("Tier 1", "Problem behaviors are defined and the response is consistent."),
    ("Tier 2", "Students needing more support are identified by data and referral."),
    ("Tier 2", "Check-In/Check-Out runs with a daily progress report."),
    ("Tier 3", "A team completes a functional behavioral assessment when needed."),
]
TFI_SCORES = [2, 2, 1, 1, 1, 2, 0]

# name, purpose, outcome, target group, staff, goal index, budget, hexagon, decision, rationale
INITIATIVES = [
    ("PBIS", "School-wide behavior framework", "Office discipline referrals", "All students K-12",
     "Behavior coach, school PBIS teams, Carla Jennings", 0, "Title IV-A", (5, 5, 4, 5, 4, 4), "keep",
     "Core of our Tier 1 behavior work."),
    ("Positive Behavior Rewards program", "Store and raffle for good behavior", "Office discipline referrals",
     "All students K-12", "Assistant principals, PTO volunteers", 0, "PTO", (3, 2, 3, 2, 3, 2), "merge",
     "Duplicates PBIS acknowledgement; fold into school PBIS systems."),
    ("Second Step", "SEL curriculum", "SEL screener (DESSA-mini)", "Students K-8", "Counsellors, classroom teachers",
     0, "General fund", (4, 4, 3, 4, 3, 3), "keep", ""),
    ("Acadience Reading screening", "Universal screening three times a year", "Acadience composite",
     "Students K-5", "Mei Chen, reading specialists", 1, "General fund", (5, 5, 5, 5, 5, 4), "keep", ""),
    ("Lexia Core5", "Adaptive foundational reading practice", "Lexia level gains", "Students K-3",
     "Reading specialists, classroom teachers", 1, "ESSER", (4, 4, 2, 4, 3, 3), "", ""),
    ("Reading Mastery intervention", "Tier 2 and 3 decoding intervention", "Acadience composite",
     "Students K-3 below benchmark", "Reading specialists, Ben Alvarez", 1, "Title I", (5, 4, 3, 5, 3, 3),
     "keep", ""),
    ("Instructional coaching cycles", "Coaching for new effective innovations", "Fidelity checks",
     "Teachers", "Instructional coaches", 2, "Title II-A", (4, 5, 3, 4, 4, 3), "keep", ""),
    ("Book study on growth mindset", "Voluntary staff book study", "Staff survey", "Teachers",
     "Volunteers", None, "", (2, 3, 4, 2, 3, 3), "drop", "Little evidence of student impact."),
    ("Check & Connect mentoring", "Dropout prevention mentoring", "Attendance rate", "Students 9-12 at risk",
     "High school counsellors", 0, "Grant", (4, 4, 2, 5, 3, 2), "", ""),
    ("Math fact fluency app", "Home practice of facts", "Fact fluency probes", "Students 2-5",
     "Classroom teachers", 1, "Building budgets", (2, 3, 4, 2, 4, 4), "", ""),
]  # fmt: skip


def _practices(ctx: DemoContext) -> dict[str, Practice]:
    rows = [
        (
            {"district": ctx.district, "name": name},
            {
                "academic": "a" in domains,
                "behaviour": "b" in domains,
                "sel": "s" in domains,
                "tier1": "1" in tiers,
                "tier2": "2" in tiers,
                "tier3": "3" in tiers,
                "grouping": grouping,
                "evidence_level": evidence,
                "description": description,
                "success_criteria": criteria,
                "resources": link,
            },
        )
        for name, domains, tiers, grouping, evidence, description, criteria, link in PRACTICES
    ]
    return {practice.name: practice for practice in get_or_create_all(Practice, rows)}


def _assessment(ctx: DemoContext, *, instrument: str, window: str, on: date, items: list, scores: list,
                school: School | None = None) -> CapacityAssessment:  # fmt: skip
    assessment, _ = CapacityAssessment.objects.get_or_create(
        district=ctx.district,
        instrument=instrument,
        school=school,
        window=window,
        defaults={
            "administered_on": on,
            "facilitator": ctx.coordinator,
            "participants": "District Implementation Team" if school is None else "School leadership team",
        },
    )
    get_or_create_all(
        AssessmentItem,
        [
            (
                {"assessment": assessment, "number": number},
                {"subscale": subscale, "wording": wording, "score": score},
            )
            for number, ((subscale, wording), score) in enumerate(zip(items, scores, strict=True), start=1)
        ],
    )
    return assessment


def seed_demo(ctx: DemoContext) -> None:
    today = ctx.today
    district = ctx.district
    practices = _practices(ctx)
    goals = []
    for order, (title, description) in enumerate(GOALS, start=1):
        goal, _ = PlanGoal.objects.get_or_create(
            district=district, title=title, defaults={"description": description, "order": order}
        )
        goals.append(goal)

    baseline = _assessment(ctx, instrument="dca", window="baseline", on=today - timedelta(days=300),
                           items=DCA_ITEMS, scores=BASELINE_SCORES)  # fmt: skip
    fall = _assessment(ctx, instrument="dca", window="fall", on=today - timedelta(days=45),
                       items=DCA_ITEMS, scores=FALL_SCORES)  # fmt: skip
    del baseline
    if ctx.principal_school is not None:
        _assessment(ctx, instrument="tfi", window="fall", on=today - timedelta(days=50), items=TFI_ITEMS,
                    scores=TFI_SCORES, school=ctx.principal_school)  # fmt: skip
    barrier_item = fall.items.get(number=6)
    coaching_item = fall.items.get(number=10)

    owners = [ctx.member, *ctx.dit_members]
    d = today
    dt = timedelta
    # title, goal, type, stage, owner, start, due, status, on track, practice, capacity item, updates
    activities = [
        ("Train every school PBIS team on Tier 1 systems", 0, "installation", "installation", 0,
         d - dt(210), d - dt(120), "done", True, "Positive Behavioral Interventions and Supports (PBIS)", None,
         [(d - dt(180), 40, "Six of twelve teams trained in the August academy."),
          (d - dt(125), 100, "Remaining teams trained on the October PD day.")]),
        ("Coach school teams through their first TFI", 0, "coaching", "initial", 1, d - dt(120), d + dt(45),
         "in_progress", True, "Positive Behavioral Interventions and Supports (PBIS)", None,
         [(d - dt(60), 30, "Coaches visited eight schools; three TFIs complete."),
          (d - dt(14), 55, "Seven TFIs complete; the middle schools are scheduled.")]),
        ("Launch Check-In/Check-Out in the three middle schools", 0, "installation", "installation", 0,
         d - dt(90), d - dt(10), "in_progress", False, "Check-In/Check-Out (CICO)", None,
         [(d - dt(40), 30, "Mentors named at Northview; Westfield and Eastbrook still recruiting.")]),
        ("Publish the district acknowledgement system guide", 0, "implementation", "initial", 2, d - dt(30),
         d + dt(120), "not_started", True, None, None, []),
        ("Adopt one K-3 screening calendar across the district", 1, "installation", "installation", 3,
         d - dt(200), d - dt(150), "done", True, None, None,
         [(d - dt(150), 100, "Calendar approved and shared with principals.")]),
        ("Place K-3 students below benchmark into Reading Mastery groups", 1, "implementation", "initial", 2,
         d - dt(60), d - dt(5), "in_progress", False, "Reading Mastery small group", None,
         [(d - dt(30), 50, "Groups formed in five of seven elementary schools; two lack trained staff.")]),
        ("Coach reading interventionists on fidelity checks", 1, "coaching", "initial", 2, d - dt(20),
         d + dt(90), "in_progress", True, "Reading Mastery small group", None,
         [(d - dt(7), 15, "First round of observations scheduled.")]),
        ("Evaluate Lexia usage against reading growth", 1, "evaluation", "full", 3, d + dt(60), d + dt(150),
         "not_started", True, "Lexia Core5 Reading", None, []),
        ("Write the barrier escalation protocol", 2, "installation", "installation", 0, d - dt(40), d - dt(3),
         "not_started", False, None, barrier_item, []),
        ("Build a coaching system for new effective innovations", 2, "installation", "installation", 1,
         d - dt(30), d + dt(60), "in_progress", True, None, coaching_item,
         [(d - dt(10), 20, "Draft coaching service delivery plan shared with the DIT.")]),
        ("Review every district initiative with the Hexagon tool", 2, "evaluation", "exploration", 3,
         d - dt(100), d - dt(40), "done", True, None, None,
         [(d - dt(45), 100, "Ten initiatives rated; decisions recorded in the inventory.")]),
        ("Readminister the District Capacity Assessment in spring", 2, "evaluation", "full", 0, d + dt(120),
         d + dt(150), "not_started", True, None, None, []),
    ]  # fmt: skip
    progress: list[tuple[dict, dict]] = []
    for (
        title,
        goal_index,
        kind,
        stage,
        owner,
        start,
        due,
        status,
        on_track,
        practice,
        item,
        updates,
    ) in activities:
        activity, _ = PlanActivity.objects.get_or_create(
            district=district,
            title=title,
            defaults={
                "goal": goals[goal_index],
                "activity_type": kind,
                "stage": stage,
                "owner": owners[owner % len(owners)],
                "start_date": start,
                "due_date": due,
                "evaluate_date": due + timedelta(days=30),
                "status": status,
                "on_track": on_track,
                "practice": practices.get(practice) if practice else None,
                "innovation": practice or "",
                "capacity_item": item,
                "success_criteria": "Evidence reviewed at the DIT meeting after the due date.",
                "created_by": ctx.coordinator,
            },
        )
        progress += [
            (
                {"activity": activity, "note": note},
                {"recorded_on": recorded_on, "percent_complete": percent, "author": activity.owner},
            )
            for recorded_on, percent, note in updates
        ]
    get_or_create_all(ProgressUpdate, progress)

    initiatives: list[tuple[dict, dict]] = []
    for i, (name, purpose, outcome, group, staff, goal_at, budget, hexagon, decision, rationale) in enumerate(
        INITIATIVES
    ):
        ratings = dict(zip(Initiative.HEXAGON, hexagon, strict=True))
        initiatives.append(
            (
                {"district": district, "name": name},
                {
                    "purpose": purpose,
                    "outcome_measure": outcome,
                    "target_group": group,
                    "staff_involved": staff,
                    "goal": goals[goal_at] if goal_at is not None else None,
                    "budget_source": budget,
                    **ratings,
                    "decision": decision,
                    "decided_on": today - timedelta(days=45 + i) if decision else None,
                    "rationale": rationale,
                },
            )
        )
    get_or_create_all(Initiative, initiatives)

    schools: list[School | None] = [*ctx.schools] or [None]
    barriers = [
        ("Substitute shortages cancel coaching release time at the elementary schools.", "district", None,
         "Human Resources", "escalated", "Coaching cycles stop without release time; only the cabinet can "
         "approve a roaming substitute pool.", ""),
        ("Two elementary schools have no trained Reading Mastery teacher.", "school", 1, "Curriculum office",
         "open", "", ""),
        ("Middle school schedules leave no time for CICO check-out.", "school", 7, "Middle school principals",
         "open", "", ""),
        ("Screening data arrive three weeks after the window closes.", "district", None, "Technology",
         "resolved", "Vendor export delays block data reviews.",
         "Approved a direct nightly export from the assessment platform."),
    ]  # fmt: skip
    for n, (description, level, school, routed, status, reason, decision) in enumerate(barriers):
        escalated = bool(reason)
        Barrier.objects.get_or_create(
            district=district,
            description=description,
            defaults={
                "raised_on": today - timedelta(days=40 - 8 * n),
                "raised_by": ctx.member if n % 2 else ctx.coordinator,
                "level": level,
                "school": schools[school % len(schools)] if school is not None else None,
                "routed_to": routed,
                "status": status,
                "escalation_reason": reason,
                "escalated_on": today - timedelta(days=12) if escalated else None,
                "escalated_by": ctx.coordinator if escalated else None,
                "decision": decision,
                "decided_on": today - timedelta(days=5) if decision else None,
                "decided_by": ctx.leader if decision else None,
                "resolution": decision,
                "resolved_on": today - timedelta(days=5) if decision else None,
            },
        )

    protocols = [
        ("School leadership teams", ctx.coordinator, "DIT decisions and plan progress", "Monthly memo",
         "Within a week of each DIT meeting"),
        ("Executive cabinet", ctx.leader, "Escalated barriers and decisions", "Standing agenda item",
         "Every cabinet meeting"),
        ("Board of Education", ctx.superintendent, "District Capacity Assessment results", "Board presentation",
         "Fall and spring"),
    ]  # fmt: skip
    for group, designee, info, fmt, timeframe in protocols:
        CommunicationProtocol.objects.get_or_create(
            district=district,
            group=group,
            defaults={
                "designee": designee,
                "information_shared": info,
                "format": fmt,
                "timeframe": timeframe,
            },
        )
