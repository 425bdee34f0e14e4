"""What a page leaves behind (issue 9, finding 8): every read of a person is audited, even
on a form (8b); no page with personal data stays in a cache (8d); a downloaded file's
name does not name the person (8e)."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseState
from tsunagu.meetings import decisions
from tsunagu.meetings.models import Decision, MeetingKind
from tsunagu.meetings.tests.conftest import attend
from tsunagu.tests.client import html, login
from tsunagu.tests.records import make_meeting, write_plan

# 8b: the edit forms and the household search are reads ---------------------------------------


def reads(person, path):
    return AuditEvent.objects.filter(action=Action.VIEW, person_code=person.code, path=path)


def test_the_person_edit_form_is_an_audited_read(client, world):
    url = reverse("people:edit", kwargs={"code": world.taro.code})
    page = html(login(client, world.consultant).get(url))
    assert "0183-72-1234" in page
    event = reads(world.taro, url).get()
    assert event.actor == world.consultant


def test_the_case_edit_form_is_an_audited_read(client, world):
    url = reverse("cases:edit", kwargs={"code": world.case.code})
    page = html(login(client, world.consultant2).get(url))
    assert "家賃滞納と失業。" in page
    event = reads(world.taro, url).get()
    assert (event.actor, event.case_code) == (world.consultant2, world.case.code)


def test_a_refused_edit_that_shows_the_form_again_is_a_read_too(client, world):
    url = reverse("people:edit", kwargs={"code": world.taro.code})
    login(client, world.consultant).post(url, {"family_name": "", "version": world.taro.version})
    assert reads(world.taro, url).count() == 1
    assert not AuditEvent.objects.filter(action=Action.CHANGE, person_code=world.taro.code).exists()


def test_the_household_search_is_an_audited_read_and_search(client, world):
    url = reverse("people:household_add", kwargs={"code": world.taro.code})
    page = html(login(client, world.consultant).get(url, {"q": "ヤマダ"}))
    assert "山田" in page
    assert reads(world.taro, url).get().actor == world.consultant
    search = AuditEvent.objects.get(action=Action.SEARCH, path=url)
    assert search.detail == "household:name"  # the kind of search, not the words
    assert "ヤマダ" not in str(search.changes)


# 8d: Cache-Control: no-store -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("people:detail", kwargs={"code": w.taro.code}),
        lambda w: reverse("cases:detail", kwargs={"code": w.case.code}),
        lambda w: reverse("people:edit", kwargs={"code": w.taro.code}),
        lambda w: reverse("cases:list"),
        lambda w: reverse("people:list") + "?q=山田",
        lambda w: "/my/",
        lambda w: reverse("sheets:xlsx", kwargs={"code": w.case.code, "kind": "notes"}),
    ],
)
def test_pages_with_personal_data_are_not_stored(client, world, url):
    response = login(client, world.consultant).get(url(world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_cache_headers(client, world):
    response = login(client, world.consultant).get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# 8e: file names ------------------------------------------------------------------------------


def file_name(response):
    disposition = response["Content-Disposition"]
    for name in ["山田", "太郎", "秘匿", "花子"]:
        assert quote(name) not in disposition
        assert name not in disposition
    return disposition


def test_a_sheet_export_is_named_by_the_form_the_case_and_the_date(client, world):
    response = login(client, world.consultant).get(
        reverse("sheets:xlsx", kwargs={"code": world.case.code, "kind": "notes"})
    )
    day = f"{timezone.localdate():%Y%m%d}"
    assert quote(f"支援経過記録_{world.case.code.hex[:8]}_{day}.xlsx") in file_name(response)


def test_the_register_of_disclosures_is_named_without_the_person(client, world):
    response = login(client, world.consultant).get(reverse("consents:register_pdf", kwargs={"code": world.taro.code}))
    assert response.status_code == 200
    day = f"{timezone.localdate():%Y%m%d}"
    assert quote(f"情報提供の記録_{world.taro.code.hex[:8]}_{day}.pdf") in file_name(response)


def test_minutes_are_named_without_the_person_or_the_title(client, world):
    world.case.state = CaseState.COORDINATION
    world.case.save(update_fields=["state"])
    meeting = make_meeting(world, MeetingKind.COORDINATION, title="山田太郎さんの件")
    attend(meeting, world.consultant)
    write_plan(world.case, world.chief)  # 了承 needs the plan she agreed to
    item = decisions.add_case_item(meeting, world.chief, world.case)
    decisions.decide(item, world.chief, Decision.APPROVED, "了承する")
    login(client, world.chief)

    whole = file_name(client.get(reverse("meetings:pdf", kwargs={"code": meeting.code})))
    assert quote(f"議事録_支援調整会議_{meeting.held_on:%Y%m%d}.pdf") in whole
    one = file_name(client.get(reverse("meetings:item_pdf", kwargs={"code": item.code})))
    assert quote(f"支援調整会議議事録_{world.taro.code.hex[:8]}_{meeting.held_on:%Y%m%d}.pdf") in one
