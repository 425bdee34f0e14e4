"""The demo's year of statistics (issue 11): what the national figures need beyond the
cases the loader has taken through the process over the past year.

The cases already span about a year (tsunagu/demo/caseload.py: opened up to 340 days
ago), so new consultations, plans, evaluations, decisions, hand-offs and info-only
endings fall in most of the last 12 months. This adds the two things the figures read
that the caseload does not write: a plan's 就労支援の対象 (every plan of a case whose
主訴 includes 仕事探し・就職, whose team has the 就労支援員, or who has a job-seeker
profile from the employment demo), and, for those of them the employment demo placed
nowhere, a placement and a rise of income from work for some after their plan was
agreed, so that the year's trend has them. Run after the consents, before today's.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tsunagu.accounts.models import Municipality, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, CaseConcern, CaseState, CaseTeamMember, Concern
from tsunagu.employment.models import EmploymentType, IncomeRise, IncomeSource, JobSeekerProfile, Placement
from tsunagu.sheets.models import PlanSheet

EMPLOYERS = ("雄勝野食品工業", "こまち運輸", "道の駅おがちの", "雄勝野介護サービス", "ゆざわ精密")
# (days after the plan's agreement, type, hours a week, monthly wage) for every second target.
JOBS = (
    (40, EmploymentType.PART_TIME, 20, 85_000),
    (75, EmploymentType.NON_REGULAR, 30, 140_000),
    (55, EmploymentType.TRAINING_EMPLOYED, 24, 90_000),
    (95, EmploymentType.REGULAR, 40, 185_000),
)
# Cases already at work, or past it, when a placement is written.
LATER_STATES = (
    CaseState.IN_SUPPORT,
    CaseState.EVALUATION,
    CaseState.CLOSED,
    CaseState.FOLLOW_UP,
    CaseState.ENDED,
    CaseState.PLAN_DRAFT,
)


def employment_targets(municipality: Municipality) -> "list[int]":
    """Cases whose plan sets work as a goal: job search among the 主訴, the 就労支援員
    on the team, or a job-seeker profile."""
    job_search = CaseConcern.objects.filter(case=OuterRef("pk"), concern=Concern.JOB_SEARCH)
    supporter = CaseTeamMember.objects.filter(case=OuterRef("pk"), staff__role=Role.EMPLOYMENT_SUPPORTER)
    profile = JobSeekerProfile.objects.filter(case=OuterRef("pk"))
    cases = Case.objects.filter(agency__municipality=municipality).filter(
        Exists(job_search) | Exists(supporter) | Exists(profile)
    )
    return list(cases.values_list("pk", flat=True))


def load_statistics(municipality: Municipality, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with transaction.atomic():
        targets = employment_targets(municipality)
        marked = PlanSheet.objects.filter(case_id__in=targets).update(employment_support=True)
        placed = set(Placement.objects.filter(case_id__in=targets).values_list("case_id", flat=True))
        placements, rises = _placements(municipality, [t for t in targets if t not in placed], today)
    return {"employment_plans": marked, "placements": placements, "income_rises": rises}


def _placements(municipality: Municipality, targets: list[int], today: dt.date) -> tuple[int, int]:
    first_agreed = (
        PlanSheet.objects.filter(case_id__in=targets, agreed_on__isnull=False, case__state__in=LATER_STATES)
        .select_related("case", "case__person")
        .order_by("case_id", "agreed_on", "version")
    )
    seen: set[int] = set()
    placements = rises = 0
    by = Staff.objects.filter(agency__municipality=municipality, role=Role.EMPLOYMENT_SUPPORTER).first()
    for plan in first_agreed:
        if plan.case_id in seen or plan.agreed_on is None:
            continue
        seen.add(plan.case_id)
        if len(seen) % 2 == 0:  # every second target has found work so far
            continue
        after, kind, hours, wage = JOBS[len(seen) // 2 % len(JOBS)]
        started = plan.agreed_on + dt.timedelta(days=after)
        if started >= today:
            continue
        writer = by or plan.recorded_by
        placement = Placement.objects.create(
            case=plan.case,
            employer_name=EMPLOYERS[len(seen) % len(EMPLOYERS)],
            job="軽作業" if kind != EmploymentType.REGULAR else "配送",
            started_on=started,
            employment_type=kind,
            hours_per_week=hours,
            monthly_wage=wage,
            recorded_by=writer,
        )
        record(writer, Action.CREATE, placement, case_code=plan.case.code, person_code=plan.case.person.code)
        placements += 1
        risen = started + dt.timedelta(days=31)
        if risen < today:
            rise = IncomeRise.objects.create(
                case=plan.case,
                risen_on=risen,
                income_before=max(0, wage - 60_000),
                income_after=wage,
                source=IncomeSource.WORK,
                placement=placement,
                recorded_by=writer,
            )
            record(writer, Action.CREATE, rise, case_code=plan.case.code, person_code=plan.case.person.code)
            rises += 1
    return placements, rises
