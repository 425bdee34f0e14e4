#!/usr/bin/env python
"""Measure name search and the main pages on a large town. Prints figures; asserts nothing.

    .venv/bin/python scripts/benchmark.py                 # SQLite in var/benchmark.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_bench .venv/bin/python scripts/benchmark.py

The database is wiped and filled with the demo town plus --people synthetic people
(default 100,000), a fifth of them with a case, each in one of the town's districts.
The network around the centre grows with them (bulk inserts, no audit entries): an
assessment for every synthetic case, 2,000 referrals to the demo 地域包括 (half of them
open), 300 meetings over three years with 5 agenda items each, 5,000 supporter reports
over the districts, 500 resources, and a consent and three disclosures for every person
with a case (one person has 300). Use a scratch database only: the script refuses a
PostgreSQL database whose name does not contain "bench".

Each page of the network is also requested once on the demo town before the fill: a
query count that differs on the big town is printed next to it, and so is any query that
one request ran many times over (a query per row).
"""

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
os.environ.setdefault("TSUNAGU_TESTING", "1")  # no SECRET_KEY needed, plain static storage
os.environ.setdefault("TSUNAGU_MFA", "optional")  # force_login stands for the whole sign-in here
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(ROOT / "var" / "benchmark.sqlite3")

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
KANJI = "山田中川佐藤鈴木高橋伊渡辺小林加吉松井上木村斎清水森池"
# A query one request runs this many times over is reported (a query per row).
REPEATED = 5


def scratch_database_url() -> str:
    """DATABASE_URL, or "" for SQLite in var/: the measuring scripts wipe or fill it, so
    they refuse a PostgreSQL database whose name does not contain "bench"."""
    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Refusing: point DATABASE_URL at a scratch database whose name contains 'bench'.")
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--cases", type=int, default=0, help="measure a town made by generate_town with this many cases instead"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="with --cases: measure the database as it is")
    parser.add_argument("--json", default="", help="with --cases: where to write the figures (default var/…)")
    parser.add_argument(
        "--only", default="", help="with --cases: only the pages whose label starts so (and /healthz), no search"
    )
    args = parser.parse_args()
    if args.cases:
        sized(args)
        return

    url = scratch_database_url()
    if not url:
        for suffix in ["", "-wal", "-shm"]:
            Path(os.environ["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    elif url:
        _create_postgres_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tsunagu.accounts.models import District, Staff
    from tsunagu.cases.models import Case, CaseState
    from tsunagu.people.models import Person

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", force=True, verbosity=0)
    consultant = Staff.objects.get(username="consultant")
    town = consultant.agency.municipality
    # The query count of each network page on the demo town, before the fill.
    demo_queries = {(label, user.pk): _queries_of(user, path) for label, user, path in _network_pages(town)}
    started = time.perf_counter()
    rnd = random.Random(1)
    districts = list(District.objects.filter(municipality=town).order_by("number", "id"))
    batch: list[Person] = []
    for i in range(args.people):
        person = Person(
            municipality=town,
            family_name="".join(rnd.choice(KANJI) for _ in range(2)),
            given_name="".join(rnd.choice(KANJI) for _ in range(2)),
            family_name_kana="".join(rnd.choice(KANA) for _ in range(3)),
            given_name_kana="".join(rnd.choice(KANA) for _ in range(3)),
            phone=f"090-{rnd.randrange(10000):04d}-{i % 10000:04d}",
            district=districts[i % len(districts)] if districts else None,
        )
        person.refresh_search_keys()
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    people = list(Person.objects.filter(municipality=town).values_list("pk", flat=True)[: args.people // 5])
    last_demo_case = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    Case.objects.bulk_create(
        [
            Case(
                person_id=pk,
                agency=consultant.agency,
                worker=consultant,
                state=CaseState.IN_SUPPORT,
                intake_route="walk_in",
                opened_on=timezone.localdate(),
            )
            for pk in people
        ],
        batch_size=5000,
    )
    made = _fill_network(town, consultant, last_demo_case)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; {Person.objects.count():,} people, {Case.objects.count():,} cases "
        f"(filled in {time.perf_counter() - started:.1f} s)"
    )
    print("  " + ", ".join(f"{n:,} {what}" for what, n in made.items()))

    print("\nname search (Person.objects.search, evaluated), milliseconds:")
    for query in ["やまだ", "ﾔﾏﾀﾞ", "山田", "ヤマダ タロウ", "タロウ", "アイ", "090-1234"]:
        timings = []
        for _ in range(args.runs):
            t = time.perf_counter()
            rows = len(Person.objects.in_municipality(town.pk).search(query)[:50])
            timings.append((time.perf_counter() - t) * 1000)
        print(
            f"  {query:<12} rows={rows:<3} median={statistics.median(timings):6.2f}  "
            f"p95={sorted(timings)[int(len(timings) * 0.95) - 1]:6.2f}"
        )

    client = Client()
    client.force_login(consultant)
    case = Case.objects.filter(worker=consultant).exclude(state=CaseState.IN_SUPPORT).first() or Case.objects.first()
    print("\npages as `consultant` (Django test client, whole request), milliseconds and queries:")
    for label, path in [
        ("/cases/", "/cases/"),
        ("/people/?q=やまだ", "/people/?q=やまだ"),
        ("/my/", "/my/"),
        ("case page", case.get_absolute_url()),
    ]:
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"  {label:<18} median={statistics.median(timings):7.1f}  "
            f"p95={sorted(timings)[int(len(timings) * 0.95) - 1]:7.1f}  queries={len(captured)}"
        )

    print("\npages of the network, as `user` (Django test client, whole request), milliseconds and queries:")
    for label, user, path in _network_pages(town):
        client = Client()
        client.force_login(user)
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        notes = []
        if demo_queries.get((label, user.pk)) != len(captured):
            notes.append(f"demo town: {demo_queries.get((label, user.pk))}")
        shape, times = _most_repeated(captured.captured_queries)
        if times >= REPEATED:
            notes.append(f"{times}x {shape[:90]}")
        print(
            f"  {label + ' `' + user.username + '`':<40} median={statistics.median(timings):7.1f}  "
            f"p95={sorted(timings)[int(len(timings) * 0.95) - 1]:7.1f}  queries={len(captured)}"
            + (f"  ({'; '.join(notes)})" if notes else "")
        )


# -- the network pages ---------------------------------------------------------------


def _network_pages(town: Any) -> list[tuple[str, Any, str]]:
    """(label, user, path) of the pages of the network, each as the persona who uses it."""
    from django.db.models import Count

    from tsunagu.accounts.models import District, Staff
    from tsunagu.consents.models import Disclosure
    from tsunagu.meetings.models import Meeting, MeetingKind, MeetingStatus
    from tsunagu.people.models import Person

    staff = {s.username: s for s in Staff.objects.filter(username__in=["consultant", "chief", "partner"])}
    district = District.objects.filter(municipality=town, name="東小").select_related("chief").get()
    meeting = (
        Meeting.objects.filter(municipality=town, kind=MeetingKind.COORDINATION, status=MeetingStatus.HELD)
        .annotate(n=Count("items"))
        .order_by("-held_on", "-id")
        .first()
    )
    assert meeting is not None
    assert district.chief is not None
    top = (
        Disclosure.objects.filter(person__municipality=town)
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n", "person_id")
        .first()
    )
    assert top is not None
    person = Person.objects.get(pk=top["person_id"])
    return [
        ("/referrals/inbox/", staff["partner"], "/referrals/inbox/"),
        ("/referrals/inbox/", staff["chief"], "/referrals/inbox/"),
        ("meeting page", staff["chief"], meeting.get_absolute_url()),
        ("/meetings/calendar/", staff["chief"], "/meetings/calendar/"),
        ("/community/reports/", district.chief, "/community/reports/"),
        ("/community/reports/", staff["consultant"], "/community/reports/"),
        ("district page", district.chief, f"/community/districts/{district.code}/"),
        ("district page", staff["consultant"], f"/community/districts/{district.code}/"),
        ("/resources/", staff["consultant"], "/resources/"),
        ("/resources/gaps/", staff["consultant"], "/resources/gaps/"),
        ("consents page", staff["consultant"], f"/consents/people/{person.code}/"),
        ("disclosures", staff["consultant"], f"/consents/people/{person.code}/disclosures/"),
    ]


def _queries_of(user: Any, path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def _most_repeated(queries: list[dict[str, Any]]) -> tuple[str, int]:
    """The query shape (literals blanked) one request ran most often, and how often."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in queries)
    if not shapes:
        return "", 0
    shape, times = shapes.most_common(1)[0]
    return shape, times


# -- the synthetic network -----------------------------------------------------------


def _fill_network(town: Any, consultant: Any, last_demo_case: int) -> dict[str, int]:
    """Bulk-insert the network's rows around the synthetic cases (those after
    `last_demo_case`); returns their counts."""
    from django.utils import timezone

    from tsunagu.accounts.models import Agency, AgencyKind, District, Staff
    from tsunagu.cases.models import Case

    rnd = random.Random(2)
    now = timezone.now()
    centre = consultant.agency
    agencies = {a.kind: a for a in Agency.objects.filter(municipality=town).order_by("-id")}
    centre_staff = list(Staff.objects.filter(agency=centre, is_active=True).order_by("username"))
    districts = list(District.objects.filter(municipality=town).order_by("number", "id"))
    cases = list(
        Case.objects.filter(agency=centre, pk__gt=last_demo_case).order_by("id").values_list("pk", "person_id")
    )
    context = {
        "rnd": rnd,
        "now": now,
        "today": timezone.localdate(),
        "town": town,
        "centre": centre,
        "agencies": agencies,
        "partners": [a for kind, a in agencies.items() if kind != AgencyKind.CONSULTATION_CENTRE],
        "staff": centre_staff,
        "consultant": consultant,
        "chief": next(s for s in centre_staff if s.username == "chief"),
        "districts": districts,
        "cases": cases,
    }
    made: dict[str, int] = {}
    steps: list[Callable[[dict[str, Any]], dict[str, int]]] = [
        _fill_assessments,
        _fill_consents,
        _fill_referrals,
        _fill_meetings,
        _fill_reports,
        _fill_resources,
    ]
    for step in steps:
        made.update(step(context))
    return made


def _moment(c: dict[str, Any], days_ago: float) -> dt.datetime:
    return c["now"] - dt.timedelta(days=days_ago, minutes=c["rnd"].randrange(600))


def _fill_assessments(c: dict[str, Any]) -> dict[str, int]:
    from tsunagu.sheets.models import AssessmentSheet, Issue

    rnd = c["rnd"]
    issues = [i for i in Issue.values if i != Issue.OTHER]
    rows = [
        AssessmentSheet(
            case_id=case_id,
            version=1,
            recorded_by=c["consultant"],
            assessed_on=c["today"],
            issues=rnd.sample(issues, rnd.randint(1, 4)),
            judgement="家計と就労の両面から支援が必要。",
        )
        for case_id, _person_id in c["cases"]
    ]
    AssessmentSheet.objects.bulk_create(rows, batch_size=5000)
    return {"assessments": len(rows)}


def _fill_consents(c: dict[str, Any]) -> dict[str, int]:
    """A consent (the application form's) for every person with a case, three
    disclosures each; the first person has more consents and 300 disclosures."""
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

    rnd, today = c["rnd"], c["today"]
    purposes = [Purpose.ASSESSMENT, Purpose.COORDINATION, Purpose.REFERRAL, Purpose.TEAM]
    consents = [
        Consent(
            person_id=person_id,
            case_id=case_id,
            purposes=purposes,
            categories=list(APPLICATION_CATEGORIES),
            method=Method.SIGNATURE,
            given_on=today - dt.timedelta(days=rnd.randrange(1, 1000)),
            note="相談受付・申込票での同意",
            recorded_by=c["consultant"],
        )
        for case_id, person_id in c["cases"]
    ]
    Consent.objects.bulk_create(consents, batch_size=5000)
    named = [c["agencies"][k] for k in c["agencies"] if k != "consultation_centre"][:5]
    through = Consent.agencies.through
    through.objects.bulk_create(
        [through(consent_id=consent.pk, agency_id=agency.pk) for consent in consents for agency in named],
        batch_size=10000,
    )
    heavy_case, heavy = c["cases"][0]
    extra = [
        Consent(
            person_id=heavy,
            case_id=heavy_case,
            purposes=[Purpose.TEAM],
            categories=[Category.BASIC, Category.HEALTH],
            method=Method.SPOKEN,
            given_on=today - dt.timedelta(days=30),
            recorded_by=c["consultant"],
        ),
        Consent(
            person_id=heavy,
            case_id=heavy_case,
            purposes=[Purpose.REFERRAL],
            categories=[Category.BASIC, Category.ASSESSMENT],
            method=Method.SIGNATURE,
            given_on=today - dt.timedelta(days=400),
            recorded_by=c["consultant"],
            withdrawn_at=c["now"] - dt.timedelta(days=100),
            withdrawn_by=c["consultant"],
            withdrawal_note="本人の申出",
        ),
        Consent(
            person_id=heavy,
            case_id=heavy_case,
            purposes=purposes,
            categories=list(APPLICATION_CATEGORIES),
            method=Method.SIGNATURE,
            given_on=today - dt.timedelta(days=1200),
            recorded_by=c["consultant"],
            superseded_by=consents[0],
        ),
    ]
    Consent.objects.bulk_create(extra)
    through.objects.bulk_create(
        [through(consent_id=consent.pk, agency_id=agency.pk) for consent in extra for agency in named]
    )
    channels = [Channel.TEAM_VIEW, Channel.MEETING_PAPER, Channel.TEAM_VIEW]
    disclosures = []
    for consent in consents:
        for _ in range(300 if consent.person_id == heavy else 3):
            disclosures.append(
                Disclosure(
                    at=_moment(c, rnd.randrange(1000)),
                    person_id=consent.person_id,
                    case_id=consent.case_id,
                    recipient_agency=rnd.choice(named),
                    recipient_name="",
                    channel=rnd.choice(channels),
                    categories=[Category.BASIC, Category.PLAN],
                    basis=LegalBasis.CONSENT,
                    consent=consent,
                )
            )
    Disclosure.objects.bulk_create(disclosures, batch_size=5000)
    return {"consents": len(consents) + len(extra), "disclosures": len(disclosures)}


def _fill_referrals(c: dict[str, Any]) -> dict[str, int]:
    """2,000 referrals from the centre to the 地域包括, half still open, each with the
    disclosure its sending made."""
    from django.conf import settings

    from tsunagu.accounts.models import AgencyKind, Staff
    from tsunagu.consents.models import Category, Channel, Consent, Disclosure, LegalBasis
    from tsunagu.referrals.models import Referral, ReferralStatus

    rnd, today = c["rnd"], c["today"]
    to = c["agencies"][AgencyKind.COMMUNITY_CARE_CENTRE]
    receivers = list(Staff.objects.filter(agency=to, is_active=True))
    answer_days = settings.TSUNAGU["REFERRAL_ANSWER_DAYS"]
    consent_of = dict(Consent.objects.filter(superseded_by__isnull=True).values_list("person_id", "pk"))
    statuses = [ReferralStatus.SENT] * 400 + [ReferralStatus.ACCEPTED] * 350 + [ReferralStatus.CONTACTED] * 250
    statuses += [ReferralStatus.COMPLETED] * 600 + [ReferralStatus.DECLINED] * 250 + [ReferralStatus.WITHDRAWN] * 150
    referrals = []
    # Distinct cases where the town has enough of them.
    picked = (
        rnd.sample(c["cases"], len(statuses))
        if len(c["cases"]) >= len(statuses)
        else rnd.choices(c["cases"], k=len(statuses))
    )
    for status, (case_id, person_id) in zip(statuses, picked, strict=True):
        open_ = status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED)
        # Waiting for an answer: the last fortnight (a few overdue); closed: up to three years back.
        days = (
            rnd.randrange(14)
            if status == ReferralStatus.SENT
            else rnd.randrange(60)
            if open_
            else rnd.randrange(60, 1000)
        )
        sent = _moment(c, days)
        answered = (
            sent + dt.timedelta(days=rnd.randint(1, 5))
            if status not in (ReferralStatus.SENT, ReferralStatus.WITHDRAWN)
            else None
        )
        receiver = rnd.choice(receivers) if receivers and answered else None
        name = f"{rnd.choice(KANJI)}{rnd.choice(KANJI)} {rnd.choice(KANJI)}{rnd.choice(KANJI)}"
        referrals.append(
            Referral(
                case_id=case_id,
                person_id=person_id,
                from_agency=c["centre"],
                to_agency=to,
                referred_by=rnd.choice(c["staff"]),
                request="介護保険の申請と見守りについてご相談をお願いします。本人は午前中なら在宅しています。",
                categories=[Category.BASIC, Category.PLAN],
                snapshot=_snapshot(name, sent),
                basis=LegalBasis.CONSENT,
                consent_id=consent_of.get(person_id),
                status=status,
                sent_at=sent,
                answer_by=sent.date() + dt.timedelta(days=answer_days),
                answered_at=answered,
                answered_by=receiver,
                receiving_worker=receiver,
                decline_reason="対象年齢ではありません。" if status == ReferralStatus.DECLINED else "",
                contacted_on=answered.date() + dt.timedelta(days=3)
                if answered and status in (ReferralStatus.CONTACTED, ReferralStatus.COMPLETED)
                else None,
                outcome="要支援1の認定が出ました。" if status == ReferralStatus.COMPLETED else "",
                outcome_at=answered + dt.timedelta(days=20)
                if answered and status == ReferralStatus.COMPLETED
                else None,
                withdrawn_at=sent + dt.timedelta(days=3) if status == ReferralStatus.WITHDRAWN else None,
                withdraw_reason="本人が自分で申請したため。" if status == ReferralStatus.WITHDRAWN else "",
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=1000)
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                at=r.sent_at,
                person_id=r.person_id,
                case_id=r.case_id,
                recipient_agency=to,
                channel=Channel.REFERRAL,
                categories=r.categories,
                basis=LegalBasis.CONSENT,
                consent_id=r.consent_id,
                source_type="referrals.referral",
                source_code=r.code,
                disclosed_by=r.referred_by,
            )
            for r in referrals
        ],
        batch_size=5000,
    )
    overdue = sum(1 for r in referrals if r.status == ReferralStatus.SENT and r.answer_by < today)
    return {"referrals": len(referrals), "overdue referrals": overdue}


def _snapshot(name: str, sent: dt.datetime) -> dict[str, Any]:
    """What a referral of BASIC and PLAN carries, about the size of a real one."""
    return {
        "taken_at": sent.isoformat(),
        "categories": ["basic", "plan"],
        "name": name,
        "self_contact": False,
        "sections": [
            {
                "category": "basic",
                "title": "基本情報",
                "rows": [
                    ["氏名", name, ""],
                    ["生年月日", "昭和30年4月1日（71歳）", ""],
                    ["電話番号", "090-0000-0000", "location"],
                    ["住所", "雄勝野市東町二丁目1-8", "location"],
                    ["主訴", "生活費のこと、介護のこと", ""],
                ],
                "items": [],
                "notes": [],
            },
            {
                "category": "plan",
                "title": "プラン",
                "rows": [["長期目標", "住み慣れた家で安心して暮らし続ける。" * 3, ""]],
                "items": [["見守り", "地域包括支援センター", "週1回の訪問"]] * 4,
                "notes": [],
            },
        ],
    }


def _fill_meetings(c: dict[str, Any]) -> dict[str, int]:
    """300 meetings over three years (the last three months still to come), 5 agenda
    items each, 6 attendees, the past ones held with their decisions and an action per item."""
    from tsunagu.accounts.models import AgencyKind, Staff
    from tsunagu.community.models import RegionalIssue
    from tsunagu.meetings.models import (
        SUPPORT_MEETING_BASIS,
        Action,
        AgendaItem,
        Attendee,
        Decision,
        Meeting,
        MeetingKind,
        MeetingStatus,
        Purpose,
    )

    rnd, today = c["rnd"], c["today"]
    kinds = [MeetingKind.COORDINATION] * 150 + [MeetingKind.CASE_REVIEW] * 50 + [MeetingKind.SUPPORT_MEETING] * 30
    kinds += [MeetingKind.COMMUNITY_CARE] * 40 + [MeetingKind.INTEGRATION] * 15 + [MeetingKind.COUNCIL_COMMITTEE] * 15
    rnd.shuffle(kinds)
    partner = Staff.objects.filter(agency=c["agencies"][AgencyKind.COMMUNITY_CARE_CENTRE]).first()
    issues = list(RegionalIssue.objects.filter(municipality=c["town"]).values_list("pk", "title"))
    meetings = []
    for i, kind in enumerate(kinds):
        held = today - dt.timedelta(days=1005 - i * 1095 // len(kinds))
        meetings.append(
            Meeting(
                municipality=c["town"],
                kind=kind,
                title=str(MeetingKind(kind).label),
                held_on=held,
                starts_at=dt.time(13, 30),
                ends_at=dt.time(15, 0),
                place="雄勝野市総合福祉センター 会議室",
                chair=c["chief"],
                district=rnd.choice(c["districts"]) if kind == MeetingKind.COMMUNITY_CARE else None,
                committee="居住支援部会" if kind == MeetingKind.COUNCIL_COMMITTEE else "",
                legal_basis=str(SUPPORT_MEETING_BASIS) if kind == MeetingKind.SUPPORT_MEETING else "",
                is_regular=kind == MeetingKind.COORDINATION,
                status=MeetingStatus.HELD if held < today else MeetingStatus.PLANNED,
                notes="各議題について協議した。" if held < today else "",
                created_by=c["chief"],
            )
        )
    Meeting.objects.bulk_create(meetings)
    attendees = []
    for meeting in meetings:
        for member in rnd.sample(c["staff"], min(4, len(c["staff"]))):
            attendees.append(Attendee(meeting=meeting, staff=member))
        if partner is not None and meeting.kind != MeetingKind.SUPPORT_MEETING:
            attendees.append(Attendee(meeting=meeting, staff=partner))
        attendees.append(Attendee(meeting=meeting, name="民生委員 佐藤", agency_name="東小地区民生児童委員協議会"))
    Attendee.objects.bulk_create(attendees, batch_size=5000)
    case_purposes = {
        MeetingKind.COORDINATION: [Purpose.PLAN_APPROVAL, Purpose.EVALUATION_REVIEW, Purpose.SUPPORT_CONFIRMATION],
        MeetingKind.CASE_REVIEW: [Purpose.CASE_DISCUSSION],
        MeetingKind.SUPPORT_MEETING: [Purpose.CASE_DISCUSSION],
        MeetingKind.INTEGRATION: [Purpose.CASE_DISCUSSION],
    }
    decisions = {
        Purpose.PLAN_APPROVAL: Decision.APPROVED,
        Purpose.EVALUATION_REVIEW: Decision.CLOSE,
        Purpose.SUPPORT_CONFIRMATION: Decision.APPROVED,
        Purpose.CASE_DISCUSSION: Decision.NOTED,
        Purpose.REGIONAL_ISSUE: Decision.NOTED,
    }
    items = []
    for meeting in meetings:
        held = meeting.status == MeetingStatus.HELD
        for order, (case_id, person_id) in enumerate(rnd.sample(c["cases"], 5), start=1):
            purposes = case_purposes.get(meeting.kind)
            purpose = rnd.choice(purposes) if purposes else Purpose.REGIONAL_ISSUE
            issue = rnd.choice(issues) if issues and purpose == Purpose.REGIONAL_ISSUE else None
            on_case = purpose != Purpose.REGIONAL_ISSUE
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=order,
                    purpose=purpose,
                    title=issue[1] if issue else "",
                    case_id=case_id if on_case else None,
                    person_id=person_id if on_case else None,
                    regional_issue_id=issue[0] if issue else None,
                    minutes="本人の意向を確認し、プランの内容を共有した。役割分担を確認した。" * 3 if held else "",
                    decision=decisions[purpose] if held else "",
                    decision_note="プランのとおり支援を行う。" if held else "",
                    decided_at=_moment(c, (today - meeting.held_on).days) if held else None,
                    decided_by=c["chief"] if held else None,
                )
            )
    AgendaItem.objects.bulk_create(items, batch_size=2000)
    actions = [
        Action(
            item=item,
            title="家計相談の日程を調整する",
            assignee=rnd.choice(c["staff"]),
            due_on=item.meeting.held_on + dt.timedelta(days=14),
            created_by=c["chief"],
        )
        for item in items
        if item.decision
    ]
    Action.objects.bulk_create(actions, batch_size=2000)
    return {"meetings": len(meetings), "agenda items": len(items)}


def _fill_reports(c: dict[str, Any]) -> dict[str, int]:
    """5,000 supporter reports over two years, each from a supporter of the district;
    those of the last two months partly still open."""
    from tsunagu.community.models import ReportStatus, Sign, Supporter, SupporterReport, Urgency

    rnd = c["rnd"]
    by_district: dict[int, list[tuple[Any, int]]] = {}
    for supporter in Supporter.objects.filter(municipality=c["town"], active=True).prefetch_related("neighbourhoods"):
        for place in supporter.neighbourhoods.all():
            by_district.setdefault(place.district_id, []).append((supporter, place.pk))
    if not by_district:
        return {"supporter reports": 0}
    districts = [d for d in c["districts"] if d.pk in by_district]
    weights = [len(by_district[d.pk]) for d in districts]
    signs = [s for s in Sign.values if s != Sign.OTHER]
    urgencies = [Urgency.NORMAL] * 6 + [Urgency.SOON] * 3 + [Urgency.URGENT]
    reports = []
    for _ in range(5000):
        district = rnd.choices(districts, weights)[0]
        supporter, place = rnd.choice(by_district[district.pk])
        days = rnd.randrange(730)
        status = ReportStatus.HANDLED if days > 60 else rnd.choice(list(ReportStatus.values))
        submitted = _moment(c, days)
        triaged = status != ReportStatus.RECEIVED
        outreach = triaged and rnd.random() < 0.4
        reports.append(
            SupporterReport(
                supporter=supporter,
                municipality=c["town"],
                district=district,
                neighbourhood_id=place,
                signs=rnd.sample(signs, rnd.randint(1, 3)),
                other_text=rnd.choice(["", "", "雪かきがされていない。", "玄関先にごみ袋がたまっている。"]),
                place=f"{district.name}の集会所の先の一軒家",
                urgency=rnd.choice(urgencies),
                submitted_at=submitted,
                status=status,
                outreach_by=rnd.choice(c["staff"]) if outreach else None,
                outreach_due=(submitted + dt.timedelta(days=7)).date() if outreach else None,
                outreach_done_at=submitted + dt.timedelta(days=5) if outreach and days > 7 else None,
                triage_note="民生委員と一緒に訪問。本人は元気だった。" if status == ReportStatus.HANDLED else "",
                triaged_by=rnd.choice(c["staff"]) if triaged else None,
                triaged_at=submitted + dt.timedelta(hours=3) if triaged else None,
                handled_at=submitted + dt.timedelta(days=6) if status == ReportStatus.HANDLED else None,
            )
        )
    SupporterReport.objects.bulk_create(reports, batch_size=2000)
    return {"supporter reports": len(reports)}


def _fill_resources(c: dict[str, Any]) -> dict[str, int]:
    """500 resources of every kind, 40% for the whole town, the others for one or two
    districts; some unchecked for a long time, a tenth no longer available. Resources
    help with the commoner assessed issues only, so the gaps page has gaps."""
    from tsunagu.community.models import ResourceField
    from tsunagu.resources.models import Resource, ResourceKind
    from tsunagu.sheets.models import Issue

    rnd, today = c["rnd"], c["today"]
    helped = [i for i in Issue.values if i != Issue.OTHER][:20]
    resources = []
    for i in range(500):
        kind = rnd.choice(list(ResourceKind.values))
        provider = rnd.choice(c["partners"]) if rnd.random() < 0.5 else None
        resource = Resource(
            municipality=c["town"],
            name=f"{ResourceKind(kind).label} {i + 1:03d} {rnd.choice(KANJI)}{rnd.choice(KANJI)}の会",
            kind=kind,
            fields=rnd.sample(list(ResourceField.values), rnd.randint(1, 2)),
            issues=rnd.sample(helped, rnd.randint(1, 3)),
            description="相談を受け付け、必要に応じて関係機関と連携します。" * 2,
            provider_agency=provider,
            provider_name="" if provider else "地域の有志",
            conditions="市内在住の方",
            cost="無料",
            hours="平日 9:00〜17:00",
            phone="0183-00-0000",
            address="雄勝野市東町二丁目1-8",
            last_checked_on=today - dt.timedelta(days=rnd.randrange(400)),
            active=rnd.random() >= 0.1,
            created_by=c["consultant"],
        )
        resource.refresh_search_text()
        resources.append(resource)
    Resource.objects.bulk_create(resources)
    through = Resource.districts.through
    links = []
    for resource in resources:
        if rnd.random() >= 0.4:
            for district in rnd.sample(c["districts"], rnd.randint(1, 2)):
                links.append(through(resource_id=resource.pk, district_id=district.pk))
    through.objects.bulk_create(links)
    return {"resources": len(resources)}


# -- a generated town of a given size (generate_town), the table issue 12 asks for -------------


def sized(args: argparse.Namespace) -> None:
    """Generate (or reuse) a town of --cases cases and print one table: p50/p95 per page
    as its persona, query count, and the ratio of p50 to /healthz; write it as JSON."""
    import json

    url = scratch_database_url()
    if not args.reuse:
        if url:
            _create_postgres_database(url)
        else:
            for suffix in ["", "-wal", "-shm"]:
                Path(os.environ["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tsunagu.cases.models import Case, ProgressNote

    settings.ALLOWED_HOSTS = ["testserver"]
    generated = None
    if not args.reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("generate_town", cases=args.cases, seed=args.seed)
        generated = time.perf_counter() - started
    cases, notes = Case.objects.count(), ProgressNote.objects.count()
    print(
        f"\n{connection.vendor}: {cases:,} cases, {notes:,} notes"
        + (f" (generated in {generated:.0f} s)" if generated else "")
    )
    rows = []
    healthz = None
    pages = [p for p in _sized_pages() if p[0] == "/healthz" or p[0].startswith(args.only)]
    for label, user, path in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(path)  # warm: templates, the plan cache
        timings, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (label, path, response.status_code)
            queries = len(captured)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        if healthz is None:
            healthz = p50
        rows.append(
            {
                "page": label,
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "queries": queries,
                "x_healthz": round(p50 / healthz, 1) if healthz else None,
            }
        )
    print(f"{'page':<44} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {'÷ healthz':>10}")
    for row in rows:
        print(
            f"{row['page']:<44} {row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f} {row['queries']:>8} "
            f"{row['x_healthz']:>10.1f}"
        )
    searches = [] if args.only else _sized_search(args.runs)
    out = Path(args.json or ROOT / "var" / f"benchmark-{connection.vendor}-{args.cases}.json")
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "cases": cases,
                "notes": notes,
                "runs": args.runs,
                "generated_s": round(generated, 1) if generated else None,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "pages": rows,
                "search": searches,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"written to {out}")


def _sized_search(runs: int) -> list[dict[str, Any]]:
    """The full-text search (search.query.find, as /search/ runs it) for queries of 1, 2, 3
    and 5 characters, as the chief and as the consultant, beside the same question asked
    with icontains over the notes (scripts/search_benchmark.py's queries and measure)."""
    from search_benchmark import QUERIES, measure, percentile

    from tsunagu.accounts.models import Staff
    from tsunagu.search.models import SearchDocument

    print(f"\nfull-text search over {SearchDocument.objects.count():,} index entries, ms")
    print(f"{'length':<7}{'reader':<11}{'index p50':>10}{'p95':>8}{'icontains p50':>15}{'p95':>8}{'×(p95)':>8}  hits")
    rows = []
    for length, queries in QUERIES.items():
        for reader in ("chief", "consultant"):
            user = Staff.objects.get(username=reader)
            ours, theirs, hits = measure(user, queries, runs, 5)
            row: dict[str, Any] = {
                "length": length,
                "reader": reader,
                "index_p50_ms": round(statistics.median(ours), 1),
                "index_p95_ms": round(percentile(ours, 0.95), 1),
                "icontains_p50_ms": round(statistics.median(theirs), 1),
                "icontains_p95_ms": round(percentile(theirs, 0.95), 1),
                "hits": hits,
            }
            row["ratio_p95"] = round(row["icontains_p95_ms"] / max(row["index_p95_ms"], 0.1), 1)
            rows.append(row)
            print(
                f"{length:<7}{reader:<11}{row['index_p50_ms']:10.1f}{row['index_p95_ms']:8.1f}"
                f"{row['icontains_p50_ms']:15.1f}{row['icontains_p95_ms']:8.1f}{row['ratio_p95']:8.1f}  {hits}"
            )
    return rows


def _sized_pages() -> list[tuple[str, Any, str]]:
    """(label, user, path): the pages of issue 12's table, each as the persona who uses it."""
    from django.db.models import Count

    from tsunagu.accounts.models import District, Staff
    from tsunagu.cases.models import ACTIVE_STATES, Case
    from tsunagu.meetings.models import Meeting, MeetingKind, MeetingStatus

    staff = {s.username: s for s in Staff.objects.filter(username__in=["consultant", "chief", "extreme_worker"])}
    consultant = staff["consultant"]
    town = consultant.agency.municipality
    district = District.objects.filter(municipality=town, name="東小").select_related("chief").get()
    meeting = (
        Meeting.objects.filter(municipality=town, kind=MeetingKind.COORDINATION, status=MeetingStatus.HELD)
        .annotate(n=Count("items"))
        .filter(n__gte=5)
        .order_by("-held_on", "-id")
        .first()
    )
    case = Case.objects.filter(worker=consultant, state__in=ACTIVE_STATES).order_by("-id").first()
    loads = {
        who: Case.objects.filter(worker=staff[who], state__in=ACTIVE_STATES).count()
        for who in ["consultant", "extreme_worker"]
    }
    pages: list[tuple[str, Any, str]] = [
        ("/healthz", None, "/healthz"),
        (f"/cases/ (consultant, {loads['consultant']} open)", consultant, "/cases/"),
        ("/my/ (consultant)", consultant, "/my/"),
        (f"/cases/ (extreme_worker, {loads['extreme_worker']} open)", staff["extreme_worker"], "/cases/"),
        ("/my/ (extreme_worker)", staff["extreme_worker"], "/my/"),
        ("/my/ (chief)", staff["chief"], "/my/"),
        ("/people/?q=佐 (consultant)", consultant, "/people/?q=佐"),
        ("case page (consultant)", consultant, case.get_absolute_url() if case else "/cases/"),
        ("district page (district chief)", district.chief, f"/community/districts/{district.code}/"),
        ("district page (consultant)", consultant, f"/community/districts/{district.code}/"),
        ("/resources/gaps/ (consultant)", consultant, "/resources/gaps/"),
    ]
    if meeting is not None:
        pages.append((f"meeting page ({meeting.n} items, chief)", staff["chief"], meeting.get_absolute_url()))  # type: ignore[attr-defined]
    return pages


def _create_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )


if __name__ == "__main__":
    main()
