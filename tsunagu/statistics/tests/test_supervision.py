"""The chief's supervision dashboard and the lists behind its figures."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagu.audit.models import AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Case, CaseState, ProgressNote, Task, TaskKind
from tsunagu.conftest import make_case, make_person
from tsunagu.tests.pages import links, visible_text

pytestmark = pytest.mark.django_db
BOARD = "/statistics/supervision/"


@pytest.fixture
def centre(world: SimpleNamespace) -> SimpleNamespace:
    """consultant: world.case (intake, a partner on the team, a recent note) and hanako's
    (assessment, alone for 200 days, quiet); consultant2: a case in coordination with an
    overdue task and an overdue evaluation; a closure waiting for approval."""
    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=200)
    Case.objects.filter(pk=world.hanako_case.pk).update(opened_on=today - dt.timedelta(days=200), created_at=long_ago)
    Case.objects.filter(pk=world.case.pk).update(created_at=long_ago)
    ProgressNote.objects.create(case=world.case, method="phone", content="電話で様子を聞いた", author=world.consultant)
    person = make_person(world.town, "調整", "待子", "チョウセイ", "マチコ")
    world.waiting = make_case(person, world.centre, world.consultant2, state=CaseState.COORDINATION)
    overdue = today - dt.timedelta(days=3)
    Task.objects.create(case=world.waiting, title="書類", due_on=overdue, assignee=world.consultant2)
    Task.objects.create(
        case=world.waiting, title="評価", kind=TaskKind.EVALUATION_DUE, due_on=overdue, assignee=world.consultant2
    )
    Task.objects.create(
        case=world.case, title="終結の承認", kind=TaskKind.CLOSURE_APPROVAL, due_on=today, assignee=world.chief
    )
    return world


def test_the_chief_reads_each_workers_load(client: Any, centre: SimpleNamespace) -> None:
    client.force_login(centre.chief)
    response = client.get(BOARD)
    assert response.status_code == 200
    text = visible_text(response)
    assert "終結の承認待ち 1件" in text
    assert "支援決定待ち（支援調整会議の後） 1件" in text
    hrefs = links(response)
    consultant, consultant2 = centre.consultant.pk, centre.consultant2.pk
    assert f"/statistics/supervision/caseload/?worker={consultant}" in hrefs
    assert f"/statistics/supervision/caseload/?worker={consultant}&state=assessment" in hrefs
    assert f"/statistics/supervision/overdue_tasks/?worker={consultant2}" in hrefs
    assert f"/statistics/supervision/overdue_evaluations/?worker={consultant2}" in hrefs
    assert f"/statistics/supervision/quiet/?worker={consultant}" in hrefs
    assert f"/statistics/supervision/alone/?worker={consultant}" in hrefs
    assert f"/statistics/supervision/alone/?worker={consultant2}" not in hrefs


@pytest.mark.parametrize(
    ("kind", "worker", "shown", "hidden"),
    [
        ("caseload", "consultant", ["山田 太郎", "秘匿 花子"], ["調整 待子"]),
        ("overdue_tasks", "consultant2", ["調整 待子"], ["山田 太郎"]),
        ("overdue_evaluations", "consultant2", ["調整 待子"], ["秘匿 花子"]),
        ("quiet", "consultant", ["秘匿 花子"], ["山田 太郎"]),
        ("alone", "consultant", ["秘匿 花子"], ["山田 太郎"]),
        ("closures", None, ["山田 太郎"], ["調整 待子"]),
        ("decisions", None, ["調整 待子"], ["山田 太郎"]),
    ],
)
def test_each_figure_leads_to_its_cases(
    client: Any, centre: SimpleNamespace, kind: str, worker: str | None, shown: list[str], hidden: list[str]
) -> None:
    client.force_login(centre.chief)
    params = {"worker": str(getattr(centre, worker).pk)} if worker else {}
    response = client.get(f"/statistics/supervision/{kind}/", params)
    assert response.status_code == 200
    text = visible_text(response)
    for name in shown:
        assert name in text
    for name in hidden:
        assert name not in text
    events = AuditEvent.objects.filter(object_type="statistics.supervision", actor=centre.chief)
    assert events.count() == len(shown)
    assert {e.action for e in events} == {"view"}


def test_a_state_narrows_the_caseload(client: Any, centre: SimpleNamespace) -> None:
    client.force_login(centre.chief)
    response = client.get(
        "/statistics/supervision/caseload/", {"worker": str(centre.consultant.pk), "state": "assessment"}
    )
    text = visible_text(response)
    assert "秘匿 花子" in text
    assert "山田 太郎" not in text


@pytest.mark.parametrize(
    "params", [{"worker": "abc"}, {"worker": "999999"}, {"state": "closed"}, {"state": "nope"}, {"worker": "１"}]
)
def test_bad_input_is_refused_with_a_message(client: Any, centre: SimpleNamespace, params: dict[str, str]) -> None:
    client.force_login(centre.chief)
    response = client.get("/statistics/supervision/caseload/", params)
    assert response.status_code == 422
    assert "指定を確認してください" in visible_text(response)
    assert not AuditEvent.objects.filter(object_type="statistics.supervision").exists()


def test_a_worker_of_another_centre_is_no_filter(client: Any, centre: SimpleNamespace) -> None:
    client.force_login(centre.chief)
    response = client.get("/statistics/supervision/caseload/", {"worker": str(centre.outsider.pk)})
    assert response.status_code == 422
    assert "山田 次郎" not in visible_text(response)


def test_an_unknown_list_is_missing(client: Any, centre: SimpleNamespace) -> None:
    client.force_login(centre.chief)
    assert client.get("/statistics/supervision/everything/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="statistics.supervision").count() == 1


@pytest.mark.parametrize("who", ["consultant", "employment", "officer", "partner", "supporter"])
def test_only_the_chief_supervises(client: Any, centre: SimpleNamespace, who: str) -> None:
    client.force_login(getattr(centre, who))
    response = client.get(BOARD)
    assert response.status_code == 403
    assert "担当者ごとのケース" not in response.content.decode()
    assert client.get("/statistics/supervision/caseload/").status_code == 403
    assert not AuditEvent.objects.filter(object_type="statistics.supervision").exists()


def test_another_centres_chief_sees_only_their_own(client: Any, centre: SimpleNamespace) -> None:
    client.force_login(centre.outsider)
    text = visible_text(client.get("/statistics/supervision/caseload/"))
    assert "山田 次郎" in text
    assert "山田 太郎" not in text


def test_the_dashboard_costs_the_same_for_one_or_three_workers_with_cases(client: Any, centre: SimpleNamespace) -> None:
    client.force_login(centre.chief)
    with CaptureQueriesContext(connection) as one:
        client.get(BOARD)
    for name in ("一", "二"):
        person = make_person(centre.town, "追加", name, "ツイカ", "イチ")
        make_case(person, centre.centre, centre.employment, state=CaseState.IN_SUPPORT)
    with CaptureQueriesContext(connection) as three:
        response = client.get(BOARD)
    assert "田中 就労" in visible_text(response)
    # session, user, agency; workers; caseload, overdue, quiet, the 検討会 candidates;
    # closures, decisions; the session's save (savepoint, update, release).
    assert len(one.captured_queries) == len(three.captured_queries) == pinned(13)
