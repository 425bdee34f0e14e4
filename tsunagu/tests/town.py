"""A generated demo-like town for sweeps: at least 1,000 households from a seeded
generator (the same town on every run), with cases, and a few people under whereabouts
confidentiality who have each an address, a postal code, a phone, an e-mail address,
a case team, referrals, consents, an intake sheet, notes, tasks, a meeting item, a
supporter report and an agency they were sent to (a shelter of their own, so that its
name points to them and to nobody else).

`build_town()` writes it with bulk_create where it can, and through the apps' own
functions (consents, referrals, the case moves) for the protected people, so that what
those functions write (timeline, tasks, snapshots, disclosures) is swept too."""

import datetime as dt
import random
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, District, Municipality, Role, Staff
from tsunagu.cases.models import (
    ACTIVE_STATES,
    Case,
    CaseConcern,
    CaseState,
    CaseTeamMember,
    Concern,
    IntakeRoute,
    ProgressNote,
    Task,
    TeamRole,
)
from tsunagu.community.models import Neighbourhood, Supporter, SupporterKind, SupporterReport
from tsunagu.consents.models import Category, Purpose, disclose_in_emergency, record_consent
from tsunagu.meetings.models import AgendaItem, Attendee, Meeting, MeetingKind
from tsunagu.meetings.models import Purpose as ItemPurpose
from tsunagu.people.models import (
    EmergencyRead,
    Household,
    HouseholdMember,
    Person,
    Relation,
    Sex,
    WhereaboutsConfidentiality,
)
from tsunagu.referrals.flow import accept, send
from tsunagu.referrals.models import Referral

SEED = 20261205
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"]
FAMILY_KANA = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ"]
GIVEN = [("一郎", "イチロウ"), ("花子", "ハナコ"), ("健", "ケン"), ("陽子", "ヨウコ"), ("翔", "ショウ"), ("愛", "アイ")]
DISTRICTS = ["弁天", "東小", "西小", "山田", "三関", "稲川", "雄勝", "皆瀬"]


@dataclass
class Protected:
    """A person under whereabouts confidentiality and what must stay with her team."""

    person: Person
    shelter: Agency
    secrets: list[str]
    team: set[str] = field(default_factory=set)  # usernames allowed to see her whereabouts
    case: Case | None = None
    order: WhereaboutsConfidentiality | None = None
    objects: dict[str, Any] = field(default_factory=dict)  # codes and ids the URLs take
    workplace: str = ""  # the directory's employer she works at: never beside her name

    @property
    def codes(self) -> set[str]:
        return {str(v) for k, v in self.objects.items() if k.endswith("code")} | {str(self.person.code)}


def _staff(username: str, agency: Agency | None, role: str, **extra: Any) -> Staff:
    staff = Staff(username=username, agency=agency, role=role, display_name=extra.pop("display_name", username))
    for key, value in extra.items():
        setattr(staff, key, value)
    staff.set_unusable_password()  # sweeps log in with force_login; hashing would cost seconds
    staff.save()
    return staff


def _person(rng: random.Random, town: Municipality, districts: list[District], n: int) -> Person:
    given, given_kana = rng.choice(GIVEN)
    district = rng.choice(districts)
    person = Person(
        municipality=town,
        family_name=rng.choice(FAMILY),
        given_name=given,
        family_name_kana=rng.choice(FAMILY_KANA),
        given_name_kana=given_kana,
        birth_date=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30000)),
        sex=rng.choice([Sex.MALE, Sex.FEMALE]),
        postal_code=f"012-0{rng.randrange(100, 999)}",
        address=f"つなぐ市{district.name}{rng.randrange(1, 9)}丁目{rng.randrange(1, 40)}-{rng.randrange(1, 20)}",
        district=district,
        phone=f"0183-{rng.randrange(10, 99)}-{n % 10000:04d}",
        email=f"p{n}@example.jp" if n % 7 == 0 else "",
    )
    person.refresh_search_keys()
    return person


def build_town(households: int = 1000, protected: int = 4, seed: int = SEED) -> SimpleNamespace:
    rng = random.Random(seed)
    t = SimpleNamespace()
    t.town = Municipality.objects.create(name="つなぐ市", prefecture="秋田県", population=42000)
    t.other_town = Municipality.objects.create(name="となり村", prefecture="秋田県", population=2500)
    t.districts = District.objects.bulk_create(
        [District(municipality=t.town, name=name, number=i) for i, name in enumerate(DISTRICTS, start=1)]
    )
    agency = lambda name, kind, town=t.town: Agency.objects.create(municipality=town, name=name, kind=kind)  # noqa: E731
    t.centre = agency("つなぐ市自立相談支援センター", AgencyKind.CONSULTATION_CENTRE)
    t.welfare = agency("つなぐ市福祉課", AgencyKind.MUNICIPAL_DEPARTMENT)
    t.community_care = agency("つなぐ市地域包括支援センター", AgencyKind.COMMUNITY_CARE_CENTRE)
    t.housing = agency("居住支援法人あんしん", AgencyKind.HOUSING_SUPPORT_CORPORATION)
    t.swc = agency("つなぐ市社会福祉協議会", AgencyKind.SOCIAL_WELFARE_COUNCIL)
    t.other_centre = agency("となり村自立相談支援センター", AgencyKind.CONSULTATION_CENTRE, t.other_town)
    t.shelters = [agency(f"避難先支援ホーム第{i + 1}号", AgencyKind.NPO) for i in range(protected)]

    t.staff = {
        "chief": _staff("chief", t.centre, Role.CHIEF),
        "team_worker": _staff("team_worker", t.centre, Role.CONSULTANT),
        "consultant": _staff("consultant", t.centre, Role.CONSULTANT),
        "deputy": _staff("deputy", t.centre, Role.CONSULTANT, is_deputy_chief=True),
        "employment": _staff("employment", t.centre, Role.EMPLOYMENT_SUPPORTER),
        "coordinator": _staff("coordinator", t.centre, Role.COORDINATOR),
        "officer": _staff("officer", t.welfare, Role.MUNICIPAL_OFFICER),
        "partner": _staff("partner", t.community_care, Role.PARTNER),
        "partner_other": _staff("partner_other", t.housing, Role.PARTNER),
        "shelter_staff": _staff("shelter_staff", t.shelters[0], Role.PARTNER),
        "district_chief": _staff("district_chief", t.swc, Role.DISTRICT_CHIEF),
        "supporter": _staff("supporter", None, Role.SUPPORTER),
        "admin": _staff("admin", None, Role.ADMIN, is_staff=True, is_superuser=True),
        "outsider": _staff("outsider", t.other_centre, Role.CHIEF),
    }
    s = t.staff
    for district in t.districts:
        district.chief = s["district_chief"]
    District.objects.bulk_update(t.districts, ["chief"])
    t.neighbourhoods = Neighbourhood.objects.bulk_create(
        [Neighbourhood(district=d, name=f"{d.name}一丁目") for d in t.districts]
    )
    t.supporter = Supporter.objects.create(
        municipality=t.town,
        name="加藤 新聞",
        kind=SupporterKind.NEWSPAPER,
        account=s["supporter"],
        agreement_signed_on=dt.date(2025, 4, 1),
        registered_by=s["chief"],
    )

    _households(t, rng, households)
    _cases(t, rng)
    t.protected = [_protect(t, rng, i) for i in range(protected)]
    return t


def _households(t: SimpleNamespace, rng: random.Random, count: int) -> None:
    homes = Household.objects.bulk_create([Household(municipality=t.town) for _ in range(count)])
    people: list[Person] = []
    sizes = [rng.choice([1, 1, 2, 2, 3, 4]) for _ in homes]
    for size in sizes:
        people.extend(_person(rng, t.town, t.districts, len(people) + 1) for _ in range(size))
    Person.objects.bulk_create(people, batch_size=500)
    members, at = [], 0
    relations = [Relation.SPOUSE, Relation.CHILD, Relation.PARENT]
    for home, size in zip(homes, sizes, strict=True):
        for i in range(size):
            relation = Relation.HEAD if i == 0 else rng.choice(relations)
            members.append(HouseholdMember(household=home, person=people[at], relation=relation, is_head=i == 0))
            at += 1
    HouseholdMember.objects.bulk_create(members, batch_size=500)
    t.people = people
    t.households = homes


def _cases(t: SimpleNamespace, rng: random.Random) -> None:
    workers = [t.staff["consultant"], t.staff["employment"], t.staff["coordinator"], t.staff["team_worker"]]
    states = sorted(ACTIVE_STATES)
    chosen = [p for p in t.people if rng.random() < 0.25]
    cases = Case.objects.bulk_create(
        [
            Case(
                person=p,
                agency=t.centre,
                worker=rng.choice(workers),
                state=rng.choice(states),
                intake_route=IntakeRoute.WALK_IN,
                summary="生活の相談。",
            )
            for p in chosen
        ],
        batch_size=500,
    )
    concerns = list(Concern.values)
    CaseConcern.objects.bulk_create(
        [CaseConcern(case=c, concern=rng.choice(concerns), is_primary=True) for c in cases], batch_size=500
    )
    t.cases = cases


def _employ(t: SimpleNamespace, p: Protected, case: Case, district: District) -> None:
    """Her workplace is her whereabouts: a job-seeker profile naming the 就労支援員 (not on
    her team: the chief has not approved them), a 職場見学 at an opening she fits, a
    placement there and one at a shop outside the directory (its name a secret: nothing
    else in the town names it), with their 定着支援 follow-ups and an income rise."""
    from tsunagu.employment.models import Employer, IncomeRise, JobSeekerProfile, Opening, Placement, Step
    from tsunagu.employment.support import record_income_rise, record_placement, record_step

    s, today = t.staff, timezone.localdate()
    employer = Employer.objects.create(
        municipality=t.town, name="しのび製作所", industry="manufacturing", district=district, created_by=s["chief"]
    )
    opening = Opening.objects.create(
        municipality=t.town,
        employer=employer,
        title="しのびの箱詰め",
        source="employer",
        category="carrying_cleaning",
        employment_type="part_time",
        hours_per_week=20,
        days=["mon", "tue", "wed"],
        wage_unit="hourly",
        wage=950,
        district=district,
        closes_on=today + dt.timedelta(days=10),
        created_by=s["chief"],
    )
    profile = JobSeekerProfile.objects.create(
        case=case,
        version=1,
        recorded_by=s["team_worker"],
        stage="general",
        wished_categories=["carrying_cleaning"],
        wished_hours_per_week=20,
        wished_days=["mon", "tue", "wed", "thu", "fri"],
        commute=["bicycle"],
        supporter=s["employment"],
    )
    profile.wished_districts.set([district])
    step = record_step(Step(case=case, kind="visit", opening=opening, on=today), s["team_worker"])
    terms = {"employment_type": "part_time", "hours_per_week": 20, "monthly_wage": 80000}
    placement = record_placement(
        Placement(case=case, employer=employer, started_on=today - dt.timedelta(days=28), **terms), s["team_worker"]
    )
    record_placement(
        Placement(case=case, employer_name="かくれ商店", started_on=today - dt.timedelta(days=60), **terms),
        s["team_worker"],
    )
    rise = record_income_rise(
        IncomeRise(case=case, risen_on=today, income_before=0, income_after=80000, source="work"), s["team_worker"]
    )
    p.secrets.append("かくれ商店")
    p.workplace = employer.name
    # Not "…_code": the directory's pages are not about her (Protected.codes).
    p.objects.update(employer_ref=employer.code, opening_ref=opening.code)
    p.objects.update(
        step_code=step.code,
        placement_code=placement.code,
        follow_up_code=placement.follow_ups.order_by("months").first().code,  # type: ignore[union-attr]
        income_code=rise.code,
    )


def _protect(t: SimpleNamespace, rng: random.Random, i: int) -> Protected:
    """The i-th protected person: 0 has everything (sent to her shelter before her order
    came into force, the shelter accepted); 1 is handed off at screening; 2 has no case
    (only the chief); 3 has a partner on her team."""
    s = t.staff
    district = t.districts[i % len(t.districts)]
    home = rng.choice(t.households)
    person = Person(
        municipality=t.town,
        family_name="秘匿",
        given_name=["春子", "夏子", "秋子", "冬子", "雪子", "月子"][i % 6],
        family_name_kana="ヒトク",
        given_name_kana=["ハルコ", "ナツコ", "アキコ", "フユコ", "ユキコ", "ツキコ"][i % 6],
        birth_date=dt.date(1985, 1, 1) + dt.timedelta(days=i * 400),
        sex=Sex.FEMALE,
        postal_code=f"019-77{i:02d}",
        address=f"つなぐ市避難町{i + 1}丁目{i + 7}-{i + 3} コーポしのび{i + 1}号",
        district=district,
        phone=f"090-7777-{1000 + i:04d}",
        email=f"shinobi{i}@example.jp",
    )
    person.save()
    HouseholdMember.objects.create(household=home, person=person, relation=Relation.OTHER_RELATIVE)
    shelter = t.shelters[i]
    secrets = [person.address, person.postal_code, person.phone, person.phone.replace("-", ""), person.email]
    p = Protected(person=person, shelter=shelter, secrets=secrets, team={"chief"})
    p.objects["household_code"] = home.code
    today = timezone.localdate()

    def order() -> None:
        p.order = WhereaboutsConfidentiality.objects.create(
            person=person,
            source="resident_register",
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=300),
            protects_against="元配偶者",
            requested_by=s["chief"],
            confirmed_by=s["team_worker"],
            confirmed_at=timezone.now(),
        )
        p.objects["order_code"] = p.order.code

    if i == 2:  # no case: only the chief
        order()
        return p
    case = Case.objects.create(
        person=person,
        agency=t.centre,
        worker=s["team_worker"],
        state=CaseState.SCREENING if i == 1 else CaseState.IN_SUPPORT,
        intake_route=IntakeRoute.PHONE,
        summary="DV避難中。",
    )
    CaseConcern.objects.create(case=case, concern=Concern.ABUSE, is_primary=True)
    p.case, p.team = case, {"chief", "team_worker"}
    p.objects["case_code"] = case.code
    consent = record_consent(
        person,
        s["team_worker"],
        case=case,
        agencies=[shelter],
        purposes=[Purpose.REFERRAL, Purpose.TEAM, Purpose.COORDINATION],
        categories=[Category.BASIC, Category.PLAN, Category.PROGRESS],
        method="signature",
        given_on=today - dt.timedelta(days=5),
    )
    p.objects["consent_code"] = consent.code
    if i == 0:
        # Sent before her order came into force: what was written then names the shelter.
        referral = send(case, s["team_worker"], shelter, [Category.BASIC], "住まいの確保をお願いします。")
        accept(referral, s["shelter_staff"])
        p.objects["referral_code"] = referral.code
        disclose_in_emergency(case, s["team_worker"], agency=shelter, categories=[Category.BASIC], reason="避難のため")
        order()
        from tsunagu.sheets.models import IntakeSheet, PlanItem, PlanSheet

        sheet = IntakeSheet.objects.create(
            case=case,
            version=1,
            recorded_by=s["team_worker"],
            received_on=today - dt.timedelta(days=10),
            receiving_worker=s["team_worker"],
            concerns=[Concern.ABUSE],
            primary_concern=Concern.ABUSE,
            work_status="non_regular",
            housing_status="rented",
            insurance="national",
            pension="exempt",
            applied=True,
            applied_on=today - dt.timedelta(days=10),
            consent_method="signature",
            consent_purposes=["team"],
        )
        sheet.consent_agencies.set([shelter])
        plan = PlanSheet.objects.create(
            case=case,
            version=1,
            recorded_by=s["team_worker"],
            long_term_goal="安心して暮らす。",
            period_start=today - dt.timedelta(days=5),
            period_end=today + dt.timedelta(days=180),
            next_evaluation_on=today + dt.timedelta(days=90),
            agreed_on=today - dt.timedelta(days=5),
            agreement_method="signature",
        )
        PlanItem.objects.create(
            plan=plan, issue="unstable_housing", goal="住まいを確保する", support="入居支援", provider_agency=shelter
        )
        note = ProgressNote.objects.create(
            case=case, author=s["team_worker"], method="phone", content="本人と連絡。", occurred_at=timezone.now()
        )
        task = Task.objects.create(
            case=case,
            title=f"{shelter.name}に入居の状況を確認する",
            due_on=today,
            assignee=s["team_worker"],
            created_by=s["team_worker"],
        )
        p.objects.update(note_code=note.code, task_code=task.code)
        report = SupporterReport.objects.create(
            supporter=t.supporter,
            municipality=t.town,
            district=district,
            place=f"{district.name}の公民館",
            signs=["other"],
            person=person,
            case=case,
        )
        p.objects["report_code"] = report.code
        meeting = Meeting.objects.create(
            municipality=t.town,
            kind=MeetingKind.COORDINATION,
            title="支援調整会議",
            held_on=today + dt.timedelta(days=3),
            chair=s["chief"],
            created_by=s["chief"],
        )
        for who in ("team_worker", "consultant", "officer", "partner"):
            Attendee.objects.create(meeting=meeting, staff=s[who], agency=s[who].agency)
        item = AgendaItem.objects.create(meeting=meeting, purpose=ItemPurpose.CASE_DISCUSSION, case=case, order=1)
        p.objects.update(meeting_code=meeting.code, item_code=item.code)
        read = EmergencyRead.objects.create(person=person, reader=s["deputy"], reason="緊急")
        p.objects["emergency_read_code"] = read.code
        _employ(t, p, case, district)
    elif i == 1:
        order()
        from tsunagu.cases.transitions import move

        move(case, CaseState.HANDED_OFF, s["team_worker"], to_agency=shelter, reason="シェルターへ")
        p.objects["referral_code"] = Referral.objects.get(case=case).code
    else:
        order()
        member = CaseTeamMember.objects.create(case=case, staff=s["partner"], team_role=TeamRole.PARTNER)
        p.objects["member_id"] = member.pk
        p.team.add("partner")
    return p
