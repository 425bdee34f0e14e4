"""load_demo and demo_accounts.

Loading takes a few seconds, so the tests that only read the demo town share one load
(the class-scoped `demo` fixture, rolled back after the class); the tests of the
command's behaviour on an empty database load their own.
"""

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, District, Municipality, Role, Staff
from tsunagu.audit.models import GENESIS_HASH, Action, AuditEvent
from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.models import (
    ACTIVE_STATES,
    Case,
    CaseConcern,
    CaseState,
    CaseTeamMember,
    ProgressNote,
    Task,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.demo.town import PASSWORD
from tsunagu.people.access import people_visible_to
from tsunagu.people.models import (
    ConfidentialitySource,
    Household,
    HouseholdMember,
    Person,
    WhereaboutsConfidentiality,
    confidentiality_in_force,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
KATAKANA = re.compile(r"^[\u30a0-\u30ff]+$")
OGACHINO_DISTRICTS = ["弁天・幡野・岩崎", "東小", "西小", "山田", "三関・須川・高松", "稲川", "雄勝", "皆瀬"]
ACCOUNTS = {
    "chief": (Role.CHIEF, "雄勝野市自立相談支援センター"),
    "consultant": (Role.CONSULTANT, "雄勝野市自立相談支援センター"),
    "consultant2": (Role.CONSULTANT, "雄勝野市自立相談支援センター"),
    "employment": (Role.EMPLOYMENT_SUPPORTER, "雄勝野市自立相談支援センター"),
    "coordinator": (Role.COORDINATOR, "雄勝野市自立相談支援センター"),
    "officer": (Role.MUNICIPAL_OFFICER, "雄勝野市福祉課"),
    "partner": (Role.PARTNER, "雄勝野市地域包括支援センター"),
    "chief_other": (Role.CHIEF, "成瀬川村自立相談支援センター"),
}


def load(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict[str, Any]:
    """What a load wrote, to compare two loads or a load before and after a command."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Municipality,
                District,
                Agency,
                Staff,
                Person,
                Household,
                HouseholdMember,
                Case,
                CaseConcern,
                CaseTeamMember,
                ProgressNote,
                Task,
                TimelineEntry,
                WhereaboutsConfidentiality,
            )
        },
        "people": list(
            Person.objects.order_by("code").values_list("code", "family_name", "given_name", "birth_date", "address")
        ),
        "cases": list(Case.objects.order_by("code").values_list("code", "person__code", "state", "worker__username")),
        "audit": AuditEvent.objects.count(),
    }


def ogachino() -> Municipality:
    return Municipality.objects.get(name="雄勝野市")


def staff(username: str) -> Staff:
    return Staff.objects.select_related("agency").get(username=username)


def confidential_person() -> Person:
    """The DV case's person: the order in force that was confirmed by a second person."""
    order = WhereaboutsConfidentiality.objects.get(
        source=ConfidentialitySource.RESIDENT_REGISTER, confirmed_at__isnull=False, person__cases__isnull=False
    )
    return order.person


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo town, loaded once for a class of read-only tests and rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output, _ = load()
            yield {"output": output, **snapshot()}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.usefixtures("demo")
class TestTheDemoTown:
    def test_two_municipalities_with_the_eight_districts(self, db: None) -> None:
        town = ogachino()
        assert (town.prefecture, town.population) == ("秋田県", 42_180)
        assert list(town.districts.order_by("number").values_list("number", "name")) == list(
            enumerate(OGACHINO_DISTRICTS, start=1)
        )
        other = Municipality.objects.exclude(pk=town.pk).get()
        assert other.name == "成瀬川村"
        assert other.population < 3000

    def test_the_agencies_of_the_seed_diagram(self, db: None) -> None:
        kinds = Counter(Agency.objects.filter(municipality=ogachino()).values_list("kind", flat=True))
        for kind in (
            AgencyKind.CONSULTATION_CENTRE,
            AgencyKind.MUNICIPAL_DEPARTMENT,
            AgencyKind.SOCIAL_WELFARE_COUNCIL,
            AgencyKind.COMMUNITY_CARE_CENTRE,
            AgencyKind.DISABILITY_CONSULTATION,
            AgencyKind.HELLO_WORK,
            AgencyKind.HEALTH_CENTRE,
            AgencyKind.FOOD_BANK,
            AgencyKind.NPO,
            AgencyKind.HOUSING_SUPPORT_CORPORATION,
            AgencyKind.LEGAL_AID,
            AgencyKind.COMPANY,
        ):
            assert kinds[kind] >= 1, kind
        assert kinds[AgencyKind.CONSULTATION_CENTRE] == 1
        assert Agency.objects.get(kind=AgencyKind.HELLO_WORK).name == "ハローワーク雄勝野"

    def test_accounts_have_their_roles_agencies_and_the_demo_password(self, db: None) -> None:
        for username, (role, agency) in ACCOUNTS.items():
            account = staff(username)
            assert account.role == role, username
            assert account.agency is not None
            assert account.agency.name == agency, username
            assert account.display_name, username
            assert account.check_password(PASSWORD), username
            assert not account.check_password("wrong-password-2026")
        admin = staff("admin")
        assert (admin.role, admin.agency, admin.is_staff, admin.is_superuser) == (Role.ADMIN, None, True, True)
        assert admin.check_password(PASSWORD)
        assert staff("chief").is_chief
        assert staff("partner").works_in_centre is False

    def test_about_150_people_in_households(self, db: None) -> None:
        people = Person.objects.filter(municipality=ogachino())
        assert 140 <= people.count() <= 170
        assert not people.filter(household_membership__isnull=True).exists()
        assert not people.filter(district__isnull=True).exists()
        heads = Counter(HouseholdMember.objects.filter(is_head=True).values_list("household_id", flat=True))
        assert set(heads.values()) == {1}
        assert len(heads) == Household.objects.count()
        sizes = Counter(HouseholdMember.objects.values_list("household_id", flat=True))
        assert sum(1 for size in sizes.values() if size == 1) >= 10  # single-person households
        for family_kana, given_kana in Person.objects.values_list("family_name_kana", "given_name_kana"):
            assert KATAKANA.match(family_kana), family_kana
            assert KATAKANA.match(given_kana), given_kana
        today = timezone.localdate()
        ages = [
            today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            for born in people.values_list("birth_date", flat=True)
            if born is not None
        ]
        assert len(ages) == people.count()
        adults = [age for age in ages if age >= 18]
        assert min(adults) <= 22
        assert max(ages) <= 90
        assert len(adults) >= 0.9 * len(ages)
        for postal_code, phone, address in people.values_list("postal_code", "phone", "address"):
            assert re.match(r"^012-08\d\d$", postal_code)
            assert phone == "" or re.match(r"^(0183-\d\d|0[789]0-\d{4})-\d{4}$", phone), phone
            assert address.startswith("雄勝野市")

    def test_search_finds_variant_kanji_and_shared_readings(self, db: None) -> None:
        people = Person.objects.in_municipality(ogachino().pk)
        assert [p.full_name for p in people.search("やまだ たろう")] == ["山田 太郎"]
        both = {p.full_name for p in people.search("高橋洋子")}
        assert both == {"髙橋 洋子", "高橋 洋子"}
        assert {p.full_name for p in people.search("タカハシ ヨウコ")} == both
        assert {p.family_name for p in people.search("キクチ")} == {"菊地", "菊池"}
        # 成瀬川村 has its own 山田, invisible from 雄勝野市.
        assert Person.objects.search("ヤマダ ジロウ").get().municipality.name == "成瀬川村"
        assert not people.search("ヤマダ ジロウ").exists()

    def test_cases_in_every_state_reached_through_move(self, db: None) -> None:
        cases = Case.objects.filter(agency__municipality=ogachino())
        assert 60 <= cases.count() <= 80
        assert set(cases.values_list("state", flat=True)) == set(CaseState.values)
        for case in cases:
            # Opened in 把握 or 相談受付, then moved step by step, each move audited.
            opened = case.timeline.get(kind=TimelineKind.OPENED)
            assert opened.to_state in (CaseState.IDENTIFIED, CaseState.INTAKE)
            states = list(case.timeline.filter(kind=TimelineKind.STATE).order_by("at", "id"))
            assert (states[-1].to_state if states else opened.to_state) == case.state
            assert [e.from_state for e in states] == [opened.to_state, *(e.to_state for e in states)][: len(states)]
            assert AuditEvent.objects.filter(case_code=case.code, action=Action.TRANSITION).count() == len(states)
            assert opened.at == case.created_at
            assert all(entry.at >= opened.at for entry in case.timeline.all())
            assert case.concerns.filter(is_primary=True).count() == 1
            assert case.summary
        assert (
            cases.filter(state=CaseState.CLOSED, closed_on__isnull=False).count()
            == cases.filter(state=CaseState.CLOSED).count()
        )
        decided = TimelineEntry.objects.filter(kind=TimelineKind.STATE, to_state=CaseState.DECIDED)
        assert set(decided.values_list("actor__role", flat=True)) <= {Role.CHIEF, Role.MUNICIPAL_OFFICER}
        closed = TimelineEntry.objects.filter(kind=TimelineKind.STATE, to_state=CaseState.CLOSED)
        assert set(closed.values_list("actor__role", flat=True)) == {Role.CHIEF}
        handed_off = cases.filter(state=CaseState.HANDED_OFF)
        assert not handed_off.filter(handed_off_to__isnull=True).exists()
        assert not handed_off.exclude(handed_off_to__municipality=ogachino()).exists()

    def test_the_cases_look_like_months_of_work(self, db: None) -> None:
        today = timezone.localdate()
        cases = Case.objects.filter(agency__municipality=ogachino())
        oldest = min(cases.values_list("opened_on", flat=True))
        assert (today - oldest).days > 200
        # New consultations keep coming, but most of the caseload is older than three months.
        assert cases.filter(opened_on__lt=today - dt.timedelta(days=90)).count() >= 25
        assert not TimelineEntry.objects.filter(at__gt=timezone.now()).exists()
        assert not ProgressNote.objects.filter(occurred_at__gt=timezone.now()).exists()
        for case in cases.filter(state__in=ACTIVE_STATES).exclude(worker=None):
            assert 2 <= case.notes.count() <= 6, case
        assert ProgressNote.objects.filter(shared_with_team=True).exists()
        assert ProgressNote.objects.filter(content__contains="家賃滞納").exists()

    def test_teams_include_the_partner_and_the_employment_supporter(self, db: None) -> None:
        partner_cases = CaseTeamMember.objects.filter(staff__username="partner", team_role="partner")
        assert partner_cases.count() >= 3
        employment = CaseTeamMember.objects.filter(staff__username="employment", team_role="employment")
        assert employment.filter(case__concerns__concern="job_search").exists()

    def test_consultant_has_overdue_and_due_tasks_and_a_quiet_case(self, db: None, client: Any) -> None:
        consultant = staff("consultant")
        today = timezone.localdate()
        tasks = Task.objects.open().filter(assignee=consultant)
        overdue = tasks.filter(due_on__lt=today)
        due = tasks.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7))
        assert overdue.exists()
        assert due.exists()
        assert Task.objects.filter(assignee=consultant, done_at__isnull=False).exists()
        client.force_login(consultant)
        page = client.get(reverse("my_day")).content.decode()
        assert overdue.earliest("due_on").title in page
        assert due.earliest("due_on").title in page
        # 髙橋 洋子's case has had no progress note for over a month.
        assert "髙橋 洋子" in page.split("quiet-title", 1)[1]

    def test_a_dv_case_under_confidentiality_hidden_outside_its_team(self, db: None, client: Any) -> None:
        person = confidential_person()
        order = person.confidentiality_orders.get()
        today = timezone.localdate()
        assert order.in_force
        assert order.renewal_due
        assert 320 <= (today - order.starts_on).days <= 345
        assert order.requested_by == staff("consultant")
        assert order.confirmed_by == staff("chief")
        assert order.protects_against.startswith("元配偶者")
        case = person.cases.get()
        assert case.worker == staff("consultant")
        assert case.concerns.get(is_primary=True).concern == "abuse"
        team = {m.staff.username for m in case.team.select_related("staff")}
        assert not team & {"consultant2", "partner"}

        def visible(username: str) -> bool | None:
            found = people_visible_to(staff(username)).filter(pk=person.pk).first()
            return getattr(found, "location_visible", None)

        assert visible("consultant") is True
        assert visible("chief") is True
        assert visible("consultant2") is False
        assert visible("partner") is None  # not on the team: cannot find her at all
        client.force_login(staff("consultant2"))
        page = client.get(person.get_absolute_url()).content.decode()
        assert person.full_name in page
        assert person.address not in page
        assert person.phone not in page

    def test_one_more_order_waits_for_confirmation(self, db: None) -> None:
        waiting = WhereaboutsConfidentiality.objects.filter(confirmed_at__isnull=True, lifted_at__isnull=True)
        assert waiting.count() == 1
        order = waiting.get()
        assert order.requested_by.username == "consultant2"
        assert WhereaboutsConfidentiality.objects.filter(pk=order.pk).filter(confidentiality_in_force()).exists()

    def test_tenants_are_isolated(self, db: None) -> None:
        other = Municipality.objects.get(name="成瀬川村")
        mine = cases_visible_to(staff("chief_other"))
        assert mine.exists()
        assert set(mine.values_list("agency__municipality", flat=True)) == {other.pk}
        assert not cases_visible_to(staff("chief")).filter(agency__municipality=other).exists()
        assert not people_visible_to(staff("chief_other")).filter(municipality=ogachino()).exists()
        assert Person.objects.filter(municipality=other).count() >= 5

    def test_the_audit_trail_is_intact(self, db: None) -> None:
        out = io.StringIO()
        call_command("verify_audit", stdout=out)
        assert f"intact: {AuditEvent.objects.count()} rows" in out.getvalue()
        assert AuditEvent.objects.filter(action=Action.CREATE, object_type="people.person").count() == (
            Person.objects.count()
        )

    def test_a_second_load_refuses_and_changes_nothing(self, db: None, demo: dict[str, Any]) -> None:
        with pytest.raises(CommandError, match="--force") as refused:
            load()
        assert "すでにデータがあります" in str(refused.value)
        assert refused.value.returncode == 1
        assert snapshot() == {k: v for k, v in demo.items() if k != "output"}

    def test_if_empty_does_nothing_on_a_loaded_database(self, db: None, demo: dict[str, Any]) -> None:
        output, _ = load("--if-empty")
        assert "すでに読み込まれています" in output
        assert snapshot() == {k: v for k, v in demo.items() if k != "output"}

    def test_force_wipes_and_reloads_the_same_data(self, db: None, demo: dict[str, Any]) -> None:
        output, warning = load("--force")
        assert "デモデータを読み込みました" in output
        assert "監査記録" in warning
        assert "audit trail" in warning
        reloaded = snapshot()
        assert reloaded["counts"] == demo["counts"]
        assert reloaded["people"] == demo["people"]  # same codes, names, birth dates, addresses
        assert reloaded["cases"] == demo["cases"]
        # The old audit trail went with the wipe: the chain starts again.
        assert reloaded["audit"] == demo["audit"]
        assert AuditEvent.objects.earliest("id").prev_hash == GENESIS_HASH
        call_command("verify_audit", stdout=io.StringIO())

    def test_demo_accounts_lists_the_accounts(self, db: None) -> None:
        out = io.StringIO()
        call_command("demo_accounts", stdout=out)
        text = out.getvalue()
        for username, (role, agency) in ACCOUNTS.items():
            line = next(line for line in text.splitlines() if line.startswith(username + " "))
            assert str(Role(role).label) in line
            assert agency in line
            assert PASSWORD in line
        assert "管理者" in text


def test_if_empty_loads_an_empty_database(db: None) -> None:
    output, _ = load("--if-empty")
    assert "デモデータを読み込みました" in output
    assert Municipality.objects.count() == 2
    assert Case.objects.filter(state=CaseState.ENDED).exists()


def test_demo_accounts_says_when_there_are_none(db: None) -> None:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert "デモアカウントはありません" in out.getvalue()
    assert PASSWORD not in out.getvalue()


def test_the_options_exclude_each_other(db: None) -> None:
    with pytest.raises(CommandError):
        load("--force", "--if-empty")
    assert not Municipality.objects.exists()
