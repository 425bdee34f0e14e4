"""Every view that takes an object, tried by people who must not reach it: the
chief of another municipality's centre (`outsider`, who passes every screen-level
check) and a partner-agency worker on no team. Each answer is a 404 or 403 that
shows nothing of the object, the attempt is audited, and nothing changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseTeamMember, ProgressNote, Task, TeamRole
from tsunagu.people.models import HouseholdMember, WhereaboutsConfidentiality


@pytest.fixture
def objects(world):
    note = ProgressNote.objects.create(case=world.case, author=world.consultant, method="phone", content="秘密の記録")
    task = Task.objects.create(
        case=world.case, title="秘密のタスク", due_on=timezone.localdate(), assignee=world.consultant
    )
    member = CaseTeamMember.objects.create(case=world.case, staff=world.employment, team_role=TeamRole.EMPLOYMENT)
    pending = WhereaboutsConfidentiality.objects.create(
        person=world.taro,
        source="agency_judgement",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        protects_against="x",
        requested_by=world.consultant,
    )
    return {"note": note, "task": task, "member": member, "pending": pending}


def targets(world, objects):
    person, case = world.taro.code, world.case.code
    return [
        ("get", reverse("people:detail", kwargs={"code": person}), {}),
        ("get", reverse("people:edit", kwargs={"code": person}), {}),
        ("post", reverse("people:edit", kwargs={"code": person}), {"family_name": "改ざん", "version": 1}),
        ("get", reverse("people:household_add", kwargs={"code": person}), {}),
        (
            "post",
            reverse("people:household_add", kwargs={"code": person}),
            {"member": str(world.hanako.code), "relation": "child"},
        ),
        ("get", reverse("people:access_log", kwargs={"code": person}), {}),
        ("get", reverse("people:confidentiality_new", kwargs={"code": person}), {}),
        ("post", reverse("people:confidentiality_confirm", kwargs={"code": objects["pending"].code}), {}),
        ("get", reverse("people:confidentiality_lift", kwargs={"code": world.order.code}), {}),
        ("post", reverse("people:confidentiality_lift", kwargs={"code": world.order.code}), {"lift_reason": "x"}),
        ("post", reverse("people:confidentiality_lift_confirm", kwargs={"code": world.order.code}), {}),
        ("get", reverse("cases:new") + f"?person={person}", {}),
        ("get", reverse("cases:detail", kwargs={"code": case}), {}),
        ("get", reverse("cases:edit", kwargs={"code": case}), {}),
        ("post", reverse("cases:move", kwargs={"code": case}), {"to": "screening", "expected_state": "intake"}),
        ("get", reverse("cases:note_new", kwargs={"code": case}), {}),
        (
            "post",
            reverse("cases:note_new", kwargs={"code": case}),
            {"method": "phone", "content": "x", "occurred_at": "2026-01-01T10:00"},
        ),
        ("get", reverse("cases:note_edit", kwargs={"code": objects["note"].code}), {}),
        ("get", reverse("cases:note_history", kwargs={"code": objects["note"].code}), {}),
        ("get", reverse("cases:task_new", kwargs={"code": case}), {}),
        ("post", reverse("cases:task_done", kwargs={"code": objects["task"].code}), {}),
        ("get", reverse("cases:team_add", kwargs={"code": case}), {}),
        ("post", reverse("cases:team_remove", kwargs={"code": case, "member_id": objects["member"].pk}), {}),
    ]


@pytest.mark.parametrize("who", ["outsider", "partner_outsider"])
def test_no_view_lets_an_outsider_reach_the_object(client, world, objects, who):
    client.force_login(getattr(world, who))
    for method, url, data in targets(world, objects):
        denied_before = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        page = response.content.decode()
        assert response.status_code in {403, 404}, (url, response.status_code)
        for secret in ["山田", "秘密の記録", "秘密のタスク", "0183-72-1234"]:
            assert secret not in page, (url, secret)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied_before + 1, url
    world.taro.refresh_from_db()
    world.case.refresh_from_db()
    objects["task"].refresh_from_db()
    objects["pending"].refresh_from_db()
    world.order.refresh_from_db()
    assert world.taro.family_name == "山田"
    assert world.case.state == "intake"
    assert objects["task"].done_at is None
    assert objects["pending"].confirmed_at is None
    assert world.order.lift_requested_at is None
    assert CaseTeamMember.objects.filter(pk=objects["member"].pk).exists()
    assert not HouseholdMember.objects.exists()
    assert ProgressNote.objects.filter(case=world.case).count() == 1
