"""Employment support in the demo town 雄勝野市 (DOMAIN.md §1, issue 11): job-seekers in
every readiness stage, cooperating employers with months of 求人開拓, open and closed
openings (some re-keyed from Hello Work), steps, placements with their 定着支援
follow-ups (done, due and one overdue), a job left, and income rises from work and
otherwise. Written through the app's own functions (tsunagu.employment.support), so
each record has its audit entry, its timeline entry and its tasks. Every name, number
and address is invented."""

import datetime as dt
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import District, Municipality, Role, Staff
from tsunagu.cases.models import Case, CaseState
from tsunagu.employment.models import (
    BARRIER_ISSUES,
    Employer,
    FollowUp,
    IncomeRise,
    JobDevelopment,
    Opening,
    Placement,
    Stage,
    Step,
)
from tsunagu.employment.support import (
    correct,
    create_employer,
    create_opening,
    end_placement,
    log_contact,
    record_follow_up,
    record_income_rise,
    record_placement,
    record_step,
    save_profile,
)
from tsunagu.people.models import WhereaboutsConfidentiality
from tsunagu.sheets.models import AssessmentSheet, current_version

# Cases in these states are looking for work (or working) in the demo.
SEEKING_STATES = (
    CaseState.PLAN_DRAFT,
    CaseState.COORDINATION,
    CaseState.DECIDED,
    CaseState.IN_SUPPORT,
    CaseState.EVALUATION,
)


class EmployerData(NamedTuple):
    name: str
    industry: str
    district: str
    offers: tuple[str, ...]
    contact: str
    phone: str
    certification: str = ""


EMPLOYERS = (
    EmployerData(
        "株式会社雄勝野フーズ",
        "manufacturing",
        "東小",
        ("visit", "experience", "employment"),
        "総務課 佐々木",
        "0183-72-4501",
    ),
    EmployerData(
        "社会福祉法人せせらぎ会",
        "medical_welfare",
        "西小",
        ("visit", "experience", "employment", "training_employed"),
        "施設長 村上",
        "0183-73-8820",
        "秋田県-就訓-0412",
    ),
    EmployerData(
        "農事組合法人みなせ",
        "agriculture",
        "皆瀬",
        ("experience", "training_non_employed"),
        "代表 高田",
        "0183-47-2231",
        "秋田県-就訓-0388",
    ),
    EmployerData("おがちの運送株式会社", "transport", "山田", ("visit", "employment"), "配車係 熊谷", "0183-72-6610"),
    EmployerData(
        "ホテル川原湯", "hospitality", "稲川", ("visit", "experience", "employment"), "支配人 遠藤", "0183-42-1180"
    ),
    EmployerData(
        "スーパーいわさき", "retail", "弁天・幡野・岩崎", ("experience", "employment"), "店長 菅原", "0183-72-0900"
    ),
    EmployerData(
        "有限会社雄勝クリーン", "services", "雄勝", ("visit", "experience", "employment"), "専務 斎藤", "0183-52-3303"
    ),
    EmployerData("三関りんご園", "agriculture", "三関・須川・高松", ("experience",), "園主 小松", "0183-73-5512"),
)


class OpeningData(NamedTuple):
    title: str
    employer: int  # index into EMPLOYERS; -1: a Hello Work opening of another firm
    category: str
    employment_type: str
    hours: int
    wage_unit: str
    wage: int
    closes_in: int | None  # days from today; negative: closed by date
    hello_work: str = ""
    employer_name: str = ""
    licences: str = ""
    accommodations: str = ""
    closed: bool = False


OPENINGS = (
    OpeningData(
        "食品の盛り付け・箱詰め", 0, "production", "part_time", 20, "hourly", 960, 9, accommodations="週3日・短時間から"
    ),
    OpeningData(
        "介護施設の清掃・配膳補助",
        1,
        "care",
        "training_employed",
        15,
        "hourly",
        951,
        30,
        accommodations="ジョブコーチが付き添い",
    ),
    OpeningData("野菜の収穫・出荷作業（訓練）", 2, "agriculture", "training_non_employed", 12, "daily", 3000, None),
    OpeningData(
        "小型トラックの配送助手", 3, "transport", "non_regular", 30, "monthly", 178000, 20, licences="普通自動車免許"
    ),
    OpeningData(
        "客室清掃", 4, "carrying_cleaning", "part_time", 20, "hourly", 980, 5, accommodations="朝の時間帯のみも可"
    ),
    OpeningData("品出し・レジ補助", 5, "sales", "part_time", 24, "hourly", 960, 12),
    OpeningData("ビル清掃スタッフ", 6, "carrying_cleaning", "regular", 40, "monthly", 190000, 40),
    OpeningData(
        "介護職員（初任者研修）", 1, "care", "regular", 40, "monthly", 205000, 25, licences="介護職員初任者研修"
    ),
    OpeningData(
        "事務補助（データ入力）",
        -1,
        "clerical",
        "part_time",
        20,
        "hourly",
        970,
        15,
        hello_work="05010-2611843",
        employer_name="雄勝野商工会",
    ),
    OpeningData(
        "製造ライン作業",
        -1,
        "production",
        "non_regular",
        38,
        "monthly",
        172000,
        3,
        hello_work="05010-2609911",
        employer_name="東北精密株式会社 雄勝野工場",
    ),
    OpeningData("りんごの収穫（季節）", 7, "agriculture", "part_time", 25, "daily", 7500, -20, closed=True),
    OpeningData(
        "警備スタッフ",
        -1,
        "security",
        "non_regular",
        40,
        "monthly",
        180000,
        -45,
        hello_work="05010-2544120",
        employer_name="秋南警備保障",
    ),
    OpeningData("調理補助", 4, "service", "part_time", 20, "hourly", 950, -10),
    OpeningData("倉庫内の仕分け", 3, "carrying_cleaning", "part_time", 25, "hourly", 960, 60, closed=True),
)

# The 求人開拓 log: (employer index, days ago, method, outcome, note).
CONTACTS = (
    (0, 3, "visit", "opening", "盛り付けラインの短時間パートを開拓。見学は毎週火曜。"),
    (1, 6, "visit", "placement_slot", "認定就労訓練（雇用型）の受け入れ枠を1名分確認。"),
    (4, 9, "phone", "interest", "冬のシーズンに客室清掃を増員予定。"),
    (6, 1, "visit", "opening", "ビル清掃の正社員求人。未経験可。"),
    (2, 15, "phone", "follow_up", "訓練中の方の様子を確認。"),
    (5, 40, "visit", "opening", "品出しの求人を開拓。"),
    (7, 55, "phone", "declined", "今季は人手が足りているとのこと。"),
    (3, 70, "visit", "interest", "配送助手なら受け入れ可能。免許が条件。"),
    (0, 95, "visit", "placement_slot", "職場体験（3日間）の受け入れを依頼。"),
    (1, 120, "visit", "opening", "介護職員の求人。"),
)

# The job-seekers: (stage, categories, wished job, hours, licences, commute).
SEEKERS = (
    (Stage.GENERAL, ["carrying_cleaning", "production"], "清掃か工場の軽作業", 20, "", ["bicycle"]),
    (Stage.GENERAL, ["transport"], "配送の仕事", 40, "普通自動車免許", ["car"]),
    (Stage.PREPARATION, ["production"], "食品工場", 15, "", ["public"]),
    (Stage.CERTIFIED_TRAINING, ["care"], "介護の補助", 15, "", ["public", "bicycle"]),
    (Stage.WELFARE, ["agriculture"], "農作業", 10, "", ["lift"]),
    (Stage.GENERAL, ["sales", "service"], "スーパーの品出し", 24, "", ["walk"]),
    (Stage.PREPARATION, ["clerical"], "事務補助", 20, "日商簿記3級", ["public"]),
    (Stage.CERTIFIED_TRAINING, ["agriculture"], "野菜づくり", 12, "", ["car"]),
    (Stage.GENERAL, ["care"], "介護職員", 40, "介護職員初任者研修\n普通自動車免許", ["car"]),
    (Stage.WELFARE, ["carrying_cleaning"], "清掃", 10, "", ["lift"]),
    (Stage.GENERAL, ["carrying_cleaning"], "ホテルの清掃", 20, "", ["bicycle"]),
    (Stage.PREPARATION, ["service"], "調理補助", 15, "", ["walk"]),
)

HISTORY = (
    {
        "employer_name": "湯沢精機",
        "job": "組立",
        "started": "平成24年4月",
        "ended": "令和元年9月",
        "end_reason": "工場の閉鎖",
    },
    {
        "employer_name": "コンビニ（市内）",
        "job": "レジ",
        "started": "令和2年1月",
        "ended": "令和5年3月",
        "end_reason": "体調を崩した",
    },
)


def _supporter(municipality: Municipality) -> Staff | None:
    staff = Staff.objects.filter(agency__municipality=municipality).order_by("id")
    return staff.filter(role=Role.EMPLOYMENT_SUPPORTER).first() or staff.filter(role=Role.CHIEF).first()


def load_employment(municipality: Municipality) -> dict[str, int]:
    """The employment records of the demo town (its cases and staff must exist)."""
    by = _supporter(municipality)
    if by is None:
        return {}
    today = timezone.localdate()
    districts = {d.name: d for d in District.objects.filter(municipality=municipality)}
    # Not a person under whereabouts confidentiality: the demo's employers and places would locate her.
    protected = WhereaboutsConfidentiality.objects.values("person_id")
    cases = list(
        Case.objects.filter(agency__municipality=municipality, state__in=SEEKING_STATES)
        .exclude(person_id__in=protected)
        .select_related("agency", "worker", "person")
        .order_by("code")[: len(SEEKERS)]
    )
    with transaction.atomic():
        employers = [_employer(municipality, data, districts, by, today) for data in EMPLOYERS]
        for index, days, method, outcome, note in CONTACTS:
            log_contact(
                JobDevelopment(
                    employer=employers[index],
                    contacted_on=today - dt.timedelta(days=days),
                    method=method,
                    staff=by,
                    outcome=outcome,
                    note=note,
                ),
                by,
            )
        openings = [_opening(municipality, data, employers, districts, by, today) for data in OPENINGS]
        for case, seeker in zip(cases, SEEKERS, strict=False):
            _profile(case, seeker, districts, by, today)
        _steps_and_placements(cases, employers, openings, by, today)
    return {"employers": len(employers), "openings": len(openings), "job_seekers": len(cases)}


def _employer(
    municipality: Municipality, data: EmployerData, districts: dict[str, District], by: Staff, today: dt.date
) -> Employer:
    employer = Employer(
        municipality=municipality,
        name=data.name,
        industry=data.industry,
        district=districts.get(data.district),
        address=f"雄勝野市{data.district}",
        contact_name=data.contact,
        phone=data.phone,
        offers=list(data.offers),
        training_certification_number=data.certification,
        training_certified_on=today - dt.timedelta(days=400) if data.certification else None,
        created_by=by,
    )
    return create_employer(employer)


def _opening(
    municipality: Municipality,
    data: OpeningData,
    employers: list[Employer],
    districts: dict[str, District],
    by: Staff,
    today: dt.date,
) -> Opening:
    employer = employers[data.employer] if data.employer >= 0 else None
    opening = Opening(
        municipality=municipality,
        source="hello_work" if data.hello_work else "employer",
        employer=employer,
        employer_name=data.employer_name,
        hello_work_number=data.hello_work,
        title=data.title,
        category=data.category,
        employment_type=data.employment_type,
        hours_per_week=data.hours,
        days=["mon", "tue", "wed", "thu", "fri"] if data.hours >= 30 else ["mon", "wed", "fri"],
        wage_unit=data.wage_unit,
        wage=data.wage,
        place=employer.address if employer else "雄勝野市",
        district=employer.district if employer else None,
        required_licences=data.licences,
        accommodations=data.accommodations,
        closes_on=today + dt.timedelta(days=data.closes_in) if data.closes_in is not None else None,
        closed_on=today - dt.timedelta(days=7) if data.closed else None,
        created_by=by,
    )
    return create_opening(opening)


def _profile(case: Case, seeker: tuple[Any, ...], districts: dict[str, District], by: Staff, today: dt.date) -> None:
    stage, categories, job, hours, licences, commute = seeker
    sheet = current_version(AssessmentSheet, case)
    barriers = [i for i in sheet.issues if i in BARRIER_ISSUES] if sheet is not None else []
    wished = [case.person.district] if case.person.district_id else []
    values = {
        "stage": stage,
        "wished_categories": categories,
        "wished_job": job,
        "wished_hours_per_week": hours,
        "wished_days": ["mon", "tue", "wed", "thu", "fri"],
        "wished_area": "",
        "commute": commute,
        "commute_minutes": 30,
        "licences": licences,
        "barriers": barriers,
        "barrier_note": "",
        "accommodations": "",
        "hello_work_number": f"05010-{int(case.code.int % 10**8):08d}" if stage == Stage.GENERAL else "",
        "hello_work_registered_on": today - dt.timedelta(days=60) if stage == Stage.GENERAL else None,
        "supporter": by,
    }
    save_profile(case, by, 0, values, wished, [HISTORY[case.pk % 2]])


def _steps_and_placements(
    cases: list[Case], employers: list[Employer], openings: list[Opening], by: Staff, today: dt.date
) -> None:
    if len(cases) < 8:
        return
    # Steps: a visit, a work experience, an interview planned, an application.
    record_step(
        Step(
            case=cases[0],
            kind="visit",
            opening=openings[4],
            on=today - dt.timedelta(days=12),
            result="done",
            note="本人は前向き。",
        ),
        by,
    )
    record_step(Step(case=cases[0], kind="interview", opening=openings[4], on=today + dt.timedelta(days=3)), by)
    record_step(
        Step(
            case=cases[2],
            kind="experience",
            employer=employers[0],
            on=today - dt.timedelta(days=20),
            result="done",
            note="3日間の職場体験を終えた。",
        ),
        by,
    )
    record_step(Step(case=cases[6], kind="application", opening=openings[8], on=today - dt.timedelta(days=2)), by)
    record_step(
        Step(case=cases[1], kind="interview", opening=openings[3], on=today - dt.timedelta(days=200), result="passed"),
        by,
    )
    # Placements, each with its follow-ups: long enough ago for all of them, some, none yet.
    plans = (
        (cases[1], employers[3], openings[3], 210, "non_regular", 38, 176000, None),
        (cases[3], employers[1], openings[1], 100, "training_employed", 15, 58000, None),
        (cases[5], employers[5], openings[5], 40, "part_time", 24, 92000, None),
        (cases[7], employers[2], openings[2], 20, "training_non_employed", 12, 0, None),
        (cases[8], employers[1], openings[7], 150, "regular", 40, 205000, 60),
    )
    for case, employer, opening, days_ago, kind, hours, wage, ended_days_ago in plans:
        placement = record_placement(
            Placement(
                case=case,
                employer=employer,
                opening=opening,
                job=opening.title,
                started_on=today - dt.timedelta(days=days_ago),
                employment_type=kind,
                hours_per_week=hours,
                monthly_wage=wage or None,
            ),
            by,
        )
        for follow_up in placement.follow_ups.order_by("months"):
            # The follow-ups already due are done, except the 1-month one of the placement
            # of 40 days ago, left overdue for the start page to show.
            if follow_up.due_on > today or (days_ago == 40 and follow_up.months == 1):
                continue
            if ended_days_ago is not None and follow_up.due_on > today - dt.timedelta(days=ended_days_ago):
                continue
            stored = FollowUp.objects.get(pk=follow_up.pk)
            follow_up.done_on = follow_up.due_on
            follow_up.still_working = True
            follow_up.note = "職場を訪問。勤務は安定している。"
            record_follow_up(follow_up, stored, follow_up.version, by)
        if ended_days_ago is not None:
            before = Placement.objects.get(pk=placement.pk)
            placement.ended_on = today - dt.timedelta(days=ended_days_ago)
            placement.end_reason = "workplace"
            placement.end_note = "夜勤の負担で体調を崩し、話し合って退職。次の仕事を一緒に探している。"
            end_placement(placement, before, placement.version, by)
        if wage:
            record_income_rise(
                IncomeRise(
                    case=case,
                    risen_on=placement.started_on + dt.timedelta(days=30),
                    income_before=0,
                    income_after=wage,
                    source="work",
                    placement=placement,
                ),
                by,
            )
    pension = record_income_rise(
        IncomeRise(
            case=cases[4],
            risen_on=today - dt.timedelta(days=25),
            income_before=45000,
            income_after=101000,
            source="other",
            note="障害年金の受給が決まった。",
        ),
        by,
    )
    # Recorded from what the person said, corrected from the pension certificate: the
    # demo shows a correction (version 2, its audit entry and its timeline entry).
    recorded = IncomeRise.objects.get(pk=pension.pk)
    pension.income_after = 110000
    pension.note = "障害年金の受給が決まった。金額は年金証書で確かめた。"
    correct(pension, recorded, recorded.version, by, ("income_after", "note"), cases[4])
