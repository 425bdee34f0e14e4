"""Bad input gets a Japanese message, never a 500 (issue 9, finding 8a), and no form takes
invisible control characters (8g)."""

import datetime as dt
import importlib
import importlib.util
import inspect
import json

import pytest
from django import forms
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import AuditEvent
from tsunagu.cases.models import CaseState, ProgressNote, Task, TimelineEntry
from tsunagu.community.models import RegionalIssue, SupporterReport
from tsunagu.lib.forms import SafeInputMixin, invisible_characters
from tsunagu.meetings.models import Meeting
from tsunagu.people.models import Person
from tsunagu.resources.models import Resource
from tsunagu.resources.tests.test_gaps import town  # noqa: F401  (a fixture)
from tsunagu.sheets.models import EvaluationSheet
from tsunagu.sheets.tests.test_views import in_support, make_plan
from tsunagu.tests.client import html, login

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "山田\u202e郎太" displays as 山田太郎
INVISIBLE = "表示されない制御文字"
DATE_RANGE = "日付は1900年1月1日から2100年12月31日までの間で入れてください。"
NOT_PATHS = ["foo", "cases:list", "//evil.example/x", "https://evil.example/", "/\\evil.example", ""]


# 8a: a `next` that is not a path -------------------------------------------------------------


@pytest.mark.parametrize("back", NOT_PATHS)
def test_task_done_with_a_next_that_is_not_a_path_goes_back_to_the_case(client, world, back):
    task = Task.objects.create(
        case=world.case, title="家賃の相談", due_on=timezone.localdate(), assignee=world.consultant
    )
    response = login(client, world.consultant).post(
        reverse("cases:task_done", kwargs={"code": task.code}), {"next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == world.case.get_absolute_url()
    task.refresh_from_db()
    assert task.done_by == world.consultant
    assert TimelineEntry.objects.filter(case=world.case, kind="task_done").count() == 1


def test_task_done_follows_a_next_on_this_site(client, world):
    task = Task.objects.create(
        case=world.case, title="家賃の相談", due_on=timezone.localdate(), assignee=world.consultant
    )
    url = reverse("cases:task_done", kwargs={"code": task.code})
    response = login(client, world.consultant).post(url, {"next": "/my/?tab=tasks"})
    assert response["Location"] == "/my/?tab=tasks"


@pytest.mark.parametrize("back", ["foo", "//evil.example/"])
def test_proposing_a_gap_with_a_next_that_is_not_a_path_goes_back_to_the_gaps(client, town, back):  # noqa: F811
    data = {"district": town.district2.pk, "issue": "budget_management", "next": back}
    response = login(client, town.consultant).post(reverse("resources:propose"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:gaps")
    assert RegionalIssue.objects.get().district == town.district2


# 8a: the evaluation form posted with an empty or a JSON body -------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("", "application/x-www-form-urlencoded"), ('{"outcome": "closure"}', "application/json")],
)
def test_an_evaluation_posted_empty_or_as_json_gets_the_form_message(client, world, body, content_type):
    make_plan(world)  # taro's case is in intake: not to be evaluated yet
    url = reverse("sheets:evaluation", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(url, body, content_type=content_type)
    assert response.status_code == 422
    assert "評価は「支援提供・モニタリング」か「評価」の段階のケースで記録します" in html(response)
    assert not EvaluationSheet.objects.exists()


def test_an_evaluation_posted_empty_without_a_plan_gets_the_form_message(client, world):
    url = reverse("sheets:evaluation", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(url, "", content_type="application/x-www-form-urlencoded")
    assert "同意を得たプランがないため、評価できません。" in html(response)
    assert not EvaluationSheet.objects.exists()


def test_an_empty_evaluation_of_a_case_in_support_names_the_missing_fields(client, world):
    in_support(world.case)
    make_plan(world)
    url = reverse("sheets:evaluation", kwargs={"code": world.case.code})
    response = login(client, world.consultant).post(url, json.dumps({}), content_type="application/json")
    assert "このフィールドは必須です。" in html(response)
    assert not EvaluationSheet.objects.exists()
    world.case.refresh_from_db()
    assert world.case.state == CaseState.IN_SUPPORT


# 8a: dates at year 9999 or 1 ---------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_a_meeting_dated_outside_the_calendar_is_refused_next_to_the_field(client, world, day):
    data = {"title": "遠い会議", "held_on": day, "chair": world.chief.pk, "confirm_day_off": "on"}
    response = login(client, world.chief).post(reverse("meetings:new", kwargs={"kind": "coordination"}), data)
    assert response.status_code == 422
    assert DATE_RANGE in html(response)
    assert not Meeting.objects.filter(title="遠い会議").exists()


def test_a_meeting_on_the_last_day_of_2100_is_fine(client, world):
    data = {"title": "遠い会議", "held_on": "2100-12-31", "chair": world.chief.pk, "confirm_day_off": "on"}
    response = login(client, world.chief).post(reverse("meetings:new", kwargs={"kind": "case_review"}), data)
    assert response.status_code == 302
    assert Meeting.objects.get(title="遠い会議").held_on == dt.date(2100, 12, 31)


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_progress_note_dated_outside_the_calendar_is_refused(client, world, when):
    data = {"occurred_at": when, "method": "phone", "content": "電話で近況を聞いた。"}
    response = login(client, world.consultant).post(reverse("cases:note_new", kwargs={"code": world.case.code}), data)
    assert DATE_RANGE in html(response)
    assert not ProgressNote.objects.exists()


# 8g: invisible control characters -------------------------------------------------------------


def test_invisible_characters_are_found_and_names_with_variation_selectors_kept():
    assert invisible_characters(f"山田{RLO}郎太") == ["U+202E"]
    assert invisible_characters("a\u2066b\u2069c\u200bd\ufeff\u00ad\u0007") == [
        "U+2066",
        "U+2069",
        "U+200B",
        "U+FEFF",
        "U+00AD",
        "U+0007",
    ]
    assert invisible_characters("葛\U000e0100城 太郎\n二行目\tタブ\r\n") == []  # an IVS 異体字, newlines, a tab


# Every app of ours with a forms module, so a new app is checked without being listed here.
APPS = sorted(
    config.name.removeprefix("tsunagu.")
    for config in django_apps.get_app_configs()
    if config.name.startswith("tsunagu.") and importlib.util.find_spec(f"{config.name}.forms")
)


def test_every_form_of_every_app_takes_the_shared_checks():
    found = []
    for app in APPS:
        module = importlib.import_module(f"tsunagu.{app}.forms")
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(name)
                assert issubclass(value, SafeInputMixin), (
                    f"{app}.forms.{name} is not a tsunagu.lib.forms Form/ModelForm"
                )
    assert len(found) >= 60


def test_a_person_named_with_a_bidi_override_is_refused(client, world):
    data = {
        "family_name": "山田",
        "given_name": f"{RLO}郎太",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "タロウ",
        "sex": "male",
    }
    response = login(client, world.consultant).post(reverse("people:new"), data)
    page = html(response)
    assert INVISIBLE in page
    assert "U+202E" in page
    assert not Person.objects.filter(family_name="山田", given_name__contains="郎太").exists()


def test_a_case_summary_and_a_meeting_title_with_bidi_controls_are_refused(client, world):
    login(client, world.consultant)
    before = AuditEvent.objects.filter(action="change").count()
    data = {
        "summary": f"家賃滞納{RLO}",
        "worker": world.consultant.pk,
        "intake_route": world.case.intake_route,
        "version": world.case.version,
        "concerns": ["income"],
        "primary_concern": "income",
    }
    page = html(client.post(reverse("cases:edit", kwargs={"code": world.case.code}), data))
    assert INVISIBLE in page
    world.case.refresh_from_db()
    assert world.case.summary == "家賃滞納と失業。"
    assert AuditEvent.objects.filter(action="change").count() == before

    data = {"title": "支援調整会議\u2067（臨時）\u2069", "held_on": "2026-12-08", "chair": world.chief.pk}
    response = client.post(reverse("meetings:new", kwargs={"kind": "coordination"}), data)
    assert response.status_code == 422
    assert INVISIBLE in html(response)
    assert not Meeting.objects.exists()


def test_a_resource_name_and_a_supporter_report_with_invisible_characters_are_refused(client, world):
    data = {"name": "フードバンク\u200bゆざわ", "kind": "food", "fields": ["welfare"], "provider_name": "NPO"}
    page = html(login(client, world.chief).post(reverse("resources:new"), data))
    assert INVISIBLE in page
    assert not Resource.objects.exists()

    data = {"signs": [], "other_text": "新聞がたまっている", "place": f"東小{RLO}一丁目", "district": world.district.pk}
    data["urgency"] = "normal"
    page = html(login(client, world.supporter).post(reverse("community:report"), data))
    assert INVISIBLE in page
    assert not SupporterReport.objects.exists()
