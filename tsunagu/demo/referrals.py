"""Referrals (つなぎ) in the demo town, after the loader has written the cases.

`load_referrals(municipality)` does two things:

- it settles the referrals the screening outcome 他機関へつなぎ made while the loader
  moved cases (cases.transitions.hand_off): their dates become those of the move, and a
  hand-off whose follow-up task the loader marked done shows the contact as confirmed;
- it sends a handful of referrals through tsunagu.referrals.flow, one in each status
  (waiting, overdue, accepted, contacted and completed, declined, withdrawn, and one for
  a person under whereabouts confidentiality), then moves their dates back to when each
  step happened. The audit entries keep the time of the load, as the audit trail must.

A referral on consent needs the person's consent: where none in force covers it yet,
the consent given on the person's 相談受付・申込票 is recorded from that sheet.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, Municipality, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, CaseState, Task, TimelineEntry, TimelineKind
from tsunagu.consents.models import (
    APPLICATION_CATEGORIES,
    Category,
    Consent,
    Disclosure,
    Method,
    Purpose,
    categories_for,
)
from tsunagu.demo.loader import SEED, Clock
from tsunagu.lib.wareki import age_on
from tsunagu.referrals import flow
from tsunagu.referrals.models import Referral, ReferralStatus
from tsunagu.sheets.models import IntakeSheet

S = CaseState
R = ReferralStatus
WORKING_STATES = (S.ASSESSMENT, S.PLAN_DRAFT, S.COORDINATION, S.DECIDED, S.IN_SUPPORT, S.EVALUATION)


@dataclass(frozen=True)
class Step:
    """One answer or change, `days` working days after the previous one."""

    kind: str  # accept, contact, outcome, decline, withdraw
    days: int
    text: str = ""


@dataclass(frozen=True)
class DemoReferral:
    agency_kind: str
    states: tuple[str, ...]
    categories: tuple[str, ...]
    request: str
    sent_days_ago: int
    steps: tuple[Step, ...] = ()
    ages: tuple[int, int] = (0, 200)
    confidential: bool = False
    answer_days: int | None = None  # None: settings.TSUNAGU["REFERRAL_ANSWER_DAYS"]
    notes: dict[str, str] = field(default_factory=dict)


BASIC, PLAN, PROGRESS = Category.BASIC, Category.PLAN, Category.PROGRESS

REFERRALS: tuple[DemoReferral, ...] = (
    DemoReferral(
        AgencyKind.COMMUNITY_CARE_CENTRE,
        (S.IN_SUPPORT, S.EVALUATION),
        (BASIC, PLAN),
        "一人暮らしで、膝の痛みから買い物や通院が負担になってきています。介護保険の申請と、"
        "生活の見守りについてご相談をお願いします。本人は午前中なら在宅しています。",
        45,
        (
            Step("accept", 2),
            Step("contact", 4),
            Step(
                "outcome",
                12,
                "要介護認定を申請し、要支援1の認定が出ました。週1回の訪問型サービスと配食サービスの利用を"
                "始めています。地区の民生委員にも見守りをお願いしました。",
            ),
        ),
        ages=(60, 200),
    ),
    DemoReferral(
        AgencyKind.COMMUNITY_CARE_CENTRE,
        WORKING_STATES,
        (BASIC, PLAN),
        "同居の母（80代）の物忘れが進み、本人が仕事を続けながら介護するのが難しくなっています。"
        "母の介護サービスの利用についてご相談をお願いします。",
        8,
        (Step("accept", 2),),
        ages=(40, 64),
    ),
    DemoReferral(
        AgencyKind.COMMUNITY_CARE_CENTRE,
        WORKING_STATES,
        (BASIC,),
        "地域とのつながりがほとんどなく、日中はひとりで過ごしています。見守りと、地区のサロンなど"
        "集いの場の紹介をお願いします。本人の了解を得ています。",
        2,
        ages=(60, 200),
    ),
    DemoReferral(
        AgencyKind.COMMUNITY_CARE_CENTRE,
        WORKING_STATES,
        (BASIC,),
        "日中の居場所がなく、家にこもりがちです。地域の集いの場を紹介していただけないでしょうか。",
        7,
        (
            Step(
                "decline",
                2,
                "ご本人は65歳未満で、当センターの対象（高齢の方とそのご家族）ではありません。"
                "居場所はNPO法人ひだまりの家が合っていると思います。",
            ),
        ),
        ages=(0, 59),
    ),
    DemoReferral(
        AgencyKind.HOUSING_SUPPORT_CORPORATION,
        WORKING_STATES,
        (BASIC, PLAN),
        "家賃の安い物件への転居を希望しています。住居確保給付金の支給期間中に転居先を決めたいので、"
        "物件探しと保証人がいない場合の相談をお願いします。",
        12,
    ),
    DemoReferral(
        AgencyKind.HELLO_WORK,
        WORKING_STATES,
        (BASIC, PLAN),
        "就労準備が整ってきました。職業相談と、短時間から始められる求人の紹介をお願いします。",
        10,
        (Step("withdraw", 4, "本人が自分でハローワークに登録し、職業相談を受け始めたため取り下げます。"),),
    ),
    DemoReferral(
        AgencyKind.HOUSING_SUPPORT_CORPORATION,
        WORKING_STATES,
        (BASIC,),
        "DVから避難している方です。所在秘匿の対象のため、住所と連絡先はお伝えしていません。"
        "転居先の相談をお願いします。本人への連絡は、担当者を通してください。",
        3,
        confidential=True,
    ),
)


def load_referrals(municipality: Municipality) -> dict[str, int]:
    """Settle the hand-off referrals and send the demo referrals of one municipality."""
    centre = Agency.objects.filter(municipality=municipality, kind=AgencyKind.CONSULTATION_CENTRE).first()
    if centre is None:
        return {"handoffs": 0, "referrals": 0}
    clock = Clock.start()
    rng = random.Random(SEED + 1)
    with transaction.atomic():
        handoffs = settle_handoffs(centre)
        used = set(Referral.objects.filter(case__agency=centre).values_list("case_id", flat=True))
        made = 0
        for spec in REFERRALS:
            agency = Agency.objects.filter(municipality=municipality, kind=spec.agency_kind).first()
            case = _pick_case(centre, agency, spec, used, clock) if agency else None
            if agency is None or case is None or case.worker is None:
                continue
            used.add(case.pk)
            _send(case, case.worker, agency, spec, clock, rng)
            made += 1
    return {"handoffs": handoffs, "referrals": made}


# -- the hand-offs the loader made ------------------------------------------------


def settle_handoffs(centre: Agency) -> int:
    referrals = Referral.objects.filter(case__agency=centre, from_handoff=True, status=R.SENT).select_related(
        "case", "case__worker", "task"
    )
    count = 0
    for referral in referrals:
        moved = (
            TimelineEntry.objects.filter(case=referral.case, kind=TimelineKind.STATE, to_state=S.HANDED_OFF)
            .order_by("-at")
            .first()
        )
        task = referral.task
        if moved is None or task is None:
            continue
        sent = moved.at
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent, answer_by=task.due_on)
        TimelineEntry.objects.filter(case=referral.case, kind=TimelineKind.REFERRAL).update(at=sent)
        Disclosure.objects.filter(source_code=referral.code).update(at=sent)
        if task.done_at is not None:
            # The loader ticked the follow-up: the worker heard from the agency that the person came.
            checker = task.done_by or referral.case.worker or referral.referred_by
            Referral.objects.filter(pk=referral.pk).update(
                status=R.CONTACTED,
                answered_at=task.done_at,
                contacted_on=timezone.localtime(task.done_at).date(),
                version=2,
            )
            detail = f"{referral.to_agency.name}が本人と接触したことを確認しました（紹介元が電話で確認）"
            TimelineEntry.objects.create(
                case=referral.case,
                at=task.done_at,
                kind=TimelineKind.REFERRAL,
                actor=checker,
                detail=detail,
                shared=False,
            )
            record(checker, Action.CHANGE, referral, changes={"status": [R.SENT, R.CONTACTED]}, detail=detail)
        count += 1
    return count


# -- the demo referrals -----------------------------------------------------------


def _pick_case(centre: Agency, agency: Agency, spec: DemoReferral, used: set[int], clock: Clock) -> Case | None:
    """The first case (oldest first) in one of the states, of a person of the right age
    and confidentiality, opened before the day of sending, whose application form's
    consent names the agency."""
    sent_on = clock.day(spec.sent_days_ago)
    cases = (
        Case.objects.filter(agency=centre, state__in=spec.states, opened_on__lt=sent_on, worker__isnull=False)
        .exclude(pk__in=used)
        .select_related("person", "agency", "worker")
        .order_by("opened_on", "id")
    )
    for case in cases:
        person = case.person
        if person.birth_date is None or not spec.ages[0] <= age_on(person.birth_date, clock.today) <= spec.ages[1]:
            continue
        if person.whereabouts_confidential != spec.confidential:
            continue
        sheet = IntakeSheet.objects.filter(case=case).order_by("-version").first()
        if sheet is None or not sheet.consent_agencies.filter(pk=agency.pk).exists():
            continue
        return case
    return None


def _consent_from_sheet(case: Case, agency: Agency, categories: tuple[str, ...], on: dt.date) -> None:
    """Record the consent of the application form, unless one in force already covers."""
    if set(categories) <= categories_for(case.person, agency, Purpose.REFERRAL):
        return
    sheet = IntakeSheet.objects.filter(case=case).order_by("-version").first()
    if sheet is None:
        return
    consent = Consent.objects.create(
        person=case.person,
        case=case,
        agency_kinds=[],
        purposes=list(sheet.consent_purposes) or [Purpose.TEAM, Purpose.REFERRAL, Purpose.COORDINATION],
        categories=list(APPLICATION_CATEGORIES),
        method=sheet.consent_method or Method.SIGNATURE,
        given_on=min(sheet.applied_on or sheet.received_on, on),
        note="相談受付・申込票の同意欄から記録",
        on_application=True,
        recorded_by=sheet.recorded_by,
        recorded_at=sheet.recorded_at,
    )
    consent.agencies.set(sheet.consent_agencies.all())
    sheet.consents.add(consent)
    record(sheet.recorded_by, Action.CREATE, consent, person_code=case.person.code, case_code=case.code)


def _send(case: Case, referrer: Staff, agency: Agency, spec: DemoReferral, clock: Clock, rng: random.Random) -> None:
    receiver = Staff.objects.filter(agency=agency, is_active=True).exclude(role=Role.ADMIN).order_by("id").first()
    sent = clock.at(clock.day(spec.sent_days_ago), rng)
    _consent_from_sheet(case, agency, spec.categories, sent.date())
    first_entry = _last_timeline_id()
    referral = flow.send(case, referrer, agency, list(spec.categories), spec.request)
    # Sent on its day, so that the answers that follow are checked against it.
    Referral.objects.filter(pk=referral.pk).update(sent_at=sent)
    referral.sent_at = sent
    moments: list[tuple[int, dt.datetime]] = [(_last_timeline_id(), sent)]
    when = sent
    dates: dict[str, Any] = {"sent_at": sent}
    task_done: dt.datetime | None = None
    for step in spec.steps:
        when = _later(clock, when, step.days, rng)
        if step.kind == "withdraw":
            flow.withdraw(referral, referrer, step.text)
            dates["withdrawn_at"] = when
            task_done = task_done or when
        elif receiver is None:
            break
        elif step.kind == "accept":
            flow.accept(referral, receiver)
            dates["answered_at"] = when
            task_done = when
        elif step.kind == "decline":
            flow.decline(referral, receiver, step.text)
            dates["answered_at"] = when
            task_done = when
        elif step.kind == "contact":
            flow.confirm_contact(referral, receiver, when.date())
            dates["contacted_on"] = when.date()
        elif step.kind == "outcome":
            flow.record_outcome(referral, receiver, step.text)
            dates["outcome_at"] = when
        moments.append((_last_timeline_id(), when))
    answer_by = sent.date() + dt.timedelta(days=spec.answer_days or settings.TSUNAGU["REFERRAL_ANSWER_DAYS"])
    Referral.objects.filter(pk=referral.pk).update(answer_by=answer_by, **dates)
    Task.objects.filter(pk=referral.task_id or 0).update(
        created_at=sent, due_on=answer_by, **({"done_at": task_done} if task_done else {})
    )
    Disclosure.objects.filter(source_code=referral.code).update(at=sent)
    # Each step's timeline entries (the referral's and a closed task's) move to its moment.
    previous = first_entry
    for last, moment in moments:
        TimelineEntry.objects.filter(case=case, id__gt=previous, id__lte=last).update(at=moment)
        previous = last


def _later(clock: Clock, after: dt.datetime, days: int, rng: random.Random) -> dt.datetime:
    """A moment in office hours `days` working days after `after`, never in the future."""
    day = after.date()
    for _ in range(days):
        day = clock.next_workday(day + dt.timedelta(days=1))
    moment = max(clock.at(day, rng), after + dt.timedelta(hours=1))
    return min(moment, clock.now - dt.timedelta(minutes=30))


def _last_timeline_id() -> int:
    return TimelineEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
