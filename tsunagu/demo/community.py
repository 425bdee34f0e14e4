"""The community of a demo town (DOMAIN.md §5): a chief for every district (accounts
created where none is set), neighbourhoods from the districts' areas, about thirty
supporters of every kind (some sign in, some report through a personal link), reports
over the last months in every state, and a few regional issues.

The network has gaps on purpose: 雄勝 and 皆瀬 have one supporter each, so the network
page shows where it is thin. Reports and their triage go through the app's own named
functions (tsunagu.community.reports), so they carry audit entries like real ones; their
dates are then set back to when they happened.

Every name and telephone number here is invented. All is drawn from one
random.Random, so two loads give the same community.
"""

import datetime as dt
import hashlib
import random
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, District, Municipality, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import ACTIVE_STATES, Case
from tsunagu.community.models import (
    Neighbourhood,
    RegionalIssue,
    RegionalIssueStatus,
    RegionalIssueUpdate,
    Sign,
    Supporter,
    SupporterKind,
    SupporterLink,
    SupporterReport,
)
from tsunagu.community.reports import (
    close_without_concern,
    link_to_person,
    mark_handled,
    mark_in_progress,
    open_case,
    open_outreach,
    submit_report,
)
from tsunagu.demo.town import PASSWORD, TOWNS, AccountData
from tsunagu.people.models import WhereaboutsConfidentiality, confidentiality_in_force

SEED = 2027

# 地区チーフ: usernames after the district (romanised), display names invented.
CHIEFS: dict[str, tuple[str, str, str]] = {
    "弁天・幡野・岩崎": ("chief_benten", "小松", "良子"),
    "東小": ("chief_higashisho", "佐々木", "勝"),
    "西小": ("chief_nishisho", "菅原", "早苗"),
    "山田": ("chief_yamada", "照井", "正"),
    "三関・須川・高松": ("chief_sanzeki", "高橋", "和夫"),
    "稲川": ("chief_inakawa", "阿部", "節子"),
    "雄勝": ("chief_ogachi", "沓沢", "進"),
    "皆瀬": ("chief_minase", "京野", "ミツ"),
    "上郷": ("chief_kamigo", "藤原", "康夫"),
    "下郷": ("chief_shimogo", "成田", "秋子"),
}


class SupporterData(NamedTuple):
    name: str
    kind: str
    organisation: str
    district: str
    # Indexes into the district's areas (town.py) that the supporter watches over.
    areas: tuple[int, ...]
    account: str = ""
    link: bool = False
    active: bool = True


K = SupporterKind
# Companies that sign a 見守り協定 with the municipality.
AGREEMENT_KINDS = frozenset({K.MAIL, K.NEWSPAPER, K.MILK, K.METER, K.MEAL_DELIVERY, K.PARCEL, K.MOBILE_SHOP})

OGACHINO_SUPPORTERS: tuple[SupporterData, ...] = (
    SupporterData(
        "小松 キミ", K.WELFARE_COMMISSIONER, "弁天・幡野・岩崎地区民生児童委員協議会", "弁天・幡野・岩崎", (0,)
    ),
    SupporterData(
        "工藤 昭二", K.WELFARE_COMMISSIONER, "弁天・幡野・岩崎地区民生児童委員協議会", "弁天・幡野・岩崎", (1, 2)
    ),
    SupporterData("三浦 大地", K.MAIL, "雄勝野郵便局", "弁天・幡野・岩崎", (0, 1, 2), link=True),
    SupporterData("武田 恵", K.NEWSPAPER, "秋田日報 雄勝野販売所", "弁天・幡野・岩崎", (0,)),
    SupporterData("柴田 茂", K.SHOP, "柴田商店", "弁天・幡野・岩崎", (0,)),
    SupporterData("加藤 誠司", K.NEWSPAPER, "秋田日報 雄勝野販売所", "東小", (0, 1), account="supporter"),
    SupporterData("菅原 トシ", K.WELFARE_COMMISSIONER, "東小地区民生児童委員協議会", "東小", (0, 2)),
    SupporterData("千葉 理恵", K.MILK, "雄勝野牛乳", "東小", (0, 1, 2), link=True),
    SupporterData("今野 和也", K.APARTMENT_MANAGER, "ハイツさくら", "東小", (1,)),
    SupporterData("佐藤 幸子", K.MEAL_DELIVERY, "配食サービスまごころ", "東小", (0, 1, 2)),
    SupporterData("伊藤 功", K.RESIDENTS_ASSOCIATION, "清水町町内会", "東小", (2,)),
    SupporterData("高階 弘", K.NEWSPAPER, "秋田日報 雄勝野販売所", "東小", (2,), active=False),
    SupporterData("照井 ハル", K.WELFARE_COMMISSIONER, "西小地区民生児童委員協議会", "西小", (0, 1)),
    SupporterData("遠藤 拓也", K.METER, "雄勝野ガス", "西小", (0, 1, 2), account="supporter_meter"),
    SupporterData("原田 由紀", K.BARBER, "ヘアサロンはらだ", "西小", (2,)),
    SupporterData("後藤 翼", K.PARCEL, "みちのく運輸 雄勝野営業所", "西小", (0, 1, 2), link=True),
    SupporterData("石川 久子", K.NEIGHBOUR, "", "西小", (1,)),
    SupporterData("菊地 正男", K.WELFARE_COMMISSIONER, "山田地区民生児童委員協議会", "山田", (0, 1)),
    SupporterData("須田 健", K.MAIL, "雄勝野郵便局", "山田", (0, 1), account="supporter_mail"),
    SupporterData("鎌田 孝", K.MOBILE_SHOP, "とくし丸 雄勝野", "山田", (0, 1)),
    SupporterData("奥山 幸一", K.RESIDENTS_ASSOCIATION, "上野町内会", "山田", (0,)),
    SupporterData(
        "黒沢 フミ", K.WELFARE_COMMISSIONER, "三関・須川・高松地区民生児童委員協議会", "三関・須川・高松", (0,)
    ),
    SupporterData(
        "京野 勇", K.WELFARE_COMMISSIONER, "三関・須川・高松地区民生児童委員協議会", "三関・須川・高松", (1, 2)
    ),
    SupporterData("進藤 亮", K.NEWSPAPER, "秋田日報 須川販売所", "三関・須川・高松", (0, 1, 2), link=True),
    SupporterData("相馬 聡", K.METER, "雄勝野市上下水道", "三関・須川・高松", (0, 1)),
    SupporterData("大友 ヨシ", K.WELFARE_COMMISSIONER, "稲川地区民生児童委員協議会", "稲川", (0, 1)),
    SupporterData("村田 美和", K.MEAL_DELIVERY, "配食サービスまごころ", "稲川", (0, 1), link=True),
    SupporterData("桜田 商店", K.SHOP, "桜田商店", "稲川", (1,)),
    SupporterData("沓沢 テル", K.WELFARE_COMMISSIONER, "雄勝地区民生児童委員協議会", "雄勝", (0,)),
    SupporterData("保坂 直樹", K.MOBILE_SHOP, "とくし丸 雄勝野", "皆瀬", (0, 1), link=True),
)

NARUSEGAWA_SUPPORTERS: tuple[SupporterData, ...] = (
    SupporterData("成田 キヨ", K.WELFARE_COMMISSIONER, "成瀬川村民生児童委員協議会", "上郷", (0,)),
    SupporterData("小野寺 浩", K.MAIL, "成瀬川郵便局", "下郷", (0,), link=True),
)

SUPPORTERS = {"雄勝野市": OGACHINO_SUPPORTERS, "成瀬川村": NARUSEGAWA_SUPPORTERS}

# Accounts this module creates in 雄勝野市, for `manage.py demo_accounts`.
COMMUNITY_ACCOUNTS: tuple[AccountData, ...] = (
    *(
        AccountData(
            username, Role.DISTRICT_CHIEF, "council", f"{family} {given}", family, given, f"{district}の地区チーフ"
        )
        for district, (username, family, given) in CHIEFS.items()
        if district in {d.name for d in TOWNS[0].districts}
    ),
    AccountData("supporter", Role.SUPPORTER, None, "加藤 誠司", "加藤", "誠司", "新聞配達（東小）：報告だけ"),
    AccountData("supporter_mail", Role.SUPPORTER, None, "須田 健", "須田", "健", "郵便配達（山田）：報告だけ"),
    AccountData("supporter_meter", Role.SUPPORTER, None, "遠藤 拓也", "遠藤", "拓也", "ガス検針（西小）：報告だけ"),
)
COMMUNITY_USERNAMES = tuple(account.username for account in COMMUNITY_ACCOUNTS)

# Places as a supporter would write them, by style of area.
PLACES = {
    "chome": ("{area}{n}丁目の角の家", "{area}{n}丁目 青い屋根の平屋", "{area}{n}丁目 公民館の向かい"),
    "apartment": ("{area}の{apt} {room}号室", "{area} {apt}の2階いちばん奥"),
    "aza": ("{area}の集会所の先の一軒家", "{area} 県道沿いの赤いトタン屋根", "{area}の神社の裏"),
}
APARTMENTS = ("ハイツさくら", "コーポ柳", "メゾン東", "清風荘")
OTHER_TEXTS = (
    "雪かきがされていない。",
    "玄関先にごみ袋がたまっている。",
    "夜に大きな声がしていた。",
    "最近、店に来なくなった。",
    "",
    "",
)
NOTES = (
    "民生委員と一緒に訪問。本人は元気で、入院していたとのこと。",
    "家族が遠方から来て片付けていた。見守りを続ける。",
    "旅行で留守にしていただけ。",
    "本人と話ができた。困りごとはないとのこと。サロンを案内した。",
)
# (status, days ago it came in): the mix of the inbox.
PLAN: tuple[tuple[str, int], ...] = (
    ("received", 1),
    ("received", 2),
    ("received", 3),
    ("received", 5),
    ("received", 6),
    ("received", 9),
    ("received", 12),
    ("in_progress", 4),
    ("outreach", 5),
    ("outreach", 7),
    ("outreach", 8),
    ("in_progress", 11),
    ("linked", 16),
    ("case", 25),
    ("closed", 20),
    ("closed", 33),
    ("closed", 41),
    ("handled", 48),
    ("closed", 57),
    ("handled", 66),
    ("closed", 80),
    ("handled", 95),
    ("closed", 110),
    ("handled", 128),
    ("closed", 150),
)
# Districts that report more (more supporters) weigh more when a report is drawn.
DISTRICT_WEIGHTS = {
    "東小": 6,
    "西小": 5,
    "弁天・幡野・岩崎": 4,
    "山田": 3,
    "三関・須川・高松": 3,
    "稲川": 2,
    "雄勝": 1,
    "皆瀬": 1,
}


def _token(rng: random.Random) -> str:
    """A link secret drawn from the demo's random sequence (the demo is public anyway)."""
    return hashlib.sha256(rng.getrandbits(256).to_bytes(32, "big")).hexdigest()[:43]


def _areas(municipality: Municipality) -> dict[str, Any]:
    town = next((t for t in TOWNS if t.name == municipality.name), None)
    return {d.name: d.areas for d in town.districts} if town else {}


def load_community(municipality: Municipality) -> dict[str, int]:
    """Load the community of a demo town once; a second call changes nothing."""
    if Supporter.objects.filter(municipality=municipality).exists():
        return {"supporters": 0, "reports": 0}
    rng = random.Random(f"{SEED}-{municipality.name}")
    with transaction.atomic():
        centre = Agency.objects.filter(municipality=municipality, kind=AgencyKind.CONSULTATION_CENTRE).first()
        staff = list(
            Staff.objects.filter(agency=centre, role__in=[Role.CHIEF, Role.CONSULTANT, Role.COORDINATOR]).order_by(
                "username"
            )
        )
        if centre is None or not staff:
            return {"supporters": 0, "reports": 0}
        chief = next((s for s in staff if s.role == Role.CHIEF), staff[0])
        districts = list(District.objects.filter(municipality=municipality).order_by("number", "name"))
        _give_chiefs(municipality, districts)
        neighbourhoods = _make_neighbourhoods(municipality, districts)
        supporters = _make_supporters(municipality, neighbourhoods, chief, rng)
        reports = _make_reports(municipality, districts, supporters, staff, rng)
        _make_issues(municipality, districts, chief, rng)
    return {"supporters": len(supporters), "reports": reports}


def _give_chiefs(municipality: Municipality, districts: list[District]) -> None:
    council = (
        Agency.objects.filter(municipality=municipality, kind=AgencyKind.SOCIAL_WELFARE_COUNCIL).first()
        or Agency.objects.filter(municipality=municipality, kind=AgencyKind.CONSULTATION_CENTRE).first()
    )
    password = make_password(PASSWORD)
    for district in districts:
        if district.chief_id is not None:
            continue
        username, family, given = CHIEFS.get(
            district.name, (f"chief_{municipality.pk}_{district.number}", "地区", "チーフ")
        )
        chief = Staff.objects.filter(username=username).first()
        if chief is None:
            chief = Staff.objects.create(
                username=username,
                role=Role.DISTRICT_CHIEF,
                agency=council,
                display_name=f"{family} {given}",
                last_name=family,
                first_name=given,
                password=password,
            )
        district.chief = chief
        district.save(update_fields=["chief"])


def _make_neighbourhoods(municipality: Municipality, districts: list[District]) -> dict[str, list[Neighbourhood]]:
    areas = _areas(municipality)
    result: dict[str, list[Neighbourhood]] = {}
    for district in districts:
        names = [a.name for a in areas.get(district.name, ())] or [f"{district.name}一区", f"{district.name}二区"]
        result[district.name] = [Neighbourhood.objects.get_or_create(district=district, name=name)[0] for name in names]
    return result


def _make_supporters(
    municipality: Municipality, neighbourhoods: dict[str, list[Neighbourhood]], chief: Staff, rng: random.Random
) -> list[Supporter]:
    password = make_password(PASSWORD)
    today = timezone.localdate()
    made = []
    for data in SUPPORTERS.get(municipality.name, ()):
        if data.district not in neighbourhoods:
            continue
        account = None
        if data.account:
            family, given = data.name.split(" ", 1)
            account = Staff.objects.filter(username=data.account).first() or Staff.objects.create(
                username=data.account,
                role=Role.SUPPORTER,
                display_name=data.name,
                last_name=family,
                first_name=given,
                password=password,
            )
        signed = dt.date(today.year - rng.randint(1, 3), 4, 1) if data.kind in AGREEMENT_KINDS else None
        supporter = Supporter.objects.create(
            municipality=municipality,
            name=data.name,
            kind=data.kind,
            organisation=data.organisation,
            phone=f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            account=account,
            agreement_signed_on=signed,
            agreement_ends_on=dt.date(signed.year + 3, 3, 31) if signed else None,
            active=data.active,
            registered_by=chief,
        )
        here = neighbourhoods[data.district]
        supporter.neighbourhoods.set([here[i] for i in data.areas if i < len(here)])
        record(chief, Action.CREATE, supporter, changes={"name": supporter.name, "kind": supporter.kind})
        if data.link:
            link = SupporterLink.objects.create(
                supporter=supporter, token_hash=hashlib.sha256(_token(rng).encode()).hexdigest(), issued_by=chief
            )
            record(chief, Action.CREATE, link, object_code=str(link.pk), changes={"supporter": str(supporter.code)})
        made.append(supporter)
    # One link was lost and revoked: the page shows both states.
    revoked = next((s for s in made if s.links.exists()), None)
    if revoked is not None:
        SupporterLink.objects.create(
            supporter=revoked,
            token_hash=hashlib.sha256(_token(rng).encode()).hexdigest(),
            issued_by=chief,
            issued_at=timezone.now() - dt.timedelta(days=200),
            revoked_at=timezone.now() - dt.timedelta(days=120),
            revoked_by=chief,
        )
    return made


def _place(district: District, areas: dict[str, Any], rng: random.Random) -> str:
    choices = areas.get(district.name) or ()
    if not choices:
        return f"{district.name}の集会所の近く"
    area = rng.choice(choices)
    template = rng.choice(PLACES[area.style])
    return template.format(
        area=area.name, n="一二三四"[rng.randint(0, 3)], apt=rng.choice(APARTMENTS), room=rng.randint(101, 205)
    )


def _make_reports(
    municipality: Municipality,
    districts: list[District],
    supporters: list[Supporter],
    staff: list[Staff],
    rng: random.Random,
) -> int:
    active = [s for s in supporters if s.active]
    by_district: dict[int, list[Supporter]] = {}
    for supporter in active:
        for district_id in {n.district_id for n in supporter.neighbourhoods.all()}:
            by_district.setdefault(district_id, []).append(supporter)
    reporting = [d for d in districts if d.pk in by_district]
    if not reporting:
        return 0
    weights = [DISTRICT_WEIGHTS.get(d.name, 1) for d in reporting]
    areas = _areas(municipality)
    now = timezone.now()
    count = 0
    plan = PLAN if len(districts) > 2 else PLAN[:: max(1, len(PLAN) // 4)]
    for status, days_ago in plan:
        district = rng.choices(reporting, weights)[0]
        supporter = rng.choice(by_district[district.pk])
        signs = rng.sample([s for s in Sign.values if s != Sign.OTHER], rng.randint(1, 3))
        other = rng.choice(OTHER_TEXTS)
        if other and rng.random() < 0.5:
            signs.append(Sign.OTHER)
        data = {
            "district": district,
            "signs": signs,
            "other_text": other,
            "place": _place(district, areas, rng),
            "urgency": rng.choices(["normal", "soon", "urgent"], [6, 3, 1])[0],
            "reporter_contact": supporter.phone,
        }
        link = supporter.links.filter(revoked_at__isnull=True).first() if supporter.account_id is None else None
        report = submit_report(supporter, data, link=link)
        # Supporters report on their rounds: between 7:00 and 19:00.
        day = timezone.localtime(now - dt.timedelta(days=days_ago))
        submitted = day.replace(hour=rng.randint(7, 18), minute=rng.choice([5, 20, 35, 50]), second=0, microsecond=0)
        if submitted > now:
            submitted -= dt.timedelta(days=1)
        _triage(report, status, district, staff, rng)
        report.refresh_from_db()
        SupporterReport.objects.filter(pk=report.pk).update(
            submitted_at=submitted,
            triaged_at=submitted + dt.timedelta(hours=3) if report.triaged_at else None,
            handled_at=submitted + dt.timedelta(days=rng.randint(2, 9)) if report.handled_at else None,
            outreach_done_at=submitted + dt.timedelta(days=rng.randint(1, 5)) if report.outreach_done_at else None,
        )
        count += 1
    return count


def _triage(report: SupporterReport, status: str, district: District, staff: list[Staff], rng: random.Random) -> None:
    worker = rng.choice(staff)
    chief = district.chief or worker
    today = timezone.localdate()
    if status == "received":
        return
    if status == "in_progress":
        mark_in_progress(report, chief, report.version, "民生委員に様子を聞いてみる。")
        return
    if status == "outreach":
        visitor = rng.choice([chief, worker])
        open_outreach(report, chief, report.version, visitor, today + dt.timedelta(days=rng.randint(-1, 4)))
        return
    if status in {"closed", "handled"}:
        open_outreach(report, chief, report.version, chief, today)
        report.refresh_from_db()
        close_without_concern(report, chief, report.version, rng.choice(NOTES))
        return
    if status == "linked":
        case = _open_case_in(district)
        if case is None:
            mark_in_progress(report, worker, report.version)
            return
        link_to_person(report, worker, report.version, case.person, case)
        report.refresh_from_db()
        mark_handled(report, worker, report.version, "担当ケースの見守り情報として共有した。")
        return
    if status == "case":
        open_outreach(report, worker, report.version, worker, today)
        report.refresh_from_db()
        family, given, family_kana, given_kana = rng.choice(
            [
                ("武田", "キヨ", "タケダ", "キヨ"),
                ("柴田", "正一", "シバタ", "ショウイチ"),
                ("工藤", "明美", "クドウ", "アケミ"),
            ]
        )
        occurred = timezone.localtime().replace(hour=10, minute=30, second=0, microsecond=0) - dt.timedelta(days=1)
        open_case(
            report,
            worker,
            report.version,
            {
                "family_name": family,
                "given_name": given,
                "family_name_kana": family_kana,
                "given_name_kana": given_kana,
                "address": report.place,
                "occurred_at": occurred,
                "content": "サポーターからの情報で訪問。電気・ガスが止まりかけており、食料も少ない。本人は相談を希望。",
                "response": "フードバンクを手配し、後日来所の約束をした。",
                "next_action": "来所時に相談受付",
            },
        )
        report.refresh_from_db()
        mark_handled(report, worker, report.version)


def _open_case_in(district: District) -> Case | None:
    """An open case of someone in the district who is not under whereabouts confidentiality."""
    return (
        Case.objects.filter(person__district=district, state__in=ACTIVE_STATES)
        .exclude(
            person__confidentiality_orders__in=WhereaboutsConfidentiality.objects.filter(confidentiality_in_force())
        )
        .select_related("person", "agency")
        .order_by("opened_on", "id")
        .first()
    )


ISSUES: tuple[tuple[str | None, str, str, str, dict[str, int], str], ...] = (
    (
        "雄勝",
        "見守りの担い手が足りない",
        "雄勝地区のサポーターは民生委員1人だけで、小地域「雄勝町湯ノ台」には誰もいない。事業者との見守り協定を広げたい。",
        "welfare",
        {"サポーター": 1, "小地域": 2, "この1年の報告": 1},
        RegionalIssueStatus.PROPOSED,
    ),
    (
        "皆瀬",
        "移動販売が月2回に減り、買い物に困る高齢者がいる",
        "移動販売の巡回が減った。配食サービスも地区外。地域ケア会議で商工会に相談することになった。",
        "industry",
        {"サポーター": 1, "買い物に困る世帯（民生委員の把握）": 6},
        RegionalIssueStatus.DISCUSSED,
    ),
    (
        "東小",
        "ひきこもりの若者が日中に通える居場所",
        "支援調整会議で3件続けて「日中の居場所」が不足として記録された。NPOと社協で週1回の居場所を試行中。",
        "welfare",
        {"ひきこもりのケース": 3, "地区の居場所": 0},
        RegionalIssueStatus.DEVELOPING,
    ),
    (
        None,
        "夜間・休日に家計の相談ができる窓口",
        "働いている人が相談に来られない。月1回の夜間相談を協議会の部会に提案する。",
        "finance",
        {"平日夜の問い合わせ（月平均）": 5},
        RegionalIssueStatus.PROPOSED,
    ),
)


def _make_issues(municipality: Municipality, districts: list[District], chief: Staff, rng: random.Random) -> None:
    by_name = {d.name: d for d in districts}
    order = list(RegionalIssueStatus.values)
    for district_name, title, description, field, figures, status in ISSUES:
        if district_name is not None and district_name not in by_name:
            continue
        issue = RegionalIssue.objects.create(
            municipality=municipality,
            district=by_name.get(district_name) if district_name else None,
            title=title,
            description=description,
            field=field,
            figures=figures,
            source="other",
            raised_by=chief,
            # Raised before the first step of its progress (40 days apart).
            raised_at=timezone.now() - dt.timedelta(days=40 * (order.index(status) + 1) + rng.randint(5, 30)),
            status=status,
            version=1 + order.index(status),
        )
        record(chief, Action.CREATE, issue, changes={"title": title, "status": RegionalIssueStatus.PROPOSED})
        for step in range(1, order.index(status) + 1):
            RegionalIssueUpdate.objects.create(
                issue=issue,
                from_status=order[step - 1],
                to_status=order[step],
                note=("地域ケア会議で協議した。", "社協・NPOと試行を始めた。", "定着した。")[step - 1],
                by=chief,
                at=timezone.now() - dt.timedelta(days=40 * (order.index(status) - step + 1)),
            )
