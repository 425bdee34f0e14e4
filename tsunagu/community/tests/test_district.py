"""The district page: open cases by state (names only for centre staff, and for a
district chief the cases they are on the team of), reports by month and by sign,
supporters, issues and the resources panel; nothing locates a confidential person."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseTeamMember, TeamRole
from tsunagu.community.panels import DISTRICT_PANELS
from tsunagu.community.tests.conftest import make_report
from tsunagu.conftest import make_case, make_person
from tsunagu.resources.panels import district_panel
from tsunagu.tests.client import count_queries, html, login


def url(district):
    return reverse("community:district_detail", kwargs={"code": district.code})


def chart(page, key):
    body = re.search(rf'aria-labelledby="{key}-title">(.*?)</figure>', page, re.S)[1]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)', body))


def test_centre_staff_see_counts_and_the_cases(client, world):
    page = html(login(client, world.consultant2).get(url(world.district)))
    assert "相談受付" in page
    assert "1件" in page
    assert "山田 太郎" in page
    assert "加藤 新聞" not in page  # supporters by kind, counted
    assert "新聞配達" in page


def test_centre_staff_see_the_newest_cases_and_a_link_to_them_all(client, world, monkeypatch):
    """The page lists the newest of the district's open cases (a district holds thousands
    in a city); the case list filtered by the district has them all."""
    monkeypatch.setattr("tsunagu.community.views.DISTRICT_CASES", 2)
    for i, days in enumerate([30, 1, 10]):
        person = make_person(world.town, "東", f"太{i}", "ヒガシ", f"タ{i}", district=world.district)
        case = make_case(person, world.centre, world.consultant)
        case.opened_on = timezone.localdate() - dt.timedelta(days=days)
        case.save(update_fields=["opened_on"])
    page = html(login(client, world.consultant2).get(url(world.district)))
    table = page.split("新しく受け付けたケース", 1)[1].split("</table>", 1)[0]
    # The newest two, newest first: taro's case opened today, then the one of yesterday.
    assert re.findall(r"山田 太郎|東 太\d", table) == ["山田 太郎", "東 太1"]
    whole = f"{reverse('cases:list')}?district={world.district.pk}"
    assert f'href="{whole}"' in page
    assert "この地区の進行中のケースをすべて見る（4件）" in page
    listed = html(client.get(whole))
    assert all(name in listed for name in ["東 太0", "東 太1", "東 太2", "山田 太郎"])


def test_the_district_chief_sees_counts_and_only_their_team_cases(client, world):
    other = make_person(world.town, "川村", "次郎", "カワムラ", "ジロウ", district=world.district)
    make_case(other, world.centre, world.consultant)
    login(client, world.district_chief)
    page = html(client.get(url(world.district)))
    assert "2件" in page
    assert "山田 太郎" not in page
    assert "川村 次郎" not in page
    CaseTeamMember.objects.create(case=world.case, staff=world.district_chief, team_role=TeamRole.DISTRICT_CHIEF)
    page = html(client.get(url(world.district)))
    assert "あなたがチームに入っているケース" in page
    assert "本人の同意の範囲外" in page  # taro's consent names the 地域包括, not the 社協
    assert "川村 次郎" not in page


def test_a_district_chief_sees_a_team_case_name_only_with_consent(client, world):
    """On the team as a partner: the name only as a consent for the chief's agency
    allows, and a name shown is a logged disclosure."""
    from tsunagu.consents.models import Channel, Disclosure
    from tsunagu.tests.records import give_consent

    CaseTeamMember.objects.create(case=world.case, staff=world.district_chief, team_role=TeamRole.DISTRICT_CHIEF)
    login(client, world.district_chief)
    page = html(client.get(url(world.district)))
    assert "あなたがチームに入っているケース" in page
    assert "山田 太郎" not in page
    assert "本人の同意の範囲外" in page
    assert not Disclosure.objects.filter(recipient=world.district_chief).exists()
    consent = give_consent(world.taro, world.consultant, [world.swc])
    page = html(client.get(url(world.district)))
    assert "山田 太郎" in page
    shown = Disclosure.objects.get(recipient=world.district_chief)
    assert (shown.person, shown.channel, shown.basis, shown.consent) == (
        world.taro,
        Channel.TEAM_VIEW,
        "consent",
        consent,
    )


def test_officers_see_counts_only(client, world):
    page = html(login(client, world.officer).get(url(world.district)))
    assert "相談受付" in page
    assert "山田 太郎" not in page


def test_a_confidential_person_is_never_located_by_the_district_page(client, world):
    page = html(login(client, world.consultant2).get(url(world.district2)))
    assert "秘匿 花子" not in page
    assert "アセスメント" not in page  # not even counted
    assert "進行中のケースはありません。" in page
    page = html(login(client, world.consultant).get(url(world.district2)))  # her worker
    assert "秘匿 花子" in page
    page = html(login(client, world.chief).get(url(world.district2)))  # the centre's chief
    assert "アセスメント" in page


def test_reports_by_month_and_by_sign(client, community):
    world = community
    now = timezone.now()
    make_report(world, signs=["mail_piling_up", "lights_on"], submitted_at=now)
    make_report(world, signs=["mail_piling_up"], submitted_at=now)
    make_report(world, signs=["dunning"], submitted_at=now - dt.timedelta(days=70))
    make_report(world, supporter=world.mail_carrier, district=world.district2, signs=["noise"])
    page = html(login(client, world.consultant).get(url(world.district)))
    by_sign = chart(page, "reports-by-sign")
    assert (by_sign["新聞・郵便がたまっている"], by_sign["昼も電気がついたまま"], by_sign["督促状・差押え"]) == (
        "2",
        "1",
        "1",
    )
    assert by_sign["大きな声・物音"] == "0"
    by_month = chart(page, "reports-by-month")
    this_month = timezone.localdate()
    assert by_month[f"{this_month.year}年{this_month.month}月"] == "2"
    assert sum(int(v) for v in by_month.values()) == 3
    assert len(by_month) == 12
    assert "この1年で3件" in page
    assert 'style="' not in page


def test_the_resources_panel_is_asked_for(client, world, monkeypatch):
    asked = []

    def panel(user, district):
        asked.append((user, district))
        return {}

    # Registered by the resources app (ResourcesConfig.ready()).
    panels = [panel if registered is district_panel else registered for registered in DISTRICT_PANELS]
    monkeypatch.setattr("tsunagu.community.views.DISTRICT_PANELS", panels)
    assert login(client, world.consultant).get(url(world.district)).status_code == 200
    assert asked == [(world.consultant, world.district)]


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "outsider"])
def test_others_cannot_open_the_district_page(client, world, who):
    response = login(client, getattr(world, who)).get(url(world.district))
    assert response.status_code == 404
    assert "山田" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.district.code)).exists()


def test_a_district_chief_opens_only_their_districts(client, world):
    login(client, world.district_chief)
    assert client.get(url(world.district)).status_code == 200
    response = client.get(url(world.district2))
    assert response.status_code == 404
    assert world.district2.name not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.district2.code)).exists()


def test_the_district_page_does_not_grow_with_rows(client, community):
    world = community
    login(client, world.consultant)
    make_report(world)
    one = count_queries(client, url(world.district))
    for i in range(2):
        person = make_person(world.town, "東", f"太{i}", "ヒガシ", f"タ{i}", district=world.district)
        make_case(person, world.centre, world.consultant)
        make_report(world, signs=["noise", "unwell"])
    world.mail_carrier.neighbourhoods.add(world.neighbourhood)
    three = count_queries(client, url(world.district))
    # 16 for the page (open cases by state: the kept counts, and those of people under
    # whereabouts confidentiality the user may locate) and 6 for the resources panel
    # (resources, their districts, the gap analysis: counts of open cases by issue,
    # resources per issue, the gaps noted in meetings).
    assert one == three == 22
