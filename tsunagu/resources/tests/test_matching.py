"""Resources for a case: which match, in what order, why; adding one to the plan; who
sees the panel; and what it costs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Case, CaseTeamMember, TeamRole
from tsunagu.resources.matching import candidates, match, need_of
from tsunagu.resources.tests.conftest import make_resource
from tsunagu.sheets.models import AssessmentSheet, PlanItem, PlanSheet
from tsunagu.tests.client import count_queries, html
from tsunagu.tests.pages import assert_shows
from tsunagu.tests.records import write_plan

TODAY = timezone.localdate()


def assess(case, by, issues, version=1):
    return AssessmentSheet.objects.create(case=case, version=version, recorded_by=by, assessed_on=TODAY, issues=issues)


@pytest.fixture
def town_resources(world):
    """Taro (51, 東小) is assessed with 債務 and 家計管理の課題."""
    assess(world.case, world.consultant, ["economic_hardship"], version=1)
    assess(world.case, world.consultant, ["debt", "budget_management"], version=2)
    return {
        "both": make_resource(world, "家計改善支援事業", issues=["debt", "budget_management"]),
        "east": make_resource(world, "東小の法律相談会", issues=["debt"], districts=[world.district]),
        "wide": make_resource(world, "無料法律相談", issues=["debt"], provider_agency=world.housing),
        "stale": make_resource(
            world, "司法書士の相談", issues=["debt"], last_checked_on=TODAY - dt.timedelta(days=300)
        ),
        "aged": make_resource(world, "若者の家計講座", issues=["budget_management"], min_age=18, max_age=39),
        "adult": make_resource(world, "大人の家計講座", issues=["budget_management"], min_age=40, max_age=64),
        "west": make_resource(world, "西小の家計相談会", issues=["debt"], districts=[world.district2]),
        "closed": make_resource(world, "終わった貸付", issues=["debt"], active=False),
        "other": make_resource(world, "就労準備支援", issues=["job_search_difficulty"]),
        "elsewhere": make_resource(
            world, "となり村の相談", issues=["debt"], municipality=world.other_town, created_by=world.outsider
        ),
    }


def test_the_matches_are_ranked_with_their_reasons(world, town_resources):
    case = Case.objects.select_related("person__district", "agency").get(pk=world.case.pk)
    need = need_of(case, location_visible=True)

    matches = match(need, candidates(world.town.pk))

    assert need.issues == ["debt", "budget_management"]  # the current version, not the first
    assert need.from_assessment
    assert [(m.resource.name, m.reasons) for m in matches] == [
        ("家計改善支援事業", ["課題『債務』に対応", "課題『家計管理の課題』に対応", "自治体の全域が対象"]),
        ("東小の法律相談会", ["課題『債務』に対応", "東小地区が対象"]),
        ("大人の家計講座", ["課題『家計管理の課題』に対応", "自治体の全域が対象", "年齢の条件に合う"]),
        ("無料法律相談", ["課題『債務』に対応", "自治体の全域が対象"]),
        ("司法書士の相談", ["課題『債務』に対応", "自治体の全域が対象", "6か月以上確認されていません"]),
    ]


def test_without_an_assessment_the_intake_concerns_are_used(world):
    make_resource(world, "フードバンク", issues=["economic_hardship"])
    make_resource(world, "ハローワーク", issues=["job_search_difficulty"])
    make_resource(world, "債務整理", issues=["debt"])
    case = Case.objects.select_related("person__district", "agency").get(pk=world.case.pk)

    need = need_of(case, location_visible=True)

    assert not need.from_assessment
    assert need.issues == ["economic_hardship", "job_search_difficulty"]  # 収入・生活費, 仕事探し・就職
    assert {m.resource.name for m in match(need, candidates(world.town.pk))} == {"フードバンク", "ハローワーク"}


def test_the_case_page_shows_the_panel_with_reasons_and_actions(client, world, town_resources):
    client.force_login(world.consultant)
    page = html(client.get(world.case.get_absolute_url()))

    assert "社会資源の候補" in page
    assert "アセスメントの課題から：" in page
    assert page.index("家計改善支援事業") < page.index("東小の法律相談会") < page.index("無料法律相談")
    assert_shows(
        page,
        shown=["課題『債務』に対応", "東小地区が対象", "候補をすべて見る（5件）"],
        hidden=["西小の家計相談会", "終わった貸付", "となり村の相談"],
    )
    # Taro's case is in intake: no plan to add to yet.
    assert "プランに追加できるのは「プラン案」" in page
    referral = reverse("referrals:new", kwargs={"case_code": world.case.code})
    assert f"{referral}?to_agency={world.housing.pk}" in page


def test_partners_do_not_see_the_panel_or_the_page(client, world, town_resources):
    client.force_login(world.partner)
    page = html(client.get(world.case.get_absolute_url()))
    assert "社会資源の候補" not in page
    assert "家計改善支援事業" not in page

    before = AuditEvent.objects.filter(action=Action.DENIED).count()
    response = client.get(reverse("resources:for_case", kwargs={"code": world.case.code}))
    assert response.status_code == 404
    assert "家計改善支援事業" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == before + 1


def test_the_full_page_lists_every_match_and_is_audited(client, world, town_resources):
    client.force_login(world.consultant)
    url = reverse("resources:for_case", kwargs={"code": world.case.code})
    page = html(client.get(url))
    assert "候補（5件）" in page
    assert "司法書士の相談" in page
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="resources.for_case").get()
    assert event.case_code == world.case.code
    assert event.person_code == world.taro.code


def test_a_confidential_persons_district_is_used_only_for_their_team(client, world):
    assess(world.hanako_case, world.consultant, ["abuse"])
    make_resource(world, "西小の女性相談", issues=["abuse"], districts=[world.district2])
    make_resource(world, "配偶者暴力相談支援センター", issues=["abuse"])
    url = reverse("resources:for_case", kwargs={"code": world.hanako_case.code})

    client.force_login(world.consultant)  # her worker
    page = html(client.get(url))
    assert "西小の女性相談" in page
    assert "西小地区が対象" in page

    client.force_login(world.consultant2)  # the same centre, not on her team
    page = html(client.get(url))
    assert "配偶者暴力相談支援センター" in page
    assert "西小の女性相談" not in page
    assert "西小" not in page


def test_the_age_condition_is_left_to_check_when_the_age_is_unknown(world):
    world.taro.birth_date = None
    world.taro.save(update_fields=["birth_date"])
    assess(world.case, world.consultant, ["budget_management"])
    make_resource(world, "若者の家計講座", issues=["budget_management"], min_age=18, max_age=39)
    case = Case.objects.select_related("person__district", "agency").get(pk=world.case.pk)

    matches = match(need_of(case, location_visible=True), candidates(world.town.pk))

    assert matches[0].reasons[-1] == "年齢の条件（18〜39歳）を確かめてください"


# Adding to the plan ----------------------------------------------------------------------------


def plan_v1(world):
    plan = write_plan(world.case, world.consultant, long_term_goal="借金を整理して落ち着いて暮らす")
    PlanItem.objects.create(plan=plan, position=0, issue="debt", goal="債務を整理する", support="法律相談へ同行")
    return plan


def add_url(world, resource):
    return reverse("resources:add_to_plan", kwargs={"code": world.case.code, "resource_code": resource.code})


def test_add_to_plan_appends_a_version_with_the_item(client, world, town_resources):
    Case.objects.filter(pk=world.case.pk).update(state="plan_draft")
    plan_v1(world)
    resource = town_resources["wide"]
    client.force_login(world.consultant)

    response = client.post(add_url(world, resource))

    assert response["Location"] == reverse("sheets:plan", kwargs={"code": world.case.code})
    latest = PlanSheet.objects.get(case=world.case, version=2)
    assert latest.long_term_goal == "借金を整理して落ち着いて暮らす"
    assert latest.agreed_on is None  # a new version asks for agreement again
    items = list(latest.items.order_by("position"))
    assert [(i.issue, i.goal) for i in items] == [("debt", "債務を整理する"), ("debt", "無料法律相談を利用する")]
    assert items[1].provider_agency == world.housing
    assert items[1].support == "無料法律相談（サービス提供資源）"
    assert PlanSheet.objects.get(case=world.case, version=1).items.count() == 1  # v1 untouched
    event = AuditEvent.objects.get(
        action=Action.CHANGE, object_code=str(latest.code), detail="社会資源からプランに追加"
    )
    assert event.changes["item_added"] == "無料法律相談"
    page = html(client.get(response["Location"]))
    assert "「無料法律相談」をプランに追加しました（第2版）" in page


@pytest.mark.parametrize(
    ("state", "with_plan", "message"),
    [
        (
            "intake",
            True,
            "プランに追加できるのは「プラン案」「支援提供・モニタリング」「評価」の段階のケースです（現在は「相談受付」）。",
        ),
        ("coordination", True, "（現在は「支援調整会議」）"),
        ("plan_draft", False, "まだプランがありません。先にプランを作ってから追加してください。"),
    ],
)
def test_add_to_plan_is_refused_with_a_message(client, world, town_resources, state, with_plan, message):
    Case.objects.filter(pk=world.case.pk).update(state=state)
    if with_plan:
        plan_v1(world)
    client.force_login(world.consultant)

    response = client.post(add_url(world, town_resources["wide"]), follow=True)

    assert message in html(response)
    assert PlanSheet.objects.filter(case=world.case).count() == (1 if with_plan else 0)


@pytest.mark.parametrize("who", ["partner", "outsider", "partner_outsider", "officer"])
def test_add_to_plan_is_for_the_centre_holding_the_case(client, world, town_resources, who):
    Case.objects.filter(pk=world.case.pk).update(state="plan_draft")
    plan_v1(world)
    client.force_login(getattr(world, who))
    response = client.post(add_url(world, town_resources["wide"]))
    assert response.status_code in {403, 404}
    assert PlanSheet.objects.filter(case=world.case).count() == 1


def test_a_resource_of_another_town_cannot_be_added(client, world, town_resources):
    Case.objects.filter(pk=world.case.pk).update(state="plan_draft")
    plan_v1(world)
    client.force_login(world.consultant)
    response = client.post(add_url(world, town_resources["elsewhere"]))
    assert response.status_code == 404
    assert PlanSheet.objects.filter(case=world.case).count() == 1


# Cost -------------------------------------------------------------------------------------------


def test_the_case_page_and_the_full_page_cost_the_same_for_one_or_three_resources(client, world):
    Case.objects.filter(pk=world.case.pk).update(state="plan_draft")
    plan_v1(world)
    assess(world.case, world.consultant, ["debt"])
    CaseTeamMember.objects.create(case=world.case, staff=world.employment, team_role=TeamRole.EMPLOYMENT)
    client.force_login(world.consultant)
    case_url = world.case.get_absolute_url()
    full_url = reverse("resources:for_case", kwargs={"code": world.case.code})

    make_resource(world, "一つ目", issues=["debt"], districts=[world.district])
    one = (count_queries(client, case_url), count_queries(client, full_url))
    make_resource(world, "二つ目", issues=["debt"], provider_agency=world.housing)
    make_resource(world, "三つ目", issues=["debt"], districts=[world.district, world.district2])
    three = (count_queries(client, case_url), count_queries(client, full_url))

    # The panel costs 4: the assessment, the resources and their districts (one prefetch),
    # whether there is a plan (whether the person may be located comes with the case). The
    # case page adds them to its own 16 (its person comes with the case; the task form,
    # which lists the centre's workers, comes on demand) and the other panels' 17
    # (consents 2, referrals 1, meetings 2, community 1: the supporter reports tied to the
    # case; the checklist 5: the latest intake, assessment, plan, evaluation, the
    # decisions; employment 2; programmes 4); the full page to the session, user, agency,
    # case, the audit write (savepoint, last hash, insert, release) and the session's save (3).
    assert one == three == (pinned(37, 1), pinned(15, 1))
