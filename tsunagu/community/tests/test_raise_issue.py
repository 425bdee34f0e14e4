"""地域課題を登録: centre staff raise a regional issue of any district or of the whole
municipality, a district chief of the districts they lead; the issue names no person,
bad input is refused by the field (422) and keeps what was typed, the creation is
audited; partners, supporters and officers cannot raise one, and another town's centre
cannot raise one here."""

import pytest
from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseTeamMember, TeamRole
from tsunagu.community.models import RegionalIssue, RegionalIssueSource, RegionalIssueStatus
from tsunagu.tests.client import count_queries, html, login

ISSUES = reverse("community:issues")
NEW = reverse("community:issue_new")


def data(**extra):
    values = {
        "title": "夜間に相談できる窓口がない",
        "description": "仕事帰りに相談したい人が、平日の夜に行ける窓口がない。",
        "district": "",
        "field": "welfare",
    }
    values.update(extra)
    return {f"new-{k}": v for k, v in values.items()}


def form_part(page):
    return page.split('class="issue-new"', 1)[1].split("</details>", 1)[0]


def test_centre_staff_see_the_form_with_every_district_and_the_whole_municipality(client, world):
    page = html(login(client, world.consultant).get(ISSUES))
    form = form_part(page)
    assert "地域課題を登録" in page
    assert "自治体全体" in form
    assert f'<option value="{world.district.pk}">東小</option>' in form
    assert f'<option value="{world.district2.pk}">西小</option>' in form
    assert "保健" in form  # the fields of social resources


def test_centre_staff_raise_an_issue_of_a_district(client, world):
    login(client, world.consultant)
    response = client.post(NEW, data(district=world.district.pk, field="housing"))
    issue = RegionalIssue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert (issue.municipality, issue.district, issue.field, issue.source, issue.status, issue.raised_by) == (
        world.town,
        world.district,
        "housing",
        RegionalIssueSource.OTHER,
        RegionalIssueStatus.PROPOSED,
        world.consultant,
    )
    assert issue.title == "夜間に相談できる窓口がない"
    assert issue.figures == {}
    event = AuditEvent.objects.get(action=Action.CREATE, object_code=str(issue.code))
    assert event.actor == world.consultant
    assert event.object_type == "community.regionalissue"
    assert event.changes == {
        "title": "夜間に相談できる窓口がない",
        "district": "東小",
        "field": "housing",
        "source": "other",
    }
    page = html(client.get(response["Location"]))
    assert "地域課題「夜間に相談できる窓口がない」を登録しました。" in page
    assert "仕事帰りに相談したい人が" in page
    assert "その他" in page  # 出どころ
    # It is on the list, in the 提案 column, and goes on to the district's care meeting.
    assert "夜間に相談できる窓口がない" in html(client.get(ISSUES, {"district": world.district.pk}))


def test_an_issue_of_the_whole_municipality(client, world):
    login(client, world.chief)
    response = client.post(NEW, data(field=""))
    assert response.status_code == 302
    issue = RegionalIssue.objects.get()
    assert (issue.district, issue.field, issue.municipality) == (None, "", world.town)
    assert "自治体全体" in html(client.get(issue.get_absolute_url()))


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"title": ""}, "title", "課題を短く書いてください。"),
        ({"title": "あ" * 201}, "title", "200文字以内にしてください（いまは201文字です）。"),
        ({"description": "い" * 5001}, "description", "5000文字以内にしてください（いまは5001文字です）。"),
        ({"field": "space"}, "field", "分野は一覧から選んでください。"),
        ({"district": "abc"}, "district", "この地区は選べません。一覧の地区から選んでください。"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(client, world, bad, field, message):
    login(client, world.consultant)
    response = client.post(NEW, data(**bad))
    assert response.status_code == 422
    page = html(response)
    assert f'<p class="field-error" id="id_new-{field}_error"><span>{message}</span></p>' in page
    assert "仕事帰りに相談したい人が" in page or field == "description"
    assert 'class="issue-new" open' in page  # the form stays open with what was typed
    assert not RegionalIssue.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("title", "山田太郎さんの家の近くに居場所がない"),
        ("title", "山田 太郎の見守り"),
        ("description", "やまだ たろうさんが夜に困っている。"),  # the reading, in hiragana
    ],
)
def test_an_issue_that_names_a_person_is_refused(client, world, name, text):
    login(client, world.consultant)
    response = client.post(NEW, data(**{name: text}))
    assert response.status_code == 422
    page = html(response)
    assert f'id="id_new-{name}_error"><span>個人の氏名が含まれています。' in page
    assert text in page  # kept, to be rewritten
    assert not RegionalIssue.objects.exists()


def test_a_family_name_alone_or_a_place_is_not_a_person(client, world):
    login(client, world.consultant)
    response = client.post(NEW, data(title="山田地区の買い物の足", description="山田の商店が閉じた。"))
    assert response.status_code == 302
    assert RegionalIssue.objects.get().title == "山田地区の買い物の足"


# The district chief ----------------------------------------------------------------------


def test_the_district_chief_is_offered_only_their_districts(client, world):
    form = form_part(html(login(client, world.district_chief).get(ISSUES)))
    assert f'<option value="{world.district.pk}">東小</option>' in form
    assert "西小" not in form
    assert "自治体全体" not in form


def test_the_district_chief_raises_an_issue_of_their_own_district(client, world):
    login(client, world.district_chief)
    response = client.post(NEW, data(district=world.district.pk))
    issue = RegionalIssue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert (issue.district, issue.raised_by, issue.source) == (world.district, world.district_chief, "other")
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_code=str(issue.code), actor=world.district_chief
    ).exists()
    # They may move their own issue on (the detail page offers it).
    assert "進み具合を更新する" in html(client.get(issue.get_absolute_url()))


@pytest.mark.parametrize(
    ("district", "message"),
    [
        ("other", "この地区は選べません。一覧の地区から選んでください。"),
        ("", "あなたが地区チーフを務める地区を選んでください。"),
    ],
)
def test_the_district_chief_cannot_raise_one_elsewhere_or_for_the_whole_town(client, world, district, message):
    login(client, world.district_chief)
    response = client.post(NEW, data(district=world.district2.pk if district == "other" else ""))
    assert response.status_code == 422
    assert message in html(response)
    assert not RegionalIssue.objects.exists()


def test_the_name_check_tells_a_district_chief_nothing_of_people_they_may_not_see(client, world):
    """The chief is refused a name they know from their own team's case; a name of
    someone on no team of theirs is not recognised, so a refusal never says who is on
    the centre's records."""
    login(client, world.district_chief)
    response = client.post(NEW, data(district=world.district.pk, title="山田太郎さんの見守り"))
    assert response.status_code == 302  # taro is not on the chief's team: not known to them
    CaseTeamMember.objects.create(case=world.case, staff=world.district_chief, team_role=TeamRole.DISTRICT_CHIEF)
    response = client.post(NEW, data(district=world.district.pk, title="山田太郎さんの見守り"))
    assert response.status_code == 422
    assert "個人の氏名が含まれています。" in html(response)
    assert RegionalIssue.objects.count() == 1


# Who may not ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "supporter"])
def test_partners_and_supporters_cannot_raise_an_issue(client, world, who):
    login(client, getattr(world, who))
    response = client.post(NEW, data(district=world.district.pk))
    assert response.status_code == 403
    assert "夜間に相談できる窓口がない" not in html(response)
    assert not RegionalIssue.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(world, who)).exists()


def test_officers_read_issues_but_do_not_raise_them(client, world):
    login(client, world.officer)
    assert "地域課題を登録" not in html(client.get(ISSUES))
    response = client.post(NEW, data())
    assert response.status_code == 403
    assert not RegionalIssue.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.DENIED, actor=world.officer, object_code="community.issue_new"
    ).exists()


def test_another_towns_centre_cannot_raise_an_issue_in_our_district(client, world):
    login(client, world.outsider)
    response = client.post(NEW, data(district=world.district.pk))
    assert response.status_code == 422
    page = html(response)
    assert "この地区は選べません。" in page
    assert "東小" not in form_part(page)  # our districts are not even offered
    assert not RegionalIssue.objects.exists()
    # Their own town's issue stays in their town.
    assert client.post(NEW, data()).status_code == 302
    assert RegionalIssue.objects.get().municipality == world.other_town
    assert "夜間に相談できる窓口がない" not in html(login(client, world.consultant).get(ISSUES))


# Session, user, agency, the issues (with their gap counts), the districts of the filter
# and of the new issue's form, the session's save (savepoint, update, release).
ISSUE_LIST_QUERIES = 9


def test_the_issue_list_with_the_form_does_not_grow_with_rows(client, world):
    login(client, world.district_chief)
    RegionalIssue.objects.create(
        municipality=world.town, district=world.district, title="課題", source="other", raised_by=world.chief
    )
    one = count_queries(client, ISSUES)
    for i in range(2):
        RegionalIssue.objects.create(
            municipality=world.town, district=world.district, title=f"課題{i}", source="other", raised_by=world.chief
        )
    assert count_queries(client, ISSUES) == one == ISSUE_LIST_QUERIES
