"""Shared test fixtures: a small town with named personas (as in healthchecks' hc/test.py).

- chief, consultant (the worker of taro's and hanako's cases), consultant2 (same centre,
  on no team), employment: staff of the centre
- officer: the municipality's 福祉課
- partner: a 地域包括支援センター worker on the team of taro's case
- partner_outsider: a 居住支援法人 worker on no team
- outsider: the chief of another municipality's centre
- supporter, admin_user: roles that never see records
- district_chief: the 地区チーフ of 東小 (w.district), from the 社会福祉協議会
- supporter: a newspaper deliverer with an account (w.supporter_record) watching over
  東小一丁目 (w.neighbourhood)
- taro: 山田 太郎 (ヤマダ タロウ) with an open case in intake; he consented on paper to
  share basic information, the plan and the progress with the 地域包括支援センター
  (w.consent), for team work, referrals and the 支援調整会議
- hanako: under whereabouts confidentiality, with a case in assessment
"""

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, District, Municipality, Role, Staff
from tsunagu.cases.models import Case, CaseConcern, CaseState, CaseTeamMember, IntakeRoute, TeamRole
from tsunagu.community.models import Neighbourhood, Supporter, SupporterKind
from tsunagu.consents.models import Category, Consent, Method, Purpose
from tsunagu.people.models import ConfidentialitySource, Person, Sex, WhereaboutsConfidentiality

PASSWORD = "correct-horse-battery-2026"

# The staff of `world`, by the attribute that holds each: for tests that go through them all.
PERSONAS = [
    "chief",
    "consultant",
    "consultant2",
    "employment",
    "officer",
    "partner",
    "partner_outsider",
    "outsider",
    "supporter",
    "district_chief",
    "admin_user",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (tested in accounts/tests); tests log in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # verify_audit writes a checkpoint; each test's database gets a directory of its own
    # (made only when a checkpoint is written), never the checkout's var/.
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path_factory.getbasetemp() / "audit-checkpoints" / uuid.uuid4().hex)


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch: Any) -> None:
    """`client.force_login` stands in for the whole sign-in, password and second factor
    alike. The sign-in itself (password, lockout, second factor) is tested through the
    form in accounts/tests."""
    from django.test import Client

    from tsunagu.accounts import mfa

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        mfa.mark_verified(user, session)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


def make_staff(username: str, agency: Agency | None, role: str, **extra: Any) -> Staff:
    staff = Staff(username=username, agency=agency, role=role, display_name=extra.pop("display_name", username))
    for key, value in extra.items():
        setattr(staff, key, value)
    staff.set_password(PASSWORD)
    staff.save()
    return staff


def make_person(
    municipality: Municipality, family: str, given: str, family_kana: str, given_kana: str, **extra: Any
) -> Person:
    person = Person(
        municipality=municipality,
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=given_kana,
        sex=extra.pop("sex", Sex.UNDISCLOSED),
        **extra,
    )
    person.save()
    return person


def person_form(family: str, given: str, family_kana: str, given_kana: str, **fields: Any) -> dict[str, Any]:
    """What the new-person form posts: the names as make_person takes them, and `fields`."""
    names = {"family_name": family, "given_name": given, "family_name_kana": family_kana, "given_name_kana": given_kana}
    return {**names, **fields}


def make_case(
    person: Person, agency: Agency, worker: Staff | None, state: str = CaseState.INTAKE, **extra: Any
) -> Case:
    return Case.objects.create(
        person=person,
        agency=agency,
        worker=worker,
        state=state,
        intake_route=extra.pop("intake_route", IntakeRoute.WALK_IN),
        **extra,
    )


def make_supporter(
    municipality: Municipality, name: str, kind: str, registered_by: Staff, neighbourhoods: Any = (), **extra: Any
) -> Supporter:
    """A community supporter watching over `neighbourhoods`."""
    supporter = Supporter.objects.create(
        municipality=municipality, name=name, kind=kind, registered_by=registered_by, **extra
    )
    supporter.neighbourhoods.set(list(neighbourhoods))
    return supporter


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    w = SimpleNamespace()
    w.town = Municipality.objects.create(name="つなぐ市", prefecture="秋田県", population=42000)
    w.other_town = Municipality.objects.create(name="となり村", prefecture="秋田県", population=2500)
    w.district = District.objects.create(municipality=w.town, name="東小", number=2)
    w.district2 = District.objects.create(municipality=w.town, name="西小", number=3)
    w.centre = Agency.objects.create(
        municipality=w.town, name="つなぐ市自立相談支援センター", kind=AgencyKind.CONSULTATION_CENTRE
    )
    w.welfare = Agency.objects.create(municipality=w.town, name="つなぐ市福祉課", kind=AgencyKind.MUNICIPAL_DEPARTMENT)
    w.community_care = Agency.objects.create(
        municipality=w.town, name="つなぐ市地域包括支援センター", kind=AgencyKind.COMMUNITY_CARE_CENTRE
    )
    w.housing = Agency.objects.create(
        municipality=w.town, name="居住支援法人あんしん", kind=AgencyKind.HOUSING_SUPPORT_CORPORATION
    )
    w.swc = Agency.objects.create(
        municipality=w.town, name="つなぐ市社会福祉協議会", kind=AgencyKind.SOCIAL_WELFARE_COUNCIL
    )
    w.other_centre = Agency.objects.create(
        municipality=w.other_town, name="となり村自立相談支援センター", kind=AgencyKind.CONSULTATION_CENTRE
    )

    w.chief = make_staff("chief", w.centre, Role.CHIEF, display_name="佐藤 主任")
    w.consultant = make_staff("consultant", w.centre, Role.CONSULTANT, display_name="高橋 相談員")
    w.consultant2 = make_staff("consultant2", w.centre, Role.CONSULTANT, display_name="鈴木 相談員")
    w.employment = make_staff("employment", w.centre, Role.EMPLOYMENT_SUPPORTER, display_name="田中 就労")
    w.officer = make_staff("officer", w.welfare, Role.MUNICIPAL_OFFICER, display_name="伊藤 担当")
    w.partner = make_staff("partner", w.community_care, Role.PARTNER, display_name="渡辺 包括")
    w.partner_outsider = make_staff("partner_outsider", w.housing, Role.PARTNER, display_name="中村 居住")
    w.outsider = make_staff("outsider", w.other_centre, Role.CHIEF, display_name="小林 他村")
    w.supporter = make_staff("supporter", None, Role.SUPPORTER, display_name="加藤 新聞")
    w.district_chief = make_staff("district_chief", w.swc, Role.DISTRICT_CHIEF, display_name="木村 地区チーフ")
    w.admin_user = make_staff("admin", None, Role.ADMIN, display_name="管理者", is_staff=True, is_superuser=True)

    w.district.chief = w.district_chief
    w.district.save(update_fields=["chief"])
    w.neighbourhood = Neighbourhood.objects.create(district=w.district, name="東小一丁目")
    w.supporter_record = make_supporter(
        w.town,
        "加藤 新聞",
        SupporterKind.NEWSPAPER,
        w.chief,
        [w.neighbourhood],
        organisation="つなぐ新聞販売所",
        account=w.supporter,
        agreement_signed_on=dt.date(2025, 4, 1),
    )

    w.taro = make_person(
        w.town,
        "山田",
        "太郎",
        "ヤマダ",
        "タロウ",
        birth_date=dt.date(1975, 4, 1),
        sex=Sex.MALE,
        postal_code="012-0801",
        address="つなぐ市東小一丁目2-3",
        district=w.district,
        phone="0183-72-1234",
    )
    w.case = make_case(w.taro, w.centre, w.consultant, summary="家賃滞納と失業。")
    CaseConcern.objects.create(case=w.case, concern="income", is_primary=True)
    CaseConcern.objects.create(case=w.case, concern="job_search")
    CaseTeamMember.objects.create(case=w.case, staff=w.partner, team_role=TeamRole.PARTNER)
    w.consent = Consent.objects.create(
        person=w.taro,
        case=w.case,
        purposes=[Purpose.TEAM, Purpose.REFERRAL, Purpose.COORDINATION],
        categories=[Category.BASIC, Category.PLAN, Category.PROGRESS],
        method=Method.SIGNATURE,
        given_on=timezone.localdate() - dt.timedelta(days=10),
        recorded_by=w.consultant,
    )
    w.consent.agencies.set([w.community_care])

    w.hanako = make_person(
        w.town,
        "秘匿",
        "花子",
        "ヒトク",
        "ハナコ",
        birth_date=dt.date(1988, 8, 8),
        sex=Sex.FEMALE,
        postal_code="012-0999",
        address="つなぐ市西小九丁目9-9 ひみつ荘",
        district=w.district2,
        phone="090-9999-0000",
    )
    w.hanako_case = make_case(w.hanako, w.centre, w.consultant, state=CaseState.ASSESSMENT, summary="DV避難。")
    today = timezone.localdate()
    w.order = WhereaboutsConfidentiality.objects.create(
        person=w.hanako,
        source=ConfidentialitySource.RESIDENT_REGISTER,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=330),
        protects_against="元配偶者",
        requested_by=w.consultant,
        confirmed_by=w.chief,
        confirmed_at=timezone.now(),
    )
    w.other_person = make_person(w.other_town, "山田", "次郎", "ヤマダ", "ジロウ", phone="0182-00-0000")
    w.other_case = make_case(w.other_person, w.other_centre, w.outsider)
    return w


def _flush_with_audit_triggers_lifted() -> None:
    """Tests on a transactional database (the browser tests' live server) end with a
    flush of every table, which the audit table's append-only triggers refuse. Lift
    them for that flush only: a test-only patch of Django's teardown."""
    from django.test.testcases import TransactionTestCase

    from tsunagu.audit.triggers import append_only_suspended

    original = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]

    def _fixture_teardown(self: TransactionTestCase) -> None:
        with append_only_suspended():
            original(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]


_flush_with_audit_triggers_lifted()
