"""Who reaches the programmes' records: every route tried by people who must not (the
chief of another municipality's centre, a partner on no team, a partner on the team,
a supporter), each answer a 404 or 403 that shows nothing, audited, nothing changed;
her whereabouts (a stay's place, her landlord) kept from centre staff outside her team;
and the number of queries each page takes, pinned with 1 and 3 rows."""

import pytest
from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import CaseTeamMember, TeamRole, TimelineEntry
from tsunagu.conftest import make_case, make_person
from tsunagu.programmes.models import (
    Attendance,
    EmergencyAid,
    HouseholdBudget,
    HousingApplication,
    HousingDuty,
    HousingPayment,
    Session,
    Stay,
    StockMovement,
)
from tsunagu.programmes.tests.conftest import APPLICATION, D, decide
from tsunagu.tests.client import count_queries, login


@pytest.fixture
def records(world, client, housing):
    stay = shelter_stay(world.case, world.consultant, "シェルターゆざわ")
    session = learning_session(world, D(2026, 12, 1), place="公民館", title="宿題")
    aid = EmergencyAid.objects.create(
        case=world.case,
        kind="loan_application",
        source="social_welfare_council",
        loan_kind="emergency_small",
        amount_asked=100000,
        loan_result="pending",
        given_by=world.consultant,
        recorded_by=world.consultant,
    )
    return {"application": housing, "stay": stay, "session": session, "aid": aid}


def shelter_stay(case, by, place, **extra):
    """A stay at a shelter from 1 November 2026, planned to the end of January unless said."""
    values = {"starts_on": D(2026, 11, 1), "planned_end": D(2027, 1, 31), **extra}
    return Stay.objects.create(case=case, place_kind="shelter", place=place, recorded_by=by, **values)


def learning_session(world, held_on, place, title):
    """A session of the centre's children's learning support, recorded by the consultant."""
    return Session.objects.create(
        agency=world.centre,
        programme="child_learning",
        held_on=held_on,
        place=place,
        title=title,
        recorded_by=world.consultant,
    )


def targets(world, records):
    case = {"code": world.case.code}
    application = {"code": records["application"].code}
    return [
        ("get", reverse("programmes:case", kwargs=case), {}),
        (
            "post",
            reverse("programmes:aid_add", kwargs=case),
            {"kind": "transport", "source": "centre_fund", "given_on": "2026-12-01", "amount": "500"},
        ),
        ("post", reverse("programmes:application_add", kwargs=case), APPLICATION),
        (
            "post",
            reverse("programmes:stay_add", kwargs=case),
            {
                "place_kind": "shelter",
                "place": "x",
                "starts_on": "2026-12-01",
                "planned_end": "2026-12-31",
                "meals_per_day": "0",
            },
        ),
        ("get", reverse("programmes:budget", kwargs=case), {}),
        (
            "post",
            reverse("programmes:budget", kwargs=case),
            {
                "budget_month": "2026-12-01",
                "starting_balance": "0",
                "base_version": "0",
                "debts-TOTAL_FORMS": "0",
                "debts-INITIAL_FORMS": "0",
                "events-TOTAL_FORMS": "0",
                "events-INITIAL_FORMS": "0",
            },
        ),
        ("get", reverse("programmes:budget_pdf", kwargs={**case, "kind": "budget"}), {}),
        (
            "post",
            reverse("programmes:stay_edit", kwargs={"code": records["stay"].code}),
            {
                "place_kind": "shelter",
                "place": "x",
                "starts_on": "2026-11-01",
                "planned_end": "2026-12-31",
                "meals_per_day": "0",
                "base_version": "1",
            },
        ),
        ("get", reverse("programmes:housing", kwargs=application), {}),
        ("post", reverse("programmes:housing", kwargs=application), {**APPLICATION, "base_version": "1"}),
        (
            "post",
            reverse("programmes:housing_pay", kwargs=application),
            {
                "m202612-month": "2026-12-01",
                "m202612-status": "paid",
                "m202612-paid_on": "2026-12-25",
                "m202612-base_version": "0",
            },
        ),
        (
            "post",
            reverse("programmes:housing_duty", kwargs=application),
            {"kind": "hello_work", "done_on": "2026-12-01"},
        ),
        ("get", reverse("programmes:session", kwargs={"code": records["session"].code}), {}),
        (
            "post",
            reverse("programmes:aid_result", kwargs={"code": records["aid"].code}),
            {
                f"loan-{records['aid'].pk}-loan_result": "refused",
                f"loan-{records['aid'].pk}-result_on": "2026-12-10",
                f"loan-{records['aid'].pk}-base_version": "1",
            },
        ),
    ]


CENTRE_WIDE = [
    ("get", "programmes:ledger", {}),
    ("post", "programmes:stock_add", {"moved_on": "2026-12-01", "parcels": "5", "best_before": "2027-01-31"}),
    ("get", "programmes:sessions", {}),
    (
        "post",
        "programmes:sessions",
        {"programme": "child_learning", "held_on": "2026-12-01", "place": "x", "title": "x"},
    ),
    ("get", "programmes:payments", {}),
    ("get", "programmes:payments_xlsx", {}),
]


def counts():
    return [
        m.objects.count()
        for m in (
            EmergencyAid,
            StockMovement,
            HousingApplication,
            HousingPayment,
            HousingDuty,
            Stay,
            HouseholdBudget,
            Session,
            Attendance,
            TimelineEntry,
        )
    ]


@pytest.mark.parametrize("who", ["outsider", "partner_outsider", "partner", "supporter", "district_chief"])
def test_no_one_outside_the_centre_reaches_a_case_s_programme_records(client, world, records, who):
    user = getattr(world, who)
    before = counts()
    login(client, user)
    for method, url, data in targets(world, records):
        response = getattr(client, method)(url, data)
        assert response.status_code in {403, 404}, url
        page = response.content.decode()
        assert "山田" not in page
        assert "湯沢不動産" not in page
        assert "シェルターゆざわ" not in page
    assert counts() == before
    assert AuditEvent.objects.filter(actor=user, action=Action.DENIED).count() >= len(targets(world, records))


@pytest.mark.parametrize("who", ["partner", "supporter", "district_chief", "officer"])
def test_only_centre_staff_reach_the_centre_s_ledger_and_sessions(client, world, records, who):
    user = getattr(world, who)
    before = counts()
    login(client, user)
    for method, name, data in CENTRE_WIDE:
        if who == "officer" and name.startswith("programmes:payments"):
            continue  # the finance list is the officer's too
        response = getattr(client, method)(reverse(name), data)
        assert response.status_code in {403, 404}, name
        assert "山田" not in response.content.decode()
    assert counts() == before


def test_the_other_municipality_s_finance_list_is_empty_of_ours(client, world, records):
    response = login(client, world.outsider).get(reverse("programmes:payments") + "?month=2026-12")
    assert response.status_code == 200
    assert "山田 太郎" not in response.content.decode()
    assert "この月の支給はありません。" in response.content.decode()


def test_the_officer_reads_the_records_but_does_not_write_them(client, world, records):
    login(client, world.officer)
    page = client.get(reverse("programmes:housing", kwargs={"code": records["application"].code}))
    assert page.status_code == 200
    assert "湯沢不動産" in page.content.decode()
    assert "支給を記録" not in page.content.decode()
    before = counts()
    response = client.post(
        reverse("programmes:housing_duty", kwargs={"code": records["application"].code}),
        {"kind": "hello_work", "done_on": "2026-12-01"},
    )
    assert response.status_code == 404
    assert counts() == before


def test_her_stay_and_landlord_are_kept_from_centre_staff_outside_her_team(client, world):
    decide(world, world.hanako_case, "housing_benefit", D(2026, 11, 1), D(2027, 1, 31))
    CaseTeamMember.objects.create(case=world.hanako_case, staff=world.consultant2, team_role=TeamRole.CO_WORKER)
    # Her worker is world.consultant; the employment supporter is centre staff outside her team.
    login(client, world.consultant).post(
        reverse("programmes:application_add", kwargs={"code": world.hanako_case.code}), APPLICATION
    )
    shelter_stay(world.hanako_case, world.consultant, "ひみつのシェルター", move_on_note="")
    application = HousingApplication.objects.get(case=world.hanako_case)
    login(client, world.employment)
    for url in [
        reverse("programmes:case", kwargs={"code": world.hanako_case.code}),
        application.get_absolute_url(),
        reverse("programmes:payments") + "?month=2026-12",
    ]:
        page = client.get(url).content.decode()
        assert "ひみつのシェルター" not in page
        assert "湯沢不動産" not in page
        assert "1234567" not in page
        assert "所在秘匿" in page
    before = counts()
    response = client.post(
        reverse("programmes:stay_add", kwargs={"code": world.hanako_case.code}),
        {
            "place_kind": "shelter",
            "place": "x",
            "starts_on": "2026-12-01",
            "planned_end": "2026-12-31",
            "meals_per_day": "0",
        },
    )
    assert response.status_code == 404
    assert counts() == before
    # Her team sees them.
    page = login(client, world.consultant2).get(reverse("programmes:case", kwargs={"code": world.hanako_case.code}))
    assert "ひみつのシェルター" in page.content.decode()


# Query counts -----------------------------------------------------------------------------


def more_records(client, world, n):
    """n more of each row the pages list, for a new person each time."""
    for i in range(n):
        person = make_person(world.town, "追加", f"{i}", "ツイカ", "イチ")
        case = make_case(person, world.centre, world.consultant)
        for aided in (world.case, case):
            EmergencyAid.objects.create(
                case=aided,
                kind="clothing",
                source="donation",
                quantity=1,
                given_by=world.consultant,
                recorded_by=world.consultant,
            )
        shelter_stay(world.case, world.consultant, "s", planned_end=D(2026, 11, 30))
        HousingDuty.objects.create(
            application=HousingApplication.objects.get(case=world.case),
            kind="hello_work",
            done_on=D(2026, 12, 1),
            recorded_by=world.consultant,
        )
        decide(world, case, "housing_benefit", D(2026, 11, 1), D(2027, 1, 31))
        login(client, world.consultant).post(
            reverse("programmes:application_add", kwargs={"code": case.code}), APPLICATION
        )
        session = learning_session(world, D(2026, 12, 1 + i), place="p", title="t")
        Attendance.objects.create(session=session, case=case, attended=True, recorded_by=world.consultant)
        Attendance.objects.create(session=session, case=world.case, attended=bool(i % 2), recorded_by=world.consultant)


# (queries on SQLite, audit events written), measured: the session, the user and their
# agency, the audit write (with its chain's head), the page's own queries.
PINNED = {
    "case": (17, 1),  # whether an order is in force comes with the case (case_for)
    "housing": (17, 1),
    "ledger": (14, 1),
    "payments": (14, 1),
    # + 1: the participants the reader may not locate (their names are not shown).
    "sessions": (16, 1),
}


@pytest.mark.parametrize("name", list(PINNED))
def test_programme_pages_do_not_grow_with_rows(client, world, housing, name):
    application = HousingApplication.objects.get(case=world.case)
    urls = {
        "case": reverse("programmes:case", kwargs={"code": world.case.code}),
        "housing": application.get_absolute_url(),
        "ledger": reverse("programmes:ledger") + "?month=2026-12",
        "payments": reverse("programmes:payments") + "?month=2026-12",
        "sessions": reverse("programmes:sessions") + "?month=2026-12",
    }
    more_records(client, world, 1)
    login(client, world.consultant)
    one = count_queries(client, urls[name])
    more_records(client, world, 2)
    login(client, world.consultant)
    three = count_queries(client, urls[name])
    assert one == three == pinned(*PINNED[name])
