"""The inbox and triage: the district chief and the centre receive each report at once;
triage steps are audited and refuse stale pages; a report becomes an outreach visit and
then a case (把握), and the reporter learns only that it was handled."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import Case, CaseState, ProgressNote, Task, TaskKind
from tsunagu.community.models import ReportStatus, SupporterReport
from tsunagu.community.tests.conftest import make_report
from tsunagu.conftest import make_person
from tsunagu.people.models import Person
from tsunagu.tests.client import count_queries, html, login

INBOX = reverse("community:reports")


def step(name, report):
    return reverse(f"community:report_{name}", kwargs={"code": report.code})


def now_local():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


# Who sees which report ------------------------------------------------------------------


def test_a_new_report_reaches_the_chief_and_the_centre_at_once(client, world):
    login(client, world.supporter).post(
        reverse("community:report"),
        {"signs": ["not_seen"], "place": "東小一丁目の角", "district": world.district.pk, "urgency": "soon"},
    )
    client.logout()
    for who in [world.district_chief, world.consultant2]:
        page = html(login(client, who).get(INBOX))
        assert "東小一丁目の角" in page, who
        assert "姿を見かけない" in page


def test_the_district_chief_sees_their_districts_reports_only(client, community):
    world = community
    mine = make_report(world, place="東小の報告")
    other = make_report(world, supporter=world.mail_carrier, district=world.district2, place="西小の報告")
    login(client, world.district_chief)
    page = html(client.get(INBOX))
    assert "東小の報告" in page
    assert "西小の報告" not in page
    assert client.get(mine.get_absolute_url()).status_code == 200
    response = client.get(other.get_absolute_url())
    assert response.status_code == 404
    assert "西小の報告" not in html(response)
    assert AuditEvent.objects.filter(
        action=Action.DENIED, object_code=str(other.code), actor=world.district_chief
    ).exists()


def test_centre_staff_see_every_report_of_the_municipality(client, community):
    world = community
    make_report(world, place="東小の報告")
    make_report(world, supporter=world.mail_carrier, district=world.district2, place="西小の報告")
    page = html(login(client, world.consultant2).get(INBOX))
    assert "東小の報告" in page
    assert "西小の報告" in page
    assert "斎藤 郵便" in page


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "officer"])
def test_others_see_no_report(client, world, who):
    report = make_report(world, place="東小の報告")
    login(client, getattr(world, who))
    response = client.get(INBOX)
    assert response.status_code == 403
    assert "東小の報告" not in html(response)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 404
    assert "東小の報告" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(world, who)).count() == 2


def test_another_towns_centre_sees_only_its_own_inbox(client, world):
    report = make_report(world, place="東小の報告")
    login(client, world.outsider)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert "東小の報告" not in html(response)
    assert "表示できる報告はありません。" in html(response)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 404
    assert "東小の報告" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=world.outsider, object_code=str(report.code)).exists()


def test_handled_reports_leave_the_default_inbox(client, world):
    make_report(world, place="まだの報告")
    make_report(world, place="済んだ報告", status=ReportStatus.HANDLED)
    login(client, world.consultant)
    page = html(client.get(INBOX))
    assert "まだの報告" in page
    assert "済んだ報告" not in page
    page = html(client.get(INBOX, {"status": ""}))
    assert "済んだ報告" in page
    page = html(client.get(INBOX, {"status": "handled"}))
    assert "まだの報告" not in page


# Triage ---------------------------------------------------------------------------------


def test_the_chief_marks_in_progress_and_a_stale_page_is_refused(client, world):
    report = make_report(world)
    login(client, world.district_chief)
    response = client.post(step("progress", report), {"version": 1, "note": "民生委員さんに様子を聞く"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.version, report.triaged_by) == (ReportStatus.IN_PROGRESS, 2, world.district_chief)
    assert "民生委員さんに様子を聞く" in report.triage_note
    # Later notes are added to the record; an empty one is refused.
    response = client.post(step("progress", report), {"version": 2, "note": ""})
    assert response.status_code == 422
    assert "残すメモを書いてください。" in html(response)
    assert (
        client.post(step("progress", report), {"version": 2, "note": "留守だった。明日また行く。"}).status_code == 302
    )
    report.refresh_from_db()
    assert report.version == 3
    assert "民生委員さんに様子を聞く" in report.triage_note
    assert "留守だった。明日また行く。" in report.triage_note
    assert "民生委員さんに様子を聞く" in html(client.get(report.get_absolute_url()))
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_code=str(report.code)).exists()
    # Someone working from the page as it was before: refused, input kept.
    response = login(client, world.consultant).post(step("handled", report), {"version": 2, "note": "古い画面から"})
    assert response.status_code == 422
    page = html(response)
    assert "他の職員がこの報告を先に更新しました" in page
    assert "古い画面から" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS


def test_report_becomes_an_outreach_visit_then_a_case_and_the_reporter_sees_only_handled(client, world):
    report = make_report(world, signs=["mail_piling_up", "short_of_food"], place="東小三丁目5-1 コーポ東 2階")
    due = timezone.localdate() + dt.timedelta(days=2)

    # The district chief asks the centre to go.
    login(client, world.district_chief)
    response = client.post(
        step("outreach", report), {"version": 1, "outreach_by": world.consultant.pk, "outreach_due": due.isoformat()}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.outreach_by, report.outreach_due, report.status) == (world.consultant, due, ReportStatus.IN_PROGRESS)

    # It is on the consultant's /my/ page.
    page = html(login(client, world.consultant).get(reverse("my_day")))
    assert "訪問の予定（サポーターからの情報）" in page
    assert "コーポ東" in page

    # The visit finds a person who needs support: a case in 把握.
    response = client.post(
        step("open_case", report),
        {
            "version": 2,
            "family_name": "東",
            "given_name": "一郎",
            "family_name_kana": "ひがし",
            "given_name_kana": "いちろう",
            "address": "つなぐ市東小三丁目5-1 コーポ東201",
            "occurred_at": now_local(),
            "content": "訪問。食料が尽きかけている。",
            "response": "フードバンクを案内",
        },
    )
    person = Person.objects.get(family_name="東")
    case = Case.objects.get(person=person)
    assert response["Location"] == case.get_absolute_url()
    assert (person.family_name_kana, person.address, person.district) == (
        "ヒガシ",
        "つなぐ市東小三丁目5-1 コーポ東201",
        world.district,
    )
    assert (case.state, case.intake_route, case.worker, case.agency) == (
        CaseState.IDENTIFIED,
        "supporter_report",
        world.consultant,
        world.centre,
    )
    note = ProgressNote.objects.get(case=case)
    assert (note.method, note.content, note.author) == ("home_visit", "訪問。食料が尽きかけている。", world.consultant)
    report.refresh_from_db()
    assert (report.person, report.case) == (person, case)
    assert report.outreach_done_at is not None
    assert report.status == ReportStatus.IN_PROGRESS
    for obj in [person, case, note]:
        assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(obj.code)).exists()
    assert "コーポ東" not in html(client.get(reverse("my_day"))).split("overdue-title")[0]

    # 対応しました.
    response = client.post(step("handled", report), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.HANDLED
    assert report.handled_at is not None

    # The reporter sees 対応しました and nothing of the case.
    client.logout()
    page = html(login(client, world.supporter).get(reverse("community:my_reports")))
    assert "対応しました" in page
    for secret in ["東 一郎", "一郎", "ヒガシ", "食料が尽きかけている", "フードバンク", "把握", "コーポ東", "高橋"]:
        assert secret not in page, secret


def test_a_report_linked_to_a_case_makes_an_outreach_task_and_the_visit_a_note(client, world):
    report = make_report(world, place="つなぐ市東小一丁目2-3")
    login(client, world.consultant)
    page = html(client.get(report.get_absolute_url()))
    assert "山田 太郎" in page  # suggested by address
    assert "このケース（相談受付）につなぐ" in page
    response = client.post(step("link", report), {"version": 1, "person": world.taro.code, "case": world.case.code})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.person, report.case, report.status) == (world.taro, world.case, ReportStatus.IN_PROGRESS)
    due = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        step("outreach", report), {"version": 2, "outreach_by": world.consultant.pk, "outreach_due": due.isoformat()}
    )
    assert response.status_code == 302
    task = Task.objects.get(case=world.case, kind=TaskKind.OUTREACH)
    assert (task.assignee, task.due_on, task.done_at) == (world.consultant, due, None)
    report.refresh_from_db()
    assert report.task == task
    response = client.post(
        step("visit", report), {"version": 3, "occurred_at": now_local(), "content": "訪問。郵便物を一緒に整理した。"}
    )
    assert response.status_code == 302
    note = ProgressNote.objects.get(case=world.case)
    assert (note.method, note.content) == ("home_visit", "訪問。郵便物を一緒に整理した。")
    task.refresh_from_db()
    assert task.done_by == world.consultant
    report.refresh_from_db()
    assert report.outreach_done_at is not None


def test_the_chief_cannot_visit_for_a_linked_case(client, world):
    report = make_report(world, person=world.taro, case=world.case)
    due = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    login(client, world.consultant)
    response = client.post(
        step("outreach", report), {"version": 1, "outreach_by": world.district_chief.pk, "outreach_due": due}
    )
    assert response.status_code == 422
    assert "センターの職員か、この地区の地区チーフを選んでください。" in html(response)
    assert not Task.objects.filter(kind=TaskKind.OUTREACH).exists()
    report.refresh_from_db()
    assert report.outreach_by is None


def test_outreach_due_in_the_past_is_refused(client, world):
    report = make_report(world)
    login(client, world.district_chief)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        step("outreach", report), {"version": 1, "outreach_by": world.district_chief.pk, "outreach_due": past}
    )
    assert response.status_code == 422
    assert "期限は今日以降の日付にしてください。" in html(response)


def test_closing_as_watch_and_no_concern(client, world):
    report = make_report(world)
    login(client, world.district_chief)
    client.post(
        step("outreach", report),
        {"version": 1, "outreach_by": world.district_chief.pk, "outreach_due": timezone.localdate().isoformat()},
    )
    assert "東小一丁目2-3 のあたり" in html(client.get(reverse("my_day")))
    response = client.post(step("close", report), {"version": 2, "note": ""})
    assert response.status_code == 422
    assert "確認した内容を書いてください。" in html(response)
    response = client.post(step("close", report), {"version": 2, "note": "旅行で留守にしていただけ。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.HANDLED
    assert report.outreach_done_at is not None
    assert "旅行で留守" in report.triage_note
    assert "訪問の予定" not in html(client.get(reverse("my_day")))
    page = html(login(client, world.supporter).get(reverse("community:my_reports")))
    assert "対応しました" in page
    assert "旅行" not in page


def test_the_chief_cannot_link_or_open_a_case(client, world):
    report = make_report(world)
    login(client, world.district_chief)
    response = client.post(step("link", report), {"version": 1, "person": world.taro.code})
    assert response.status_code == 404
    response = client.post(
        step("open_case", report),
        {
            "version": 1,
            "family_name": "東",
            "given_name": "一郎",
            "family_name_kana": "ひがし",
            "given_name_kana": "いちろう",
            "occurred_at": now_local(),
            "content": "x",
        },
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.person is None
    assert not Person.objects.filter(family_name="東").exists()


def test_open_case_needs_the_name_and_reading(client, world):
    report = make_report(world)
    response = login(client, world.consultant).post(
        step("open_case", report),
        {"version": 1, "occurred_at": now_local(), "content": "訪問した", "family_name_kana": "Higashi"},
    )
    assert response.status_code == 422
    page = html(response)
    assert "ふりがなはひらがなかカタカナで入れてください。" in page
    assert "訪問した" in page
    assert not Case.objects.filter(intake_route="supporter_report").exists()


def test_open_case_looks_for_the_same_person_as_people_new_does(client, world):
    # Registered elsewhere in town, so the report's place does not suggest him.
    make_person(world.town, "東", "一郎", "ヒガシ", "イチロウ", address="西小五丁目")
    report = make_report(world)
    data = {
        "version": 1,
        "occurred_at": now_local(),
        "content": "訪問した",
        "family_name": "東",
        "given_name": "一朗",
        "family_name_kana": "ひがし",
        "given_name_kana": "いちろう",
    }
    people = Person.objects.count()
    response = login(client, world.consultant).post(step("open_case", report), data)
    assert response.status_code == 200
    page = html(response)
    assert "同じ人が登録されていませんか" in page
    assert "東 一郎" in page
    assert 'name="confirmed_new"' in page
    assert 'value="一朗"' in page  # what was typed is kept
    assert Person.objects.count() == people
    assert not Case.objects.filter(intake_route="supporter_report").exists()
    report.refresh_from_db()
    assert (report.person, report.case, report.version) == (None, None, 1)
    assert AuditEvent.objects.filter(
        actor=world.consultant, action=Action.SEARCH, detail="duplicate_check:reading"
    ).exists()

    response = client.post(step("open_case", report), {**data, "confirmed_new": "1"})
    assert response.status_code == 302
    case = Case.objects.get(intake_route="supporter_report")
    assert (case.person.given_name, Person.objects.count()) == ("一朗", people + 1)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("0001-01-01T00:00", "日付は1900年1月1日から2100年12月31日までの間で入れてください。"),
        ("2020-01-01T10:00", "訪問の日時がサポーターからの報告より前になっています。"),
    ],
)
def test_a_visit_before_the_report_is_refused_by_its_field(client, world, when, message):
    report = make_report(world)
    response = login(client, world.consultant).post(
        step("open_case", report),
        {
            "version": 1,
            "occurred_at": when,
            "content": "訪問した",
            "family_name": "東",
            "given_name": "一郎",
            "family_name_kana": "ヒガシ",
            "given_name_kana": "イチロウ",
        },
    )
    assert response.status_code == 422
    page = html(response)
    assert message in page
    assert "訪問した" in page
    assert not Case.objects.filter(intake_route="supporter_report").exists()


# Whereabouts confidentiality -------------------------------------------------------------


@pytest.fixture
def hanako_report(world):
    world.district2.chief = world.district_chief
    world.district2.save(update_fields=["chief"])
    return make_report(world, district=world.district2, place="西小九丁目9-9 ひみつ荘の1階", signs=["noise"])


def test_a_confidential_person_is_suggested_to_their_team_only(client, world, hanako_report):
    page = html(login(client, world.consultant).get(hanako_report.get_absolute_url()))
    assert "秘匿 花子" in page  # the matching works: her worker sees her
    for who in [world.consultant2, world.district_chief, world.employment]:
        page = html(login(client, who).get(hanako_report.get_absolute_url()))
        assert "秘匿 花子" not in page, who
        assert "ヒトク" not in page, who
    page = html(login(client, world.consultant2).get(hanako_report.get_absolute_url(), {"q": "ひとく"}))
    assert "秘匿 花子" not in page
    assert "当てはまる相談者はいません" in page


def test_a_confidential_person_cannot_be_linked_by_code_outside_the_team(client, world, hanako_report):
    response = login(client, world.consultant2).post(
        step("link", hanako_report), {"version": 1, "person": world.hanako.code, "case": world.hanako_case.code}
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.hanako.code)).exists()
    hanako_report.refresh_from_db()
    assert hanako_report.person is None


def test_a_linked_confidential_person_is_not_named_outside_the_team(client, world, hanako_report):
    SupporterReport.objects.filter(pk=hanako_report.pk).update(person=world.hanako, case=world.hanako_case)
    assert "秘匿 花子" in html(login(client, world.consultant).get(hanako_report.get_absolute_url()))
    for who in [world.consultant2, world.district_chief]:
        page = html(login(client, who).get(hanako_report.get_absolute_url()))
        assert "秘匿 花子" not in page
        assert "センターのケースにつながっています" in page


# Query counts ----------------------------------------------------------------------------


def test_the_inbox_does_not_grow_with_rows(client, community):
    world = community
    login(client, world.consultant)
    make_report(world, outreach_by=world.consultant, outreach_due=timezone.localdate())
    one = count_queries(client, INBOX)
    make_report(world, supporter=world.mail_carrier, district=world.district2)
    make_report(world, outreach_by=world.district_chief, outreach_due=timezone.localdate())
    three = count_queries(client, INBOX)
    # session, user, agency; the count, the district choices, the page; the session's
    # save (in a savepoint: three statements)
    assert one == three == 9


def test_my_day_with_outreach_visits_does_not_grow_with_rows(client, world):
    login(client, world.consultant)
    make_report(world, outreach_by=world.consultant, outreach_due=timezone.localdate())
    one = count_queries(client, reverse("my_day"))
    for _ in range(2):
        make_report(world, outreach_by=world.consultant, outreach_due=timezone.localdate())
    three = count_queries(client, reverse("my_day"))
    assert one == three
