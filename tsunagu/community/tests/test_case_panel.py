"""The case page's panel of supporter reports tied to the case: date, district, signs,
status and a link to the report in the inbox, for the centre's staff with full access
only; never for the team's partner, and never locating a person under whereabouts
confidentiality for anyone who may not see where they live. One query."""

import pytest

from tsunagu.cases.models import CaseTeamMember, TeamRole
from tsunagu.community.models import ReportStatus
from tsunagu.community.tests.conftest import make_report
from tsunagu.tests.client import html, login

TITLE = "サポーターからの情報"


def panel(page):
    if 'id="case-reports-title"' not in page:
        return ""
    return page.split('id="case-reports-title"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def linked(world):
    report = make_report(world, signs=["mail_piling_up", "unwell"], urgency="urgent", place="東小一丁目の青い屋根")
    report.person, report.case, report.status = world.taro, world.case, ReportStatus.IN_PROGRESS
    report.save(update_fields=["person", "case", "status"])
    return report


def test_the_worker_sees_the_reports_tied_to_the_case(client, world, linked):
    make_report(world, place="つながっていない報告", signs=["noise"])  # not tied to the case
    other = make_report(world, signs=["dunning"], person=world.hanako, case=world.hanako_case)
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    part = panel(page)
    assert TITLE in part
    assert f'href="{linked.get_absolute_url()}"' in part
    assert "東小" in part
    assert "新聞・郵便がたまっている、体調が悪そう" in part
    assert "対応中" in part
    assert "急いでいる" in part
    # Only this case's reports; the place and the reporter stay on the report page.
    assert "大きな声・物音" not in part
    assert other.get_absolute_url() not in page
    assert "青い屋根" not in part
    assert "加藤 新聞" not in part
    # The link opens the report in the inbox.
    assert "東小一丁目の青い屋根" in html(client.get(linked.get_absolute_url()))


def test_the_panel_is_hidden_when_no_report_is_tied_to_the_case(client, world):
    make_report(world)
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    assert panel(page) == ""


@pytest.mark.parametrize("who", ["partner", "officer"])
def test_the_team_partner_and_the_officer_do_not_see_it(client, world, linked, who):
    """The partner is on the team (TEAM access); the officer reads the case in full but
    supporter reports are the centre's and the district chief's only."""
    page = html(login(client, getattr(world, who)).get(world.case.get_absolute_url()))
    assert "山田" in page  # the case page itself is shown
    assert panel(page) == ""
    assert linked.get_absolute_url() not in page
    assert "体調が悪そう" not in page


def test_a_district_chief_on_the_team_does_not_see_it_on_the_case_page(client, world, linked):
    CaseTeamMember.objects.create(case=world.case, staff=world.district_chief, team_role=TeamRole.DISTRICT_CHIEF)
    page = html(login(client, world.district_chief).get(world.case.get_absolute_url()))
    assert panel(page) == ""


def test_a_confidential_persons_reports_show_only_to_those_who_may_locate_them(client, world):
    report = make_report(world, district=world.district2, person=world.hanako, case=world.hanako_case)
    url = world.hanako_case.get_absolute_url()
    # Her worker (on her team) and the centre's chief see it.
    for who in [world.consultant, world.chief]:
        assert report.get_absolute_url() in panel(html(login(client, who).get(url))), who
    # A colleague of the centre reads the case in full but may not see where she lives:
    # the report's district would tell.
    page = html(login(client, world.consultant2).get(url))
    assert panel(page) == ""
    assert report.get_absolute_url() not in page
    assert "西小" not in page


def test_the_panel_costs_one_query_for_one_or_three_reports(client, world, linked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tsunagu.cases.tests.test_views import PINNED, pinned

    login(client, world.consultant)

    def count():
        with CaptureQueriesContext(connection) as captured:
            page = html(client.get(world.case.get_absolute_url()))
        reports = [q for q in captured if "community_supporterreport" in q["sql"]]
        return len(captured), len(reports), panel(page).count("report-panel-row")

    one = count()
    for _i in range(2):
        make_report(world, person=world.taro, case=world.case)
    three = count()
    assert one == (pinned(*PINNED["case"]), 1, 1)
    assert three == (pinned(*PINNED["case"]), 1, 3)
