"""The gap analysis: exactly which issues lack a resource where, counted without names,
a confidential person counted for the whole town; proposing a gap as a regional issue;
the district page's panel."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import District
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.community.models import RegionalIssue, RegionalIssueStatus
from tsunagu.conftest import make_case, make_person
from tsunagu.meetings.models import AgendaItem, ResourceGap
from tsunagu.resources.gaps import analyse
from tsunagu.resources.matching import need_of
from tsunagu.resources.panels import district_panel
from tsunagu.resources.tests.conftest import make_resource
from tsunagu.tests.client import count_queries, html
from tsunagu.tests.records import make_meeting, write_assessment

GAPS = reverse("resources:gaps")
PROPOSE = reverse("resources:propose")


def assessed(world, family, district, state, issues, **extra):
    person = make_person(world.town, family, "一郎", "テスト", "イチロウ", district=district, **extra)
    case = make_case(person, world.centre, world.consultant, state=state)
    write_assessment(case, world.consultant, issues=["other"])
    write_assessment(case, world.consultant, issues=issues)
    return case


@pytest.fixture
def town(world):
    """東小: 債務 ×2, 家計管理 ×1, 社会的孤立 ×1; 西小: 家計管理 ×1 (+ a closed case);
    hanako (西小, confidential): DV and 家計管理; someone with no district: 債務."""
    write_assessment(world.case, world.consultant, issues=["debt", "budget_management"])
    assessed(world, "東川", world.district, "in_support", ["debt", "social_isolation"])
    assessed(world, "西川", world.district2, "assessment", ["budget_management"])
    assessed(world, "閉川", world.district2, "closed", ["care"])
    assessed(world, "無地", None, "plan_draft", ["debt"])
    write_assessment(world.hanako_case, world.consultant, issues=["abuse", "budget_management"])
    other = make_person(world.other_town, "隣村", "花", "トナリ", "ハナ")
    other_case = make_case(other, world.other_centre, world.outsider, state="assessment")
    write_assessment(other_case, world.outsider, issues=["care"])

    make_resource(world, "無料法律相談", issues=["debt"])
    make_resource(world, "東小の家計相談", issues=["budget_management"], districts=[world.district])
    make_resource(world, "西小の居場所", issues=["social_isolation"], districts=[world.district2])
    make_resource(world, "終わったDV相談", issues=["abuse"], active=False)
    make_resource(
        world, "となり村の介護相談", issues=["care"], municipality=world.other_town, created_by=world.outsider
    )
    return world


def as_rows(figures):
    return [(f.district.name if f.district else None, f.issue, f.open_cases, f.resources) for f in figures]


def test_the_analysis_finds_exactly_the_gaps(town):
    analysis = analyse(town.town)

    assert as_rows(analysis.all_gaps()) == [
        ("東小", "social_isolation", 1, 0),
        ("西小", "budget_management", 1, 0),
        (None, "budget_management", 1, 0),
        (None, "abuse", 1, 0),
    ]
    assert as_rows(analysis.for_area(town.district)) == [
        ("東小", "debt", 2, 1),
        ("東小", "budget_management", 1, 1),
        ("東小", "social_isolation", 1, 0),
    ]
    assert as_rows(analysis.for_area(town.district2)) == [
        ("西小", "budget_management", 1, 0),
        ("西小", "debt", 0, 1),
        ("西小", "social_isolation", 0, 1),
    ]


def test_a_case_not_yet_assessed_counts_by_its_concerns_as_matching_reads_them(world):
    # taro: 主訴 収入・生活費 and 仕事探し, no assessment yet
    issues = need_of(world.case, location_visible=True).issues
    assert issues == ["economic_hardship", "job_search_difficulty"]
    analysis = analyse(world.town)
    district = world.taro.district
    assert [(f.issue, f.open_cases) for f in analysis.for_area(district)] == [(i, 1) for i in issues]

    write_assessment(world.case, world.consultant, issues=["debt"])
    assert need_of(world.case, location_visible=True).issues == ["debt"]
    assert [(f.issue, f.open_cases) for f in analyse(world.town).for_area(district)] == [("debt", 1)]


def test_a_confidential_person_is_counted_for_the_town_not_their_district(town):
    analysis = analyse(town.town)
    assert analysis.figure(town.district2, "abuse").open_cases == 0
    assert analysis.figure(None, "abuse").open_cases == 1
    assert analysis.figure(town.district2, "budget_management").open_cases == 1  # 西川 only

    town.order.lifted_at = timezone.now()
    town.order.save(update_fields=["lifted_at"])
    lifted = analyse(town.town)
    assert lifted.figure(town.district2, "abuse").open_cases == 1
    assert lifted.figure(None, "abuse").open_cases == 0


def test_the_gaps_page_shows_counts_and_never_names(client, town):
    client.force_login(town.officer)
    page = html(client.get(GAPS))
    assert "不足している資源（4件）" in page
    assert "社会的孤立" in page
    assert "自治体全体（地区を特定しない）" in page
    for name in ["山田", "秘匿 花子", "花子", "東川", "西川", "無地", "隣村"]:
        assert name not in page
    assert "地域課題として提案" not in page  # partners read; the centre proposes


def test_propose_a_gap_as_a_regional_issue_once(client, town):
    client.force_login(town.consultant)
    data = {"district": town.district2.pk, "issue": "budget_management", "next": GAPS}

    page = html(client.post(PROPOSE, data, follow=True))

    regional = RegionalIssue.objects.get()
    assert "地域課題として提案しました：西小：『家計管理の課題』に対応する社会資源がない" in page
    assert regional.municipality == town.town
    assert regional.district == town.district2
    assert regional.issue == "budget_management"
    assert regional.field == "finance"
    assert regional.source == "gap_analysis"
    assert regional.status == RegionalIssueStatus.PROPOSED
    assert regional.figures["open_cases"] == 1
    assert regional.figures["resources"] == 0
    assert regional.raised_by == town.consultant
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(regional.code)).exists()
    assert "地域課題として提案済み" in page

    page = html(client.post(PROPOSE, data, follow=True))
    assert "すでに提案されています" in page
    assert RegionalIssue.objects.count() == 1

    # Once resolved, the same gap (if it persists) may be proposed again.
    RegionalIssue.objects.filter(pk=regional.pk).update(status=RegionalIssueStatus.RESOLVED)
    client.post(PROPOSE, data)
    assert RegionalIssue.objects.count() == 2


def test_propose_for_the_whole_town(client, town):
    client.force_login(town.chief)
    client.post(PROPOSE, {"district": "", "issue": "abuse"})
    regional = RegionalIssue.objects.get()
    assert regional.district is None
    assert regional.field == "welfare"
    assert regional.title == "つなぐ市：『DV・虐待』に対応する社会資源がない"


def test_what_is_not_a_gap_is_not_proposed(client, town):
    client.force_login(town.consultant)
    page = html(client.post(PROPOSE, {"district": town.district.pk, "issue": "debt"}, follow=True))
    assert "対応する社会資源があるか、対象のケースがありません" in page
    assert not RegionalIssue.objects.exists()


@pytest.mark.parametrize("who", ["partner", "district_chief", "officer"])
def test_only_the_centre_proposes(client, town, who):
    client.force_login(getattr(town, who))
    response = client.post(PROPOSE, {"district": town.district2.pk, "issue": "budget_management"})
    assert response.status_code == 403
    assert not RegionalIssue.objects.exists()


def test_the_outsider_cannot_propose_for_another_towns_district(client, town):
    client.force_login(town.outsider)
    page = html(client.post(PROPOSE, {"district": town.district2.pk, "issue": "budget_management"}, follow=True))
    assert "提案する地区と課題を確かめてください。" in page
    assert not RegionalIssue.objects.exists()


def test_the_gaps_page_costs_the_same_for_one_or_three_gaps(client, world):
    client.force_login(world.consultant)
    assessed(world, "一号", world.district, "assessment", ["debt"])
    make_resource(world, "居場所", issues=["social_isolation"], districts=[world.district])
    one = count_queries(client, GAPS)
    assessed(world, "二号", world.district2, "assessment", ["care", "homeless"])
    make_resource(world, "家計相談", issues=["budget_management"], districts=[world.district, world.district2])
    three = count_queries(client, GAPS)
    # 一号, 二号 ×2, and taro's two 主訴 (not assessed yet: 経済的困窮, 就職活動困難)
    assert "不足している資源（5件）" in html(client.get(GAPS))
    # session, user, agency, municipality; districts, the kept counts of open cases by issue
    # (resources.summary), resources and their districts, open regional issues; the
    # session's save (3)
    assert one == three == pinned(12)


# The district page's panel -------------------------------------------------------------------


def render_panel(user, district):
    request = RequestFactory().get("/community/")
    request.user = user
    return render_to_string("resources/_district_panel.html", district_panel(user, district), request=request)


def test_the_district_panel_shows_resources_gaps_meeting_notes_and_a_chart(town):
    meeting = make_meeting(
        town,
        "community_care",
        chair=town.district_chief,
        created_by=town.chief,
        title="東小地区 地域ケア会議",
        district=town.district,
    )
    item = AgendaItem.objects.create(meeting=meeting, purpose="regional_issue", title="居場所")
    ResourceGap.objects.create(
        item=item,
        municipality=town.town,
        district=town.district,
        field="welfare",
        issue="social_isolation",
        description="夜に集まれる居場所がない",
        noted_by=town.chief,
    )

    page = render_panel(town.consultant, town.district)

    assert "東小地区の社会資源" in page
    assert "無料法律相談" in page
    assert "東小の家計相談" in page
    assert "西小の居場所" not in page
    assert "夜に集まれる居場所がない" in page
    assert "<svg" in page
    assert "style=" not in page
    assert "<script" not in page
    assert "社会的孤立: ケース1件、資源0件" in page
    assert "地域課題として提案" in page
    for name in ["山田", "東川"]:
        assert name not in page


def test_the_district_panel_is_empty_for_another_town(town):
    assert district_panel(town.outsider, town.district) == {}
    assert render_panel(town.outsider, town.district).strip() == ""
    assert district_panel(town.supporter, town.district) == {}


def test_the_district_panel_for_partners_lists_resources_but_no_case_figures(town):
    # The figures count open cases by assessed issue (要配慮 ones among them): not for
    # partner agencies.
    page = render_panel(town.partner, District.objects.get(pk=town.district.pk))
    assert "無料法律相談" in page
    assert "ケース1件" not in page
    assert "地域課題として提案" not in page
    chief_page = render_panel(town.district_chief, District.objects.get(pk=town.district.pk))
    assert "社会的孤立: ケース1件、資源0件" in chief_page
    assert "地域課題として提案" not in chief_page


def test_what_a_support_meeting_notes_stays_off_the_district_panel(town):
    for kind, text in [("support_meeting", "支援会議で出た不足"), ("community_care", "地域ケア会議で出た不足")]:
        meeting = make_meeting(town, kind, title=kind, district=town.district)
        item = AgendaItem.objects.create(meeting=meeting, purpose="case_discussion", title="議題")
        ResourceGap.objects.create(
            item=item, municipality=town.town, district=town.district, description=text, noted_by=town.chief
        )
    page = render_panel(town.consultant, town.district)
    assert "地域ケア会議で出た不足" in page
    assert "支援会議で出た不足" not in page


@pytest.mark.parametrize("who", ["partner", "district_chief"])
def test_the_municipality_wide_gaps_page_is_for_the_centre_and_officers(client, town, who):
    client.force_login(getattr(town, who))
    response = client.get(reverse("resources:gaps"))
    assert response.status_code == 403
    assert "社会的孤立" not in html(response)
    assert AuditEvent.objects.filter(actor=getattr(town, who), action="denied", object_code="gap_list").exists()
    client.force_login(town.officer)
    assert "社会的孤立" in html(client.get(reverse("resources:gaps")))


def test_the_gaps_page_counts_only_the_municipality_its_access_function_gives(town):
    from tsunagu.resources.access import gaps_municipality_for

    assert gaps_municipality_for(town.officer) == town.town
    assert gaps_municipality_for(town.consultant) == town.town
    assert gaps_municipality_for(town.outsider) == town.other_town
    for other in (town.partner, town.district_chief, town.supporter):
        assert gaps_municipality_for(other) is None


def test_the_district_panel_costs_the_same_for_one_or_three_resources(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assessed(world, "一号", world.district, "assessment", ["debt", "care"])
    make_resource(world, "一つ目", issues=["debt"], districts=[world.district])
    district = District.objects.get(pk=world.district.pk)
    with CaptureQueriesContext(connection) as one:
        render_panel(world.consultant, district)
    make_resource(world, "二つ目", issues=["care"], provider_agency=world.housing)
    make_resource(world, "三つ目", kind="food", issues=["homeless"], districts=[world.district, world.district2])
    district = District.objects.get(pk=world.district.pk)
    with CaptureQueriesContext(connection) as three:
        page = render_panel(world.consultant, district)
    assert "三つ目" in page
    # municipality; resources and their districts; districts, the kept counts of open
    # cases by issue, resources and their districts (the analysis); open regional issues;
    # meeting notes
    assert len(one) == len(three) == 9


def test_the_chart_keeps_every_gap_and_scales_the_bars():
    from tsunagu.resources.gaps import Figure
    from tsunagu.resources.panels import CHART_BARS, CHART_ROWS, chart
    from tsunagu.sheets.models import Issue

    issues = Issue.values
    figures = [Figure(None, issues[i], 20 - i, 1) for i in range(CHART_ROWS + 2)]
    figures.append(Figure(None, issues[CHART_ROWS + 3], 1, 0))

    bars = chart(figures)["bars"]

    assert len(bars) == CHART_ROWS
    assert bars[-1].is_gap
    assert bars[-1].label == Issue(issues[CHART_ROWS + 3]).label
    assert bars[0].cases_width == CHART_BARS  # the largest count fills the width
    assert bars[0].resources_width == round(CHART_BARS / 20)
    assert [b.y for b in bars[:3]] == [0, 44, 88]
