"""Recording employment support through the pages: each write is versioned, audited and on
the case timeline; bad input answers 422 with a Japanese message by the field."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.employment.models import (
    Employer,
    FollowUp,
    IncomeRise,
    JobDevelopment,
    JobSeekerProfile,
    Opening,
    Placement,
    Step,
    WorkHistory,
)
from tsunagu.employment.tests.conftest import make_employer, make_opening, make_placement
from tsunagu.sheets.rules import add_months
from tsunagu.tests.pages import visible_text
from tsunagu.tests.records import write_assessment

PROFILE = {
    "base_version": "0",
    "stage": "preparation",
    "wished_categories": ["care", "service"],
    "wished_job": "介護の補助",
    "wished_hours_per_week": "20",
    "wished_days": ["mon", "wed", "fri"],
    "commute": ["bicycle"],
    "licences": "普通自動車免許\n介護職員初任者研修",
    "barriers": ["job_search_difficulty", "irregular_life"],
    "hello_work_number": "05010-12345678",
    "hello_work_registered_on": "2026-11-01",
    "history-TOTAL_FORMS": "2",
    "history-INITIAL_FORMS": "0",
    "history-MIN_NUM_FORMS": "0",
    "history-MAX_NUM_FORMS": "30",
    "history-0-employer_name": "湯沢スーパー",
    "history-0-job": "品出し",
    "history-0-started": "平成28年4月",
    "history-0-ended": "令和2年3月",
    "history-0-end_reason": "店舗の閉鎖",
    "history-1-employer_name": "",
}


def _profile_url(world):
    return reverse("employment:profile", kwargs={"code": world.case.code})


def test_a_profile_is_saved_as_versions_with_work_history_rows(client, world):
    write_assessment(
        world.case, world.consultant, issues=["job_search_difficulty", "economic_hardship", "mental_health"]
    )
    client.force_login(world.employment)
    page = client.get(_profile_url(world))
    # The 就労阻害要因 start from the assessment's issues that stand between her and work.
    assert re.search(r'value="job_search_difficulty"[^>]*checked', page.content.decode())
    assert 'value="economic_hardship"' not in page.content.decode()  # hardship is not a barrier to work
    assert "就職活動困難" in visible_text(page)
    response = client.post(_profile_url(world), {**PROFILE, "supporter": world.employment.pk})
    assert response.status_code == 302
    first = JobSeekerProfile.objects.get(case=world.case)
    assert (first.version, first.stage, first.supporter) == (1, "preparation", world.employment)
    assert first.licence_list() == ["普通自動車免許", "介護職員初任者研修"]
    rows = list(WorkHistory.objects.filter(profile=first))
    assert [(r.employer_name, r.job, r.end_reason) for r in rows] == [("湯沢スーパー", "品出し", "店舗の閉鎖")]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="employment.jobseekerprofile").count() == 1

    second = {**PROFILE, "base_version": "1", "stage": "general", "history-0-end_reason": "閉店"}
    assert client.post(_profile_url(world), second).status_code == 302
    latest = JobSeekerProfile.objects.get(case=world.case, version=2)
    assert latest.stage == "general"
    assert WorkHistory.objects.get(profile=latest).end_reason == "閉店"
    # The first version is kept as it was.
    assert JobSeekerProfile.objects.get(pk=first.pk).stage == "preparation"
    assert WorkHistory.objects.get(profile=first).end_reason == "店舗の閉鎖"
    change = AuditEvent.objects.get(action=Action.CHANGE, object_type="employment.jobseekerprofile")
    assert change.changes["stage"] == ["preparation", "general"]


def test_a_stale_profile_is_refused_and_the_text_kept(client, world):
    client.force_login(world.employment)
    assert client.post(_profile_url(world), PROFILE).status_code == 302
    response = client.post(_profile_url(world), {**PROFILE, "wished_job": "事務の仕事"})
    assert response.status_code == 422
    assert "他の職員がこのプロフィール（第1版）を先に更新しました" in visible_text(response)
    assert "事務の仕事" in response.content.decode()
    assert JobSeekerProfile.objects.filter(case=world.case).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": ""}, "「支援の段階」を選んでください。"),
        ({"wished_hours_per_week": "100"}, "週の労働時間は80時間までで入れてください。"),
        ({"hello_work_number": "ABC"}, "求職番号は数字とハイフンで入れてください"),
        ({"hello_work_registered_on": "2999-01-01"}, "日付"),
        ({"wished_categories": ["astronaut"]}, "一覧から選んでください"),
        ({"history-0-employer_name": "", "history-0-job": "品出し"}, "「勤務先」を入れてください。"),
    ],
)
def test_bad_profile_input_answers_422_in_japanese(client, world, change, message):
    client.force_login(world.employment)
    response = client.post(_profile_url(world), {**PROFILE, **change})
    assert response.status_code == 422
    assert message in visible_text(response)
    assert not JobSeekerProfile.objects.filter(case=world.case).exists()


def test_a_placement_schedules_follow_ups_as_tasks_of_the_employment_supporter(client, world, seeker):
    employer = make_employer(world)
    client.force_login(world.employment)
    start = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        reverse("employment:placement_new", kwargs={"code": world.case.code}),
        {
            "placement-employer": employer.pk,
            "placement-job": "箱詰め",
            "placement-started_on": start.isoformat(),
            "placement-employment_type": "part_time",
            "placement-hours_per_week": "20",
            "placement-monthly_wage": "82000",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(case=world.case)
    assert (placement.employer, placement.monthly_wage, placement.recorded_by) == (employer, 82000, world.employment)
    follow_ups = list(placement.follow_ups.select_related("task"))
    assert [f.months for f in follow_ups] == [1, 3, 6]
    assert [f.due_on for f in follow_ups] == [add_months(start, m) for m in (1, 3, 6)]
    for f in follow_ups:
        assert (f.task.kind, f.task.assignee, f.task.due_on) == (TaskKind.RETENTION, world.employment, f.due_on)
    assert TimelineEntry.objects.filter(case=world.case, kind=TimelineKind.EMPLOYMENT, detail__contains="就労").exists()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="employment.placement").count() == 1


def test_the_follow_up_months_come_from_the_setting(world, seeker, settings):
    settings.TSUNAGU_RETENTION_FOLLOW_UP_MONTHS = [2, 12]
    placement = make_placement(world, world.case)
    assert [f.months for f in placement.follow_ups.all()] == [2, 12]
    assert Task.objects.filter(case=world.case, kind=TaskKind.RETENTION).count() == 2


def test_a_follow_up_is_recorded_and_its_task_ticked_off(client, world, seeker):
    placement = make_placement(world, world.case)
    first = placement.follow_ups.get(months=1)
    client.force_login(world.employment)
    url = reverse("employment:follow_up", kwargs={"code": first.code})
    prefix = f"f{first.pk}"
    bad = client.post(url, {f"{prefix}-version": "1", f"{prefix}-done_on": "", f"{prefix}-still_working": "yes"})
    assert bad.status_code == 422
    assert "「実施日」を入れてください。" in visible_text(bad)
    assert FollowUp.objects.get(pk=first.pk).done_on is None
    today = timezone.localdate()
    response = client.post(
        url,
        {
            f"{prefix}-version": "1",
            f"{prefix}-done_on": today.isoformat(),
            f"{prefix}-still_working": "yes",
            f"{prefix}-note": "職場を訪問。本人は元気に働いている。",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.done_on, first.still_working, first.recorded_by, first.version) == (today, True, world.employment, 2)
    assert Task.objects.get(pk=first.task_id).done_at is not None
    assert Task.objects.filter(case=world.case, kind=TaskKind.RETENTION, done_at__isnull=True).count() == 2
    # Recording it again is refused: the record is not overwritten.
    again = client.post(url, {f"{prefix}-version": "2", f"{prefix}-done_on": today.isoformat()}, follow=True)
    assert "すでに記録されています" in visible_text(again)
    assert FollowUp.objects.get(pk=first.pk).note == "職場を訪問。本人は元気に働いている。"


def test_leaving_a_job_is_recorded_with_its_reason_and_closes_the_open_follow_ups(client, world, seeker):
    placement = make_placement(world, world.case)
    client.force_login(world.employment)
    url = reverse("employment:placement_end", kwargs={"code": placement.code})
    prefix = f"p{placement.pk}"
    early = (placement.started_on - dt.timedelta(days=1)).isoformat()
    bad = client.post(
        url, {f"{prefix}-version": "1", f"{prefix}-ended_on": early, f"{prefix}-end_reason": "own_health"}
    )
    assert bad.status_code == 422
    assert "離職日が就労開始日より前になっています。" in visible_text(bad)
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {f"{prefix}-version": "1", f"{prefix}-ended_on": today, f"{prefix}-end_reason": "own_health"}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.ended_on, placement.end_reason) == (timezone.localdate(), "own_health")
    assert not Task.objects.filter(case=world.case, kind=TaskKind.RETENTION, done_at__isnull=True).exists()
    assert set(Task.objects.filter(case=world.case).values_list("closing_note", flat=True)) == {"離職のため終了"}


def test_an_income_rise_is_recorded_and_a_fall_refused(client, world):
    client.force_login(world.employment)
    url = reverse("employment:income_new", kwargs={"code": world.case.code})
    day = timezone.localdate().isoformat()
    bad = client.post(
        url,
        {
            "income-risen_on": day,
            "income-income_before": "80000",
            "income-income_after": "70000",
            "income-source": "work",
        },
    )
    assert bad.status_code == 422
    assert "後の月収は前の月収より多くしてください" in visible_text(bad)
    assert not IncomeRise.objects.exists()
    good = client.post(
        url,
        {"income-risen_on": day, "income-income_before": "0", "income-income_after": "82000", "income-source": "work"},
    )
    assert good.status_code == 302
    rise = IncomeRise.objects.get(case=world.case)
    assert (rise.income_before, rise.income_after, rise.source, rise.increase) == (0, 82000, "work", 82000)
    assert TimelineEntry.objects.filter(case=world.case, detail__contains="82,000").exists()


def test_steps_land_on_the_case_timeline_and_take_a_result(client, world, seeker):
    opening = make_opening(world)
    client.force_login(world.employment)
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    url = reverse("employment:step_new", kwargs={"code": world.case.code})
    bad = client.post(
        url, {"step-kind": "interview", "step-opening": opening.pk, "step-on": future, "step-result": "passed"}
    )
    assert bad.status_code == 422
    assert "まだ来ていない日の結果は「予定」にしてください。" in visible_text(bad)
    ok = client.post(
        url, {"step-kind": "interview", "step-opening": opening.pk, "step-on": future, "step-result": "planned"}
    )
    assert ok.status_code == 302
    step = Step.objects.get(case=world.case)
    entry = TimelineEntry.objects.filter(case=world.case, kind=TimelineKind.EMPLOYMENT).latest("id")
    assert "面接" in entry.detail
    assert opening.title in entry.detail
    prefix = f"s{step.pk}"
    done = client.post(
        reverse("employment:step_result", kwargs={"code": step.code}),
        {f"{prefix}-version": "1", f"{prefix}-result": "passed", f"{prefix}-note": "採用の連絡あり"},
    )
    assert done.status_code == 302
    step.refresh_from_db()
    assert (step.result, step.version) == ("passed", 2)
    # The case page shows the employment entries of the timeline.
    assert "採用・合格" in visible_text(client.get(world.case.get_absolute_url()))


def test_employers_openings_and_the_job_development_log(client, world):
    client.force_login(world.employment)
    bad = client.post(
        reverse("employment:employer_new"),
        {"name": "湯沢福祉会", "industry": "medical_welfare", "offers": ["training_employed"]},
    )
    assert bad.status_code == 422
    assert "都道府県の認定番号を入れてください" in visible_text(bad)
    response = client.post(
        reverse("employment:employer_new"),
        {
            "name": "湯沢福祉会",
            "industry": "medical_welfare",
            "offers": ["training_employed", "visit"],
            "training_certification_number": "秋田-就訓-12",
            "training_certified_on": "2025-04-01",
            "active": "on",
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get(name="湯沢福祉会")
    contact_url = reverse("employment:contact_new", kwargs={"code": employer.code})
    assert client.post(contact_url, {"contacted_on": "", "method": "visit", "outcome": "opening"}).status_code == 422
    client.post(
        contact_url, {"contacted_on": timezone.localdate().isoformat(), "method": "visit", "outcome": "opening"}
    )
    assert JobDevelopment.objects.get(employer=employer).staff == world.employment
    opening_data = {
        "source": "hello_work",
        "employer": employer.pk,
        "title": "介護補助",
        "category": "care",
        "employment_type": "training_employed",
        "wage_unit": "hourly",
        "wage": "951",
    }
    bad = client.post(reverse("employment:opening_new"), opening_data)
    assert bad.status_code == 422
    assert "ハローワークの求人は求人番号を入れてください。" in visible_text(bad)
    client.post(reverse("employment:opening_new"), {**opening_data, "hello_work_number": "05010-1234561"})
    opening = Opening.objects.get(title="介護補助")
    close = client.post(reverse("employment:opening_close", kwargs={"code": opening.code}), {"version": "1"})
    assert close.status_code == 302
    opening.refresh_from_db()
    assert opening.closed_on == timezone.localdate()
    # A closed opening stays searchable, by its Hello Work number too.
    listed = visible_text(client.get(reverse("employment:openings"), {"q": "05010-1234561", "closed": "on"}))
    assert "介護補助" in listed
    assert "募集終了" in listed
    assert "介護補助" not in visible_text(client.get(reverse("employment:openings"), {"q": "05010-1234561"}))
    types = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {"employment.employer", "employment.jobdevelopment", "employment.opening"} <= types


def test_stale_edits_of_employers_openings_and_step_results_are_refused(client, world, seeker):
    employer = make_employer(world)
    opening = make_opening(world, employer=employer)
    client.force_login(world.employment)
    Employer.objects.filter(pk=employer.pk).update(version=2, phone="0183-99-9999")
    response = client.post(
        reverse("employment:employer_edit", kwargs={"code": employer.code}),
        {"version": "1", "name": "古い画面からの名前", "industry": "manufacturing"},
    )
    assert response.status_code == 422
    assert "他の職員がこの記録を先に更新しました" in visible_text(response)
    assert "0183-99-9999" in visible_text(response)  # the stored values beside the form
    assert Employer.objects.get(pk=employer.pk).name == employer.name
    Opening.objects.filter(pk=opening.pk).update(version=3)
    response = client.post(
        reverse("employment:opening_edit", kwargs={"code": opening.code}),
        {
            "version": "2",
            "source": "employer",
            "employer": employer.pk,
            "title": "古い画面",
            "category": "care",
            "employment_type": "part_time",
            "wage_unit": "hourly",
            "wage": "1000",
        },
    )
    assert response.status_code == 422
    assert Opening.objects.get(pk=opening.pk).title == opening.title
    step = Step.objects.create(
        case=world.case,
        kind="visit",
        employer=employer,
        on=timezone.localdate(),
        recorded_by=world.employment,
        version=2,
    )
    prefix = f"s{step.pk}"
    response = client.post(
        reverse("employment:step_result", kwargs={"code": step.code}),
        {f"{prefix}-version": "1", f"{prefix}-result": "done"},
    )
    assert response.status_code == 422
    assert Step.objects.get(pk=step.pk).result == "planned"
