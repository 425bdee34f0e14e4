"""Regional issues: list and detail by district and status, with their figures and the
resource gaps noted in 支援調整会議; progress (audited, versioned); onto the agenda of a
coming 地域ケア会議 or 協議会 部会."""

import pytest
from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.community.models import RegionalIssue, RegionalIssueStatus, RegionalIssueUpdate
from tsunagu.meetings.models import AgendaItem, MeetingKind, MeetingStatus, Purpose, ResourceGap
from tsunagu.tests.client import count_queries, html, login, refused
from tsunagu.tests.records import make_meeting

ISSUES = reverse("community:issues")


@pytest.fixture
def issues(world):
    w = world
    w.issue = RegionalIssue.objects.create(
        municipality=w.town,
        district=w.district,
        title="ひきこもりの人の居場所がない",
        description="東小地区には日中に通える居場所がない。",
        field="welfare",
        figures={"ひきこもりのケース": 4, "地区の居場所": 0},
        source="gap_analysis",
        raised_by=w.chief,
    )
    w.issue_west = RegionalIssue.objects.create(
        municipality=w.town,
        district=w.district2,
        title="西小の買い物の足",
        source="meeting",
        raised_by=w.chief,
        status=RegionalIssueStatus.DISCUSSED,
    )
    w.issue_town = RegionalIssue.objects.create(
        municipality=w.town, title="家計相談の夜間枠", source="other", raised_by=w.chief
    )
    coordination = make_meeting(w, MeetingKind.COORDINATION, -7, title="支援調整会議 11月")
    item = AgendaItem.objects.create(meeting=coordination, purpose=Purpose.PLAN_APPROVAL)
    ResourceGap.objects.create(
        item=item,
        municipality=w.town,
        district=w.district,
        description="日中の居場所（東小）",
        noted_by=w.chief,
        regional_issue=w.issue,
    )
    ResourceGap.objects.create(
        item=item, municipality=w.town, district=w.district, description="夜に相談できる窓口", noted_by=w.chief
    )
    ResourceGap.objects.create(
        item=item, municipality=w.town, district=w.district2, description="西小の移動販売", noted_by=w.chief
    )
    w.care_meeting = make_meeting(
        w,
        MeetingKind.COMMUNITY_CARE,
        14,
        district=w.district,
        chair=w.district_chief,
        created_by=w.chief,
        title="東小 地域ケア会議 12月",
    )
    w.committee = make_meeting(
        w, MeetingKind.COUNCIL_COMMITTEE, 30, committee="生活困窮者対策部会", title="生活困窮者対策部会"
    )
    return w


def test_centre_staff_see_every_issue_by_status(client, issues):
    page = html(login(client, issues.consultant).get(ISSUES))
    for title in ["ひきこもりの人の居場所がない", "西小の買い物の足", "家計相談の夜間枠"]:
        assert title in page
    assert "ひきこもりのケース：4" in page
    assert page.index("ひきこもりの人の居場所がない") < page.index("西小の買い物の足")  # 提案 before 協議済み
    page = html(login(client, issues.consultant).get(ISSUES, {"status": "discussed"}))
    assert "西小の買い物の足" in page
    assert "ひきこもりの人の居場所がない" not in page
    page = html(login(client, issues.consultant).get(ISSUES, {"district": issues.district.pk}))
    assert "ひきこもりの人の居場所がない" in page
    assert "家計相談の夜間枠" not in page


def test_the_district_chief_sees_their_districts_issues(client, issues):
    login(client, issues.district_chief)
    page = html(client.get(ISSUES))
    assert "ひきこもりの人の居場所がない" in page
    assert "西小の買い物の足" not in page
    assert "家計相談の夜間枠" not in page
    assert client.get(issues.issue.get_absolute_url()).status_code == 200
    assert client.get(issues.issue_west.get_absolute_url()).status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(issues.issue_west.code)).exists()


@pytest.mark.parametrize("who", ["partner", "supporter"])
def test_partners_and_supporters_see_no_issue(client, issues, who):
    login(client, getattr(issues, who))
    assert client.get(ISSUES).status_code == 403
    response = client.get(issues.issue.get_absolute_url())
    assert response.status_code in {403, 404}
    assert "居場所" not in html(response)


def test_another_town_sees_none_of_ours(client, issues):
    login(client, issues.outsider)
    assert "居場所" not in html(client.get(ISSUES))
    assert client.get(issues.issue.get_absolute_url()).status_code == 404


def test_the_detail_shows_figures_and_the_gaps_noted_in_coordination(client, issues):
    page = html(login(client, issues.officer).get(issues.issue.get_absolute_url()))
    assert "地区の居場所" in page
    assert "日中の居場所（東小）" in page
    assert "夜に相談できる窓口" in page  # same district, not yet tied to an issue
    assert "西小の移動販売" not in page
    assert "支援調整会議 11月" in page
    # Officers read; they do not move issues on.
    assert "進み具合を更新する" not in page


def test_progress_is_recorded_with_a_note_audited_and_versioned(client, issues):
    url = reverse("community:issue_progress", kwargs={"code": issues.issue.code})
    login(client, issues.consultant)
    response = client.post(url, {"version": 1, "status": "discussed", "note": ""})
    assert response.status_code == 422
    assert "何があったかを短く書いてください。" in html(response)
    response = client.post(url, {"version": 1, "status": "discussed", "note": "地域ケア会議で協議した。"})
    assert response.status_code == 302
    issues.issue.refresh_from_db()
    assert (issues.issue.status, issues.issue.version) == ("discussed", 2)
    update = RegionalIssueUpdate.objects.get()
    assert (update.from_status, update.to_status, update.by) == ("proposed", "discussed", issues.consultant)
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(issues.issue.code))
    assert event.changes == {"status": ["proposed", "discussed"]}
    assert "地域ケア会議で協議した。" in html(client.get(issues.issue.get_absolute_url()))
    stale = {"version": 1, "status": "developing", "note": "古い画面から"}
    refused(
        login(client, issues.district_chief), url, stale, "他の職員がこの地域課題を先に更新しました", "古い画面から"
    )
    issues.issue.refresh_from_db()
    assert issues.issue.status == "discussed"


def test_the_district_chief_moves_their_issue_on_but_officers_do_not(client, issues):
    url = reverse("community:issue_progress", kwargs={"code": issues.issue.code})
    assert (
        login(client, issues.district_chief)
        .post(url, {"version": 1, "status": "developing", "note": "社協と相談"})
        .status_code
        == 302
    )
    response = login(client, issues.officer).post(url, {"version": 2, "status": "resolved", "note": "x"})
    assert response.status_code == 404
    issues.issue.refresh_from_db()
    assert issues.issue.status == "developing"


def test_an_issue_goes_on_the_agenda_of_a_coming_community_care_meeting(client, issues):
    url = reverse("meetings:issue_agenda", kwargs={"code": issues.issue.code})
    login(client, issues.consultant)
    page = html(client.get(issues.issue.get_absolute_url()))
    assert "東小 地域ケア会議 12月" in page
    assert "生活困窮者対策部会" in page
    assert client.post(url, {"meeting": issues.care_meeting.code}).status_code == 302
    item = AgendaItem.objects.get(regional_issue=issues.issue)
    assert (item.meeting, item.purpose, item.title) == (issues.care_meeting, Purpose.REGIONAL_ISSUE, issues.issue.title)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(item.code)).exists()
    response = client.post(url, {"meeting": issues.care_meeting.code})
    assert response.status_code == 422
    assert "この会議の議題にもうのっています" in html(response)
    assert client.post(url, {"meeting": issues.committee.code}).status_code == 302
    assert AgendaItem.objects.filter(regional_issue=issues.issue).count() == 2


@pytest.mark.parametrize("which", ["past", "other_town", "other_district", "cancelled"])
def test_meetings_that_do_not_fit_are_refused(client, issues, which):
    w = issues
    bad = {
        "past": lambda: make_meeting(w, MeetingKind.COMMUNITY_CARE, -3, district=w.district, title="先月の会議"),
        "other_town": lambda: make_meeting(
            w,
            MeetingKind.COUNCIL_COMMITTEE,
            5,
            municipality=w.other_town,
            chair=w.outsider,
            created_by=w.chief,
            title="となり村の部会",
        ),
        "other_district": lambda: make_meeting(
            w, MeetingKind.COMMUNITY_CARE, 5, district=w.district2, title="西小の会議"
        ),
        "cancelled": lambda: make_meeting(
            w, MeetingKind.COMMUNITY_CARE, 5, district=w.district, status=MeetingStatus.CANCELLED, title="中止の会議"
        ),
    }[which]()
    url = reverse("meetings:issue_agenda", kwargs={"code": w.issue.code})
    response = login(client, w.consultant).post(url, {"meeting": bad.code})
    assert response.status_code == 422
    assert "この会議は選べません" in html(response)
    assert not AgendaItem.objects.filter(regional_issue=w.issue).exists()


def test_the_district_chief_places_only_on_their_community_care_meeting(client, issues):
    url = reverse("meetings:issue_agenda", kwargs={"code": issues.issue.code})
    login(client, issues.district_chief)
    response = client.post(url, {"meeting": issues.committee.code})
    assert response.status_code == 422
    assert client.post(url, {"meeting": issues.care_meeting.code}).status_code == 302
    assert AgendaItem.objects.get(regional_issue=issues.issue).meeting == issues.care_meeting


def test_a_municipality_wide_issue_goes_to_a_committee_only(client, issues):
    url = reverse("meetings:issue_agenda", kwargs={"code": issues.issue_town.code})
    login(client, issues.consultant)
    answer = client.post(url, {"meeting": issues.care_meeting.code})
    assert answer.status_code == 422
    assert not AgendaItem.objects.filter(regional_issue=issues.issue_town).exists()
    assert client.post(url, {"meeting": issues.committee.code}).status_code == 302
    assert AgendaItem.objects.get(regional_issue=issues.issue_town).meeting == issues.committee


def test_the_issue_list_does_not_grow_with_rows(client, issues):
    login(client, issues.consultant)
    one = count_queries(client, ISSUES)
    for i in range(2):
        RegionalIssue.objects.create(
            municipality=issues.town, district=issues.district, title=f"課題{i}", source="other", raised_by=issues.chief
        )
    assert count_queries(client, ISSUES) == one
