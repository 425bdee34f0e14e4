"""The directory: who reads and writes it, its filters and search, the unchecked flag,
stale edits, and what a page costs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import District
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.resources.models import Resource
from tsunagu.resources.tests.conftest import make_resource
from tsunagu.tests.client import count_queries, html

LIST = reverse("resources:list")
NEW = reverse("resources:new")


def form_data(world, **overrides):
    return {
        "name": "フードバンクつなぐ 緊急食料",
        "kind": "food",
        "fields": ["welfare"],
        "issues": ["economic_hardship", "homeless"],
        "description": "米・缶詰を無償で渡します。",
        "provider_agency": "",
        "provider_name": "フードバンクつなぐ",
        "districts": [world.district.pk],
        "min_age": "",
        "max_age": "",
        "conditions": "相談機関の紹介",
        "cost": "無料",
        "hours": "平日 10:00〜16:00",
        "phone": "0183-72-0000",
        "email": "food@example.jp",
        "url": "https://example.jp/food",
        "address": "つなぐ市田町2-7-3",
        "capacity": "月2回まで",
        "last_checked_on": "令和8年4月1日",
        **overrides,
    }


# Writing ------------------------------------------------------------------------------------


def test_consultant_registers_a_resource(client, world):
    client.force_login(world.consultant)
    response = client.post(NEW, form_data(world))

    resource = Resource.objects.get(name="フードバンクつなぐ 緊急食料")
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    assert resource.municipality == world.town
    assert resource.kind == "food"
    assert resource.fields == ["welfare"]
    assert resource.issues == ["economic_hardship", "homeless"]
    assert list(resource.districts.all()) == [world.district]
    assert resource.last_checked_on == dt.date(2026, 4, 1)
    assert resource.created_by == world.consultant
    event = AuditEvent.objects.get(action=Action.CREATE, object_code=str(resource.code))
    assert event.actor == world.consultant
    assert event.changes["districts"] == ["東小"]

    page = html(client.get(resource.get_absolute_url()))
    assert "フードバンクつなぐ 緊急食料" in page
    assert "経済的困窮、ホームレス" in page
    assert "東小" in page


def test_bad_input_is_shown_in_japanese_next_to_the_fields(client, world):
    client.force_login(world.consultant)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        NEW,
        form_data(
            world,
            name="",
            fields=[],
            min_age="30",
            max_age="20",
            provider_name="",
            email="not-an-address",
            last_checked_on=tomorrow,
        ),
    )

    page = html(response)
    assert response.status_code == 422
    assert "「名称」を入れてください。" in page  # which field, not Django's 「このフィールドは必須です。」
    assert "このフィールドは必須です" not in page
    assert "分野を一つ以上選んでください。" in page
    assert "上限の年齢が下限より小さくなっています。" in page
    assert "提供機関を選ぶか、提供する団体・人の名前を書いてください。" in page
    assert "有効なメールアドレスを入力してください。" in page
    assert "最終確認日が未来の日付になっています。" in page
    assert "米・缶詰を無償で渡します。" in page  # what was typed is kept
    assert not Resource.objects.exists()


def test_edit_saves_and_audits_the_changes(client, world):
    resource = make_resource(world, "傾聴ボランティア", issues=["social_isolation"])
    client.force_login(world.consultant)
    data = form_data(world, name="傾聴ボランティア「こころの灯」", districts=[], version=resource.version)

    response = client.post(reverse("resources:edit", kwargs={"code": resource.code}), data)

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.name == "傾聴ボランティア「こころの灯」"
    assert resource.version == 2
    assert list(resource.districts.all()) == []
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(resource.code))
    assert event.changes["name"] == ["傾聴ボランティア", "傾聴ボランティア「こころの灯」"]


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, world):
    resource = make_resource(world, "傾聴ボランティア")
    url = reverse("resources:edit", kwargs={"code": resource.code})
    client.force_login(world.consultant)
    client.post(url, form_data(world, name="先に保存した名前", version=1))

    response = client.post(url, form_data(world, name="あとから保存した名前", version=1))

    page = html(response)
    assert response.status_code == 422
    assert "他の職員がこの社会資源を先に更新しました" in page
    assert "あとから保存した名前" in page  # the input
    assert "先に保存した名前" in page  # the stored content, shown to compare
    resource.refresh_from_db()
    assert resource.name == "先に保存した名前"
    assert resource.version == 2


def test_mark_checked_sets_today_and_clears_the_flag(client, world):
    resource = make_resource(world, "古い資源", last_checked_on=timezone.localdate() - dt.timedelta(days=400))
    client.force_login(world.consultant)
    assert "6か月以上確認されていません" in html(client.get(resource.get_absolute_url()))

    client.post(reverse("resources:check", kwargs={"code": resource.code}), {"version": 1})

    resource.refresh_from_db()
    assert resource.last_checked_on == timezone.localdate()
    assert resource.version == 2
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_code=str(resource.code)).count() == 1
    assert "6か月以上確認されていません" not in html(client.get(resource.get_absolute_url()))


def test_a_one_step_change_on_a_stale_page_is_refused(client, world):
    resource = make_resource(world, "古い資源", last_checked_on=None)
    client.force_login(world.consultant)
    response = client.post(reverse("resources:deactivate", kwargs={"code": resource.code}), {"version": 7}, follow=True)
    assert "他の職員がこの社会資源を先に更新しました" in html(response)
    resource.refresh_from_db()
    assert resource.active is True
    assert resource.version == 1


def test_deactivate_hides_it_from_the_list_and_reactivate_brings_it_back(client, world):
    resource = make_resource(world, "終わった制度")
    client.force_login(world.consultant)
    page = html(
        client.post(reverse("resources:deactivate", kwargs={"code": resource.code}), {"version": 1}, follow=True)
    )
    assert "「終わった制度」を利用できないものにしました" in page
    resource.refresh_from_db()
    assert resource.active is False
    assert "終わった制度" not in html(client.get(LIST))
    assert "終わった制度" in html(client.get(LIST, {"inactive": "on"}))

    client.post(reverse("resources:reactivate", kwargs={"code": resource.code}), {"version": 2}, follow=True)
    resource.refresh_from_db()
    assert resource.active is True
    assert "終わった制度" in html(client.get(LIST))


# Who reads and who writes ---------------------------------------------------------------------


def test_partner_reads_the_directory_but_cannot_change_it(client, world):
    resource = make_resource(world, "見守りネットワーク")
    client.force_login(world.partner)

    assert "見守りネットワーク" in html(client.get(LIST))
    page = html(client.get(resource.get_absolute_url()))
    assert "見守りネットワーク" in page
    assert reverse("resources:edit", kwargs={"code": resource.code}) not in page

    assert client.get(NEW).status_code == 403
    response = client.post(
        reverse("resources:edit", kwargs={"code": resource.code}), form_data(world, name="改ざん", version=1)
    )
    assert response.status_code == 403
    response = client.post(reverse("resources:check", kwargs={"code": resource.code}), {"version": 1})
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.name == "見守りネットワーク"
    assert resource.version == 1


def test_outsider_finds_nothing_of_another_town(client, world):
    resource = make_resource(world, "つなぐ市の資源")
    client.force_login(world.outsider)

    assert "つなぐ市の資源" not in html(client.get(LIST))
    for name in ["detail", "edit"]:
        before = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = client.get(reverse(f"resources:{name}", kwargs={"code": resource.code}))
        assert response.status_code == 404
        assert "つなぐ市の資源" not in html(response)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == before + 1


@pytest.mark.parametrize("who", ["supporter", "admin_user"])
def test_roles_without_records_do_not_see_the_directory(client, world, who):
    make_resource(world, "つなぐ市の資源")
    client.force_login(getattr(world, who))
    response = client.get(LIST)
    assert response.status_code == 403
    assert "つなぐ市の資源" not in html(response)


# Filters and search ------------------------------------------------------------------------


@pytest.fixture
def directory(world):
    """Four resources, by key: (name, kind, field, issue) and what else sets each apart."""
    long_unchecked = timezone.localdate() - dt.timedelta(days=200)
    rows = {
        "wide": ("フードバンクつなぐ", "food", "welfare", "economic_hardship", {}),
        "east": ("東小こども食堂", "group", "education", "child_rearing", {"districts": [world.district]}),
        "west": ("西小の家計相談会", "scheme", "finance", "debt", {"districts": [world.district2]}),
        "old": ("ＮＰＯひだまり", "group", "health", "mental_health", {"last_checked_on": long_unchecked}),
    }
    return {
        key: make_resource(world, name, kind=kind, fields=[field], issues=[issue], **extra)
        for key, (name, kind, field, issue, extra) in rows.items()
    }


def listed(client, **params):
    page = html(client.get(LIST, params))
    return {
        name for name in ["フードバンクつなぐ", "東小こども食堂", "西小の家計相談会", "ＮＰＯひだまり"] if name in page
    }


def test_filters(client, world, directory):
    client.force_login(world.partner)
    assert listed(client) == {"フードバンクつなぐ", "東小こども食堂", "西小の家計相談会", "ＮＰＯひだまり"}
    assert listed(client, kind="group") == {"東小こども食堂", "ＮＰＯひだまり"}
    assert listed(client, field="finance") == {"西小の家計相談会"}
    assert listed(client, issue="debt") == {"西小の家計相談会"}
    # A district's resources include those of the whole municipality.
    assert listed(client, district=world.district.pk) == {"フードバンクつなぐ", "東小こども食堂", "ＮＰＯひだまり"}
    assert listed(client, unchecked="on") == {"ＮＰＯひだまり"}
    assert listed(client, kind="group", district=world.district2.pk) == {"ＮＰＯひだまり"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ふーどばんく", {"フードバンクつなぐ"}),
        ("ﾌｰﾄﾞﾊﾞﾝｸ", {"フードバンクつなぐ"}),
        ("フードバンク　つなぐ", {"フードバンクつなぐ"}),
        ("npo", {"ＮＰＯひだまり"}),
        ("ＮＰＯ", {"ＮＰＯひだまり"}),
        ("こども食堂", {"東小こども食堂"}),
        ("コドモ", {"東小こども食堂"}),
        ("債務", {"西小の家計相談会"}),  # the label of an issue it helps with
        ("テスト団体", {"フードバンクつなぐ", "東小こども食堂", "西小の家計相談会", "ＮＰＯひだまり"}),
        ("存在しない", set()),
    ],
)
def test_search_folds_kana_and_width(client, world, directory, query, expected):
    client.force_login(world.consultant)
    assert listed(client, q=query) == expected


def test_unchecked_resources_are_flagged_in_the_list(client, world, directory):
    client.force_login(world.consultant)
    page = html(client.get(LIST))
    assert "6か月以上内容が確認されていない社会資源が1件あります。" in page
    assert page.count("6か月以上確認されていません") == 1
    assert 'class="resource-stale"' in page


def test_a_district_of_another_town_is_not_a_filter(client, world, directory):
    elsewhere = District.objects.create(municipality=world.other_town, name="上郷")
    client.force_login(world.consultant)
    response = client.get(LIST, {"district": elsewhere.pk})
    assert response.status_code == 200
    assert "正しく選択してください" in html(response)


# Cost ---------------------------------------------------------------------------------------


def test_the_list_costs_the_same_for_one_or_three_resources(client, world):
    client.force_login(world.consultant)
    make_resource(world, "一つ目", districts=[world.district])
    one = count_queries(client, LIST)
    make_resource(world, "二つ目", districts=[world.district, world.district2], provider_agency=world.housing)
    make_resource(world, "三つ目")
    three = count_queries(client, LIST)
    # session, user, agency; the count, the unchecked count, the filter's districts, the
    # page and its districts (one prefetch); the session's save (savepoint, update, release).
    assert one == three == pinned(11)


def test_the_detail_page_names_everything_it_knows(client, world):
    resource = make_resource(
        world,
        "入居支援",
        provider_agency=world.housing,
        provider_name="",
        min_age=18,
        max_age=64,
        hours="平日",
        districts=[world.district, world.district2],
    )
    client.force_login(world.partner)
    page = html(client.get(resource.get_absolute_url()))
    assert "居住支援法人あんしん" in page
    assert "18〜64歳" in page
    assert "東小、西小" in page
