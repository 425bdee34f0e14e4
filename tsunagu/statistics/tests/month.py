"""A small, hand-counted March and April 2026 (the fiscal-year boundary) for the
statistics tests. Every figure the tests assert is counted by hand in the comments.

    case  opened      plans (agreed_on, employment_support)     other records
    A     2026-03-31  v1 03-31 yes · v2 04-10 yes (re-plan)      placement 04-12, work rise 04-12,
                                                                 evaluations v1 04-08 (same) v2 04-09 (better),
                                                                 housing decision 01-10 with extensions
                                                                 03-31 and 04-03; closed 04-30
    B     2026-04-01  v1 not agreed · v2 04-20 no · v3 05-02 yes  placement 04-25, evaluation 04-30 (same)
    C     2026-04-15  v1 04-05 yes                              work rise 04-28, other rise 04-29,
                                                                 housing decision 04-02
    D     2026-04-30  —                                          placement 04-30 (regular),
                                                                 placement 04-30 (非雇用型 training: not work),
                                                                 handed off 04-30 23:30 JST
    E     2026-02-10  —                                          handed off 03-31 23:59 JST, again
                                                                 05-01 00:10 JST; closed 05-01
    F     2026-02-10  —                                          info only 04-01 00:00 JST
    X     (the other town, same dates as C): counts nowhere here.

April 2026: new 3 (B C D) · plans 2 (B v2, C v1; A's v2 is a re-plan) · targets 1 (C) ·
employed targets 1 (A) · employed others 2 (B, D) · work rises targets 2 (A, C) · others 0 ·
not-work rises 1 (C) · rate: targets who got work or more income from work {A, C} / 1 =
200.0% · evaluated 2 (A, B), improved 1 (A: its last April version) → 50.0% ·
housing new 1 (C) · extended 1 (A 04-03) · handed off 1 (D) · info only 1 (F) · closed 1 (A).
March 2026: new 1 (A) · plans 1 · targets 1 · extended 1 · handed off 1 (E) · the rest 0.
"""

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tsunagu.cases.models import CaseState, TimelineEntry, TimelineKind
from tsunagu.conftest import make_case, make_person
from tsunagu.employment.models import EmploymentType, IncomeRise, IncomeSource, Placement
from tsunagu.sheets.models import DecisionExtension, EvaluationSheet, PlanSheet, Programme, SupportDecision
from tsunagu.tests.records import write_plan

JST = timezone.get_default_timezone()


def day(month: int, number: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, number)


def plan(case: Any, by: Any, agreed_on: dt.date | None, employment: bool) -> PlanSheet:
    return write_plan(case, by, agreed=agreed_on is not None, agreed_on=agreed_on, employment_support=employment)


def evaluation(case: Any, by: Any, plan: PlanSheet, on: dt.date, improved: bool) -> EvaluationSheet:
    latest = EvaluationSheet.objects.filter(case=case).order_by("-version").first()
    scores = {
        f"{name}_{when}": 3
        for name in ("motivation", "relationships", "participation", "finances", "employment")
        for when in ("before", "after")
    }
    if improved:
        scores["motivation_after"] = 4
    return EvaluationSheet.objects.create(
        case=case,
        version=(latest.version if latest else 0) + 1,
        recorded_by=by,
        plan=plan,
        evaluated_on=on,
        outcome="replan",
        reason="評価",
        **scores,
    )


def moved(case: Any, state: str, at: dt.datetime) -> None:
    TimelineEntry.objects.create(case=case, at=at, kind=TimelineKind.STATE, to_state=state)


def build(w: SimpleNamespace) -> SimpleNamespace:
    by, officer = w.consultant, w.officer
    m = SimpleNamespace()
    people = {}
    for key, opened in {
        "a": day(3, 31),
        "b": day(4, 1),
        "c": day(4, 15),
        "d": day(4, 30),
        "e": day(2, 10),
        "f": day(2, 10),
    }.items():
        people[key] = make_person(w.town, "統計", key.upper(), "トウケイ", "エー")
        setattr(m, key, make_case(people[key], w.centre, by, state=CaseState.IN_SUPPORT, opened_on=opened))
    x_person = make_person(w.other_town, "統計", "X", "トウケイ", "エックス")
    m.x = make_case(x_person, w.other_centre, w.outsider, state=CaseState.IN_SUPPORT, opened_on=day(4, 15))

    a1 = plan(m.a, by, day(3, 31), True)
    plan(m.a, by, day(4, 10), True)
    plan(m.b, by, None, False)
    b2 = plan(m.b, by, day(4, 20), False)
    plan(m.b, by, day(5, 2), True)
    plan(m.c, by, day(4, 5), True)
    plan(m.x, w.outsider, day(4, 5), True)

    for case, employer, started_on, employment_type, recorded_by in [
        (m.a, "雄勝野建設", day(4, 12), EmploymentType.PART_TIME, by),
        (m.b, "雄勝野食品", day(4, 25), EmploymentType.NON_REGULAR, by),
        (m.d, "雄勝野運送", day(4, 30), EmploymentType.REGULAR, by),
        (m.d, "雄勝野農園", day(4, 30), EmploymentType.TRAINING_NON_EMPLOYED, by),
        (m.x, "となり村商店", day(4, 12), EmploymentType.REGULAR, w.outsider),
    ]:
        Placement.objects.create(
            case=case,
            employer_name=employer,
            started_on=started_on,
            employment_type=employment_type,
            recorded_by=recorded_by,
        )
    rise = {"income_before": 50_000, "income_after": 90_000, "recorded_by": by}
    IncomeRise.objects.create(case=m.a, risen_on=day(4, 12), source=IncomeSource.WORK, **rise)
    IncomeRise.objects.create(case=m.c, risen_on=day(4, 28), source=IncomeSource.WORK, **rise)
    IncomeRise.objects.create(case=m.c, risen_on=day(4, 29), source=IncomeSource.OTHER, **rise)

    evaluation(m.a, by, a1, day(4, 8), improved=False)
    evaluation(m.a, by, a1, day(4, 9), improved=True)
    evaluation(m.b, by, b2, day(4, 30), improved=False)

    housing = {"programme": Programme.HOUSING_BENEFIT, "decided_by": officer}
    a_decision = SupportDecision.objects.create(
        case=m.a, decided_on=day(1, 10), starts_on=day(1, 10), ends_on=day(4, 9), **housing
    )
    for decided, ends in ((day(3, 31), day(7, 9)), (day(4, 3), day(10, 9))):
        DecisionExtension.objects.create(
            decision=a_decision, requested_on=decided, decided_on=decided, new_ends_on=ends, decided_by=officer
        )
    SupportDecision.objects.create(case=m.c, decided_on=day(4, 2), starts_on=day(4, 2), ends_on=day(7, 1), **housing)
    SupportDecision.objects.create(
        case=m.x,
        decided_on=day(4, 2),
        starts_on=day(4, 2),
        ends_on=day(7, 1),
        programme=Programme.HOUSING_BENEFIT,
        decided_by=w.outsider,
    )

    moved(m.d, CaseState.HANDED_OFF, dt.datetime(2026, 4, 30, 23, 30, tzinfo=JST))
    moved(m.e, CaseState.HANDED_OFF, dt.datetime(2026, 3, 31, 23, 59, tzinfo=JST))
    moved(m.e, CaseState.HANDED_OFF, dt.datetime(2026, 5, 1, 0, 10, tzinfo=JST))
    moved(m.f, CaseState.CLOSED_INFO_ONLY, dt.datetime(2026, 4, 1, 0, 0, tzinfo=JST))
    m.a.closed_on = day(4, 30)
    m.a.save(update_fields=["closed_on"])
    m.e.closed_on = day(5, 1)
    m.e.save(update_fields=["closed_on"])
    return m


APRIL = {
    "new_consultations": 3,
    "plans": 2,
    "employment_targets": 1,
    "employed_targets": 1,
    "employed_others": 2,
    "income_targets": 2,
    "income_others": 0,
    "income_not_work": 1,
    "employment_rate": 200.0,
    "evaluated": 2,
    "improved": 1,
    "improvement_share": 50.0,
    "housing_benefit_new": 1,
    "housing_benefit_extended": 1,
    "handed_off": 1,
    "info_only": 1,
    "closures": 1,
}
MARCH = {
    **dict.fromkeys(APRIL, 0),
    "new_consultations": 1,
    "plans": 1,
    "employment_targets": 1,
    "employment_rate": 0.0,
    "improvement_share": None,
    "housing_benefit_extended": 1,
    "handed_off": 1,
}
