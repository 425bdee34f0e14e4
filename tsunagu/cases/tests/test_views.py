import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases import panels
from tsunagu.cases.models import (
    Case,
    CaseConcern,
    CaseState,
    CaseTeamMember,
    ProgressNote,
    ProgressNoteRevision,
    Task,
    TeamRole,
    TimelineEntry,
)
from tsunagu.people import sharing
from tsunagu.tests.client import answers_like_missing, count_queries, html, login, refused
from tsunagu.tests.pages import assert_shows
from tsunagu.tests.records import write_note

LIST = reverse("cases:list")
MY = reverse("my_day")


# The case list ----------------------------------------------------------------------


def test_centre_staff_see_the_centres_cases(client, world):
    page = html(login(client, world.consultant2).get(LIST))
    assert "山田 太郎" in page
    assert "秘匿 花子" in page
    assert "山田 次郎" not in page


def test_partner_lists_only_cases_of_their_teams(client, world):
    page = html(login(client, world.partner).get(LIST))
    assert "山田 太郎" in page
    assert "秘匿 花子" not in page


def test_without_the_consents_app_a_partner_is_shown_nothing_of_the_case(client, world, monkeypatch):
    """The consent rule is registered by consents (cases.panels, people.sharing); without
    it a partner on the team is shown nothing taro consented to, full access all of it."""
    write_note(world.case, world.consultant, "包括と共有する記録。", shared=True)
    Task.objects.create(case=world.case, title="包括の訪問", assignee=world.partner, due_on=timezone.localdate())
    registered = panels.CONSENT_SCOPE, sharing.CONSENT_RULE
    monkeypatch.setattr(panels, "CONSENT_SCOPE", [])
    monkeypatch.setattr(sharing, "CONSENT_RULE", [])
    login(client, world.partner)
    for page in (html(client.get(world.case.get_absolute_url())), html(client.get(LIST)), html(client.get(MY))):
        assert "山田 太郎" not in page
    page = html(client.get(world.case.get_absolute_url()))
    assert "家賃滞納と失業。" not in page
    assert "包括と共有する記録。" not in page
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    assert "山田 太郎" in page
    assert "包括と共有する記録。" in page
    monkeypatch.setattr(panels, "CONSENT_SCOPE", registered[0])
    monkeypatch.setattr(sharing, "CONSENT_RULE", registered[1])
    page = html(login(client, world.partner).get(world.case.get_absolute_url()))
    assert "山田 太郎" in page
    assert "包括と共有する記録。" in page


def test_outsider_lists_only_their_municipality(client, world):
    page = html(login(client, world.outsider).get(LIST))
    assert "山田 次郎" in page
    assert "太郎" not in page


def test_filters(client, world):
    login(client, world.chief)
    assert "秘匿 花子" not in html(client.get(LIST, {"state": "intake"}))
    assert "山田 太郎" in html(client.get(LIST, {"state": "intake"}))
    assert "山田 太郎" in html(client.get(LIST, {"concern": "job_search"}))
    assert "秘匿 花子" not in html(client.get(LIST, {"concern": "job_search"}))
    assert "山田 太郎" in html(client.get(LIST, {"worker": world.consultant.pk}))
    assert "山田 太郎" not in html(client.get(LIST, {"worker": world.consultant2.pk}))
    assert "山田 太郎" in html(client.get(LIST, {"district": world.district.pk}))
    assert "山田 太郎" not in html(client.get(LIST, {"district": world.district2.pk}))


def test_district_filter_does_not_locate_a_confidential_person_outside_the_team(client, world):
    assert "秘匿 花子" in html(login(client, world.chief).get(LIST, {"district": world.district2.pk}))
    page = html(login(client, world.consultant2).get(LIST, {"district": world.district2.pk}))
    assert "秘匿 花子" not in page
    page = html(client.get(LIST))
    assert "秘匿 花子" in page
    assert world.district2.name not in page.split("<tbody", 1)[-1]


def test_closed_cases_are_hidden_unless_asked_for(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.ENDED)
    login(client, world.chief)
    assert "山田 太郎" not in html(client.get(LIST))
    assert "山田 太郎" in html(client.get(LIST, {"include_closed": "on"}))


# The case page -------------------------------------------------------------------------


def test_worker_sees_the_whole_case_and_the_view_is_audited(client, world):
    write_note(world.case, world.consultant, "三日前の記録", ago=dt.timedelta(days=3))
    write_note(world.case, world.consultant, "大家さんと分納の相談をした。")
    Task.objects.create(
        case=world.case, title="家計表を一緒に作る", due_on=timezone.localdate(), assignee=world.consultant
    )
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    for text in [
        "山田 太郎",
        "相談受付",
        "大家さんと分納の相談をした。",
        "家計表を一緒に作る",
        "収入・生活費",
        "家賃滞納と失業。",
    ]:
        assert text in page
    assert page.index("大家さんと分納の相談をした。") < page.index("三日前の記録")  # newest note first
    assert AuditEvent.objects.filter(action=Action.VIEW, case_code=world.case.code, actor=world.consultant).exists()


def test_partner_sees_the_summary_their_tasks_and_shared_notes_only(client, world):
    write_note(world.case, world.consultant, "共有してよい記録です。", shared=True)
    write_note(world.case, world.consultant, "センター内だけの記録です。", shared=False)
    Task.objects.create(
        case=world.case, title="包括の訪問日を調整", due_on=timezone.localdate(), assignee=world.partner
    )
    Task.objects.create(
        case=world.case, title="センターの内部タスク", due_on=timezone.localdate(), assignee=world.consultant
    )
    page = html(login(client, world.partner).get(world.case.get_absolute_url()))
    assert_shows(
        page,
        shown=["家賃滞納と失業。", "共有してよい記録です。", "包括の訪問日を調整"],
        hidden=["センター内だけの記録です。", "センターの内部タスク", "つなぐ市東小一丁目2-3"],
    )


@pytest.mark.parametrize("who", ["partner_outsider", "outsider"])
def test_a_forbidden_case_answers_like_a_missing_one(client, world, who):
    login(client, getattr(world, who))
    answers_like_missing(client, world.case.get_absolute_url(), reverse("cases:detail", kwargs={"code": uuid.uuid4()}))
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.case.code)).exists()


def test_case_page_of_a_confidential_person_shows_the_banner_and_hides_the_address(client, world):
    page = html(login(client, world.consultant2).get(world.hanako_case.get_absolute_url()))
    assert "所在秘匿" in page
    assert "ひみつ荘" not in page
    page = html(login(client, world.consultant).get(world.hanako_case.get_absolute_url()))
    assert "所在秘匿" in page
    assert "ひみつ荘" in page


# Moving a case -------------------------------------------------------------------------


def state_of(case):
    """The case's state as stored now."""
    case.refresh_from_db()
    return case.state


def test_worker_moves_the_case_on_and_the_timeline_shows_it(client, world):
    url = reverse("cases:move", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(url, {"to": "screening", "expected_state": "intake"})
    assert response.status_code == 302
    assert state_of(world.case) == CaseState.SCREENING
    page = html(client.get(world.case.get_absolute_url()))
    assert "スクリーニング" in page
    assert TimelineEntry.objects.filter(case=world.case, to_state="screening").exists()


def test_a_move_that_is_not_allowed_gets_a_japanese_message_and_changes_nothing(client, world):
    url = reverse("cases:move", kwargs={"code": world.case.code})
    login(client, world.consultant)
    refused(client, url, {"to": "closed", "expected_state": "intake"}, "「相談受付」から「終結」へは移せません")
    assert state_of(world.case) == CaseState.INTAKE


def test_hand_off_without_an_agency_is_refused_by_the_field(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SCREENING)
    url = reverse("cases:move", kwargs={"code": world.case.code})
    login(client, world.consultant)
    refused(client, url, {"to": "handed_off", "expected_state": "screening"}, "つなぎ先の機関を選んでください")
    response = client.post(url, {"to": "handed_off", "expected_state": "screening", "to_agency": world.housing.pk})
    assert response.status_code == 302
    assert state_of(world.case) == CaseState.HANDED_OFF
    assert Task.objects.filter(case=world.case, kind="handoff_follow_up", assignee=world.consultant).exists()


def test_a_move_from_a_stale_page_is_refused(client, world):
    url = reverse("cases:move", kwargs={"code": world.case.code})
    login(client, world.consultant2).post(url, {"to": "screening", "expected_state": "intake"})
    stale = {"to": "suspended", "expected_state": "intake", "suspension_reason": "refused"}
    refused(login(client, world.consultant), url, stale, "他の職員が先に")
    assert state_of(world.case) == CaseState.SCREENING


def test_a_move_without_its_sheet_shows_the_missing_sheet_with_a_link(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SCREENING)
    url = reverse("cases:move", kwargs={"code": world.case.code})
    audits = AuditEvent.objects.filter(case_code=world.case.code).exclude(action=Action.VIEW).count()
    response = login(client, world.consultant).post(url, {"to": "applied", "expected_state": "screening"})
    assert response.status_code == 422
    page = html(response)
    assert "「申込・同意を受ける」の前に、相談受付・申込票の「申込と同意」を記録してください。" in page
    intake = reverse("sheets:intake", kwargs={"code": world.case.code})
    assert f'href="{intake}"' in page
    assert "相談受付・申込票を書く" in page
    assert "記録なしで進める" not in page  # only the chief may override
    assert state_of(world.case) == CaseState.SCREENING
    assert AuditEvent.objects.filter(case_code=world.case.code).exclude(action=Action.VIEW).count() == audits


def test_the_chief_overrides_a_missing_sheet_on_the_case_page_with_a_reason(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SCREENING)
    url = reverse("cases:move", kwargs={"code": world.case.code})
    response = login(client, world.chief).post(url, {"to": "applied", "expected_state": "screening"})
    assert response.status_code == 422
    assert 'name="override_reason"' in html(response)
    response = client.post(
        url, {"to": "applied", "expected_state": "screening", "override_reason": "本人が署名済みの紙の申込書あり"}
    )
    assert response.status_code == 302
    assert state_of(world.case) == CaseState.APPLIED
    event = AuditEvent.objects.filter(case_code=world.case.code, action=Action.TRANSITION).get()
    assert event.changes["override_reason"] == "本人が署名済みの紙の申込書あり"


def test_partner_cannot_move_a_case(client, world):
    url = reverse("cases:move", kwargs={"code": world.case.code})
    response = login(client, world.partner).post(url, {"to": "screening", "expected_state": "intake"})
    assert response.status_code == 422
    assert state_of(world.case) == CaseState.INTAKE


# Opening and editing a case -------------------------------------------------------------


def open_case(client, world, **fields):
    """A consultant posts the new-case form for taro (a phone call about debt and housing)."""
    data = {
        "intake_route": "phone",
        "opened_on": timezone.localdate().isoformat(),
        "concerns": ["debt", "housing"],
        **fields,
    }
    return login(client, world.consultant).post(reverse("cases:new") + f"?person={world.taro.code}", data)


def test_worker_opens_a_case_for_a_person(client, world):
    response = open_case(client, world, worker=world.consultant2.pk, summary="2回目の相談。", primary_concern="debt")
    case = Case.objects.exclude(pk=world.case.pk).get(person=world.taro)
    assert response["Location"] == case.get_absolute_url()
    assert (case.state, case.worker, case.intake_route) == (CaseState.INTAKE, world.consultant2, "phone")
    assert set(CaseConcern.objects.filter(case=case).values_list("concern", "is_primary")) == {
        ("debt", True),
        ("housing", False),
    }
    assert TimelineEntry.objects.filter(case=case, kind="opened").exists()


def test_new_case_needs_a_primary_concern_and_keeps_the_input(client, world):
    response = open_case(client, world, worker=world.consultant.pk, summary="入力が残ること")
    assert response.status_code == 200
    assert "最も大きなものを一つ選んでください" in html(response)
    assert "入力が残ること" in html(response)
    assert Case.objects.filter(person=world.taro).count() == 1


def test_new_case_with_a_bad_person_code_is_a_404_not_a_500(client, world):
    cases = Case.objects.count()
    response = login(client, world.consultant).get(reverse("cases:new") + "?person=not-a-uuid")
    assert response.status_code == 404
    assert Case.objects.count() == cases


def test_case_edit_detects_a_stale_form(client, world):
    url = reverse("cases:edit", kwargs={"code": world.case.code})
    base = {
        "intake_route": "walk_in",
        "opened_on": world.case.opened_on.isoformat(),
        "worker": world.consultant.pk,
        "concerns": ["income"],
        "primary_concern": "income",
        "version": 1,
    }
    assert login(client, world.consultant2).post(url, {**base, "summary": "先に保存"}).status_code == 302
    response = login(client, world.consultant).post(url, {**base, "summary": "後から古い画面で保存"})
    assert "他の職員がこのケースを先に更新しました" in html(response)
    assert "後から古い画面で保存" in html(response)
    world.case.refresh_from_db()
    assert world.case.summary == "先に保存"


# Notes, tasks, team -------------------------------------------------------------------------


def test_adding_a_note_puts_it_on_the_timeline(client, world):
    url = reverse("cases:note_new", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(
        url,
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "home_visit",
            "participants": "本人",
            "content": "自宅を訪問。食料が不足している。",
            "next_action": "フードバンクへ連絡",
        },
    )
    assert response.status_code == 302
    note = ProgressNote.objects.get(case=world.case)
    assert (note.author, note.method) == (world.consultant, "home_visit")
    assert TimelineEntry.objects.filter(case=world.case, kind="note").exists()
    assert "自宅を訪問。食料が不足している。" in html(client.get(world.case.get_absolute_url()))


def test_a_note_over_20000_characters_is_refused(client, world):
    url = reverse("cases:note_new", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(
        url,
        {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "method": "phone", "content": "あ" * 20001},
    )
    assert response.status_code == 200
    assert "20000" in html(response)
    assert not ProgressNote.objects.filter(case=world.case).exists()


def test_editing_a_note_keeps_the_earlier_text_for_the_chief(client, world):
    note = write_note(world.case, world.consultant, "最初の記録")
    url = reverse("cases:note_edit", kwargs={"code": note.code})
    response = login(client, world.consultant).post(
        url,
        {
            "occurred_at": timezone.localtime(note.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
            "content": "直した記録",
            "version": 1,
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.content, note.version) == ("直した記録", 2)
    revision = ProgressNoteRevision.objects.get(note=note)
    assert (revision.content, revision.written_by, revision.replaced_by) == (
        "最初の記録",
        world.consultant,
        world.consultant,
    )
    history = reverse("cases:note_history", kwargs={"code": note.code})
    assert "最初の記録" in html(login(client, world.chief).get(history))
    assert login(client, world.consultant).get(history).status_code == 404


def test_partner_cannot_read_an_unshared_note_by_its_address(client, world):
    note = write_note(world.case, world.consultant, "非共有")
    response = login(client, world.partner).get(reverse("cases:note_edit", kwargs={"code": note.code}))
    assert response.status_code == 403
    assert "非共有" not in html(response)


def test_partner_ticks_off_their_own_task(client, world):
    task = Task.objects.create(case=world.case, title="訪問", due_on=timezone.localdate(), assignee=world.partner)
    other = Task.objects.create(case=world.case, title="内部", due_on=timezone.localdate(), assignee=world.consultant)
    login(client, world.partner)
    assert client.post(reverse("cases:task_done", kwargs={"code": task.code})).status_code == 302
    assert client.post(reverse("cases:task_done", kwargs={"code": other.code})).status_code == 404
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.done_by == world.partner
    assert other.done_at is None


def test_htmx_task_tick_returns_the_row(client, world):
    task = Task.objects.create(
        case=world.case, title="書類を揃える", due_on=timezone.localdate(), assignee=world.consultant
    )
    response = login(client, world.consultant).post(
        reverse("cases:task_done", kwargs={"code": task.code}), headers={"HX-Request": "true"}
    )
    assert "書類を揃える" in html(response)
    assert "<html" not in html(response)
    task.refresh_from_db()
    assert task.done_at is not None


def test_adding_a_task_and_a_team_member(client, world):
    login(client, world.consultant)
    client.post(
        reverse("cases:task_new", kwargs={"code": world.case.code}),
        {"title": "ハローワークに同行", "due_on": timezone.localdate().isoformat(), "assignee": world.employment.pk},
    )
    assert Task.objects.filter(case=world.case, title="ハローワークに同行", assignee=world.employment).exists()
    client.post(
        reverse("cases:team_add", kwargs={"code": world.case.code}),
        {"staff": world.partner_outsider.pk, "team_role": "partner", "note": "住まい探し"},
    )
    member = CaseTeamMember.objects.get(case=world.case, staff=world.partner_outsider)
    assert member.note == "住まい探し"
    # On the team now; taro consented to sharing with the 地域包括 only, so no name yet.
    page = html(login(client, world.partner_outsider).get(world.case.get_absolute_url()))
    assert "本人の同意の範囲外のため表示できません" in page
    assert "山田 太郎" not in page
    login(client, world.consultant).post(
        reverse("cases:team_remove", kwargs={"code": world.case.code, "member_id": member.pk})
    )
    assert login(client, world.partner_outsider).get(world.case.get_absolute_url()).status_code == 404


def case_reads(case):
    return AuditEvent.objects.filter(action=Action.VIEW, case_code=case.code).count()


def test_the_task_form_comes_on_demand_and_alone_names_no_one(client, world):
    """The case page holds no list of the centre's workers: opening 「タスクを追加」 asks
    the form with htmx (lib.ondemand), which answers the form alone; a browser without
    JavaScript follows the link to the form's page, which names the person and is a read."""
    login(client, world.consultant)
    task_url = reverse("cases:task_new", kwargs={"code": world.case.code})
    page = html(client.get(world.case.get_absolute_url()))
    assert f'hx-get="{task_url}"' in page
    assert f'href="{task_url}"' in page
    assert 'name="assignee"' not in page
    reads = case_reads(world.case)
    alone = client.get(task_url, headers={"HX-Request": "true"})
    form = html(alone)
    assert alone.status_code == 200
    assert form.lstrip().startswith("<form")
    assert "<html" not in form
    assert_shows(form, shown=["高橋 相談員", "田中 就労", 'name="assignee"'], hidden=["山田", "小林 他村"])
    assert case_reads(world.case) == reads  # nothing of the case is shown
    full = client.get(task_url)
    assert_shows(html(full), shown=["山田 太郎さんのケース", 'name="assignee"'])
    assert case_reads(world.case) == reads + 1


@pytest.mark.parametrize("who", ["partner", "officer", "outsider"])
def test_the_task_form_on_demand_is_refused_to_whoever_may_not_add_tasks(client, world, who):
    login(client, getattr(world, who))
    task_url = reverse("cases:task_new", kwargs={"code": world.case.code})
    before = (Task.objects.count(), case_reads(world.case))
    response = client.get(task_url, headers={"HX-Request": "true"})
    assert response.status_code in {403, 404}
    assert_shows(html(response), hidden=['name="assignee"', "高橋 相談員", "山田"])
    assert (Task.objects.count(), case_reads(world.case)) == before


# /my/ ---------------------------------------------------------------------------------


def test_my_day_shows_tasks_states_and_quiet_cases(client, world):
    today = timezone.localdate()
    Task.objects.create(
        case=world.case, title="期限切れの電話", due_on=today - dt.timedelta(days=2), assignee=world.consultant
    )
    Task.objects.create(
        case=world.case, title="今週の面談", due_on=today + dt.timedelta(days=3), assignee=world.consultant
    )
    Task.objects.create(
        case=world.case, title="来月の予定", due_on=today + dt.timedelta(days=40), assignee=world.consultant
    )
    Case.objects.filter(pk=world.hanako_case.pk).update(created_at=timezone.now() - dt.timedelta(days=60))
    write_note(world.hanako_case, world.consultant, "古い記録", ago=dt.timedelta(days=45))
    write_note(world.case, world.consultant, "最近の記録", ago=dt.timedelta(days=2))
    page = html(login(client, world.consultant).get(MY))
    assert "期限切れの電話" in page
    assert "今週の面談" in page
    assert "来月の予定" not in page
    quiet = page.split("30日以上", 1)[1]
    assert "秘匿 花子" in quiet
    assert "相談受付" in page


# Query counts: a page costs the same number of queries for 1 row as for 3 ---------------------


def more_cases(world, n):
    from tsunagu.conftest import make_case, make_person

    for i in range(n):
        person = make_person(world.town, "山田", f"三郎{i}", "ヤマダ", f"サブロウ{i}", district=world.district)
        case = make_case(person, world.centre, world.consultant)
        CaseConcern.objects.create(case=case, concern="debt", is_primary=True)
        CaseTeamMember.objects.create(case=case, staff=world.partner, team_role=TeamRole.PARTNER)
        write_note(case, world.consultant, "記録", shared=True)
        Task.objects.create(case=case, title=f"タスク{i}", due_on=timezone.localdate(), assignee=world.consultant)


# (queries on SQLite, audit events written). The counts include the session, the user
# and their agency, the filter form's choices, and the session's save.
PINNED = {
    "cases": (11, 0),
    "people": (13, 1),  # + 1: the page's ids in reading order, then its rows
    # + the open outreach visits (community.panels.my_day_panel), + the requests to join a
    # protected person's team the user may decide (cases.team); whether a task's person may
    # be located comes with the tasks, and the masks (cases.panels.mask_locations) run only
    # for tasks of people the user may not locate: none here; + 1: the ids of the user's
    # own cases, read first through their indexes (CaseQuerySet.held_by)
    "my": (14, 0),
    # + 2: the consents panel (the consents in force and their agencies); + 1: the
    # referrals panel; + 2: the meetings panel (the case's agenda items, the meetings it
    # may be put on); + 3: the resources panel (assessment, 主訴, resources: the person
    # and whether she may be located come with the case, from case_for);
    # + 1: the community panel (the supporter reports tied to the case); + 5: the
    # checklist (the latest intake, assessment, plan, evaluation; the decisions); + 2: the
    # employment panel (the job-seeker profile, the placements); + 4: the programmes panel
    # (emergency aid, 住居確保給付金 applications, stays, the latest 家計表). The task form
    # comes on demand (lib.ondemand): its list of the centre's workers is not read here.
    "case": (36, 1),
}


@pytest.mark.parametrize(
    ("name", "url", "params"),
    [("cases", LIST, {}), ("people", reverse("people:list"), {"q": "やまだ"}), ("my", MY, {})],
)
def test_list_pages_do_not_grow_with_rows(client, world, name, url, params):
    login(client, world.consultant)
    more_cases(world, 1)
    one = count_queries(client, url, params)
    more_cases(world, 2)
    three = count_queries(client, url, params)
    assert one == three == pinned(*PINNED[name])


def test_case_page_does_not_grow_with_notes_tasks_and_team(client, world):
    login(client, world.consultant)
    write_note(world.case, world.consultant, "1")
    Task.objects.create(case=world.case, title="a", due_on=timezone.localdate(), assignee=world.consultant)
    one = count_queries(client, world.case.get_absolute_url())
    write_note(world.case, world.consultant, "2")
    write_note(world.case, world.consultant, "3")
    for title in ["b", "c"]:
        Task.objects.create(case=world.case, title=title, due_on=timezone.localdate(), assignee=world.consultant)
    CaseTeamMember.objects.create(case=world.case, staff=world.employment, team_role=TeamRole.EMPLOYMENT)
    CaseTeamMember.objects.create(case=world.case, staff=world.partner_outsider, team_role=TeamRole.PARTNER)
    three = count_queries(client, world.case.get_absolute_url())
    assert one == three == pinned(*PINNED["case"])


def test_task_done_does_not_redirect_off_site(client, world):
    task = Task.objects.create(case=world.case, title="電話", due_on=timezone.localdate(), assignee=world.consultant)
    response = login(client, world.consultant).post(
        reverse("cases:task_done", kwargs={"code": task.code}), {"next": "https://evil.example/phish"}
    )
    assert response["Location"] == world.case.get_absolute_url()
    task = Task.objects.create(case=world.case, title="電話2", due_on=timezone.localdate(), assignee=world.consultant)
    response = client.post(reverse("cases:task_done", kwargs={"code": task.code}), {"next": MY})
    assert response["Location"] == MY


def test_my_day_shows_the_date_in_wareki(client, world):
    from tsunagu.lib.wareki import format_wareki

    page = html(login(client, world.consultant).get(MY))
    assert format_wareki(timezone.localdate()) in page


def test_selects_offer_a_japanese_empty_choice(client, world):
    page = html(login(client, world.consultant).get(reverse("cases:new") + f"?person={world.taro.code}"))
    assert "選んでください" in page
    assert "Select an option" not in page
    assert "---------" not in page


# The checklist of the case's record (issue 10 §6) -------------------------------------


def _checklist(page):
    return page.split('id="checklist-title"', 1)[1].split("</section>", 1)[0]


def test_the_checklist_says_what_the_next_step_needs_and_offers_no_printout_of_an_unwritten_sheet(client, world):
    from tsunagu.tests.records import write_assessment, write_intake, write_plan

    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SCREENING)
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    checklist = _checklist(page)
    assert checklist.count("未作成") == 5
    assert "申込・同意を受ける" in checklist
    intake = reverse("sheets:intake", kwargs={"code": world.case.code})
    assert f'<a href="{intake}">相談受付・申込票に「申込と同意」を記録する</a>' in checklist
    assert ".pdf" not in page
    assert ".xlsx" not in page

    write_intake(world.case, world.consultant)
    write_assessment(world.case, world.consultant)
    write_plan(world.case, world.consultant, agreed=False)
    checklist = _checklist(html(client.get(world.case.get_absolute_url())))
    assert checklist.count("未作成") == 2  # the evaluation and the decisions
    assert "第1版" in checklist
    assert "申込・同意あり" in checklist
    assert "本人の同意待ち" in checklist
    for kind in ("intake", "assessment", "plan"):
        assert reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": kind}) in checklist
    assert reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": "evaluation"}) not in checklist
    assert "必要な記録はそろっています。" in checklist  # 申込・同意を受ける


def test_a_partner_sees_no_checklist(client, world):
    page = html(login(client, world.partner).get(world.case.get_absolute_url()))
    assert 'id="checklist-title"' not in page
    assert "記録の確認" not in page


# /my/ counts and the list it links to agree (issue 10 §5) ------------------------------


def test_my_state_cards_count_the_cases_their_links_list(client, world):
    from tsunagu.conftest import make_case, make_person

    # consultant2 works on one case and is on the team of another; a third is not theirs.
    own = make_case(make_person(world.town, "佐々木", "一郎", "ササキ", "イチロウ"), world.centre, world.consultant2)
    CaseTeamMember.objects.create(case=world.case, staff=world.consultant2, team_role=TeamRole.PARTNER)
    Case.objects.filter(pk=world.hanako_case.pk).update(state=CaseState.INTAKE)  # same state, not theirs
    page = html(login(client, world.consultant2).get(MY))
    section = page.split('id="states-title"', 1)[1].split("</section>", 1)[0]
    link = re.search(r'href="([^"]*state=intake[^"]*)"', section)[1].replace("&amp;", "&")
    card = re.search(r"state-intake.*?<span class=\"state-count\">(\d+)件</span>", section, re.S)[1]
    assert card == "2"
    listed = html(client.get(link))
    assert re.search(r'<p class="result-count" role="status">(\d+)件</p>', listed)[1] == card
    assert "佐々木 一郎" in listed
    assert "山田 太郎" in listed  # on the team, not the worker
    assert "秘匿 花子" not in listed  # in the same state, but not theirs
    total = re.search(r'href="([^"]*mine=on)"', section)[1].replace("&amp;", "&")
    assert re.search(r'<p class="result-count" role="status">(\d+)件</p>', html(client.get(total)))[1] == "2"
    assert own.state == CaseState.INTAKE


def test_a_move_lands_on_the_sheet_the_next_step_needs(client, world):
    from tsunagu.tests.records import write_assessment

    url = reverse("cases:move", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(url, {"to": "screening", "expected_state": "intake"})
    assert response["Location"] == reverse("sheets:intake", kwargs={"code": world.case.code})
    page = html(client.get(response["Location"]))
    assert "「申込・同意を受ける」の前に、相談受付・申込票に「申込と同意」を記録します。" in page
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.APPLIED)
    response = client.post(url, {"to": "assessment", "expected_state": "applied"})
    assert response["Location"] == reverse("sheets:assessment", kwargs={"code": world.case.code})
    write_assessment(world.case, world.consultant)
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.APPLIED)
    response = client.post(url, {"to": "assessment", "expected_state": "applied"})
    assert response["Location"] == world.case.get_absolute_url()  # nothing missing: back to the case
