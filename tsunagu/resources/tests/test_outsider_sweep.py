"""Every view of the app that takes an object, tried by the chief of another municipality's
centre (who passes every screen-level check): each answers 404, shows nothing, is audited
once, and changes nothing. A partner of the same town is refused every change."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import Case
from tsunagu.resources.models import Resource
from tsunagu.resources.tests.conftest import make_resource
from tsunagu.sheets.models import AssessmentSheet, PlanSheet
from tsunagu.tests.client import html


@pytest.fixture
def objects(world):
    Case.objects.filter(pk=world.case.pk).update(state="plan_draft")
    AssessmentSheet.objects.create(
        case=world.case, version=1, recorded_by=world.consultant, assessed_on=timezone.localdate(), issues=["debt"]
    )
    PlanSheet.objects.create(
        case=world.case,
        version=1,
        recorded_by=world.consultant,
        long_term_goal="秘密の目標",
        period_start=timezone.localdate(),
        period_end=timezone.localdate() + dt.timedelta(days=90),
        next_evaluation_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return make_resource(world, "秘密の資源", issues=["debt"])


def targets(world, resource):
    code = {"code": resource.code}
    return [
        ("get", reverse("resources:detail", kwargs=code), {}),
        ("get", reverse("resources:edit", kwargs=code), {}),
        ("post", reverse("resources:edit", kwargs=code), {"name": "改ざん", "version": 1}),
        ("post", reverse("resources:check", kwargs=code), {"version": 1}),
        ("post", reverse("resources:deactivate", kwargs=code), {"version": 1}),
        ("post", reverse("resources:reactivate", kwargs=code), {"version": 1}),
        ("get", reverse("resources:for_case", kwargs={"code": world.case.code}), {}),
        (
            "post",
            reverse("resources:add_to_plan", kwargs={"code": world.case.code, "resource_code": resource.code}),
            {},
        ),
    ]


def test_no_view_lets_the_outsider_reach_the_object(client, world, objects):
    client.force_login(world.outsider)
    for method, url, data in targets(world, objects):
        denied_before = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        page = html(response)
        assert response.status_code == 404, (url, response.status_code)
        for secret in ["秘密の資源", "秘密の目標", "山田", "債務"]:
            assert secret not in page, (url, secret)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied_before + 1, url
    assert_unchanged(world, objects)


def test_a_partner_of_the_town_changes_nothing(client, world, objects):
    client.force_login(world.partner_outsider)
    for method, url, data in targets(world, objects):
        if method != "post" and "/edit/" not in url:
            continue
        denied_before = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (url, response.status_code)
        assert "秘密の目標" not in html(response)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied_before + 1, url
    assert_unchanged(world, objects)


def assert_unchanged(world, resource):
    fresh = Resource.objects.get(pk=resource.pk)
    assert fresh.name == "秘密の資源"
    assert fresh.version == 1
    assert fresh.active is True
    assert fresh.last_checked_on == resource.last_checked_on
    assert PlanSheet.objects.filter(case=world.case).count() == 1
