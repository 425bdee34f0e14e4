"""Correcting saved employment records (a step, a placement and its leaving, a follow-up,
an income rise): the form carries the version it was read at and a save after someone
else's is refused with the input kept; every correction is audited with the old and new
values and noted on the case timeline; bad input answers 422 in Japanese by the field;
and the national statistics (tsunagu.statistics.definitions) count the corrected values.
Who may correct (the centre holding the case, no one else) is swept in test_access.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Task, TimelineEntry, TimelineKind
from tsunagu.employment.models import FollowUp, IncomeRise, Placement, Step
from tsunagu.employment.support import record_follow_up, record_income_rise, record_step
from tsunagu.employment.tests.conftest import make_employer, make_opening, make_placement
from tsunagu.sheets.rules import add_months
from tsunagu.statistics.definitions import EMPLOYED_OTHERS, INCOME_NOT_WORK, INCOME_OTHERS, month, scope_for
from tsunagu.tests.client import count_queries, login
from tsunagu.tests.pages import visible_text


def _tenth_of_months_ago(n):
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day.replace(day=10)


def _month_of(day):
    return month(day.year, day.month)


def _rise(world, risen_on, **extra):
    values = {"income_before": 0, "income_after": 60000, "source": "work", **extra}
    return record_income_rise(IncomeRise(case=world.case, risen_on=risen_on, **values), world.employment)


def _income_post(rise, **change):
    values = {
        "version": rise.version,
        "risen_on": rise.risen_on.isoformat(),
        "income_before": rise.income_before,
        "income_after": rise.income_after,
        "source": rise.source,
        "placement": rise.placement_id or "",
        "note": rise.note,
    }
    return {**values, **change}


def _edit(name, obj):
    return reverse(f"employment:{name}_edit", kwargs={"code": obj.code})


def _corrections(obj):
    return AuditEvent.objects.filter(action=Action.CHANGE, object_code=str(obj.code), detail="訂正")


# 増収 ---------------------------------------------------------------------------------------


def test_an_income_rise_is_corrected_and_the_national_figures_follow(client, world):
    earlier, later = _tenth_of_months_ago(2), _tenth_of_months_ago(1)
    rise = _rise(world, earlier)
    scope = scope_for(world.town)
    assert [INCOME_OTHERS.count(scope, _month_of(d)) for d in (earlier, later)] == [1, 0]
    login(client, world.employment)
    page = client.get(_edit("income", rise))
    assert "増収の記録を訂正" in visible_text(page)
    assert f'value="{earlier.isoformat()}"' in page.content.decode()

    response = client.post(_edit("income", rise), _income_post(rise, risen_on=later.isoformat(), income_after="65000"))
    assert response.status_code == 302
    rise.refresh_from_db()
    assert (rise.risen_on, rise.income_after, rise.version) == (later, 65000, 2)
    event = _corrections(rise).get()
    assert event.changes == {"risen_on": [str(earlier), str(later)], "income_after": ["60000", "65000"]}
    assert event.actor == world.employment
    assert event.case_code == world.case.code
    entry = TimelineEntry.objects.filter(case=world.case, kind=TimelineKind.EMPLOYMENT).latest("id")
    assert entry.detail == "増収を訂正：増収の日、後の月収（円）"
    # The month of the rise is the corrected one.
    assert [INCOME_OTHERS.count(scope, _month_of(d)) for d in (earlier, later)] == [0, 1]

    # A rise from work corrected to one from a pension moves to the survey's other row.
    client.post(_edit("income", rise), _income_post(rise, source="other", note="障害年金"))
    assert INCOME_OTHERS.count(scope, _month_of(later)) == 0
    assert INCOME_NOT_WORK.count(scope, _month_of(later)) == 1
    assert _corrections(rise).count() == 2
    page = visible_text(client.get(reverse("employment:case", kwargs={"code": world.case.code})))
    assert "（訂正済み・第3版）" in page


def test_a_stale_income_correction_is_refused_with_the_input_kept(client, world):
    rise = _rise(world, _tenth_of_months_ago(1))
    login(client, world.consultant)
    assert client.post(_edit("income", rise), _income_post(rise, income_after="61000")).status_code == 302
    login(client, world.employment)
    response = client.post(_edit("income", rise), _income_post(rise, income_after="99000", note="私の訂正"))
    assert response.status_code == 422
    text = visible_text(response)
    assert "他の職員がこの増収を先に更新しました。あなたの入力は残っています。" in text
    assert "現在の内容 (他の職員が保存した内容)" in text
    assert "61000" in text  # what the other worker saved, shown beside the kept input
    assert 'value="99000"' in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    stored = IncomeRise.objects.get(pk=rise.pk)
    assert (stored.income_after, stored.note, stored.version) == (61000, "", 2)
    assert _corrections(rise).count() == 1
    # Saving again, having read the current values, goes through.
    again = client.post(_edit("income", rise), _income_post(stored, income_after="99000"))
    assert again.status_code == 302
    assert IncomeRise.objects.get(pk=rise.pk).income_after == 99000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"income_after": "0"}, "後の月収は前の月収より多くしてください"),
        ({"income_after": "abc"}, "後の月収"),
        ({"income_after": "20000000"}, "金額が大きすぎます"),
        ({"risen_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "増収の日が未来の日付になっています。"),
        ({"risen_on": "2999-01-01"}, "日付は1900年1月1日から2100年12月31日までの間で入れてください。"),
        ({"risen_on": "令和8年"}, "日付"),
        ({"source": "lottery"}, "一覧から選んでください"),
        ({"version": "x"}, "画面が古くなっています"),
    ],
)
def test_a_bad_income_correction_answers_422_in_japanese_and_changes_nothing(client, world, change, message):
    rise = _rise(world, _tenth_of_months_ago(1))
    login(client, world.employment)
    response = client.post(_edit("income", rise), _income_post(rise, **change))
    assert response.status_code == 422
    assert message in visible_text(response)
    stored = IncomeRise.objects.get(pk=rise.pk)
    assert (stored.income_after, stored.risen_on, stored.source, stored.version) == (60000, rise.risen_on, "work", 1)
    assert not _corrections(rise).exists()


def test_a_correction_that_changes_nothing_writes_nothing(client, world):
    rise = _rise(world, _tenth_of_months_ago(1))
    response = login(client, world.employment).post(_edit("income", rise), _income_post(rise), follow=True)
    assert "変更はありませんでした。" in visible_text(response)
    assert IncomeRise.objects.get(pk=rise.pk).version == 1
    assert not _corrections(rise).exists()


# Placements and leaving -----------------------------------------------------------------------


def _placement_post(placement, **change):
    values = {
        "version": placement.version,
        "employer": placement.employer_id or "",
        "employer_name": placement.employer_name,
        "opening": placement.opening_id or "",
        "job": placement.job,
        "started_on": placement.started_on.isoformat(),
        "employment_type": placement.employment_type,
        "hours_per_week": placement.hours_per_week or "",
        "monthly_wage": placement.monthly_wage or "",
    }
    if placement.ended_on:
        values.update(
            ended_on=placement.ended_on.isoformat(), end_reason=placement.end_reason, end_note=placement.end_note
        )
    return {**values, **change}


def test_a_corrected_start_date_moves_the_figures_and_the_follow_ups_not_done(client, world, seeker):
    earlier, later = _tenth_of_months_ago(3), _tenth_of_months_ago(1)
    placement = make_placement(world, world.case, started_on=earlier)
    first = placement.follow_ups.get(months=1)
    stored = FollowUp.objects.get(pk=first.pk)
    first.done_on, first.still_working, first.note = add_months(earlier, 1), True, "訪問した。"
    record_follow_up(first, stored, first.version, world.employment)
    scope = scope_for(world.town)
    assert [EMPLOYED_OTHERS.count(scope, _month_of(d)) for d in (earlier, later)] == [1, 0]

    login(client, world.employment)
    response = client.post(_edit("placement", placement), _placement_post(placement, started_on=later.isoformat()))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.started_on, placement.version) == (later, 2)
    assert [EMPLOYED_OTHERS.count(scope, _month_of(d)) for d in (earlier, later)] == [0, 1]
    follow_ups = {f.months: f for f in placement.follow_ups.select_related("task")}
    # The one done stays as it was recorded; the others, and their tasks, move.
    assert follow_ups[1].due_on == add_months(earlier, 1)
    for months in (3, 6):
        assert follow_ups[months].due_on == follow_ups[months].task.due_on == add_months(later, months)
        assert follow_ups[months].version == 2
    assert _corrections(placement).get().changes == {"started_on": [str(earlier), str(later)]}

    # 認定就労訓練の非雇用型 is not work: corrected to it, the placement leaves the figure.
    client.post(_edit("placement", placement), _placement_post(placement, employment_type="training_non_employed"))
    assert EMPLOYED_OTHERS.count(scope, _month_of(later)) == 0


def test_a_corrected_employer_renames_the_open_follow_up_tasks(client, world, seeker):
    placement = make_placement(world, world.case)
    other = make_employer(world, "湯沢製作所")
    login(client, world.employment)
    client.post(_edit("placement", placement), _placement_post(placement, employer=other.pk))
    titles = set(Task.objects.filter(case=world.case, done_at__isnull=True).values_list("title", flat=True))
    assert titles == {f"定着支援（就労{m}か月）：湯沢製作所" for m in (1, 3, 6)}


def test_a_recorded_leaving_is_corrected_but_never_emptied(client, world, seeker):
    placement = make_placement(world, world.case)
    login(client, world.employment)
    prefix = f"p{placement.pk}"
    today = timezone.localdate()
    client.post(
        reverse("employment:placement_end", kwargs={"code": placement.code}),
        {f"{prefix}-version": "1", f"{prefix}-ended_on": today.isoformat(), f"{prefix}-end_reason": "own_health"},
    )
    placement.refresh_from_db()
    again = client.post(
        reverse("employment:placement_end", kwargs={"code": placement.code}),
        {f"{prefix}-version": "2", f"{prefix}-ended_on": today.isoformat(), f"{prefix}-end_reason": "family"},
        follow=True,
    )
    assert "「就労・離職を訂正する」から訂正してください" in visible_text(again)
    page = client.get(_edit("placement", placement))
    assert "離職の理由" in visible_text(page)

    emptied = client.post(_edit("placement", placement), _placement_post(placement, ended_on="", end_reason=""))
    assert emptied.status_code == 422
    assert "「離職日」を入れてください。" in visible_text(emptied)
    before_start = (placement.started_on - dt.timedelta(days=1)).isoformat()
    early = client.post(_edit("placement", placement), _placement_post(placement, ended_on=before_start))
    assert "離職日が就労開始日より前になっています。" in visible_text(early)
    assert Placement.objects.get(pk=placement.pk).end_reason == "own_health"

    yesterday = (today - dt.timedelta(days=1)).isoformat()
    fixed = client.post(
        _edit("placement", placement), _placement_post(placement, ended_on=yesterday, end_reason="family")
    )
    assert fixed.status_code == 302
    placement.refresh_from_db()
    assert (placement.ended_on.isoformat(), placement.end_reason, placement.version) == (yesterday, "family", 3)
    assert _corrections(placement).get().changes == {
        "ended_on": [today.isoformat(), yesterday],
        "end_reason": ["own_health", "family"],
    }


# Steps and follow-ups -----------------------------------------------------------------------------


def test_a_step_is_corrected_and_a_stale_correction_refused(client, world, seeker):
    opening = make_opening(world)
    step = record_step(
        Step(case=world.case, kind="visit", opening=opening, on=_tenth_of_months_ago(1)), world.employment
    )
    values = {"version": "1", "kind": "experience", "opening": opening.pk, "employer": "", "on": step.on.isoformat()}
    login(client, world.employment)
    assert client.post(_edit("step", step), {**values, "result": "done", "note": "3日間"}).status_code == 302
    step.refresh_from_db()
    assert (step.kind, step.result, step.version) == ("experience", "done", 2)
    assert _corrections(step).get().changes["kind"] == ["visit", "experience"]
    assert TimelineEntry.objects.filter(case=world.case, detail="就労に向けたステップを訂正：種類、結果、メモ").exists()

    stale = client.post(_edit("step", step), {**values, "result": "cancelled"})
    assert stale.status_code == 422
    assert "他の職員がこの就労に向けたステップを先に更新しました" in visible_text(stale)
    assert Step.objects.get(pk=step.pk).result == "done"


def test_a_recorded_follow_up_is_corrected_and_one_not_done_is_not(client, world, seeker):
    placement = make_placement(world, world.case, started_on=_tenth_of_months_ago(2))
    first, third = placement.follow_ups.get(months=1), placement.follow_ups.get(months=3)
    stored = FollowUp.objects.get(pk=first.pk)
    first.done_on, first.still_working, first.note = first.due_on, True, "訪問した。"
    record_follow_up(first, stored, first.version, world.employment)
    login(client, world.consultant)
    values = {"version": "2", "done_on": first.due_on.isoformat(), "still_working": "no", "note": "実は休職中だった。"}
    assert client.post(_edit("follow_up", first), values).status_code == 302
    first.refresh_from_db()
    assert (first.still_working, first.note, first.version, first.recorded_by) == (
        False,
        "実は休職中だった。",
        3,
        world.employment,
    )
    assert _corrections(first).get().actor == world.consultant

    not_done = client.post(_edit("follow_up", third), {**values, "version": "1"}, follow=True)
    assert "この定着支援はまだ記録されていません。" in visible_text(not_done)
    assert FollowUp.objects.get(pk=third.pk).done_on is None


# Query counts -------------------------------------------------------------------------------

# (queries on SQLite, audit writes) of each correction page: session and user (2), the
# user's agency, the record with its case (1), the access check, the stored copy (1), the
# audit entry (with its chain's last hash and savepoint), the person for the header, the
# form's choices (employers, openings or placements), the session's update.
PINNED = {"income": (15, 1), "placement": (16, 1), "step": (16, 1), "follow_up": (14, 1)}


def test_no_correction_page_grows_with_the_case_records(client, world, seeker):
    def pages():
        placement = Placement.objects.order_by("id").first()
        step = Step.objects.order_by("id").first()
        return {
            "income": _edit("income", IncomeRise.objects.order_by("id").first()),
            "placement": _edit("placement", placement),
            "step": _edit("step", step),
            "follow_up": _edit("follow_up", placement.follow_ups.get(months=1)),
        }

    def add(n):
        for _ in range(n):
            placement = make_placement(world, world.case)
            first = placement.follow_ups.get(months=1)
            stored = FollowUp.objects.get(pk=first.pk)
            first.done_on, first.still_working, first.note = timezone.localdate(), True, "訪問した。"
            record_follow_up(first, stored, first.version, world.employment)
            _rise(world, _tenth_of_months_ago(1), placement=placement)
            record_step(
                Step(case=world.case, kind="visit", employer=placement.employer, on=timezone.localdate()),
                world.employment,
            )

    login(client, world.employment)
    add(1)
    one = {name: count_queries(client, url) for name, url in pages().items()}
    add(2)
    three = {name: count_queries(client, url) for name, url in pages().items()}
    expected = {name: pinned(*counts) for name, counts in PINNED.items()}
    assert one == three == expected
