"""Build the demo towns: tenancy, accounts, people in households, and cases taken
through the support process with tsunagu.cases.transitions.move().

Everything is drawn from one random.Random(2026), so two loads in the same hour give
the same data, codes included. Dates are counted back from now, in working days and
office hours: the cases look like months of work.
Rows that the app audits when a worker makes them (people, cases, notes, tasks, team
changes, confidentiality orders, transitions) are written with their audit entries;
the audit entries carry the time of the load, as the audit trail must.
"""

import datetime as dt
import functools
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import jpholiday
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Agency, District, Municipality, Role, Staff
from tsunagu.audit.models import Action, AuditEvent, record
from tsunagu.cases.forms import CASE_FIELDS, NOTE_FIELDS
from tsunagu.cases.models import (
    Case,
    CaseConcern,
    CaseState,
    CaseTeamMember,
    ProgressNote,
    SuspensionReason,
    Task,
    TaskKind,
    TeamRole,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.cases.transitions import move
from tsunagu.community.models import Supporter, SupporterReport
from tsunagu.consents.models import Consent, Disclosure
from tsunagu.demo.caseload import NARUSEGAWA_CASES, OGACHINO_CASES, CaseSpec, FixedName
from tsunagu.demo.names import FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN, VARIANT_FAMILY_NAMES, Name, generation
from tsunagu.demo.sheets import SheetWriter
from tsunagu.demo.stories import (
    CHECK_IN_NOTE,
    MEETING_NOTE,
    RESUME_NOTE,
    RETURN_NOTE,
    STORIES,
    SUSPEND_NOTES,
    NoteText,
    Story,
)
from tsunagu.demo.town import ACCOUNTS, AGENCIES, NARUSEGAWA, OGACHINO, PASSWORD, TOWNS, Area, TownData
from tsunagu.meetings.models import Meeting
from tsunagu.people.forms import PERSON_FIELDS
from tsunagu.people.models import (
    ConfidentialitySource,
    Household,
    HouseholdMember,
    Person,
    Relation,
    Sex,
    WhereaboutsConfidentiality,
)
from tsunagu.referrals.models import Referral
from tsunagu.resources.models import Resource
from tsunagu.sheets.models import AssessmentSheet, EvaluationSheet, IntakeSheet, PlanSheet, SupportDecision

SEED = 2026
S = CaseState
# People the main town should hold; households without a case make up the difference.
OGACHINO_PEOPLE = 152
NARUSEGAWA_PEOPLE = 11
MAX_NOTES = 6
# An active case's latest note falls within this many days (except the "quiet" ones).
RECENT_NOTE_DAYS = 25
QUIET_DAYS = 35

# The usual path, and the days each step takes (min, max).
MAIN_PATH = (
    S.SCREENING,
    S.APPLIED,
    S.ASSESSMENT,
    S.PLAN_DRAFT,
    S.COORDINATION,
    S.DECIDED,
    S.IN_SUPPORT,
    S.EVALUATION,
    S.CLOSED,
    S.FOLLOW_UP,
    S.ENDED,
)
GAPS: dict[tuple[str, str], tuple[int, int]] = {
    (S.IDENTIFIED, S.INTAKE): (1, 7),
    (S.INTAKE, S.SCREENING): (0, 2),
    (S.SCREENING, S.CLOSED_INFO_ONLY): (0, 1),
    (S.SCREENING, S.HANDED_OFF): (0, 3),
    (S.SCREENING, S.APPLIED): (1, 6),
    (S.APPLIED, S.ASSESSMENT): (0, 5),
    (S.ASSESSMENT, S.PLAN_DRAFT): (7, 20),
    (S.PLAN_DRAFT, S.COORDINATION): (3, 12),
    (S.COORDINATION, S.DECIDED): (0, 1),
    (S.COORDINATION, S.PLAN_DRAFT): (0, 1),
    (S.DECIDED, S.IN_SUPPORT): (1, 5),
    (S.IN_SUPPORT, S.EVALUATION): (80, 100),
    (S.EVALUATION, S.PLAN_DRAFT): (1, 7),
    (S.EVALUATION, S.CLOSED): (3, 20),
    (S.CLOSED, S.FOLLOW_UP): (0, 3),
    (S.FOLLOW_UP, S.ENDED): (85, 100),
}
SUSPEND_GAP = (5, 30)
RESUME_GAP = (14, 45)
# Days between the last step and today, by the state the case ends in.
TAILS: dict[str, tuple[int, int]] = {
    S.IDENTIFIED: (1, 10),
    S.INTAKE: (1, 10),
    S.SCREENING: (1, 6),
    S.CLOSED_INFO_ONLY: (5, 240),
    S.HANDED_OFF: (3, 150),
    S.APPLIED: (1, 8),
    S.ASSESSMENT: (3, 20),
    S.PLAN_DRAFT: (2, 14),
    S.COORDINATION: (1, 8),
    S.DECIDED: (1, 6),
    S.IN_SUPPORT: (15, 130),
    S.EVALUATION: (1, 20),
    S.CLOSED: (5, 60),
    S.FOLLOW_UP: (5, 85),
    S.ENDED: (5, 200),
    S.SUSPENDED: (10, 150),
}
LATE_STATES = frozenset({S.EVALUATION, S.CLOSED, S.FOLLOW_UP, S.ENDED})
FINISHED_STATES = frozenset({S.CLOSED_INFO_ONLY, S.CLOSED, S.ENDED})
TEAM_NOTES: dict[str, str] = {
    TeamRole.PARTNER: "地域包括支援センター担当（見守り・介護サービスの調整）",
    TeamRole.EMPLOYMENT: "就労支援（求職・職場開拓・ハローワーク同行）",
    TeamRole.COORDINATOR: "関係機関の調整（包括化推進会議）",
}
PARTNER_TASKS = {
    "hikikomori_8050": "母のデイサービスの利用状況をチームに共有する",
    "care_leave": "母のショートステイの利用日を本人に伝える",
    "elderly_food": "配食サービスの利用状況をチームに共有する",
    "isolation": "地区のサロンでの様子を民生委員に確認する",
}
SUSPENDED_TASKS = {
    "contact_lost": "本人に連絡を試みる（電話・手紙）",
    "refused": "本人の意向をあらためて確認する",
    "moved_away": "転居先の自立相談支援機関への引き継ぎを確認する",
}
APARTMENTS = ("コーポ柳", "ハイツさくら", "メゾン東", "清風荘", "グリーンハイツ", "サンライズ雄勝", "第二松原荘")
KANJI_NUMBERS = "一二三四五"
OPENS, CLOSES = dt.time(8, 45), dt.time(17, 15)
# How far along the story's task list a case has come, by state (None: all of it).
TASKS_REACHED: dict[str, int | None] = {
    S.IDENTIFIED: 1,
    S.INTAKE: 1,
    S.SCREENING: 1,
    S.APPLIED: 2,
    S.ASSESSMENT: 2,
    S.PLAN_DRAFT: 2,
    S.COORDINATION: 2,
    S.DECIDED: 3,
}


@dataclass
class Clock:
    """Today, and working days and hours counted back from it (Asia/Tokyo)."""

    now: dt.datetime
    today: dt.date

    @classmethod
    def start(cls) -> "Clock":
        # Counted from the hour, so that two loads in the same hour draw the same data.
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        return cls(now=now, today=now.date())

    def day(self, days_ago: int) -> dt.date:
        return self.workday(self.today - dt.timedelta(days=days_ago))

    @staticmethod
    def workday(day: dt.date) -> dt.date:
        """The day itself, or the last working day before it."""
        while not is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    @staticmethod
    def next_workday(day: dt.date) -> dt.date:
        while not is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A quarter hour between 8:45 and 16:30 on that day (office hours, with room
        for what follows on the same day)."""
        quarter = rng.randint(35, 66)
        moment = dt.datetime.combine(day, dt.time(quarter // 4, (quarter % 4) * 15))
        return timezone.make_aware(moment)

    @staticmethod
    def office_hours(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            timezone.make_aware(dt.datetime.combine(day, OPENS)),
            timezone.make_aware(dt.datetime.combine(day, CLOSES)),
        )


@functools.cache
def is_workday(day: dt.date) -> bool:
    """No weekends, national holidays or the year-end closure (29 December to 3 January)."""
    year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return day.weekday() < 5 and not year_end and not jpholiday.is_holiday(day)


def half_past(day: dt.date, hour: int = 10) -> dt.datetime:
    """Half past the hour on that day, or now if that moment is still to come (a demo
    loaded at dawn writes nothing dated later today)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30))), timezone.now())


def new_code(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(eq=False)
class Member:
    """One person of a household being drawn, before it is saved."""

    sex: str
    age: int
    relation: str
    family: Name | None = None
    given: Name | None = None
    person: Person | None = None


@dataclass
class Town:
    """A loaded municipality and everything the cases need from it."""

    data: TownData
    municipality: Municipality
    districts: list[District]
    agencies: dict[str, Agency]
    staff: dict[str, Staff]
    centre: Agency
    used_names: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Step:
    to: str
    at: dt.datetime


@dataclass
class CasePlan:
    spec: CaseSpec
    story: Story
    start: str
    opened_at: dt.datetime
    steps: list[Step]
    end_at: dt.datetime

    def first(self, state: str) -> dt.datetime | None:
        return next((s.at for s in self.steps if s.to == state), None)

    def last(self, state: str) -> dt.datetime | None:
        return next((s.at for s in reversed(self.steps) if s.to == state), None)

    @property
    def final_state(self) -> str:
        return self.steps[-1].to if self.steps else self.start

    @property
    def settled_state(self) -> str:
        """The state that decides which notes fit: for a suspended case, where it was."""
        if self.final_state == S.SUSPENDED and self.spec.suspended_from:
            return self.spec.suspended_from
        return self.final_state


@dataclass
class WrittenCase:
    """A case as the loader wrote it, for its standard forms."""

    town: Town
    plan: CasePlan
    case: Case
    subject: Member
    household: list[Member]
    values: dict[str, str]


class DemoLoader:
    def __init__(self, clock: Clock | None = None) -> None:
        self.rng = random.Random(SEED)
        self.clock = clock or Clock.start()
        self.concerns: list[CaseConcern] = []
        self.towns: dict[str, Town] = {}
        self.written: list[WrittenCase] = []
        # The standard forms are written for each case before its steps are taken, as the
        # moves ask for them (cases/transitions.py); from their own random sequence, so
        # that the people and cases stay as they were.
        self.sheets = SheetWriter(self, random.Random(SEED + 1))

    # -- the whole load ---------------------------------------------------------

    def load(self) -> dict[str, int]:
        with transaction.atomic():
            self.make_towns()
            self.make_staff()
            for town_data, specs, people in (
                (OGACHINO, OGACHINO_CASES, OGACHINO_PEOPLE),
                (NARUSEGAWA, NARUSEGAWA_CASES, NARUSEGAWA_PEOPLE),
            ):
                self.make_caseload(self.towns[town_data.key], specs, people)
            CaseConcern.objects.bulk_create(self.concerns)
            self.sheets.finish()
            self.make_network()
        return self.counts()

    def make_network(self) -> None:
        """The network around the cases: consents, the community (district chiefs,
        supporters, reports), the resource directory, referrals and meetings. (Imported
        here: these modules use the loader's clock and seed.)"""
        from tsunagu.demo.community import load_community
        from tsunagu.demo.consents import load_consents
        from tsunagu.demo.employment import load_employment
        from tsunagu.demo.meetings import load_meetings
        from tsunagu.demo.programmes import load_programmes
        from tsunagu.demo.referrals import load_referrals
        from tsunagu.demo.resources import load_resources
        from tsunagu.demo.statistics import load_statistics
        from tsunagu.demo.today import load_today

        for town in self.towns.values():
            load_consents(town.municipality)
            load_community(town.municipality)
            if town.data.key == OGACHINO.key:
                # The directory is written for 雄勝野市's agencies and districts.
                load_resources(town.municipality, self.chief_of(town))
                # The 就労支援員's job-seekers, employers, openings and placements.
                load_employment(town.municipality)
            load_referrals(town.municipality)
            # After the community: a 地域ケア会議 is chaired by its district's chief.
            load_meetings(town.municipality)
            # The national statistics' employment figures (plans' 就労支援の対象, placements).
            load_statistics(town.municipality)
            # The programmes as run: after the decisions (sheets) they follow.
            load_programmes(town.municipality)
            # Last: today's meeting, tasks and reports, whatever day the demo is loaded.
            load_today(town.municipality)

    @staticmethod
    def counts() -> dict[str, int]:
        return {
            "municipalities": Municipality.objects.count(),
            "districts": District.objects.count(),
            "agencies": Agency.objects.count(),
            "staff": Staff.objects.count(),
            "people": Person.objects.count(),
            "households": Household.objects.count(),
            "cases": Case.objects.count(),
            "notes": ProgressNote.objects.count(),
            "tasks": Task.objects.count(),
            "timeline": TimelineEntry.objects.count(),
            "confidentiality_orders": WhereaboutsConfidentiality.objects.count(),
            "intake_sheets": IntakeSheet.objects.count(),
            "assessment_sheets": AssessmentSheet.objects.count(),
            "plan_sheets": PlanSheet.objects.count(),
            "evaluation_sheets": EvaluationSheet.objects.count(),
            "support_decisions": SupportDecision.objects.count(),
            "consents": Consent.objects.count(),
            "disclosures": Disclosure.objects.count(),
            "referrals": Referral.objects.count(),
            "meetings": Meeting.objects.count(),
            "supporters": Supporter.objects.count(),
            "supporter_reports": SupporterReport.objects.count(),
            "resources": Resource.objects.count(),
            "audit_events": AuditEvent.objects.count(),
        }

    # -- tenancy and accounts ------------------------------------------------

    def make_towns(self) -> None:
        for data in TOWNS:
            municipality = Municipality.objects.create(
                name=data.name, prefecture=data.prefecture, population=data.population
            )
            districts = District.objects.bulk_create(
                District(municipality=municipality, name=d.name, number=d.number) for d in data.districts
            )
            self.towns[data.key] = Town(data, municipality, districts, {}, {}, centre=Agency())
        agencies = Agency.objects.bulk_create(
            Agency(
                municipality=self.towns[a.town].municipality, name=a.name, kind=a.kind, phone=a.phone, address=a.address
            )
            for a in AGENCIES
        )
        for agency_data, agency in zip(AGENCIES, agencies, strict=True):
            town = self.towns[agency_data.town]
            town.agencies[agency_data.key] = agency
            if agency.is_centre:
                town.centre = agency

    def make_staff(self) -> None:
        # Argon2 is slow on purpose: hash once and give every account the same hash.
        password = make_password(PASSWORD)
        agencies = {key: agency for town in self.towns.values() for key, agency in town.agencies.items()}
        joined = self.clock.now - dt.timedelta(days=700)
        staff = [
            Staff(
                username=a.username,
                role=a.role,
                agency=agencies[a.agency] if a.agency else None,
                display_name=a.display_name,
                last_name=a.family_name,
                first_name=a.given_name,
                password=password,
                is_staff=a.role == Role.ADMIN,
                is_superuser=a.role == Role.ADMIN,
                date_joined=joined,
            )
            for a in ACCOUNTS
        ]
        for member in Staff.objects.bulk_create(staff):
            town = next((t for t in self.towns.values() if member.agency in t.agencies.values()), None)
            if town is not None:
                town.staff[member.username] = member

    # -- people and cases -----------------------------------------------------

    def make_caseload(self, town: Town, specs: Iterable[CaseSpec], people_target: int) -> None:
        plans = [self.plan_case(spec) for spec in specs]
        # Reserve the fixed names (山田 太郎...) so that no drawn person takes them.
        town.used_names.update((p.spec.name.family, p.spec.name.given) for p in plans if p.spec.name)
        households: list[tuple[list[Member], District, Area, dt.datetime, Staff]] = []
        subjects: list[Member] = []
        for plan in plans:
            members, subject = self.draw_household(town, plan.story, plan.spec.name)
            district, area = self.draw_address_area(town)
            creator = self.worker_of(town, plan.spec)
            households.append((members, district, area, plan.opened_at, creator))
            subjects.append(subject)
        people = sum(len(h[0]) for h in households)
        variants = list(VARIANT_FAMILY_NAMES) if town.data is OGACHINO else []
        while people < people_target:
            members = self.draw_filler_household(town, variants.pop(0) if variants else None)
            district, area = self.draw_address_area(town)
            when = self.clock.at(self.clock.day(self.rng.randint(30, 500)), self.rng)
            households.append((members, district, area, when, self.rng.choice(self.centre_workers(town))))
            people += len(members)
        self.save_households(town, households)
        for plan, subject, (members, *_rest) in zip(plans, subjects, households, strict=False):
            self.make_case(town, plan, subject, members)

    def centre_workers(self, town: Town) -> list[Staff]:
        return [s for s in town.staff.values() if s.works_in_centre]

    def chief_of(self, town: Town) -> Staff:
        return next(s for s in town.staff.values() if s.is_chief)

    def worker_of(self, town: Town, spec: CaseSpec) -> Staff:
        return town.staff[spec.worker] if spec.worker else self.chief_of(town)

    # -- drawing households -----------------------------------------------------

    def draw_family_name(self) -> Name:
        names, weights = zip(*FAMILY_NAMES, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def draw_given_name(self, sex: str, age: int, taken: set[str]) -> Name:
        pool = (MALE_GIVEN if sex == Sex.MALE else FEMALE_GIVEN)[generation(self.clock.today.year - age)]
        choices = [n for n in pool if n.kanji not in taken] or list(pool)
        return self.rng.choice(choices)

    def draw_household(self, town: Town, story: Story, fixed: FixedName | None) -> tuple[list[Member], Member]:
        rng = self.rng
        if fixed is not None:
            sex, age = fixed.sex, fixed.age
        else:
            sex = story.sex or rng.choice([Sex.MALE, Sex.FEMALE])
            age = rng.randint(*story.ages)
        subject = Member(sex=sex, age=age, relation=Relation.HEAD)
        if fixed is not None:
            subject.family = Name(fixed.family, fixed.family_kana)
            subject.given = Name(fixed.given, fixed.given_kana)
        kind = story.household
        if kind == "single_or_couple":
            kind = "single" if rng.random() < 0.65 else "couple"
        elif kind == "couple_or_family":
            kind = rng.choice(["couple", "family"])
        elif kind == "any":
            kind = rng.choices(["single", "couple", "family"], weights=[45, 30, 25])[0]
        members = [subject]
        other = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
        if kind == "couple":
            members.append(Member(other, max(20, age + rng.randint(-6, 6)), Relation.SPOUSE))
        elif kind == "family":
            members.append(Member(other, max(22, age + rng.randint(-5, 5)), Relation.SPOUSE))
            for _ in range(rng.randint(1, 2)):
                child_age = age - rng.randint(24, 34)
                if child_age >= 6:
                    members.append(Member(rng.choice([Sex.MALE, Sex.FEMALE]), child_age, Relation.CHILD))
        elif kind == "parent_8050":
            subject.relation = Relation.CHILD
            members.insert(0, Member(Sex.FEMALE, min(90, max(78, age + rng.randint(26, 34))), Relation.HEAD))
        elif kind == "care":
            members.append(Member(Sex.FEMALE, min(90, max(80, age + rng.randint(26, 32))), Relation.PARENT))
        elif kind == "with_parents":
            subject.relation = Relation.CHILD
            father_age = age + rng.randint(25, 33)
            members.insert(0, Member(Sex.MALE, father_age, Relation.HEAD))
            members.insert(1, Member(Sex.FEMALE, father_age - rng.randint(0, 4), Relation.SPOUSE))
        elif kind == "single_parent_1":
            members.append(Member(rng.choice([Sex.MALE, Sex.FEMALE]), rng.randint(7, 11), Relation.CHILD))
        elif kind == "single_parent_2":
            members.append(Member(rng.choice([Sex.MALE, Sex.FEMALE]), rng.randint(13, 15), Relation.CHILD))
            members.append(Member(rng.choice([Sex.MALE, Sex.FEMALE]), rng.randint(8, 12), Relation.CHILD))
        elif kind == "foreign_family":
            # A Japanese husband heads the household; the wife took his family name.
            subject.relation = Relation.SPOUSE
            subject.given = subject.given or Name(*rng.choice([("マリア", "マリア"), ("ジェニファー", "ジェニファー")]))
            members.insert(0, Member(Sex.MALE, age + rng.randint(4, 12), Relation.HEAD))
            members.append(Member(rng.choice([Sex.MALE, Sex.FEMALE]), rng.randint(8, 11), Relation.CHILD))
        self.name_household(town, members)
        return members, subject

    def draw_filler_household(self, town: Town, family: Name | None) -> list[Member]:
        """A household with no case of its own (met through a consultation, a relative's
        case or a supporter report)."""
        rng = self.rng
        kind = rng.choices(["single", "couple", "family"], weights=[35, 40, 25])[0]
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        age = rng.randint(45, 88) if kind == "family" else rng.randint(22, 90)
        members = [Member(sex, age, Relation.HEAD, family=family)]
        other = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
        if kind in {"couple", "family"}:
            members.append(Member(other, min(90, max(20, age + rng.randint(-5, 5))), Relation.SPOUSE))
        if kind == "family":
            members.append(
                Member(rng.choice([Sex.MALE, Sex.FEMALE]), max(18, age - rng.randint(25, 32)), Relation.CHILD)
            )
        self.name_household(town, members)
        return members

    def name_household(self, town: Town, members: list[Member]) -> None:
        head_family = next((m.family for m in members if m.family), None) or self.draw_family_name()
        taken: set[str] = {m.given.kanji for m in members if m.given}
        for member in members:
            member.family = member.family or head_family
            if member.given is None:
                for _ in range(20):
                    given = self.draw_given_name(member.sex, member.age, taken)
                    if (member.family.kanji, given.kanji) not in town.used_names:
                        break
                member.given = given
            taken.add(member.given.kanji)
            town.used_names.add((member.family.kanji, member.given.kanji))

    def draw_address_area(self, town: Town) -> tuple[District, Area]:
        # The town centre (東小, 西小) is where most people live.
        weights = [3 if d.number in (2, 3) else 1 for d in town.data.districts]
        index = self.rng.choices(range(len(town.data.districts)), weights=weights)[0]
        data = town.data.districts[index]
        return town.districts[index], self.rng.choice(data.areas)

    def address(self, town: Town, area: Area, single: bool) -> str:
        rng = self.rng
        if area.style == "aza":
            return f"{town.data.name}{area.name}{rng.randint(1, 260)}"
        text = f"{town.data.name}{area.name}{rng.choice(KANJI_NUMBERS)}丁目{rng.randint(1, 24)}-{rng.randint(1, 18)}"
        if area.style == "apartment" or (single and rng.random() < 0.5):
            text += f" {rng.choice(APARTMENTS)} {rng.randint(1, 2)}0{rng.randint(1, 6)}"
        return text

    def landline(self, town: Town) -> str:
        exchange = self.rng.randint(72, 79) if town.data is OGACHINO else self.rng.randint(45, 48)
        return f"{town.data.area_code}-{exchange}-{self.rng.randint(1000, 9999)}"

    def mobile(self) -> str:
        prefix = self.rng.choice(["090", "080", "070"])
        return f"{prefix}-{self.rng.randint(1000, 9999)}-{self.rng.randint(1000, 9999)}"

    def birth_date(self, age: int) -> dt.date:
        latest = years_ago(self.clock.today, age)
        return latest - dt.timedelta(days=self.rng.randint(0, 364))

    def save_households(
        self, town: Town, households: list[tuple[list[Member], District, Area, dt.datetime, Staff]]
    ) -> None:
        people: list[Person] = []
        creators: list[Staff] = []
        for members, district, area, when, creator in households:
            address = self.address(town, area, single=len(members) == 1)
            landline = self.landline(town)
            for member in members:
                assert member.family is not None
                assert member.given is not None
                if member.age < 18:
                    phone = ""
                elif member.age >= 70 or (member.relation == Relation.HEAD and self.rng.random() < 0.4):
                    phone = landline
                else:
                    phone = self.mobile()
                person = Person(
                    code=new_code(self.rng),
                    municipality=town.municipality,
                    family_name=member.family.kanji,
                    given_name=member.given.kanji,
                    family_name_kana=member.family.kana,
                    given_name_kana=member.given.kana,
                    birth_date=self.birth_date(member.age),
                    sex=member.sex,
                    postal_code=area.postal_code,
                    address=address,
                    district=district,
                    phone=phone,
                    created_by=creator,
                    created_at=when,
                    updated_at=when,
                )
                person.refresh_search_keys()
                member.person = person
                people.append(person)
                creators.append(creator)
        Person.objects.bulk_create(people)
        groups = [
            Household(code=new_code(self.rng), municipality=town.municipality, created_at=when)
            for _, _, _, when, _ in households
        ]
        Household.objects.bulk_create(groups)
        HouseholdMember.objects.bulk_create(
            HouseholdMember(
                household=group,
                person=member.person,
                relation=member.relation,
                is_head=member.relation == Relation.HEAD,
            )
            for group, (members, *_rest) in zip(groups, households, strict=True)
            for member in members
        )
        for person, creator in zip(people, creators, strict=True):
            record(creator, Action.CREATE, person, changes={f: str(getattr(person, f)) for f in PERSON_FIELDS})

    # -- planning a case ------------------------------------------------------

    def path_of(self, spec: CaseSpec, start: str) -> list[str]:
        target = spec.suspended_from if spec.state == S.SUSPENDED else spec.state
        if target in (S.CLOSED_INFO_ONLY, S.HANDED_OFF):
            path = [S.SCREENING, target]
        elif target in (S.IDENTIFIED, S.INTAKE):
            path = []
        else:
            path = list(MAIN_PATH[: MAIN_PATH.index(target) + 1])
        if spec.path == "replan":
            path = [*MAIN_PATH[: MAIN_PATH.index(S.EVALUATION) + 1], S.PLAN_DRAFT, S.COORDINATION, S.DECIDED]
            path += MAIN_PATH[MAIN_PATH.index(S.IN_SUPPORT) : MAIN_PATH.index(target) + 1]
        elif spec.path == "returned":
            path = [*MAIN_PATH[: MAIN_PATH.index(S.COORDINATION) + 1], S.PLAN_DRAFT]
        elif spec.path == "resumed":
            at = path.index(S.IN_SUPPORT) + 1
            path = [*path[:at], S.SUSPENDED, S.IN_SUPPORT, *path[at:]]
        if spec.state == S.SUSPENDED:
            path.append(S.SUSPENDED)
        if start == S.IDENTIFIED and spec.state != S.IDENTIFIED:
            path.insert(0, S.INTAKE)
        return path

    def plan_case(self, spec: CaseSpec) -> CasePlan:
        rng, clock = self.rng, self.clock
        story = STORIES[spec.story]
        start = S.IDENTIFIED if story.route == "supporter_report" or spec.state == S.IDENTIFIED else S.INTAKE
        path = self.path_of(spec, start)
        gaps: list[int] = []
        previous: str = start
        for state in path:
            if state == S.SUSPENDED:
                low, high = SUSPEND_GAP
            elif previous == S.SUSPENDED:
                low, high = RESUME_GAP
            else:
                low, high = GAPS[(previous, state)]
            gaps.append(rng.randint(low, high))
            previous = state
        span = sum(gaps)
        tail = rng.randint(*TAILS[spec.state])
        if spec.opened_ago is not None:
            tail = max(1, spec.opened_ago - span)
        opened_ago = span + tail
        opened_at = clock.at(clock.day(opened_ago), rng)
        steps: list[Step] = []
        moment, days_ago = opened_at, opened_ago
        for index, (state, gap) in enumerate(zip(path, gaps, strict=True)):
            days_ago -= gap
            at = clock.at(clock.day(days_ago), rng)
            # Room for the first contact's note before the first step, and for a
            # meeting's note between 支援調整会議 and the decision.
            least = moment + dt.timedelta(minutes=60 if index == 0 else 20)
            moment = max(at, least)
            steps.append(Step(state, moment))
        final = path[-1] if path else start
        if final in FINISHED_STATES or final in (S.HANDED_OFF, S.SUSPENDED):
            end_at = moment
        elif spec.quiet:
            end_at = max(clock.at(clock.day(QUIET_DAYS), rng), moment)
        else:
            end_at = max(clock.now - dt.timedelta(hours=1), moment)
        return CasePlan(spec, story, start, opened_at, steps, end_at)

    # -- writing a case ---------------------------------------------------------

    def make_case(self, town: Town, plan: CasePlan, subject: Member, household: list[Member]) -> None:
        rng = self.rng
        spec, story = plan.spec, plan.story
        person = subject.person
        assert person is not None
        worker = town.staff[spec.worker] if spec.worker else None
        creator = worker or self.chief_of(town)
        others = [m for m in household if m is not subject and m.age >= 18]
        values = {
            "town": town.data.name,
            "office": town.data.office,
            "age": str(subject.age),
            "other_age": str(others[0].age) if others else "",
            **{key: rng.choice(options) for key, options in story.choices.items()},
        }
        case = Case.objects.create(
            code=new_code(rng),
            person=person,
            agency=town.centre,
            worker=worker,
            state=plan.start,
            intake_route=story.route,
            opened_on=plan.opened_at.date(),
            summary=story.summary.format(**values),
            created_at=plan.opened_at,
            updated_at=plan.opened_at,
            state_changed_at=plan.opened_at,
        )
        TimelineEntry.objects.create(
            case=case,
            at=plan.opened_at,
            kind=TimelineKind.OPENED,
            actor=creator,
            to_state=plan.start,
            detail=case.get_intake_route_display(),
        )
        record(creator, Action.CREATE, case, changes={f: str(getattr(case, f)) for f in CASE_FIELDS})
        self.add_concerns(case, story)
        written = WrittenCase(town, plan, case, subject, household, values)
        # Each step needs the forms the centre wrote before it (cases/transitions.py):
        # they are drawn now and saved as the steps reach their times.
        self.sheets.write_case(written, [c for c in self.concerns if c.case is case])

        events: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        team = self.plan_team(town, plan, case, creator)
        for when, staff, role in team:
            events.append((when, 0, self.team_event(case, creator, staff, role, when)))
        for step_index, step in enumerate(plan.steps):
            events.append((step.at, 1, functools.partial(self.sheets.save_until, step.at)))
            events.append((step.at, 1, self.move_event(town, plan, case, step_index)))
        team_staff = {staff.username: staff for _, staff, _ in team}
        for when, note in self.plan_notes(plan):
            author = creator
            if note.author != "worker" and note.author in team_staff:
                author = team_staff[note.author]
            events.append((when, 2, self.note_event(case, note, author, when, values)))
        for task in self.plan_tasks(town, plan, case, creator, team_staff, values):
            events.append((task.created_at, 3, self.task_event(task, creator)))
        if spec.confidentiality:
            events.extend(self.confidentiality_events(town, plan, subject, household))
        for _, _, run in sorted(events, key=lambda e: (e[0], e[1])):
            run()
        self.sheets.save()
        self.settle_case(plan, case)
        self.written.append(written)

    def add_concerns(self, case: Case, story: Story) -> None:
        concerns = list(story.concerns)
        extra = [c for c in ("tax_utilities", "family", "health", "community") if c not in concerns]
        if len(concerns) > 1 and self.rng.random() < 0.3:
            concerns.append(self.rng.choice(extra))
        self.concerns.extend(
            CaseConcern(case=case, concern=concern, is_primary=index == 0) for index, concern in enumerate(concerns)
        )

    def plan_team(self, town: Town, plan: CasePlan, case: Case, creator: Staff) -> list[tuple[dt.datetime, Staff, str]]:
        team: list[tuple[dt.datetime, Staff, str]] = []
        assessed = plan.first(S.ASSESSMENT)
        for role in plan.story.team:
            staff = town.staff.get(role)
            if staff is None or staff == case.worker:
                continue
            if role == "partner":
                # The 地域包括 worker is there from the first visit when the 地域包括 referred.
                if plan.final_state == S.IDENTIFIED and plan.story.route != "agency_referral":
                    continue
                when = plan.opened_at + dt.timedelta(minutes=30)
                team.append((when, staff, TeamRole.PARTNER))
            elif assessed is not None:
                team_role = TeamRole.EMPLOYMENT if role == "employment" else TeamRole.COORDINATOR
                team.append((assessed + dt.timedelta(minutes=40), staff, team_role))
        return team

    def plan_notes(self, plan: CasePlan) -> list[tuple[dt.datetime, NoteText]]:
        """The progress notes of a case and when they were written: the story's notes
        for the phases the case went through (about one a week at most), the meetings,
        suspensions and resumptions, and a recent note on every case still being
        worked (except the ones meant to have gone quiet)."""
        rng, clock = self.rng, self.clock
        windows = self.note_windows(plan)
        story_notes: list[NoteText] = []
        for phase, (start, end) in windows.items():
            notes = [n for n in plan.story.notes if n.phase == phase]
            room = 1 + int((end - start) / dt.timedelta(days=7))
            story_notes.extend(notes[:room])
        generic = self.generic_notes(plan)
        # Keep the first contact and the latest notes; drop from the middle to stay within six.
        while len(story_notes) > max(MAX_NOTES - len(generic), 2):
            story_notes.pop(rng.randint(1, len(story_notes) - 2))
        chosen: list[tuple[dt.datetime, NoteText]] = list(generic)
        for phase, (start, end) in windows.items():
            notes = [n for n in story_notes if n.phase == phase]
            moments = sorted(self.moment_between(start, end) for _ in notes)
            chosen.extend(zip(moments, notes, strict=True))
        chosen.sort(key=lambda pair: pair[0])
        active = plan.final_state not in FINISHED_STATES | {S.HANDED_OFF, S.SUSPENDED}
        recent = clock.now - dt.timedelta(days=RECENT_NOTE_DAYS)
        if not active or plan.spec.quiet or plan.end_at <= recent or any(when >= recent for when, _ in chosen):
            return chosen
        # Bring the latest story note whose phase reaches into the last weeks forward,
        # or else add a call to ask how the person is.
        for index in reversed(range(len(chosen))):
            note = chosen[index][1]
            if note.phase in windows and windows[note.phase][1] > recent:
                start, end = windows[note.phase]
                chosen[index] = (self.moment_between(max(start, recent), end), note)
                break
        else:
            last_step = plan.steps[-1].at if plan.steps else plan.opened_at
            chosen.append((self.moment_between(max(recent, last_step), plan.end_at), CHECK_IN_NOTE))
        chosen.sort(key=lambda pair: pair[0])
        return chosen

    def generic_notes(self, plan: CasePlan) -> list[tuple[dt.datetime, NoteText]]:
        """Notes every story shares: the 支援調整会議, a suspension, a resumption."""
        notes: list[tuple[dt.datetime, NoteText]] = []
        for index, step in enumerate(plan.steps):
            previous = plan.steps[index - 1].to if index else plan.start
            if step.to == S.DECIDED:
                notes.append((step.at - dt.timedelta(minutes=10), MEETING_NOTE))
            elif step.to == S.PLAN_DRAFT and previous == S.COORDINATION:
                notes.append((step.at - dt.timedelta(minutes=10), RETURN_NOTE))
            elif step.to == S.SUSPENDED:
                reason = plan.spec.suspension_reason or SuspensionReason.CONTACT_LOST
                notes.append((step.at - dt.timedelta(minutes=15), SUSPEND_NOTES[reason]))
            elif previous == S.SUSPENDED:
                notes.append((step.at - dt.timedelta(minutes=15), RESUME_NOTE))
        return notes

    def note_windows(self, plan: CasePlan) -> dict[str, tuple[dt.datetime, dt.datetime]]:
        """When each phase's notes may fall, for the phases this case went through."""
        end = plan.end_at
        settled = plan.settled_state
        assessed, drafted = plan.first(S.ASSESSMENT), plan.first(S.PLAN_DRAFT)
        supported, evaluated = plan.first(S.IN_SUPPORT), plan.last(S.EVALUATION)
        followed, closed = plan.first(S.FOLLOW_UP), plan.first(S.CLOSED)
        opened = plan.opened_at
        windows = {"intake": (opened + dt.timedelta(minutes=5), opened + dt.timedelta(minutes=25))}
        early_end = assessed or plan.first(S.HANDED_OFF) or plan.first(S.CLOSED_INFO_ONLY) or end
        if early_end - opened > dt.timedelta(hours=2):
            windows["early"] = (opened + dt.timedelta(hours=1), early_end)
        if assessed:
            windows["assess"] = (assessed, drafted or end)
        if supported:
            # After a suspension, the support notes belong to the time since it resumed.
            resumed = [s.at for i, s in enumerate(plan.steps) if i and plan.steps[i - 1].to == S.SUSPENDED]
            start = max([supported, *resumed]) if settled != S.SUSPENDED else supported
            windows["support"] = (start, evaluated if evaluated and settled in LATE_STATES else end)
        if evaluated and settled in LATE_STATES:
            windows["late"] = (evaluated, closed or end)
        if followed:
            windows["follow"] = (followed, end)
        for state, phase in ((S.HANDED_OFF, "handoff"), (S.CLOSED_INFO_ONLY, "info")):
            when = plan.first(state)
            if when:
                windows[phase] = (when - dt.timedelta(minutes=25), when - dt.timedelta(minutes=5))
        return windows

    def moment_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A moment in office hours between two moments; if there is none, a moment
        shortly after the start."""
        if end <= start:
            return start
        spans: list[tuple[dt.datetime, dt.datetime]] = []
        day, last = timezone.localtime(start).date(), timezone.localtime(end).date()
        while day <= last:
            if is_workday(day):
                opens, closes = self.clock.office_hours(day)
                opens, closes = max(opens, start), min(closes, end)
                if opens < closes:
                    spans.append((opens, closes))
            day += dt.timedelta(days=1)
        if not spans:
            return start + min(end - start, dt.timedelta(minutes=30)) * self.rng.random()
        opens, closes = self.rng.choice(spans)
        moment = opens + (closes - opens) * self.rng.random()
        return max(opens, moment.replace(second=0, microsecond=0))

    def plan_tasks(
        self,
        town: Town,
        plan: CasePlan,
        case: Case,
        creator: Staff,
        team: dict[str, Staff],
        values: dict[str, str],
    ) -> list[Task]:
        rng, clock = self.rng, self.clock
        titles = [t.format(**values) for t in plan.story.tasks]
        if not titles or case.worker is None:
            return []
        final = plan.final_state
        reached = TASKS_REACHED.get(plan.settled_state)
        titles = titles[:reached] if reached else titles
        if final == S.SUSPENDED:
            titles = [*titles[:-1], SUSPENDED_TASKS[plan.spec.suspension_reason or "contact_lost"]]
        letters = plan.spec.tasks
        if letters is None:
            letters = "".join(rng.choices("OWL", weights=[1, 3, 6], k=rng.choice([1, 1, 2])))
        if final in FINISHED_STATES or final in (S.HANDED_OFF, S.FOLLOW_UP):
            # What remains after a referral or a closure is the follow-up task move() made.
            letters = ""
        letters = letters[: len(titles)]
        # The earlier titles were done; the latest ones are still open.
        open_titles = titles[-len(letters) :] if letters else []
        done_titles = titles[: len(titles) - len(open_titles)][:2]
        if final in (S.CLOSED_INFO_ONLY, S.HANDED_OFF):
            done_titles = []
        tasks: list[Task] = []
        done_until = plan.first(S.ASSESSMENT) or plan.first(S.IN_SUPPORT) or plan.end_at
        created_at = sorted(self.moment_between(plan.opened_at, done_until) for _ in done_titles)
        for title, created in zip(done_titles, created_at, strict=True):
            due = clock.next_workday((created + dt.timedelta(days=rng.randint(3, 12))).date())
            by = clock.office_hours(clock.next_workday((created + dt.timedelta(days=rng.randint(1, 10))).date()))[1]
            done = self.moment_between(created + dt.timedelta(hours=1), min(by, plan.end_at))
            tasks.append(self.new_task(case, title, due, case.worker, creator, created, done))
        for index, letter in enumerate(letters):
            title = open_titles[min(index, len(open_titles) - 1)]
            due = self.due_date(letter, plan)
            latest = min(clock.now, timezone.make_aware(dt.datetime.combine(due, OPENS))) - dt.timedelta(days=1)
            created = self.moment_between(max(plan.opened_at, latest - dt.timedelta(days=20)), latest)
            tasks.append(self.new_task(case, title, due, case.worker, creator, max(created, plan.opened_at), None))
        partner = team.get("partner")
        if partner is not None and final == S.IN_SUPPORT and plan.story.key in PARTNER_TASKS:
            due = self.due_date("W", plan)
            created = clock.at(clock.day(rng.randint(3, 10)), rng)
            tasks.append(self.new_task(case, PARTNER_TASKS[plan.story.key], due, partner, creator, created, None))
        return tasks

    def due_date(self, letter: str, plan: CasePlan) -> dt.date:
        """O: a working day in the last two weeks (after the case opened); W: a working
        day within the coming week; L: later."""
        today, rng = self.clock.today, self.rng
        opened = plan.opened_at.date()
        if letter == "O" and (today - opened).days >= 3:
            return max(opened + dt.timedelta(days=1), self.clock.workday(today - dt.timedelta(days=rng.randint(1, 12))))
        if letter in ("O", "W"):
            week = [today + dt.timedelta(days=n) for n in range(7)]
            return rng.choice([day for day in week if is_workday(day)] or week)
        return self.clock.workday(today + dt.timedelta(days=rng.randint(9, 40)))

    def new_task(
        self,
        case: Case,
        title: str,
        due: dt.date,
        assignee: Staff,
        creator: Staff,
        created: dt.datetime,
        done: dt.datetime | None,
    ) -> Task:
        return Task(
            code=new_code(self.rng),
            case=case,
            title=title,
            due_on=due,
            assignee=assignee,
            created_by=creator,
            created_at=created,
            done_at=done,
            done_by=assignee if done else None,
        )

    # -- the events of a case, run in time order --------------------------------

    def team_event(self, case: Case, actor: Staff, staff: Staff, role: str, when: dt.datetime) -> Callable[[], None]:
        def run() -> None:
            member = CaseTeamMember.objects.create(
                case=case, staff=staff, team_role=role, note=TEAM_NOTES.get(role, ""), added_at=when
            )
            TimelineEntry.objects.create(
                case=case,
                at=when,
                kind=TimelineKind.TEAM,
                actor=actor,
                detail=f"+ {member.staff}（{member.get_team_role_display()}）",
            )
            record(actor, Action.CHANGE, case, changes={"team_added": str(staff), "role": role})

        return run

    def move_event(self, town: Town, plan: CasePlan, case: Case, index: int) -> Callable[[], None]:
        def run() -> None:
            step = plan.steps[index]
            previous = plan.steps[index - 1].to if index else plan.start
            worker = case.worker or self.chief_of(town)
            chief = self.chief_of(town)
            officer = next((s for s in town.staff.values() if s.role == Role.MUNICIPAL_OFFICER), None)
            decider = officer if plan.story.decider == "officer" and officer is not None else chief
            details: dict[str, Any] = {}
            by = worker
            if step.to == S.CLOSED_INFO_ONLY:
                details["reason"] = plan.story.screening_reason
            elif step.to == S.HANDED_OFF:
                key = plan.story.handoff_to
                if key not in town.agencies:
                    key = next(k for k, a in town.agencies.items() if a.kind == "municipal_department")
                details.update(to_agency=town.agencies[key], reason=plan.story.screening_reason)
            elif step.to == S.DECIDED:
                by, details["reason"] = decider, "支援調整会議で了承"
            elif step.to == S.PLAN_DRAFT and previous == S.COORDINATION:
                by, details["reason"] = decider, "支援調整会議で家計の見直しを加えて再提出するよう求められた"
            elif step.to == S.PLAN_DRAFT and previous == S.EVALUATION:
                details["reason"] = "評価の結果、目標を見直して再プラン"
            elif step.to == S.CLOSED:
                by, details["closure_reason"] = chief, plan.story.closure_reason
            elif step.to == S.SUSPENDED:
                details["suspension_reason"] = plan.spec.suspension_reason or "contact_lost"
            elif previous == S.SUSPENDED:
                details["reason"] = "本人から連絡があり再開"
            move(case, step.to, by, **details)

        return run

    def note_event(
        self, case: Case, text: NoteText, author: Staff, when: dt.datetime, values: dict[str, str]
    ) -> Callable[[], None]:
        def run() -> None:
            note = ProgressNote.objects.create(
                code=new_code(self.rng),
                case=case,
                occurred_at=when,
                method=text.method,
                participants=text.participants.format(**values),
                content=text.content.format(**values),
                response=text.response.format(**values),
                next_action=text.next_action.format(**values),
                shared_with_team=text.shared or self.rng.random() < 0.15,
                author=author,
                created_at=when + dt.timedelta(minutes=self.rng.randint(20, 120)),
            )
            TimelineEntry.objects.create(
                case=case,
                at=when,
                kind=TimelineKind.NOTE,
                actor=author,
                detail=f"{note.get_method_display()}: {note.content[:60]}",
                shared=note.shared_with_team,
            )
            record(author, Action.CREATE, note, changes={f: str(getattr(note, f)) for f in NOTE_FIELDS})

        return run

    def task_event(self, task: Task, creator: Staff) -> Callable[[], None]:
        def run() -> None:
            task.save(force_insert=True)
            TimelineEntry.objects.create(
                case=task.case,
                at=task.created_at,
                kind=TimelineKind.TASK,
                actor=creator,
                detail=task.title,
                shared=False,
            )
            record(creator, Action.CREATE, task, changes={"title": task.title, "due_on": str(task.due_on)})
            if task.done_at is not None:
                TimelineEntry.objects.create(
                    case=task.case,
                    at=task.done_at,
                    kind=TimelineKind.TASK_DONE,
                    actor=task.done_by,
                    detail=task.title,
                    shared=False,
                )
                record(task.done_by, Action.CHANGE, task, changes={"done": True})

        return run

    def settle_case(self, plan: CasePlan, case: Case) -> None:
        """Move the dates move() wrote as "now" back to when each step happened. The
        audit entries keep the time they were written."""
        entries = list(TimelineEntry.objects.filter(case=case, kind=TimelineKind.STATE).order_by("id"))
        for entry, step in zip(entries, plan.steps, strict=True):
            entry.at = step.at
        TimelineEntry.objects.bulk_update(entries, ["at"])
        self.settle_follow_up_tasks(plan, case)
        last_step = plan.steps[-1].at if plan.steps else plan.opened_at
        closed = plan.last(S.CLOSED) or plan.last(S.CLOSED_INFO_ONLY)
        latest = (
            TimelineEntry.objects.filter(case=case).order_by("-at").values_list("at", flat=True).first()
            or plan.opened_at
        )
        Case.objects.filter(pk=case.pk).update(
            state_changed_at=last_step,
            updated_at=min(max(latest, last_step), self.clock.now),
            closed_on=closed.date() if closed else None,
        )

    def settle_follow_up_tasks(self, plan: CasePlan, case: Case) -> None:
        """The tasks move() made (check on a referral, follow up after closure) are due
        counted from the step, not from today; older ones were done."""
        tasks = list(
            Task.objects.filter(case=case, kind__in=[TaskKind.HANDOFF_FOLLOW_UP, TaskKind.FOLLOW_UP]).order_by("id")
        )
        steps = [s for s in plan.steps if s.to in (S.HANDED_OFF, S.FOLLOW_UP)]
        for task, step in zip(tasks, steps, strict=True):
            days = 14 if step.to == S.HANDED_OFF else 90
            task.code = new_code(self.rng)
            task.created_at = step.at
            task.due_on = self.clock.workday(step.at.date() + dt.timedelta(days=days))
            finished = plan.final_state == S.ENDED
            checked = step.to == S.HANDED_OFF and (self.clock.today - step.at.date()).days > 20
            if (finished or checked) and case.worker is not None:
                done_at = min(
                    plan.end_at if finished else self.clock.at(task.due_on, self.rng),
                    self.clock.now - dt.timedelta(hours=1),
                )
                task.done_at, task.done_by = done_at, case.worker
                TimelineEntry.objects.create(
                    case=case,
                    at=done_at,
                    kind=TimelineKind.TASK_DONE,
                    actor=case.worker,
                    detail=task.title,
                    shared=False,
                )
                record(case.worker, Action.CHANGE, task, changes={"done": True})
        Task.objects.bulk_update(tasks, ["code", "created_at", "due_on", "done_at", "done_by"])

    # -- whereabouts confidentiality ---------------------------------------------

    def confidentiality_events(
        self, town: Town, plan: CasePlan, subject: Member, household: list[Member]
    ) -> list[tuple[dt.datetime, int, Callable[[], None]]]:
        """An order in force since about 11 months (renewal due within a month), with
        the children of the household protected with the parent; or one just asked for,
        waiting for a second staff member to confirm it."""
        clock, rng = self.clock, self.rng
        requester = town.staff[plan.spec.worker or "consultant"]
        chief = self.chief_of(town)
        events: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        if plan.spec.confidentiality == "confirmed":
            requested_at = max(clock.at(clock.day(336), rng), plan.opened_at + dt.timedelta(hours=3))
            confirmed_at: dt.datetime | None = clock.at(
                clock.next_workday(requested_at.date() + dt.timedelta(days=1)), rng
            )
            source, against = (
                ConfidentialitySource.RESIDENT_REGISTER,
                "元配偶者（県外在住）。本人と子の転居先を探している。",
            )
            protected = [subject, *(m for m in household if m.relation == Relation.CHILD)]
        else:
            requested_at = plan.opened_at + dt.timedelta(minutes=50)
            confirmed_at = None
            source, against = (
                ConfidentialitySource.AGENCY_JUDGEMENT,
                "元交際相手（市内在住）。本人の勤務先を知っている。",
            )
            protected = [subject]
        starts = requested_at.date()
        ends = starts + dt.timedelta(days=settings.TSUNAGU["CONFIDENTIALITY_DAYS"] - 1)
        for member in protected:
            assert member.person is not None
            order = WhereaboutsConfidentiality(
                code=new_code(rng),
                person=member.person,
                source=source,
                starts_on=starts,
                ends_on=ends,
                protects_against=against,
                requested_by=requester,
                requested_at=requested_at,
            )
            events.append((requested_at, 4, self.order_event(order, requester)))
            if confirmed_at is not None:
                events.append((confirmed_at, 4, self.confirm_event(order, chief, confirmed_at)))
        return events

    def order_event(self, order: WhereaboutsConfidentiality, requester: Staff) -> Callable[[], None]:
        def run() -> None:
            order.save(force_insert=True)
            changes = {"source": order.source, "starts_on": order.starts_on, "ends_on": order.ends_on}
            record(requester, Action.CREATE, order, person_code=order.person.code, changes=changes)

        return run

    def confirm_event(self, order: WhereaboutsConfidentiality, chief: Staff, when: dt.datetime) -> Callable[[], None]:
        def run() -> None:
            order.confirmed_by, order.confirmed_at = chief, when
            order.save(update_fields=["confirmed_by", "confirmed_at"])
            record(chief, Action.CHANGE, order, person_code=order.person.code, changes={"confirmed": True})

        return run
