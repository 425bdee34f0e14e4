"""The places of issue 10, item 10 one by one, on the test town (the walk over the demo
town is test_japanese_pages.py; its module-wide demo load cannot share a module with the
`world` fixture)."""

import re

from django.urls import reverse

from tsunagu.community.models import RegionalIssue
from tsunagu.lib.wareki import short_wareki
from tsunagu.meetings.models import MeetingKind
from tsunagu.tests.pages import visible_text
from tsunagu.tests.records import make_meeting
from tsunagu.tests.test_japanese_pages import ISO_DATE


def test_the_access_log_names_staff_and_what_they_opened_in_japanese(client, world):
    client.force_login(world.consultant)
    client.get(reverse("sheets:plan", kwargs={"code": world.case.code}))
    client.force_login(world.chief)
    text = visible_text(client.get(reverse("people:access_log", kwargs={"code": world.taro.code})))
    assert "高橋 相談員" in text
    assert "プラン兼事業等利用申込書" in text
    assert "sheets.plansheet" not in text
    assert not re.search(r"\bconsultant\b", text)


def test_regional_issue_figures_are_labelled_in_japanese(client, world):
    RegionalIssue.objects.create(
        municipality=world.town,
        district=world.district,
        title="夜間の相談先がない",
        figures={"cases": 6, "resources": 1, "as_of": "2026-12-01"},
        source="other",
        raised_by=world.chief,
    )
    client.force_login(world.chief)
    text = visible_text(client.get(reverse("community:issues")))
    assert "ケース：6 社会資源：1 集計日：令和8年12月1日" in text
    assert "cases" not in text
    assert "2026-12-01" not in text


def test_a_meeting_is_named_once_and_dated_in_wareki(client, world):
    meeting = make_meeting(world, MeetingKind.COMMUNITY_CARE, title="地域ケア会議（東小）", district=world.district)
    client.force_login(world.chief)
    text = visible_text(client.get(reverse("meetings:list")))
    assert "地域ケア会議（東小）" in text
    assert "（東小）（東小）" not in text
    assert str(meeting) == f"{short_wareki(meeting.held_on)} 地域ケア会議（東小）"
    assert not ISO_DATE.search(str(meeting))
