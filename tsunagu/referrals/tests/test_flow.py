"""The steps of a referral (flow.py): who may take them, from which status, and what
each writes together (the referral, the audit, the timeline, the task, the disclosure)."""

import datetime as dt

import pytest
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseState, Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.cases.transitions import move
from tsunagu.consents.models import Category, Channel, Disclosure, LegalBasis
from tsunagu.referrals import flow
from tsunagu.referrals.flow import ReferralError
from tsunagu.referrals.models import Referral, ReferralStatus
from tsunagu.referrals.snapshot import (
    SENSITIVE_CONCERNS_ALL,
    SENSITIVE_FIELDS_BY_CATEGORY,
    SENSITIVE_ISSUES_BY_CATEGORY,
    without_location,
)
from tsunagu.sheets.models import SENSITIVE_ISSUES, AssessmentSheet
from tsunagu.tests.pages import assert_shows

R = ReferralStatus


def send_housing(world, **extra):
    return flow.send(
        world.case,
        world.consultant,
        world.housing,
        extra.pop("categories", [Category.BASIC, Category.PLAN]),
        extra.pop("request", "転居先探しの支援をお願いします。"),
        **extra,
    )


def referral_timeline(case):
    return list(TimelineEntry.objects.filter(case=case, kind=TimelineKind.REFERRAL).order_by("at", "id"))


def nothing_saved():
    return not Referral.objects.exists() and not Disclosure.objects.exists() and not Task.objects.exists()


# -- sending ----------------------------------------------------------------------


def test_send_writes_the_referral_task_disclosure_timeline_and_audit(world, housing_consent, plan):
    referral = send_housing(world)
    today = timezone.localdate()
    assert referral.status == R.SENT
    assert referral.categories == [Category.BASIC, Category.PLAN]
    assert referral.consent == housing_consent
    assert referral.from_agency == world.centre
    assert referral.answer_by == today + dt.timedelta(days=7)
    task = referral.task
    assert task.kind == TaskKind.REFERRAL_ANSWER
    assert task.assignee == world.consultant
    assert task.due_on == referral.answer_by
    assert task.done_at is None
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == Channel.REFERRAL
    assert disclosure.basis == LegalBasis.CONSENT
    assert disclosure.consent == housing_consent
    assert disclosure.recipient_agency == world.housing
    assert disclosure.categories == sorted([Category.BASIC, Category.PLAN])
    assert disclosure.source_code == referral.code
    [entry] = referral_timeline(world.case)
    assert "居住支援法人あんしん" in entry.detail
    assert "基本情報・プラン" in entry.detail
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="referrals.referral")
    assert event.case_code == world.case.code
    assert event.person_code == world.taro.code


def test_the_snapshot_holds_the_chosen_categories_only(world, housing_consent, plan, assessment, shared_note):
    snapshot = send_housing(world).snapshot
    assert snapshot["name"] == "山田 太郎"
    assert [s["category"] for s in snapshot["sections"]] == [Category.BASIC, Category.PLAN]
    basic, plan_section = snapshot["sections"]
    rows = {row[0]: row[1] for row in basic["rows"]}
    assert rows["ふりがな"] == "ヤマダ タロウ"
    assert "昭和50年4月1日" in rows["生年月日"]
    assert rows["電話番号"] == "0183-72-1234"
    assert "つなぐ市東小一丁目2-3" in rows["住所"]
    assert rows["地区"] == "東小"
    assert "収入・生活費（最も大きな主訴）" in rows["主訴"]
    assert rows["ケースの概要"] == "家賃滞納と失業。"
    plan_rows = {row[0]: row[1] for row in plan_section["rows"]}
    assert plan_rows["長期目標（本人の目指す姿）"] == "安定した住まいで働きながら暮らす"
    assert plan_rows["利用する事業"] == "住居確保給付金"
    # The row about mental health is 要配慮: held back without HEALTH.
    assert [item["goal"] for item in plan_section["items"]] == ["転居先を見つける"]
    assert "1件" in plan_section["notes"][0]
    text = str(snapshot)
    for secret in ["秘密", "大家さん", "製造業"]:
        assert secret not in text


def test_assessment_and_sensitive_categories_carry_their_own_fields(world, housing_consent, assessment, plan):
    housing_consent.categories = list(Category.values)
    housing_consent.save(update_fields=["categories"])
    snapshot = send_housing(world, categories=[Category.ASSESSMENT, Category.HEALTH, Category.PLAN]).snapshot
    sections = {s["category"]: s for s in snapshot["sections"]}
    assert_shows(
        str(sections[Category.ASSESSMENT]),
        shown=["製造業で20年勤務", "300,000", "経済的困窮"],
        hidden=["うつ病", "メンタルヘルス", "前歴"],
    )
    assert_shows(
        str(sections[Category.HEALTH]), shown=["うつ病で通院中", "メンタルヘルスの課題"], hidden=["前歴", "刑余者"]
    )
    # With HEALTH sent, the plan's row about mental health goes too.
    assert len(sections[Category.PLAN]["items"]) == 2
    assert "name" not in snapshot


def test_every_sensitive_field_issue_and_concern_belongs_to_one_category():
    fields = [f for names in SENSITIVE_FIELDS_BY_CATEGORY.values() for f in names]
    assert sorted(fields) == sorted(AssessmentSheet.SENSITIVE_FIELDS)
    issues = [i for group in SENSITIVE_ISSUES_BY_CATEGORY.values() for i in group]
    assert sorted(issues) == sorted(SENSITIVE_ISSUES)
    assert {"health", "abuse"} == SENSITIVE_CONCERNS_ALL


def test_progress_sends_only_the_notes_shared_with_the_team(world, housing_consent, shared_note, private_note):
    housing_consent.categories = [Category.BASIC, Category.PROGRESS]
    housing_consent.save(update_fields=["categories"])
    snapshot = send_housing(world, categories=[Category.PROGRESS]).snapshot
    text = str(snapshot)
    assert "大家さんと家賃の相談をした" in text
    assert "家族の事情" not in text


def test_a_confidential_persons_address_is_never_in_the_snapshot(world):
    world.consent.agencies.add(world.housing)
    world.consent.person = world.hanako
    world.consent.case = world.hanako_case
    world.consent.save(update_fields=["person", "case"])
    referral = flow.send(world.hanako_case, world.consultant, world.housing, [Category.BASIC], "DV避難後の住まい")
    text = str(referral.snapshot)
    assert "秘匿 花子" in text
    for secret in ["ひみつ荘", "西小九丁目", "090-9999-0000", "西小", "012-0999"]:
        assert secret not in text
    assert "所在秘匿" in text


def test_rows_of_location_are_taken_out_when_confidentiality_begins_later(world, housing_consent):
    snapshot = send_housing(world, categories=[Category.BASIC]).snapshot
    hidden = str(without_location(snapshot))
    assert "東小一丁目" not in hidden
    assert "0183-72-1234" not in hidden
    assert "山田 太郎" in hidden
    assert "所在秘匿" in hidden


def test_uncovered_categories_are_refused_by_name_and_nothing_is_saved(world, housing_consent):
    with pytest.raises(ReferralError) as refused:
        send_housing(world, categories=[Category.BASIC, Category.PROGRESS, Category.HEALTH])
    assert refused.value.field == "categories"
    assert "「支援経過」" in refused.value.message
    assert "病気・障害・メンタルヘルス" in refused.value.message
    assert "「基本情報」" not in refused.value.message
    assert nothing_saved()


def test_a_withdrawn_consent_is_refused_afterwards(world, housing_consent):
    housing_consent.withdrawn_at = timezone.now()
    housing_consent.withdrawn_by = world.consultant
    housing_consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    with pytest.raises(ReferralError) as refused:
        send_housing(world, categories=[Category.BASIC])
    assert refused.value.field == "categories"
    assert "撤回" in refused.value.message
    assert nothing_saved()


def test_a_consent_for_another_agency_or_purpose_does_not_cover(world):
    # w.consent covers the 地域包括 only.
    with pytest.raises(ReferralError):
        send_housing(world, categories=[Category.BASIC])
    assert nothing_saved()


def test_emergency_needs_a_written_reason_and_is_logged_as_such(world):
    with pytest.raises(ReferralError) as refused:
        send_housing(world, categories=[Category.BASIC], basis=LegalBasis.EMERGENCY, emergency_reason="  ")
    assert refused.value.field == "emergency_reason"
    assert nothing_saved()
    referral = send_housing(
        world, categories=[Category.BASIC], basis=LegalBasis.EMERGENCY, emergency_reason="今夜の宿がない"
    )
    assert referral.consent is None
    disclosure = Disclosure.objects.get()
    assert disclosure.basis == LegalBasis.EMERGENCY
    assert disclosure.reason == "今夜の宿がない"
    assert disclosure.consent is None
    assert "緊急: 今夜の宿がない" in referral_timeline(world.case)[0].detail
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="referrals.referral")
    assert event.changes["basis"] == "emergency"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_agency": None}, "to_agency"),
        ({"request": "   "}, "request"),
        ({"basis": LegalBasis.SUPPORT_MEETING}, "basis"),
        ({"categories": ["everything"]}, "categories"),
    ],
)
def test_bad_input_is_refused_by_its_field(world, housing_consent, change, field):
    args = {"to_agency": world.housing, "request": "依頼", "categories": [Category.BASIC]} | change
    with pytest.raises(ReferralError) as refused:
        flow.send(
            world.case, world.consultant, args.pop("to_agency"), args.pop("categories"), args.pop("request"), **args
        )
    assert refused.value.field == field
    assert nothing_saved()


@pytest.mark.parametrize("agency", ["centre", "other_centre"])
def test_the_agency_must_be_another_of_the_same_municipality(world, agency):
    with pytest.raises(ReferralError) as refused:
        flow.send(world.case, world.consultant, getattr(world, agency), [], "依頼")
    assert refused.value.field == "to_agency"
    assert nothing_saved()


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "officer", "outsider"])
def test_only_the_centre_of_the_case_sends(world, housing_consent, who):
    with pytest.raises(ReferralError):
        flow.send(world.case, getattr(world, who), world.housing, [Category.BASIC], "依頼")
    assert nothing_saved()


def test_a_referral_without_categories_carries_no_disclosure(world):
    referral = flow.send(world.case, world.consultant, world.housing, [], "まずは本人から電話します。")
    assert referral.snapshot["sections"] == []
    assert "name" not in referral.snapshot
    assert not Disclosure.objects.exists()


# -- the loop ---------------------------------------------------------------------


def test_the_whole_loop_reaches_the_referrers_timeline(world, housing_consent):
    referral = send_housing(world)
    flow.accept(referral, world.partner_outsider, expected_version=1)
    assert referral.status == R.ACCEPTED
    assert referral.receiving_worker == world.partner_outsider
    task = Task.objects.get(pk=referral.task_id)
    assert task.done_at is not None
    assert task.done_by == world.partner_outsider
    flow.confirm_contact(referral, world.partner_outsider, timezone.localdate(), expected_version=2)
    flow.record_outcome(referral, world.partner_outsider, "市営住宅への入居が決まった", expected_version=3)
    referral.refresh_from_db()
    assert referral.status == R.COMPLETED
    assert referral.version == 4
    assert referral.outcome_at is not None
    details = [entry.detail for entry in referral_timeline(world.case)]
    assert len(details) == 4
    assert "つなぎました" in details[0]
    assert "受け入れました" in details[1]
    assert "接触しました" in details[2]
    assert "市営住宅への入居が決まった" in details[3]
    changes = AuditEvent.objects.filter(action=Action.CHANGE, object_type="referrals.referral")
    assert [e.changes["status"] for e in changes.order_by("id")] == [
        ["sent", "accepted"],
        ["accepted", "contacted"],
        ["contacted", "completed"],
    ]


def test_decline_needs_a_reason_and_closes_the_answer_task(world, housing_consent):
    referral = send_housing(world)
    with pytest.raises(ReferralError) as refused:
        flow.decline(referral, world.partner_outsider, " ")
    assert refused.value.field == "reason"
    assert Referral.objects.get().status == R.SENT
    flow.decline(referral, world.partner_outsider, "市外の物件のみ扱っています")
    referral.refresh_from_db()
    assert referral.status == R.DECLINED
    assert referral.decline_reason == "市外の物件のみ扱っています"
    assert referral.answered_by == world.partner_outsider
    assert referral.task.done_at is not None
    assert "市外の物件のみ扱っています" in referral_timeline(world.case)[-1].detail


def test_withdraw_by_the_referring_centre_only_while_open(world, housing_consent):
    referral = send_housing(world)
    with pytest.raises(ReferralError):
        flow.withdraw(referral, world.partner_outsider, "理由")
    with pytest.raises(ReferralError) as refused:
        flow.withdraw(referral, world.consultant2, "")
    assert refused.value.field == "reason"
    flow.withdraw(referral, world.consultant2, "本人が別の支援を選んだ")
    referral.refresh_from_db()
    assert referral.status == R.WITHDRAWN
    assert referral.task.done_at is not None
    assert referral.task.done_by == world.consultant2
    with pytest.raises(ReferralError) as again:
        flow.withdraw(referral, world.consultant2, "もう一度")
    assert "取り下げ" in again.value.message


@pytest.mark.parametrize("who", ["consultant", "partner", "outsider", "supporter"])
def test_only_the_receiving_agency_answers(world, housing_consent, who):
    referral = send_housing(world)
    with pytest.raises(ReferralError):
        flow.accept(referral, getattr(world, who))
    with pytest.raises(ReferralError):
        flow.decline(referral, getattr(world, who), "理由")
    referral.refresh_from_db()
    assert referral.status == R.SENT
    assert referral.version == 1


def test_the_receiving_worker_must_be_of_the_receiving_agency(world, housing_consent):
    referral = send_housing(world)
    with pytest.raises(ReferralError) as refused:
        flow.accept(referral, world.partner_outsider, receiving_worker=world.partner)
    assert refused.value.field == "receiving_worker"
    assert Referral.objects.get().status == R.SENT


def test_a_step_from_the_wrong_status_changes_nothing(world, housing_consent):
    referral = send_housing(world)
    with pytest.raises(ReferralError) as refused:
        flow.record_outcome(referral, world.partner_outsider, "結果")
    assert "回答待ち" in refused.value.message
    flow.decline(referral, world.partner_outsider, "対象外")
    with pytest.raises(ReferralError):
        flow.accept(referral, world.partner_outsider)
    assert Referral.objects.get().status == R.DECLINED


def test_an_answer_from_a_stale_page_is_refused(world, housing_consent):
    referral = send_housing(world)
    stale = Referral.objects.get(pk=referral.pk)
    flow.decline(referral, world.partner_outsider, "対象外", expected_version=1)
    with pytest.raises(ReferralError) as refused:
        flow.accept(stale, world.partner_outsider, expected_version=1)
    assert "他の職員が先に更新しました" in refused.value.message
    assert "お断り" in refused.value.message
    assert Referral.objects.get().status == R.DECLINED


def test_contact_date_is_checked(world, housing_consent):
    referral = send_housing(world)
    flow.accept(referral, world.partner_outsider)
    for day in [None, timezone.localdate() + dt.timedelta(days=1), timezone.localdate() - dt.timedelta(days=5)]:
        with pytest.raises(ReferralError) as refused:
            flow.confirm_contact(referral, world.partner_outsider, day)
        assert refused.value.field == "contacted_on"
    assert Referral.objects.get().status == R.ACCEPTED


def test_the_answer_task_becomes_overdue_when_not_answered(world, housing_consent, client):
    referral = send_housing(world)
    assert not referral.is_overdue
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Referral.objects.filter(pk=referral.pk).update(answer_by=yesterday)
    Task.objects.filter(pk=referral.task_id).update(due_on=yesterday)
    referral.refresh_from_db()
    assert referral.is_overdue
    assert Task.objects.overdue().filter(pk=referral.task_id, kind=TaskKind.REFERRAL_ANSWER).exists()
    client.force_login(world.consultant)
    page = client.get("/my/")
    assert "居住支援法人あんしんからのつなぎの回答を確認する" in page.content.decode()
    flow.accept(referral, world.partner_outsider)
    assert not referral.is_overdue


# -- the screening outcome 他機関へつなぎ --------------------------------------------


def handed_off(world, agency, reason=""):
    world.case.state = CaseState.SCREENING
    world.case.save(update_fields=["state"])
    move(world.case, CaseState.HANDED_OFF, world.consultant, to_agency=agency, reason=reason)
    return Referral.objects.get(case=world.case)


def test_hand_off_creates_a_referral_on_the_follow_up_task(world):
    referral = handed_off(world, world.community_care, reason="介護保険の申請")
    task = Task.objects.get(case=world.case)
    assert task.kind == TaskKind.HANDOFF_FOLLOW_UP
    assert referral.from_handoff
    assert referral.task == task
    assert referral.answer_by == task.due_on
    assert referral.request == "介護保険の申請"
    # w.consent covers BASIC for the 地域包括 on referral.
    assert referral.categories == [Category.BASIC]
    assert referral.consent == world.consent
    assert referral.snapshot["name"] == "山田 太郎"
    assert Disclosure.objects.get().channel == Channel.REFERRAL
    # Accepting keeps the follow-up; contact closes it.
    flow.accept(referral, world.partner)
    task.refresh_from_db()
    assert task.done_at is None
    flow.confirm_contact(referral, world.partner, timezone.localdate())
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.done_by == world.partner


def test_hand_off_without_consent_sends_nothing_and_the_person_calls_themselves(world):
    referral = handed_off(world, world.housing)
    assert referral.categories == []
    assert referral.snapshot["self_contact"] is True
    assert "name" not in referral.snapshot
    assert "スクリーニングの結果" in referral.request
    assert not Disclosure.objects.exists()
    # The agency may confirm contact straight from 回答待ち (the person came by).
    flow.confirm_contact(referral, world.partner_outsider, timezone.localdate())
    referral.refresh_from_db()
    assert referral.status == R.CONTACTED
    assert referral.answered_by == world.partner_outsider
    assert referral.task.done_at is not None


def test_a_refused_hand_off_makes_no_referral(world):
    world.case.state = CaseState.SCREENING
    world.case.save(update_fields=["state"])
    with pytest.raises(Exception, match="同じ自治体"):
        move(world.case, CaseState.HANDED_OFF, world.consultant, to_agency=world.other_centre)
    assert nothing_saved()
