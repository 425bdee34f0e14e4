"""Who reaches employment records. The chief of another municipality's centre (who passes
every screen check) gets 404 from every view that takes an object, sees nothing, is
audited once per attempt and changes nothing; a partner on the case team and a partner
on no team are refused every page; a partner sees the case page's summary only when a
consent covers Category.EMPLOYMENT, and that showing is a disclosure."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.consents.models import Category, Consent, Disclosure, Method, Purpose
from tsunagu.employment.models import (
    Employer,
    FollowUp,
    IncomeRise,
    JobDevelopment,
    JobSeekerProfile,
    Opening,
    Placement,
    Step,
)
from tsunagu.employment.support import record_income_rise, record_step
from tsunagu.employment.tests.conftest import make_employer, make_opening, make_placement, make_profile
from tsunagu.tests.pages import visible_text


def make_records(world, case, employer_name="秘密の事業所", opening_title="秘密の求人"):
    """A profile, a step, a placement (with its follow-ups) and an income rise on `case`."""
    employer = make_employer(world, employer_name)
    opening = make_opening(world, opening_title, employer=employer)
    profile = make_profile(
        case,
        world.employment,
        wished_job="秘密の希望",
        districts=[world.district],
        barriers=["mental_health", "job_search_difficulty"],
        accommodations="通院のため水曜は休み",
    )
    placement = make_placement(world, case, employer=employer)
    step = record_step(Step(case=case, kind="visit", opening=opening, on=timezone.localdate()), world.employment)
    rise = record_income_rise(
        IncomeRise(case=case, risen_on=timezone.localdate(), income_before=0, income_after=90000, source="work"),
        world.employment,
    )
    return {
        "employer": employer,
        "opening": opening,
        "profile": profile,
        "placement": placement,
        "step": step,
        "rise": rise,
    }


@pytest.fixture
def records(world):
    return make_records(world, world.case)


def targets(world, r, case=None):
    """Every employment address that takes an object, with what a write would send."""
    case = {"code": (case or world.case).code}
    follow_up = r["placement"].follow_ups.get(months=1)
    return [
        ("get", reverse("employment:case", kwargs=case), {}),
        ("get", reverse("employment:profile", kwargs=case), {}),
        ("post", reverse("employment:profile", kwargs=case), {"base_version": "1", "stage": "welfare"}),
        ("get", reverse("employment:case_openings", kwargs=case), {}),
        ("post", reverse("employment:step_new", kwargs=case), {"step-kind": "visit", "step-on": "2026-01-05"}),
        ("post", reverse("employment:placement_new", kwargs=case), {"placement-employer_name": "改ざん"}),
        ("post", reverse("employment:income_new", kwargs=case), {"income-income_after": "1"}),
        ("post", reverse("employment:step_result", kwargs={"code": r["step"].code}), {}),
        ("post", reverse("employment:placement_end", kwargs={"code": r["placement"].code}), {}),
        ("post", reverse("employment:follow_up", kwargs={"code": follow_up.code}), {}),
        *[
            (method, reverse(f"employment:{name}_edit", kwargs={"code": obj.code}), {"version": "1", "note": "改ざん"})
            for name, obj in (
                ("step", r["step"]),
                ("placement", r["placement"]),
                ("follow_up", follow_up),
                ("income", r["rise"]),
            )
            for method in ("get", "post")
        ],
        ("get", reverse("employment:employer", kwargs={"code": r["employer"].code}), {}),
        ("get", reverse("employment:employer_edit", kwargs={"code": r["employer"].code}), {}),
        ("post", reverse("employment:employer_edit", kwargs={"code": r["employer"].code}), {"name": "改ざん"}),
        ("post", reverse("employment:contact_new", kwargs={"code": r["employer"].code}), {"method": "visit"}),
        ("get", reverse("employment:opening", kwargs={"code": r["opening"].code}), {}),
        ("get", reverse("employment:opening_edit", kwargs={"code": r["opening"].code}), {}),
        ("post", reverse("employment:opening_edit", kwargs={"code": r["opening"].code}), {"title": "改ざん"}),
        ("post", reverse("employment:opening_close", kwargs={"code": r["opening"].code}), {"version": "1"}),
    ]


SECRETS = ["秘密の事業所", "秘密の求人", "秘密の希望", "山田", "90000", "90,000"]


def snapshot(world):
    return (
        list(JobSeekerProfile.objects.values_list("pk", "version", "stage")),
        list(Step.objects.values_list("pk", "version", "result")),
        list(Placement.objects.values_list("pk", "version", "ended_on")),
        list(FollowUp.objects.values_list("pk", "version", "done_on")),
        list(IncomeRise.objects.values_list("pk", "version")),
        list(Employer.objects.values_list("pk", "version", "name")),
        list(Opening.objects.values_list("pk", "version", "title", "closed_on")),
        JobDevelopment.objects.count(),
    )


def test_the_outsider_reaches_no_object(client, world, records):
    before = snapshot(world)
    client.force_login(world.outsider)
    for method, url, data in targets(world, records):
        denied = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (url, response.status_code)
        page = visible_text(response)
        for secret in SECRETS:
            assert secret not in page, (url, secret)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied + 1, url
    # The lists of the outsider's own municipality hold nothing of this town.
    for name in ("employment:home", "employment:employers", "employment:openings"):
        page = visible_text(client.get(reverse(name), {"all": "1", "closed": "on"}))
        for secret in SECRETS:
            assert secret not in page, (name, secret)
    assert snapshot(world) == before


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "district_chief"])
def test_partners_are_refused_every_page(client, world, records, who):
    before = snapshot(world)
    client.force_login(getattr(world, who))
    for method, url, data in [*targets(world, records), ("get", reverse("employment:home"), {})]:
        denied = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (url, response.status_code)
        for secret in SECRETS:
            assert secret not in visible_text(response), (url, secret)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied + 1, url
    assert snapshot(world) == before


def test_the_officer_reads_but_writes_nothing(client, world, records):
    before = snapshot(world)
    client.force_login(world.officer)
    assert "秘密の希望" in visible_text(client.get(reverse("employment:case", kwargs={"code": world.case.code})))
    for method, url, data in targets(world, records):
        if method == "post":
            assert getattr(client, method)(url, data).status_code in (403, 404), url
    assert snapshot(world) == before


def test_a_partner_sees_the_case_panel_only_under_an_employment_consent(client, world, records):
    client.force_login(world.partner)
    page = visible_text(client.get(world.case.get_absolute_url()), within="employment-title")
    assert page == ""
    whole = visible_text(client.get(world.case.get_absolute_url()))
    assert "就労支援" not in whole
    assert "秘密の希望" not in whole
    consent = Consent.objects.create(
        person=world.taro,
        case=world.case,
        purposes=[Purpose.TEAM],
        categories=[Category.EMPLOYMENT],
        method=Method.SIGNATURE,
        given_on=timezone.localdate() - dt.timedelta(days=1),
        recorded_by=world.consultant,
    )
    consent.agencies.set([world.community_care])
    response = client.get(world.case.get_absolute_url())
    whole = visible_text(response)
    assert "秘密の希望" in whole
    assert "秘密の事業所" in whole
    # The 就労阻害要因 that are 要配慮 (health) and the accommodations stay with their own categories.
    assert "就職活動困難" in whole
    assert "メンタルヘルス" not in whole
    assert "通院" not in whole
    # No link to the centre's pages.
    assert reverse("employment:case", kwargs={"code": world.case.code}) not in response.content.decode()
    disclosure = Disclosure.objects.filter(recipient_agency=world.community_care).latest("id")
    assert Category.EMPLOYMENT in disclosure.categories
