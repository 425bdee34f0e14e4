"""The network page (three layers, counts, charts) and its management by centre staff:
districts' chiefs, neighbourhoods, supporters and their personal links."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse

from tsunagu.accounts.models import District, Role
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.community.models import Neighbourhood, Supporter, SupporterKind, SupporterLink, SupporterReport
from tsunagu.community.tests.conftest import make_report
from tsunagu.conftest import make_staff, make_supporter
from tsunagu.meetings.models import MeetingKind
from tsunagu.tests.client import count_queries, html, login
from tsunagu.tests.records import make_meeting

NETWORK = reverse("community:network")


def test_the_network_page_shows_the_three_layers(client, community):
    world = community
    world.centre.phone = "0183-72-3150"
    world.centre.save(update_fields=["phone"])
    make_meeting(
        world,
        MeetingKind.COMMUNITY_CARE,
        10,
        chair=world.district_chief,
        created_by=world.chief,
        title="東小地区 地域ケア会議",
        district=world.district,
    )
    make_meeting(
        world, MeetingKind.COUNCIL_COMMITTEE, -20, title="生活困窮者対策部会 第3回", committee="生活困窮者対策部会"
    )
    page = html(login(client, world.consultant).get(NETWORK))
    for text in [
        "つなぐ市自立相談支援センター",
        "0183-72-3150",
        "生活困窮者対策部会",
        "東小",
        "木村 地区チーフ",
        "東小一丁目",
        "新聞配達",
        "加藤 新聞（つなぐ新聞販売所）",
        "西小二丁目",
        "郵便配達",
        "斎藤 郵便（つなぐ郵便局）",
    ]:
        assert text in page, text
    assert "次回" in page.split("東小", 1)[1]
    assert "サポーターを登録" in page  # centre staff manage


def test_counts_per_district_and_per_supporter_kind(client, community):
    world = community
    make_report(world)
    make_report(world)
    make_report(world, status="handled")
    make_report(world, supporter=world.mail_carrier, district=world.district2)
    page = html(login(client, world.officer).get(NETWORK))
    # Per district: 東小 3 reports (2 open), 西小 1.
    assert "3件（未対応・対応中 2件）" in page
    assert "1件（未対応・対応中 1件）" in page
    charts = {
        m[0]: m[1]
        for m in re.findall(r'<figure class="chart" aria-labelledby="([a-z-]+)-title">(.*?)</figure>', page, re.S)
    }
    by_district = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)件', charts["reports-by-district"]))
    assert by_district == {"東小": "3", "西小": "1"}
    by_kind = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)件', charts["reports-by-kind"]))
    assert by_kind == {"郵便配達": "1", "新聞配達": "3"}
    supporters = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)人', charts["supporters-by-district"]))
    assert supporters == {"東小": "1", "西小": "1"}
    # Both districts have fewer than three supporters: marked thin.
    assert charts["supporters-by-district"].count("chart-bar-marked") == 2
    assert page.count("手薄") >= 2
    assert 'style="' not in page
    # Officers read the network but do not manage it.
    assert "サポーターを登録" not in page


def test_an_inactive_supporter_does_not_count(client, community):
    world = community
    Supporter.objects.filter(pk=world.mail_carrier.pk).update(active=False)
    page = html(login(client, world.chief).get(NETWORK))
    assert "斎藤 郵便" not in page


def test_the_district_chief_is_sent_to_their_inbox(client, world):
    response = login(client, world.district_chief).get(NETWORK)
    assert response["Location"] == reverse("community:reports")


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "supporter"])
def test_partners_and_supporters_may_not_see_the_network(client, community, who):
    world = community
    response = login(client, getattr(world, who)).get(NETWORK)
    assert response.status_code == 403
    assert "斎藤 郵便" not in html(response)
    assert "東小一丁目" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(world, who)).exists()


def test_another_towns_centre_sees_only_its_own_network(client, world):
    page = html(login(client, world.outsider).get(NETWORK))
    assert "東小" not in page
    assert "加藤 新聞" not in page


# Managing ------------------------------------------------------------------------------------


def supporter_data(world, **extra):
    return {
        "name": "佐々木 牛乳",
        "kind": SupporterKind.MILK,
        "organisation": "つなぐ牛乳",
        "phone": "0183-22-3333",
        "email": "",
        "neighbourhoods": [world.neighbourhood.pk],
        "agreement_signed_on": "2026-04-01",
        "agreement_ends_on": "2029-03-31",
        "active": "on",
        **extra,
    }


def test_centre_staff_register_and_edit_a_supporter(client, world):
    login(client, world.consultant)
    response = client.post(reverse("community:supporter_new"), supporter_data(world))
    supporter = Supporter.objects.get(name="佐々木 牛乳")
    assert response["Location"] == supporter.get_absolute_url()
    assert (supporter.municipality, supporter.kind, supporter.registered_by) == (world.town, "milk", world.consultant)
    assert list(supporter.neighbourhoods.all()) == [world.neighbourhood]
    assert supporter.agreement_ends_on == dt.date(2029, 3, 31)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(supporter.code)).exists()
    edit = reverse("community:supporter_edit", kwargs={"code": supporter.code})
    response = client.post(edit, supporter_data(world, phone="0183-99-0000", version=1, active=""))
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert (supporter.phone, supporter.active, supporter.version) == ("0183-99-0000", False, 2)
    change = AuditEvent.objects.filter(action=Action.CHANGE, object_code=str(supporter.code)).latest("id")
    assert change.changes["phone"] == ["0183-22-3333", "0183-99-0000"]
    # A second editor working from the first version is refused, input kept.
    response = login(client, world.consultant2).post(edit, supporter_data(world, phone="0183-11-1111", version=1))
    assert response.status_code == 422
    assert "他の職員がこのサポーターを先に更新しました" in html(response)
    assert 'value="0183-11-1111"' in html(response)
    supporter.refresh_from_db()
    assert supporter.phone == "0183-99-0000"


def test_agreement_dates_are_checked(client, world):
    response = login(client, world.consultant).post(
        reverse("community:supporter_new"), supporter_data(world, agreement_ends_on="2025-01-01")
    )
    assert response.status_code == 422
    assert "終了日は締結日より後の日付にしてください。" in html(response)
    assert not Supporter.objects.filter(name="佐々木 牛乳").exists()


def test_a_link_is_shown_once_and_only_its_hash_is_stored(client, community):
    world = community
    url = reverse("community:link_new", kwargs={"code": world.supporter_record.code})
    response = login(client, world.consultant).post(url)
    page = html(response)
    assert "このリンクが表示されるのは今だけです。" in page
    token = re.search(r"/community/r/([A-Za-z0-9_-]{40,})/", page)[1]
    link = SupporterLink.objects.filter(supporter=world.supporter_record).get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(SupporterLink.objects.values()))
    assert response["Cache-Control"] == "no-store"
    # Not shown again.
    assert token not in html(client.get(world.supporter_record.get_absolute_url()))
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="community.supporterlink")
    assert token not in str(event.changes) + event.detail
    # The link works, without login.
    client.logout()
    assert "加藤 新聞さん" in html(client.get(f"/community/r/{token}/"))


def test_revoking_a_link_takes_effect_at_once(client, community):
    world = community
    assert client.get(f"/community/r/{world.link_token}/").status_code == 200
    url = reverse("community:link_revoke", kwargs={"code": world.mail_carrier.code, "link_id": world.link.pk})
    assert login(client, world.consultant).post(url).status_code == 302
    world.link.refresh_from_db()
    assert (world.link.revoked_by, world.link.revoked_at is not None) == (world.consultant, True)
    client.logout()
    assert client.get(f"/community/r/{world.link_token}/").status_code == 410
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_type="community.supporterlink").exists()


def test_a_link_of_another_supporter_cannot_be_revoked_through_this_one(client, community):
    world = community
    url = reverse("community:link_revoke", kwargs={"code": world.supporter_record.code, "link_id": world.link.pk})
    assert login(client, world.consultant).post(url).status_code == 404
    world.link.refresh_from_db()
    assert world.link.revoked_at is None


def test_centre_staff_set_a_districts_chief(client, world):
    new_chief = make_staff("chief_nishi", world.swc, Role.DISTRICT_CHIEF, display_name="西 地区チーフ")
    url = reverse("community:district_edit", kwargs={"code": world.district2.code})
    login(client, world.consultant)
    assert "西 地区チーフ" in html(client.get(url))
    assert client.post(url, {"chief": new_chief.pk, "version": 1}).status_code == 302
    world.district2.refresh_from_db()
    assert world.district2.chief == new_chief
    # A consultant is not a district chief.
    response = client.post(url, {"chief": world.consultant2.pk, "version": 2})
    assert response.status_code == 422
    assert "この自治体の地区チーフの役割の職員を選んでください。" in html(response)
    world.district2.refresh_from_db()
    assert world.district2.chief == new_chief


def test_neighbourhoods_are_added_and_renamed_and_duplicates_refused(client, world):
    login(client, world.consultant)
    url = reverse("community:neighbourhood_new", kwargs={"code": world.district.code})
    assert client.post(url, {"name": "東小二丁目"}).status_code == 302
    added = Neighbourhood.objects.get(name="東小二丁目")
    response = client.post(url, {"name": "東小一丁目"})
    assert response.status_code == 422
    assert "この地区にはもう同じ名前の小地域があります。" in html(response)
    edit = reverse("community:neighbourhood_edit", kwargs={"code": added.code})
    assert client.post(edit, {"name": "東小二・三丁目", "version": 1}).status_code == 302
    added.refresh_from_db()
    assert added.name == "東小二・三丁目"
    assert AuditEvent.objects.filter(object_type="community.neighbourhood").count() == 2


def test_districts_and_neighbourhoods_are_addressed_by_their_codes_not_their_ids(client, world):
    login(client, world.consultant)
    page = html(client.get(reverse("community:network")))
    assert f"/community/districts/{world.district.code}/" in page
    assert f"/community/districts/{world.district.pk}/" not in page
    edit = html(client.get(reverse("community:district_edit", kwargs={"code": world.district.code})))
    assert f"/community/neighbourhoods/{world.neighbourhood.code}/edit/" in edit
    assert client.get(f"/community/districts/{world.district.pk}/").status_code == 404
    assert client.get(f"/community/neighbourhoods/{world.neighbourhood.pk}/edit/").status_code == 404


STALE = "他の職員がこの記録を先に更新しました。あなたの入力は残っています。"


def test_a_district_chief_set_from_a_stale_form_does_not_overwrite_the_other(client, world):
    first = make_staff("chief_a", world.swc, Role.DISTRICT_CHIEF, display_name="甲 地区チーフ")
    second = make_staff("chief_b", world.swc, Role.DISTRICT_CHIEF, display_name="乙 地区チーフ")
    url = reverse("community:district_edit", kwargs={"code": world.district2.code})
    assert 'name="version" value="1"' in html(login(client, world.consultant).get(url))
    assert login(client, world.consultant2).post(url, {"chief": first.pk, "version": 1}).status_code == 302
    changes = AuditEvent.objects.filter(action=Action.CHANGE, object_type="accounts.district").count()

    response = login(client, world.consultant).post(url, {"chief": second.pk, "version": 1})
    assert response.status_code == 422
    page = html(response)
    assert STALE in page
    assert 'name="version" value="2"' in page  # saving again, after reading, succeeds
    world.district2.refresh_from_db()
    assert (world.district2.chief, world.district2.version) == (first, 2)
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_type="accounts.district").count() == changes
    assert client.post(url, {"chief": second.pk, "version": 2}).status_code == 302
    world.district2.refresh_from_db()
    assert (world.district2.chief, world.district2.version) == (second, 3)


def test_a_neighbourhood_renamed_from_a_stale_form_does_not_overwrite_the_other(client, world):
    url = reverse("community:neighbourhood_edit", kwargs={"code": world.neighbourhood.code})
    assert login(client, world.consultant2).post(url, {"name": "東小一・二丁目", "version": 1}).status_code == 302
    changes = AuditEvent.objects.filter(object_type="community.neighbourhood").count()

    response = login(client, world.consultant).post(url, {"name": "東小一丁目北", "version": 1})
    assert response.status_code == 422
    assert STALE in html(response)
    world.neighbourhood.refresh_from_db()
    assert (world.neighbourhood.name, world.neighbourhood.version) == ("東小一・二丁目", 2)
    assert AuditEvent.objects.filter(object_type="community.neighbourhood").count() == changes


@pytest.mark.parametrize("who", ["officer", "district_chief", "partner", "outsider"])
def test_only_centre_staff_manage_the_network(client, community, who):
    world = community
    user = getattr(world, who)
    login(client, user)
    # Another town's centre may manage its own network: only our objects are refused.
    screens = [
        ("get", reverse("community:supporter_new"), {}),
        ("post", reverse("community:supporter_new"), supporter_data(world)),
        ("get", reverse("community:supporter_list"), {}),
    ]
    targets = [
        *(screens if who != "outsider" else []),
        ("get", world.supporter_record.get_absolute_url(), {}),
        ("post", reverse("community:link_new", kwargs={"code": world.supporter_record.code}), {}),
        (
            "post",
            reverse("community:link_revoke", kwargs={"code": world.mail_carrier.code, "link_id": world.link.pk}),
            {},
        ),
        ("post", reverse("community:district_edit", kwargs={"code": world.district.code}), {"chief": ""}),
        ("post", reverse("community:neighbourhood_new", kwargs={"code": world.district.code}), {"name": "x"}),
        ("post", reverse("community:neighbourhood_edit", kwargs={"code": world.neighbourhood.code}), {"name": "x"}),
    ]
    for method, url, data in targets:
        denied = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        assert response.status_code in {403, 404}, url
        assert "加藤 新聞" not in html(response)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied + 1, url
    assert not Supporter.objects.filter(name="佐々木 牛乳").exists()
    assert SupporterLink.objects.count() == 1
    world.link.refresh_from_db()
    assert world.link.revoked_at is None
    world.district.refresh_from_db()
    assert world.district.chief == world.district_chief
    assert not Neighbourhood.objects.filter(name="x").exists()


def test_outsider_cannot_reach_our_supporters_even_as_a_centre(client, community):
    world = community
    other_centre_staff = make_staff("other_consultant", world.other_centre, Role.CONSULTANT)
    login(client, other_centre_staff)
    assert client.get(world.supporter_record.get_absolute_url()).status_code == 404
    assert client.get(reverse("community:district_edit", kwargs={"code": world.district.code})).status_code == 404
    assert "加藤 新聞" not in html(client.get(reverse("community:supporter_list")))


# Query counts ----------------------------------------------------------------------------


def grow(world, n, start):
    for i in range(start, start + n):
        district = District.objects.create(municipality=world.town, name=f"地区{i}", number=10 + i)
        neighbourhood = Neighbourhood.objects.create(district=district, name=f"小地域{i}")
        supporter = make_supporter(world.town, f"サポーター{i}", SupporterKind.SHOP, world.chief, [neighbourhood])
        make_report(world, supporter=supporter, district=district)
        make_meeting(world, MeetingKind.COMMUNITY_CARE, title=f"地区{i} 地域ケア会議", district=district)


def test_the_network_page_does_not_grow_with_rows(client, world):
    login(client, world.consultant)
    grow(world, 1, 0)
    one = count_queries(client, NETWORK)
    grow(world, 2, 1)
    three = count_queries(client, NETWORK)
    assert SupporterReport.objects.count() == 3
    assert one == three == 14


def test_the_supporter_list_does_not_grow_with_rows(client, world):
    login(client, world.consultant)
    grow(world, 1, 0)
    one = count_queries(client, reverse("community:supporter_list"))
    grow(world, 2, 1)
    three = count_queries(client, reverse("community:supporter_list"))
    assert one == three


def test_the_network_and_supporter_list_count_through_the_access_functions(community):
    from tsunagu.community import access

    world = community
    neighbour = Supporter.objects.create(
        municipality=world.other_town, name="隣 民生委員", kind=SupporterKind.MAIL, registered_by=world.outsider
    )
    elsewhere = District.objects.create(municipality=world.other_town, name="となり地区")
    make_report(world, supporter=neighbour, municipality=world.other_town, district=elsewhere, place="となり村")
    make_report(world, place="東小")
    ours = {world.supporter_record, world.mail_carrier}
    for reader in (world.consultant, world.officer):
        assert set(access.supporters_visible_to(reader)) == ours
        assert list(access.reports_counted_for(reader).values_list("place", flat=True)) == ["東小"]
    for other in (world.partner, world.district_chief, world.supporter):
        assert not access.supporters_visible_to(other).exists()
        assert not access.reports_counted_for(other).exists()
    assert set(access.supporters_visible_to(world.outsider)) == {neighbour}
