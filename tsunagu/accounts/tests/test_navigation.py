"""Every link a reader is offered opens for them, and each role lands on a page made for
its work (issue 10, item 9)."""

import datetime as dt

import pytest
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.community.models import Urgency
from tsunagu.community.tests.conftest import make_report
from tsunagu.conftest import PERSONAS
from tsunagu.meetings.models import AgendaItem, MeetingKind, Purpose
from tsunagu.tests.client import login
from tsunagu.tests.pages import links, visible_text
from tsunagu.tests.records import make_meeting

RECORDS = ["/my/", "/cases/", "/people/", "/referrals/inbox/", "/meetings/calendar/", "/resources/"]
CENTRE = [*RECORDS, "/community/", "/employment/", "/programmes/ledger/"]
CHIEF = [*RECORDS, "/community/", "/statistics/", "/statistics/supervision/", "/employment/", "/programmes/ledger/"]
# Each role's menu, in order: accounts.navigation's own entries, then those the apps above
# it register (community, statistics, employment, programmes: issue 14 kept them as they were).
MENUS = {
    "chief": CHIEF,
    "consultant": CENTRE,
    "consultant2": CENTRE,
    "employment": CENTRE,
    "officer": [*RECORDS, "/community/", "/statistics/", "/employment/", "/programmes/payments/"],
    "partner": RECORDS,
    "partner_outsider": RECORDS,
    "outsider": CHIEF,  # the chief of another municipality's centre
    "supporter": ["/community/report/", "/community/report/mine/"],
    "district_chief": [*RECORDS, "/community/reports/"],
    "admin_user": ["/admin/"],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_is_offered_its_menu_in_order(client, world, persona):
    response = login(client, getattr(world, persona)).get("/cases/")
    assert links(response, within="site-nav") == MENUS[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_link_opens_for_the_reader(client, world, persona):
    staff = getattr(world, persona)
    # Any page carries the menu, even one the reader is refused (403).
    menu = links(login(client, staff).get("/cases/"), within="site-nav")
    assert menu, f"{persona} has no menu"
    denied_before = AuditEvent.objects.filter(action=Action.DENIED).count()
    for href in menu:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (persona, href, response.status_code)
        assert "権限がありません" not in visible_text(response), (persona, href)
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied_before


@pytest.mark.parametrize(
    ("persona", "page", "refused"),
    [
        ("partner", "/resources/", "/resources/gaps/"),
        ("partner", "/my/", "/community/"),
        ("district_chief", "/resources/", "/resources/gaps/"),
    ],
)
def test_no_page_offers_a_link_the_reader_is_refused(client, world, persona, page, refused):
    staff = getattr(world, persona)
    response = login(client, staff).get(page)
    assert response.status_code == 200
    assert refused not in links(response)
    assert client.get(refused, follow=True).status_code == 403  # the rule the link now follows


def test_the_centre_is_offered_the_region_and_the_gaps(client, world):
    response = login(client, world.chief).get("/resources/")
    assert "/resources/gaps/" in links(response)
    assert "/community/" in links(response, within="site-nav")


def test_the_admin_lands_on_the_admin_site_with_only_its_link(client, world):
    response = login(client, world.admin_user).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200
    assert links(response, within="site-nav") == []  # the admin site has its own header
    staff_page = client.get("/my/")
    assert staff_page.status_code == 403
    assert links(staff_page, within="site-nav") == ["/admin/"]


def test_a_supporter_lands_on_the_report_form(client, world):
    response = login(client, world.supporter).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/community/report/"
    assert links(response, within="site-nav") == ["/community/report/", "/community/report/mine/"]


def test_a_district_chief_lands_on_their_districts_open_reports_urgent_first(client, world):
    now = timezone.now()
    make_report(world, urgency=Urgency.NORMAL, place="ふつうの報告", submitted_at=now - dt.timedelta(minutes=1))
    make_report(world, urgency=Urgency.URGENT, place="急ぎの報告", submitted_at=now - dt.timedelta(days=2))
    make_report(world, urgency=Urgency.SOON, place="早めの報告", submitted_at=now - dt.timedelta(hours=3))
    make_report(world, district=world.district2, urgency=Urgency.URGENT, place="よその地区の報告")
    response = login(client, world.district_chief).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/community/reports/"
    text = visible_text(response)
    assert "よその地区の報告" not in text
    order = [text.index(place) for place in ("急ぎの報告", "早めの報告", "ふつうの報告")]
    assert order == sorted(order)


def test_an_officer_lands_on_the_items_waiting_for_their_decision(client, world):
    meeting = make_meeting(world, MeetingKind.COORDINATION, title="支援調整会議")
    AgendaItem.objects.create(meeting=meeting, purpose=Purpose.PLAN_APPROVAL, case=world.case, order=1)
    AgendaItem.objects.create(
        meeting=meeting, purpose=Purpose.PLAN_APPROVAL, case=world.other_case, order=2, decision="approved"
    )
    response = login(client, world.officer).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/my/"
    panel = visible_text(response, within="awaiting-decision")
    assert "決定を待っている議題 1" in panel
    assert "山田 太郎さん：プランの承認" in panel
    assert "山田 次郎" not in panel
    # A worker's start page has no such panel: it is the officer's.
    assert "決定を待っている議題" not in visible_text(login(client, world.consultant).get("/my/"))
