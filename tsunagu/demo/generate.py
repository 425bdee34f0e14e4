"""A town of any size for measuring (issue 12): `manage.py generate_town --cases N --seed S`.

On top of the demo town (雄勝野市, loaded first), N synthetic cases of the demo centre,
each with the demo's proportions: about 20 progress notes of 50–400 characters of
Japanese, the intake sheet, assessments (some in two versions) and plans, tasks, the
timeline, a consent with its disclosures, referrals, agenda items of 支援調整会議,
supporter reports of its district, team members, a few whereabouts orders, and the
audit events all of this writes (hash-chained, as `audit.record` chains them).

Cases spread over synthetic consultants as a real centre's do (each holds 30–150 open
cases), the demo `consultant` included, plus one worker (`extreme_worker`) holding an
extreme caseload. The same seed gives the same town.

Rows are written in chunks of cases, so memory stays flat whatever N: on PostgreSQL by
COPY (psycopg's `cursor.copy()`), elsewhere by bulk_create; the sequences are reset, the
open-case counts rebuilt and the tables analysed at the end. Bulk rows send no signals:
the full-text entries of each chunk's records are written after it (`search.index.
index_new`), with PostgreSQL's gram index set aside and built once at the end.
"""

import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, District, Role, Staff
from tsunagu.audit.models import GENESIS_HASH, Action, AuditEvent
from tsunagu.cases.models import (
    ACTIVE_STATES,
    Case,
    CaseConcern,
    CaseState,
    CaseTeamMember,
    Concern,
    IntakeRoute,
    NoteMethod,
    ProgressNote,
    Task,
    TeamRole,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.community.models import ReportStatus, Sign, Supporter, SupporterReport, Urgency
from tsunagu.consents.models import (
    APPLICATION_CATEGORIES,
    Category,
    Channel,
    Consent,
    Disclosure,
    LegalBasis,
    Method,
    Purpose,
)
from tsunagu.demo.names import FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN, generation
from tsunagu.lib.bulk import copy_rows
from tsunagu.meetings.models import AgendaItem, Attendee, Decision, Meeting, MeetingKind, MeetingStatus
from tsunagu.meetings.models import Purpose as ItemPurpose
from tsunagu.people.models import ConfidentialitySource, Person, Sex, WhereaboutsConfidentiality
from tsunagu.referrals.models import Referral, ReferralStatus
from tsunagu.search import index as search_index
from tsunagu.sheets.models import AssessmentSheet, IntakeSheet, Issue, PlanSheet

M = TypeVar("M", bound=models.Model)
CHUNK = 1000  # cases written together
NOTES_PER_CASE = (10, 30)  # uniform: about 20 a case
CASELOAD = (30, 150)  # open cases a worker holds
EXTREME_SHARE = 0.03  # the extreme worker's share of the open cases (at least 300)
ITEMS_PER_MEETING = 8

# Where cases are now: 60% open, the rest ended one way or another.
STATES: list[tuple[str, int]] = [
    (CaseState.IDENTIFIED, 2),
    (CaseState.INTAKE, 5),
    (CaseState.SCREENING, 4),
    (CaseState.ASSESSMENT, 6),
    (CaseState.PLAN_DRAFT, 5),
    (CaseState.COORDINATION, 3),
    (CaseState.DECIDED, 3),
    (CaseState.IN_SUPPORT, 22),
    (CaseState.EVALUATION, 4),
    (CaseState.SUSPENDED, 3),
    (CaseState.FOLLOW_UP, 3),
    (CaseState.CLOSED_INFO_ONLY, 14),
    (CaseState.HANDED_OFF, 4),
    (CaseState.CLOSED, 12),
    (CaseState.ENDED, 10),
]
PATH: list[str] = [
    CaseState.IDENTIFIED,
    CaseState.INTAKE,
    CaseState.SCREENING,
    CaseState.APPLIED,
    CaseState.ASSESSMENT,
    CaseState.PLAN_DRAFT,
    CaseState.COORDINATION,
    CaseState.DECIDED,
    CaseState.IN_SUPPORT,
    CaseState.EVALUATION,
    CaseState.CLOSED,
    CaseState.FOLLOW_UP,
    CaseState.ENDED,
]

# Sentences a worker writes in 支援経過記録; notes are drawn from them to 50–400 characters.
OPENINGS = [
    "本人より電話あり。",
    "本人が来所。",
    "自宅を訪問。",
    "ハローワークに同行。",
    "地域包括支援センターの担当者と電話で情報共有。",
    "民生委員から連絡あり。",
    "本人の姉から電話。",
    "家計相談の面談を実施。",
    "市役所の窓口に同行し、手続きを支援。",
    "支援調整会議の結果を本人に伝えた。",
]
BODIES = [
    "家賃を二か月滞納しており、大家から退去を求められていると話す。",
    "先月から体調がすぐれず、通院できていないとのこと。",
    "電気料金の督促状が届いている。支払いの見通しが立たず不安が強い。",
    "求人票を一緒に確認し、週三日の清掃の仕事に応募することにした。",
    "食料が残りわずかのため、フードバンクの食料を手渡した。",
    "母親の介護で日中は外出できず、就職活動が進まないと話す。",
    "借入先が四社あり、返済額の合計は月六万円ほど。法テラスの相談を提案した。",
    "面接の練習を行った。受け答えは丁寧で、表情も以前より明るい。",
    "住居確保給付金の申請書類をそろえた。収入の分かる書類が一部不足している。",
    "息子が部屋から出てこない状態が三年続いていると母親が話す。",
    "通帳を確認しながら一か月の収支を書き出した。食費と通信費の見直しが必要。",
    "近所づきあいはほとんどなく、話し相手がいないと話す。",
    "障害者手帳の申請について主治医に相談するよう勧めた。",
    "就労準備支援事業の見学に同行した。作業の様子に関心を示していた。",
    "雪下ろしができず、屋根の雪が心配とのこと。社協のボランティアを紹介した。",
    "国民健康保険料の減免について市の担当課に確認した。",
    "携帯電話が止まっており、連絡は自宅の固定電話にしてほしいとのこと。",
    "アルバイト先での人間関係に悩んでおり、続けるか迷っていると話す。",
]
RESPONSES = [
    "次回は来週火曜日の午前に来所の予定。",
    "本人の了解を得て、地域包括支援センターに情報提供することとした。",
    "家計表を次回までに本人が記入してくることになった。",
    "大家への連絡は本人の同意を得てから行う。",
    "急ぎの対応は不要と判断。二週間後に電話で様子を確認する。",
    "支援調整会議でプランの見直しを諮ることとした。",
]
TASK_TITLES = [
    "家計表の確認",
    "ハローワークへの同行日程を決める",
    "住居確保給付金の書類を受け取る",
    "主治医への相談結果を確認する",
    "大家さんに連絡する",
    "モニタリングの面談",
]
PROTECTS = "元配偶者"


def note_text(rnd: random.Random) -> str:
    """50–400 characters: an opening, sentences, sometimes a response."""
    target = rnd.randint(50, 400)
    parts = [rnd.choice(OPENINGS)]
    while sum(len(p) for p in parts) < target:
        parts.append(rnd.choice(BODIES))
    text = "".join(parts)
    return text[:400] if len(text) > 400 else text


class Sink:
    """Rows of one model, written in bulk: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.rows: list[models.Model] = []
        self.written = 0
        last = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
        self.next_id = last + 1

    def add(self, obj: M) -> M:
        if obj.pk is None:
            obj.pk = self.next_id
            self.next_id += 1
        self.rows.append(obj)
        return obj

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            copy_rows(self.model, ((obj, ()) for obj in self.rows))
        else:
            self.model._default_manager.bulk_create(self.rows, batch_size=500)
        self.written += len(self.rows)
        self.rows = []


class Progress:
    """tqdm is not a dependency: a plain progress line on stderr, rewritten in place."""

    def __init__(self, total: int, out: Any = None) -> None:
        self.total, self.done, self.started = total, 0, time.perf_counter()
        self.out = out or sys.stderr

    def update(self, n: int) -> None:
        self.done += n
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0
        left = (self.total - self.done) / rate if rate else 0
        self.out.write(
            f"\r  {self.done:,}/{self.total:,} cases ({100 * self.done // max(1, self.total)}%) "
            f"{rate:,.0f}/s, about {left:,.0f} s left   "
        )
        self.out.flush()

    def close(self) -> None:
        self.out.write("\n")


@dataclass
class Town:
    rnd: random.Random
    now: dt.datetime
    today: dt.date
    centre: Agency
    partners: list[Agency]
    community_care: Agency
    partner_staff: list[Staff]
    chief: Staff
    workers: list[Staff]
    extreme: Staff
    districts: list[District]
    supporters: dict[int, list[Supporter]]
    sinks: dict[type[models.Model], Sink] = field(default_factory=dict)
    prev_hash: str = ""
    loads: dict[int, int] = field(default_factory=dict)
    # Codes from their own generator, seeded with where the ids start: the same town
    # again on top of itself gets new codes (they are unique) and the same content.
    codes: random.Random = field(default_factory=random.Random)


def generate(cases: int, seed: int, *, progress: bool = True, log: Callable[[str], None] = print) -> dict[str, int]:
    """Add `cases` synthetic cases to the demo town; returns the rows written per table."""
    rnd = random.Random(seed)
    town = _prepare(rnd, cases)
    ordered: list[type[models.Model]] = [
        Person,
        WhereaboutsConfidentiality,
        Case,
        CaseConcern,
        CaseTeamMember,
        ProgressNote,
        Task,
        TimelineEntry,
        IntakeSheet,
        AssessmentSheet,
        PlanSheet,
        Consent,
        Consent.agencies.through,
        Disclosure,
        Referral,
        Meeting,
        Attendee,
        AgendaItem,
        SupporterReport,
        AuditEvent,
    ]
    town.sinks = {model: Sink(model) for model in ordered}
    town.codes = random.Random(f"{seed}:{town.sinks[Case].next_id}")
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    town.prev_hash = last or GENESIS_HASH
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A scratch load: losing the last chunks in a crash is fine, waiting for each flush is not.
            cursor.execute("SET synchronous_commit TO off")
    bar = Progress(cases) if progress else None
    started = time.perf_counter()
    indexed = [source for source in search_index.SOURCES if source.model in town.sinks]
    documents = 0
    with search_index.gram_index_set_aside():
        for start in range(0, cases, CHUNK):
            size = min(CHUNK, cases - start)
            with transaction.atomic():
                before = {source: town.sinks[source.model].next_id - 1 for source in indexed}
                _chunk(town, size)
                for model in ordered:
                    town.sinks[model].flush()
                # The full-text entries of the chunk's records (bulk rows send no signals).
                documents += sum(search_index.index_new(source, since) for source, since in before.items())
            if bar:
                bar.update(size)
        if bar:
            bar.close()
        log(f"  rows written in {time.perf_counter() - started:.0f} s; building the gram index")
    log(f"  index built at {time.perf_counter() - started:.0f} s; resetting sequences, counting, analysing")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), ordered):
            cursor.execute(sql)
    from tsunagu.resources import summary
    from tsunagu.statistics import kept

    summary.rebuild()
    kept.rebuild()  # the national statistics' months (bulk rows send no signals)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        **{model._meta.label: sink.written for model, sink in town.sinks.items()},
        "search.SearchDocument": documents,
    }


def _prepare(rnd: random.Random, cases: int) -> Town:
    """The demo town's centre, agencies and districts, and the synthetic workers."""
    centre = Agency.objects.filter(kind=AgencyKind.CONSULTATION_CENTRE, staff__username="consultant").get()
    town = centre.municipality
    agencies = list(Agency.objects.filter(municipality=town).exclude(pk=centre.pk).order_by("id"))
    community_care = next(a for a in agencies if a.kind == AgencyKind.COMMUNITY_CARE_CENTRE)
    open_cases = round(cases * sum(w for s, w in STATES if s in ACTIVE_STATES) / sum(w for _, w in STATES))
    extreme_load = max(300, round(open_cases * EXTREME_SHARE)) if cases >= 1000 else 0
    per_worker = sum(CASELOAD) // 2
    count = max(1, (open_cases - extreme_load) // per_worker)
    existing = set(Staff.objects.filter(username__startswith="worker").values_list("username", flat=True))
    new = [
        Staff(
            username=f"worker{i:04d}",
            agency=centre,
            role=Role.CONSULTANT,
            display_name=f"相談員{i}",
            password="!",  # no password: these accounts are for measuring (force_login)
        )
        for i in range(1, count)
        if f"worker{i:04d}" not in existing
    ]
    Staff.objects.bulk_create(new)
    extreme, _ = Staff.objects.get_or_create(
        username="extreme_worker",
        defaults={"agency": centre, "role": Role.CONSULTANT, "display_name": "極端 担当者", "password": "!"},
    )
    workers = [Staff.objects.get(username="consultant"), *Staff.objects.filter(username__startswith="worker")]
    supporters: dict[int, list[Supporter]] = {}
    for supporter in Supporter.objects.filter(municipality=town, active=True).prefetch_related("neighbourhoods"):
        for place in supporter.neighbourhoods.all():
            supporters.setdefault(place.district_id, []).append(supporter)
    made = Town(
        rnd=rnd,
        now=timezone.now(),
        today=timezone.localdate(),
        centre=centre,
        partners=agencies,
        community_care=community_care,
        partner_staff=list(Staff.objects.filter(agency__in=agencies, role=Role.PARTNER).order_by("id")),
        chief=Staff.objects.get(username="chief"),
        workers=workers,
        extreme=extreme,
        districts=list(District.objects.filter(municipality=town).order_by("number", "id")),
        supporters=supporters,
    )
    # Each worker's caseload, drawn once: the extreme worker's first, then 30–150 each.
    made.loads = {w.pk: rnd.randint(*CASELOAD) for w in workers}
    made.loads[extreme.pk] = extreme_load
    return made


def _worker_for(town: Town, open_: bool) -> Staff:
    """Open cases go to a worker with room; ended ones to anyone."""
    if not open_:
        return town.rnd.choice(town.workers)
    if town.loads.get(town.extreme.pk, 0) > 0 and town.rnd.random() < EXTREME_SHARE * 1.5:
        town.loads[town.extreme.pk] -= 1
        return town.extreme
    for _ in range(5):
        worker = town.rnd.choice(town.workers)
        if town.loads[worker.pk] > 0:
            town.loads[worker.pk] -= 1
            return worker
    return town.rnd.choice(town.workers)


def _audit(town: Town, at: dt.datetime, actor: Staff | None, action: str, obj_type: str, **extra: Any) -> None:
    event = AuditEvent(
        at=at,
        actor_id=actor.pk if actor else None,
        actor_label=actor.display_name if actor else "",
        action=action,
        object_type=obj_type,
        object_code=str(extra.pop("object_code", "")),
        person_code=extra.pop("person_code", None),
        case_code=extra.pop("case_code", None),
        changes=extra.pop("changes", {}),
        detail=extra.pop("detail", ""),
        path=extra.pop("path", ""),
        prev_hash=town.prev_hash,
    )
    event.hash = event.compute_hash()
    town.prev_hash = event.hash
    town.sinks[AuditEvent].add(event)


def _uuid(town: "Town") -> uuid.UUID:
    return uuid.UUID(int=town.codes.getrandbits(128), version=4)


def _between(rnd: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    span = max(60.0, (end - start).total_seconds())
    return start + dt.timedelta(seconds=rnd.uniform(0, span))


def _chunk(town: Town, size: int) -> None:
    rnd = town.rnd
    states = [s for s, _ in STATES]
    weights = [w for _, w in STATES]
    coordination_items: list[tuple[Case, Person, dt.date]] = []
    for _ in range(size):
        _one_case(town, rnd.choices(states, weights)[0], coordination_items)
    _meetings(town, coordination_items)


def _person(town: Town) -> Person:
    rnd = town.rnd
    family = rnd.choices([n for n, _ in FAMILY_NAMES], [w for _, w in FAMILY_NAMES])[0]
    born = dt.date(rnd.randint(1940, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
    sex = rnd.choice([Sex.MALE, Sex.FEMALE])
    given = rnd.choice((MALE_GIVEN if sex == Sex.MALE else FEMALE_GIVEN)[generation(born.year)])
    district = rnd.choice(town.districts)
    person = Person(
        code=_uuid(town),
        municipality_id=town.centre.municipality_id,
        family_name=family.kanji,
        given_name=given.kanji,
        family_name_kana=family.kana,
        given_name_kana=given.kana,
        birth_date=born,
        sex=sex,
        district=district,
        postal_code=f"012-{rnd.randrange(10000):04d}",
        address=f"雄勝野市{district.name}{rnd.randint(1, 9)}丁目{rnd.randint(1, 30)}-{rnd.randint(1, 20)}",
        phone=f"090-{rnd.randrange(10000):04d}-{rnd.randrange(10000):04d}",
    )
    person.refresh_search_keys()
    return person


def _one_case(town: Town, state: str, coordination_items: list[tuple[Case, Person, dt.date]]) -> None:
    rnd, now, sinks = town.rnd, town.now, town.sinks
    person = sinks[Person].add(_person(town))
    open_ = state in ACTIVE_STATES
    worker = _worker_for(town, open_)
    days = rnd.randint(20, 700) if open_ else rnd.randint(60, 1800)
    opened_at = now - dt.timedelta(days=days, hours=rnd.randint(0, 8))
    closed_at = _between(rnd, opened_at + dt.timedelta(days=10), now) if not open_ else None
    reached = PATH.index(state) if state in PATH else PATH.index(CaseState.SCREENING)
    if state == CaseState.SUSPENDED:
        reached = PATH.index(CaseState.IN_SUPPORT)
    case = Case(
        code=_uuid(town),
        person_id=person.pk,
        agency_id=town.centre.pk,
        worker_id=worker.pk,
        state=state,
        suspended_from=CaseState.IN_SUPPORT if state == CaseState.SUSPENDED else "",
        intake_route=rnd.choice(IntakeRoute.values),
        opened_on=opened_at.date(),
        summary=rnd.choice(BODIES),
        closed_on=closed_at.date() if closed_at else None,
        state_changed_at=closed_at or _between(rnd, opened_at, now),
        created_at=opened_at,
        updated_at=closed_at or now,
    )
    sinks[Case].add(case)
    codes = {"person_code": person.code, "case_code": case.code}
    _audit(town, opened_at, worker, Action.CREATE, "people.person", object_code=person.code, **codes)
    _audit(town, opened_at, worker, Action.CREATE, "cases.case", object_code=case.code, **codes)
    sinks[TimelineEntry].add(TimelineEntry(case_id=case.pk, at=opened_at, kind=TimelineKind.OPENED, actor_id=worker.pk))
    concerns = rnd.sample(Concern.values, rnd.randint(1, 3))
    for i, concern in enumerate(concerns):
        sinks[CaseConcern].add(CaseConcern(case_id=case.pk, concern=concern, is_primary=i == 0))
    end = closed_at or now
    # The moves along the path, each in the timeline and the audit trail.
    for step in range(1, reached + 1):
        at = opened_at + (end - opened_at) * step / (reached + 2)
        sinks[TimelineEntry].add(
            TimelineEntry(
                case_id=case.pk,
                at=at,
                kind=TimelineKind.STATE,
                actor_id=worker.pk,
                from_state=PATH[step - 1],
                to_state=PATH[step],
            )
        )
        _audit(
            town, at, worker, Action.CHANGE, "cases.case", object_code=case.code, changes={"state": PATH[step]}, **codes
        )
    # Progress notes, their timeline entries and audit events, and the reads of the case.
    for _ in range(rnd.randint(*NOTES_PER_CASE)):
        at = _between(rnd, opened_at, end)
        note = ProgressNote(
            code=_uuid(town),
            case_id=case.pk,
            occurred_at=at,
            method=rnd.choice(NoteMethod.values),
            content=note_text(rnd),
            response=rnd.choice(RESPONSES) if rnd.random() < 0.5 else "",
            shared_with_team=rnd.random() < 0.2,
            author_id=worker.pk,
            created_at=at,
        )
        sinks[ProgressNote].add(note)
        case.last_note_at = max(at, case.last_note_at or at)  # as refresh_last_note keeps it
        sinks[TimelineEntry].add(TimelineEntry(case_id=case.pk, at=at, kind=TimelineKind.NOTE, actor_id=worker.pk))
        _audit(town, at, worker, Action.CREATE, "cases.progressnote", object_code=note.code, **codes)
        _audit(town, at, worker, Action.VIEW, "cases.case", object_code=case.code, **codes)
    # Tasks: done ones, and one still open on an open case.
    for i in range(3):
        due = (opened_at + dt.timedelta(days=14 * (i + 1))).date()
        done = not open_ or i < 2
        sinks[Task].add(
            Task(
                code=_uuid(town),
                case_id=case.pk,
                title=rnd.choice(TASK_TITLES),
                due_on=due if done else town.today + dt.timedelta(days=rnd.randint(-10, 30)),
                assignee_id=worker.pk,
                created_by_id=worker.pk,
                created_at=opened_at,
                done_at=_between(rnd, opened_at, end) if done else None,
                done_by_id=worker.pk if done else None,
            )
        )
    if rnd.random() < 0.15 and town.partner_staff:
        sinks[CaseTeamMember].add(
            CaseTeamMember(case_id=case.pk, staff_id=rnd.choice(town.partner_staff).pk, team_role=TeamRole.PARTNER)
        )
    if rnd.random() < 0.005:
        sinks[WhereaboutsConfidentiality].add(
            WhereaboutsConfidentiality(
                person_id=person.pk,
                source=ConfidentialitySource.RESIDENT_REGISTER,
                starts_on=opened_at.date(),
                ends_on=opened_at.date() + dt.timedelta(days=365 * 3),
                protects_against=PROTECTS,
                requested_by_id=worker.pk,
            )
        )
    _sheets(town, case, person, worker, reached, opened_at, end, codes)
    if reached >= PATH.index(CaseState.COORDINATION):
        coordination_items.append((case, person, (opened_at + (end - opened_at) * 0.6).date()))
    if rnd.random() < 0.05:
        _report(town, person, opened_at)


def _sheets(
    town: Town,
    case: Case,
    person: Person,
    worker: Staff,
    reached: int,
    opened: dt.datetime,
    end: dt.datetime,
    codes: dict[str, Any],
) -> None:
    rnd, sinks = town.rnd, town.sinks
    if reached >= PATH.index(CaseState.INTAKE):
        applied = reached >= PATH.index(CaseState.APPLIED)
        sinks[IntakeSheet].add(
            IntakeSheet(
                code=_uuid(town),
                case_id=case.pk,
                version=1,
                recorded_at=opened,
                recorded_by_id=worker.pk,
                received_on=opened.date(),
                receiving_worker_id=worker.pk,
                concerns=["income"],
                primary_concern="income",
                work_status="job_seeking",
                housing_status="rented",
                insurance="national",
                pension="unpaid",
                applied=applied,
                applied_on=opened.date() if applied else None,
                consent_method="signature" if applied else "",
                consent_purposes=["team"] if applied else [],
            )
        )
        _audit(town, opened, worker, Action.CREATE, "sheets.intakesheet", **codes)
    if reached >= PATH.index(CaseState.APPLIED):
        consent = sinks[Consent].add(
            Consent(
                code=_uuid(town),
                person_id=person.pk,
                case_id=case.pk,
                purposes=[Purpose.ASSESSMENT, Purpose.COORDINATION, Purpose.REFERRAL, Purpose.TEAM],
                categories=list(APPLICATION_CATEGORIES),
                method=Method.SIGNATURE,
                given_on=opened.date(),
                note="相談受付・申込票での同意",
                on_application=True,
                recorded_by_id=worker.pk,
            )
        )
        through = Consent.agencies.through
        for agency in town.partners[:2]:
            sinks[through].add(through(consent_id=consent.pk, agency_id=agency.pk))
        for _ in range(2):
            sinks[Disclosure].add(
                Disclosure(
                    at=_between(rnd, opened, end),
                    person_id=person.pk,
                    case_id=case.pk,
                    recipient_agency_id=town.partners[0].pk,
                    channel=Channel.TEAM_VIEW,
                    categories=[Category.BASIC, Category.PLAN],
                    basis=LegalBasis.CONSENT,
                    consent_id=consent.pk,
                )
            )
        _audit(town, opened, worker, Action.CREATE, "consents.consent", **codes)
        if rnd.random() < 0.1:
            _referral(town, case, person, worker, consent, opened)
    if reached >= PATH.index(CaseState.ASSESSMENT):
        issues = [i for i in Issue.values if i != Issue.OTHER]
        for version in range(1, 3 if rnd.random() < 0.3 else 2):
            sinks[AssessmentSheet].add(
                AssessmentSheet(
                    code=_uuid(town),
                    case_id=case.pk,
                    version=version,
                    recorded_by_id=worker.pk,
                    recorded_at=opened,
                    assessed_on=opened.date(),
                    issues=rnd.sample(issues, rnd.randint(1, 4)),
                    disability_certificate="none",
                    suicide_risk="none",
                    judgement=rnd.choice(BODIES),
                )
            )
            _audit(town, opened, worker, Action.CREATE, "sheets.assessmentsheet", **codes)
    if reached >= PATH.index(CaseState.PLAN_DRAFT):
        for version in range(1, 3 if rnd.random() < 0.2 else 2):
            start = opened.date() + dt.timedelta(days=30)
            sinks[PlanSheet].add(
                PlanSheet(
                    code=_uuid(town),
                    case_id=case.pk,
                    version=version,
                    recorded_by_id=worker.pk,
                    recorded_at=opened,
                    long_term_goal="安定した仕事と住まいを得て、地域で安心して暮らす。",
                    period_start=start,
                    period_end=start + dt.timedelta(days=180),
                    next_evaluation_on=start + dt.timedelta(days=90),
                    agreed_on=start if reached >= PATH.index(CaseState.COORDINATION) else None,
                    agreement_method="signature" if reached >= PATH.index(CaseState.COORDINATION) else "",
                )
            )
            _audit(town, opened, worker, Action.CREATE, "sheets.plansheet", **codes)


def _referral(town: Town, case: Case, person: Person, worker: Staff, consent: Consent, opened: dt.datetime) -> None:
    rnd = town.rnd
    sent = opened + dt.timedelta(days=rnd.randint(1, 20))
    status = rnd.choice([ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED])
    answered = sent + dt.timedelta(days=2) if status != ReferralStatus.SENT else None
    town.sinks[Referral].add(
        Referral(
            code=_uuid(town),
            case_id=case.pk,
            person_id=person.pk,
            from_agency_id=town.centre.pk,
            to_agency_id=town.community_care.pk,
            referred_by_id=worker.pk,
            request="介護保険の申請と見守りについてご相談をお願いします。本人は午前中なら在宅しています。",
            categories=[Category.BASIC, Category.PLAN],
            snapshot={"taken_at": sent.isoformat(), "categories": ["basic", "plan"], "sections": []},
            basis=LegalBasis.CONSENT,
            consent_id=consent.pk,
            status=status,
            sent_at=sent,
            answer_by=sent.date() + dt.timedelta(days=14),
            answered_at=answered,
            outcome="要支援1の認定が出ました。" if status == ReferralStatus.COMPLETED else "",
            outcome_at=answered + dt.timedelta(days=20) if answered and status == ReferralStatus.COMPLETED else None,
        )
    )
    _audit(town, sent, worker, Action.CREATE, "referrals.referral", person_code=person.code, case_code=case.code)


def _meetings(town: Town, items: list[tuple[Case, Person, dt.date]]) -> None:
    """支援調整会議 for the plans of this chunk, ITEMS_PER_MEETING items each."""
    rnd, sinks = town.rnd, town.sinks
    items.sort(key=lambda item: item[2])
    for start in range(0, len(items), ITEMS_PER_MEETING):
        group = items[start : start + ITEMS_PER_MEETING]
        held_on = group[-1][2]
        held = held_on < town.today
        meeting = sinks[Meeting].add(
            Meeting(
                code=_uuid(town),
                municipality_id=town.centre.municipality_id,
                kind=MeetingKind.COORDINATION,
                title=str(MeetingKind.COORDINATION.label),
                held_on=held_on,
                starts_at=dt.time(13, 30),
                ends_at=dt.time(15, 0),
                place="雄勝野市総合福祉センター 会議室",
                chair_id=town.chief.pk,
                is_regular=True,
                status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                created_by_id=town.chief.pk,
            )
        )
        for member in [*rnd.sample(town.workers, min(3, len(town.workers))), town.chief]:
            sinks[Attendee].add(Attendee(meeting_id=meeting.pk, staff_id=member.pk))
        for order, (case, person, _day) in enumerate(group, start=1):
            sinks[AgendaItem].add(
                AgendaItem(
                    code=_uuid(town),
                    meeting_id=meeting.pk,
                    order=order,
                    purpose=ItemPurpose.PLAN_APPROVAL,
                    case_id=case.pk,
                    person_id=person.pk,
                    minutes="本人の意向を確認し、プランの内容を共有した。役割分担を確認した。" if held else "",
                    decision=Decision.APPROVED if held else "",
                    decided_at=timezone.make_aware(dt.datetime.combine(held_on, dt.time(15))) if held else None,
                    decided_by_id=town.chief.pk if held else None,
                )
            )


def _report(town: Town, person: Person, opened: dt.datetime) -> None:
    rnd = town.rnd
    district_id = person.district_id
    supporters = town.supporters.get(district_id or 0)
    if district_id is None or not supporters:
        return
    supporter = rnd.choice(supporters)
    submitted = opened - dt.timedelta(days=rnd.randint(1, 20))
    town.sinks[SupporterReport].add(
        SupporterReport(
            code=_uuid(town),
            supporter_id=supporter.pk,
            municipality_id=town.centre.municipality_id,
            district_id=district_id,
            signs=rnd.sample([s for s in Sign.values if s != Sign.OTHER], 2),
            place=f"{person.address}の近く",
            urgency=rnd.choice(Urgency.values),
            submitted_at=submitted,
            status=ReportStatus.HANDLED,
            triaged_by_id=town.chief.pk,
            triaged_at=submitted + dt.timedelta(hours=3),
            handled_at=submitted + dt.timedelta(days=5),
            triage_note="訪問し、相談につないだ。",
        )
    )
