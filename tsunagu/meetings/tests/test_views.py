"""The meetings screens through HTTP with the personas of tsunagu/conftest.py: who sees
which meeting, what the papers show each reader and the disclosures that makes, bad
input (422, the message by its field, nothing lost), the holiday warning, the case
panel and the query counts."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action as AuditAction
from tsunagu.audit.models import AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Case, CaseState, Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.conftest import make_case, make_person
from tsunagu.consents.models import Category, Channel, Disclosure, LegalBasis
from tsunagu.meetings import decisions
from tsunagu.meetings.models import (
    Action,
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MeetingKind,
    Purpose,
    ResourceGap,
    RoleAssignment,
)
from tsunagu.meetings.tests.conftest import attend
from tsunagu.tests.client import count_queries, html, login, pdf_text, poppler, refused
from tsunagu.tests.pages import assert_shows
from tsunagu.tests.records import make_meeting

CALENDAR = reverse("meetings:calendar")
LIST = reverse("meetings:list")


def without_choices(page):
    """The page without its select boxes (which list every district of the town)."""
    return re.sub(r"<select.*?</select>", "", page, flags=re.DOTALL)


def detail(meeting):
    return reverse("meetings:detail", kwargs={"code": meeting.code})


def item_url(name, item):
    return reverse(f"meetings:{name}", kwargs={"code": item.code})


# Who sees which meeting ------------------------------------------------------------------


def test_centre_staff_and_officers_see_the_municipalitys_meetings(client, w):
    decisions.add_case_item(w.coordination, w.chief, w.case)
    for staff in (w.consultant2, w.officer):
        page = html(login(client, staff).get(detail(w.coordination)))
        assert "支援調整会議（定例）" in page
        assert "山田 太郎" in page
    listing = html(login(client, w.consultant2).get(LIST))
    assert "支援調整会議（定例）" in listing
    assert "包括化推進会議" in listing


def test_a_partner_sees_only_the_meetings_they_attend(client, w):
    login(client, w.partner)
    assert client.get(detail(w.coordination)).status_code == 200
    assert client.get(detail(w.integration)).status_code == 404
    listing = html(client.get(LIST))
    assert detail(w.coordination) in listing
    assert detail(w.integration) not in listing

    login(client, w.partner_outsider)
    response = client.get(detail(w.coordination))
    assert response.status_code == 404
    assert "山田" not in html(response)
    assert "支援調整会議（定例）" not in html(client.get(LIST))
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_type="meetings.meeting", object_code=str(w.coordination.code)
    ).exists()


@pytest.mark.parametrize("persona", ["outsider", "partner_outsider"])
def test_outsiders_get_nothing_from_any_meeting_view(client, w, persona):
    """Every URL of the app, for a persona who may not see the meeting: 404 (or 403 for
    the centre-only screens), nothing shown, nothing changed."""
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    role = decisions.add_role(item, w.chief, w.employment, "employment")
    attendee = w.coordination.attendees.get(staff=w.consultant)
    before = (AgendaItem.objects.count(), Attendee.objects.count(), Action.objects.count())
    login(client, getattr(w, persona))
    meeting = {"code": w.coordination.code}
    gets = [
        reverse("meetings:detail", kwargs=meeting),
        reverse("meetings:edit", kwargs=meeting),
        reverse("meetings:pdf", kwargs=meeting),
        item_url("item_pdf", item),
        *on_demand(w, item).values(),
        *closed_forms(item).values(),
    ]
    posts = [
        *(reverse(f"meetings:{n}", kwargs=meeting) for n in ("edit", "attendee_add", "item_add_case")),
        *(reverse(f"meetings:{n}", kwargs=meeting) for n in ("item_add_person", "item_add_issue", "prepare")),
        reverse("meetings:candidates", kwargs=meeting),
        reverse("meetings:attendee_remove", kwargs={**meeting, "attendee_id": attendee.pk}),
        *(item_url(n, item) for n in ("item_minutes", "item_decide", "item_role_add", "item_action_add")),
        *(item_url(n, item) for n in ("item_gap_add", "item_escalate")),
        reverse("meetings:item_role_remove", kwargs={"code": item.code, "role_id": role.pk}),
        reverse("meetings:add_from_case", kwargs={"code": w.case.code}),
    ]
    data = {"decision": "approved", "minutes": "x", "version": 1, "title": "x", "description": "x"}
    for url in gets:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "山田" not in html(response)
    for url in posts:
        assert client.post(url, data).status_code in (403, 404), url
    item.refresh_from_db()
    assert (item.decision, item.minutes) == ("", "")
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    assert Attendee.objects.filter(pk=attendee.pk).exists()
    after = (AgendaItem.objects.count(), Attendee.objects.count(), Action.objects.count())
    assert after == before
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
    assert denied >= len(gets) + len(posts)
    assert "支援調整会議（定例）" not in html(client.get(CALENDAR))
    assert "支援調整会議（定例）" not in html(client.get(LIST))


@pytest.mark.parametrize(
    "name",
    ["edit", "attendee_add", "item_add_case", "item_add_person", "item_add_issue", "prepare", "candidates"],
)
def test_an_attending_partner_reads_but_never_changes_a_meeting(client, w, name):
    login(client, w.partner)
    assert client.get(detail(w.coordination)).status_code == 200
    response = client.post(reverse(f"meetings:{name}", kwargs={"code": w.coordination.code}), {"case": w.case.code})
    assert response.status_code == 403
    assert not AgendaItem.objects.filter(meeting=w.coordination).exists()
    assert Attendee.objects.filter(meeting=w.coordination).count() == 2


def on_demand(w, item):
    """The forms the meeting page opens in place (lib.ondemand): they list the town's staff."""
    return {
        "attendee": reverse("meetings:attendee_add", kwargs={"code": item.meeting.code}),
        "role": item_url("item_role_add", item),
        "action": item_url("item_action_add", item),
    }


def test_the_forms_listing_the_staff_come_on_demand_and_name_no_one(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.PLAN_APPROVAL)
    login(client, w.chief)
    page = html(client.get(detail(w.coordination)))
    for url in on_demand(w, item).values():
        assert f'hx-get="{url}"' in page
    assert_shows(page, shown=["山田 太郎"], hidden=['name="staff"', 'name="assignee"', "鈴木 相談員"])
    events = AuditEvent.objects.count()
    for which, url in on_demand(w, item).items():
        alone = client.get(url, headers={"HX-Request": "true"})
        assert alone.status_code == 200, which
        form = html(alone)
        assert form.lstrip().startswith("<form"), which
        assert_shows(form, shown=["鈴木 相談員", f'action="{url}"'], hidden=["山田", "<html"])
    assert AuditEvent.objects.count() == events  # the forms alone show nothing of a person
    # Without JavaScript, the link leads to the form's own page: the meeting, not the person.
    full = html(client.get(on_demand(w, item)["role"]))
    assert_shows(full, shown=["役割分担を追加", "支援調整会議（定例）", 'name="staff"'], hidden=["山田"])


def closed_forms(item):
    """The other forms of an item that stay closed until asked for, also on demand."""
    return {"gap": item_url("item_gap_add", item), "escalate": item_url("item_escalate", item)}


def test_an_items_gap_and_escalation_forms_come_on_demand(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.CASE_DISCUSSION)
    login(client, w.chief)
    page = html(client.get(detail(w.coordination)))
    for url in closed_forms(item).values():
        assert f'hx-get="{url}"' in page
    assert_shows(page, shown=["山田 太郎"], hidden=['name="description"', 'name="to_meeting"'])
    events = AuditEvent.objects.count()
    fields = {"gap": ['name="description"', ">東小<"], "escalate": ['name="to_meeting"', str(w.integration.code)]}
    for which, url in closed_forms(item).items():
        form = html(client.get(url, headers={"HX-Request": "true"}))
        assert form.lstrip().startswith("<form"), which
        assert_shows(form, shown=[*fields[which], f'action="{url}"'], hidden=["山田", "<html"])
    assert AuditEvent.objects.count() == events  # the forms alone show nothing of a person
    full = html(client.get(closed_forms(item)["gap"]))
    assert_shows(full, shown=["不足している資源を記録", "支援調整会議（定例）", 'name="description"'], hidden=["山田"])


def test_a_refused_gap_is_shown_again_in_place_with_its_message(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.CASE_DISCUSSION)
    response = refused(login(client, w.chief), item_url("item_gap_add", item), {"description": "", "field": ""})
    page = html(response)
    assert re.search(r'<details class="add-form" open>\s*<summary[^>]*>不足している資源を記録', page)
    assert 'name="description"' in page
    assert not ResourceGap.objects.filter(item=item).exists()


def test_an_attending_partner_is_not_given_the_forms_on_demand(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.PLAN_APPROVAL)
    login(client, w.partner)
    before = (Attendee.objects.count(), RoleAssignment.objects.count(), Action.objects.count())
    gaps, items = ResourceGap.objects.count(), AgendaItem.objects.count()
    for url in [*on_demand(w, item).values(), *closed_forms(item).values()]:
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code in (403, 404), url
        assert_shows(html(response), hidden=['name="staff"', 'name="assignee"', "鈴木 相談員", 'name="description"'])
        assert str(w.integration.code) not in html(response)
    assert (Attendee.objects.count(), RoleAssignment.objects.count(), Action.objects.count()) == before
    assert (ResourceGap.objects.count(), AgendaItem.objects.count()) == (gaps, items)


def test_a_refused_role_is_shown_again_in_place_with_its_message(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.PLAN_APPROVAL)
    response = refused(
        login(client, w.chief), item_url("item_role_add", item), {"team_role": "employment", "note": "求職の同行"}
    )
    page = html(response)
    assert re.search(r'<details class="add-form" open>\s*<summary[^>]*>役割分担を追加', page)
    assert_shows(page, shown=['value="求職の同行"', 'name="staff"'])
    assert not RoleAssignment.objects.filter(item=item).exists()


def test_an_attending_partner_does_not_decide_or_minute(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    login(client, w.partner)
    assert client.post(item_url("item_decide", item), {"decision": "approved"}).status_code == 404
    assert client.post(item_url("item_minutes", item), {"minutes": "x", "version": 1}).status_code == 403
    item.refresh_from_db()
    assert (item.decision, item.minutes) == ("", "")
    assert Case.objects.get(pk=w.case.pk).state == CaseState.COORDINATION


def test_roles_that_never_see_records_are_turned_away(client, w):
    for persona in (w.supporter, w.admin_user):
        response = login(client, persona).get(CALENDAR)
        assert response.status_code == 403
        assert "支援調整会議（定例）" not in html(response)
        response = client.get(detail(w.coordination))
        assert response.status_code == 403
        assert "支援調整会議（定例）" not in html(response)


def test_a_centre_worker_who_does_not_attend_reads_but_does_not_write(client, w):
    login(client, w.consultant2)
    page = html(client.get(detail(w.coordination)))
    assert "議題に追加" not in page
    assert "決定を記録する" not in page
    response = client.post(reverse("meetings:prepare", kwargs={"code": w.coordination.code}))
    assert response.status_code == 404
    assert not AgendaItem.objects.exists()


def test_attending_is_what_lets_a_centre_worker_change_a_meeting(client, w):
    # may_write(…, attends=…) is told from the attendee list on each request (issue 14).
    prepare = reverse("meetings:prepare", kwargs={"code": w.coordination.code})
    edit = reverse("meetings:edit", kwargs={"code": w.coordination.code})
    login(client, w.consultant2)
    assert edit not in html(client.get(detail(w.coordination)))
    assert client.post(prepare).status_code == 404
    assert not AgendaItem.objects.exists()
    attend(w.coordination, w.consultant2)
    assert edit in html(client.get(detail(w.coordination)))
    assert client.post(prepare).status_code == 302
    assert list(AgendaItem.objects.values_list("meeting", "case")) == [(w.coordination.pk, w.case.pk)]


# 支援会議 ---------------------------------------------------------------------------------


def test_support_meeting_papers_only_for_attendees_and_chair(client, w):
    decisions.add_case_item(w.support, w.consultant, w.hanako_case)
    for staff in (w.consultant, w.partner):  # chair, attendee
        page = html(login(client, staff).get(detail(w.support)))
        assert "秘匿 花子" in page
        assert "守秘義務" in page
    for staff in (w.chief, w.consultant2, w.officer, w.partner_outsider):
        login(client, staff)
        assert client.get(detail(w.support)).status_code == 404
        assert client.get(reverse("meetings:pdf", kwargs={"code": w.support.code})).status_code == 404
        month = w.support.held_on.strftime("%Y-%m")
        assert "支援会議" not in re.sub("支援会議（", "", html(client.get(CALENDAR, {"month": month})))
    # The case panel does not show a 支援会議 to those who may not see it either.
    page = html(login(client, w.chief).get(w.hanako_case.get_absolute_url()))
    assert w.support.get_absolute_url() not in page


def test_support_meeting_discloses_without_consent_on_the_statutory_basis(client, w):
    stranger = make_person(
        w.town, "未接続", "一郎", "ミセツゾク", "イチロウ", address="つなぐ市東小五丁目", district=w.district
    )
    decisions.add_person_item(w.support, w.consultant, stranger, "地域で孤立")
    decisions.add_case_item(w.support, w.consultant, w.hanako_case)
    page = html(login(client, w.partner).get(detail(w.support)))
    assert "未接続 一郎" in page
    assert "秘匿 花子" in page
    assert "東小五丁目" not in page  # never an address
    assert "西小" not in page  # never a confidential person's district
    rows = Disclosure.objects.filter(recipient=w.partner)
    assert {(d.person, d.basis, d.channel) for d in rows} == {
        (stranger, LegalBasis.SUPPORT_MEETING, Channel.MEETING_PAPER),
        (w.hanako, LegalBasis.SUPPORT_MEETING, Channel.MEETING_PAPER),
    }
    assert all(d.source_code == w.support.code and d.consent is None for d in rows)
    # The centre's own staff reading their papers disclose nothing.
    login(client, w.consultant).get(detail(w.support))
    assert not Disclosure.objects.exclude(recipient=w.partner).exists()


# Consent in the papers ---------------------------------------------------------------------


def test_a_partner_reads_only_the_people_who_consented(client, w):
    w.hanako_case.state = CaseState.COORDINATION
    w.hanako_case.save(update_fields=["state"])
    taro_item = decisions.add_case_item(w.coordination, w.chief, w.case)
    hanako_item = decisions.add_case_item(w.coordination, w.chief, w.hanako_case)
    decisions.save_minutes(hanako_item, w.chief, "元配偶者から避難中", hanako_item.version)
    page = html(login(client, w.partner).get(detail(w.coordination)))
    # Taro's address is never in papers; his district may show (no confidentiality).
    assert_shows(
        page,
        shown=["山田 太郎", "家賃滞納と失業。", "同意の範囲外", "東小"],
        hidden=["秘匿", "花子", "元配偶者", "東小一丁目"],
    )

    disclosure = Disclosure.objects.get()
    assert (disclosure.person, disclosure.recipient, disclosure.recipient_agency) == (
        w.taro,
        w.partner,
        w.community_care,
    )
    assert (disclosure.basis, disclosure.consent, disclosure.channel) == (
        LegalBasis.CONSENT,
        w.consent,
        Channel.MEETING_PAPER,
    )
    assert Category.BASIC in disclosure.categories
    assert disclosure.case == w.case
    assert disclosure.source_type == "meetings.meeting"
    assert disclosure.source_code == w.coordination.code
    # The per-person minutes of hanako do not exist for the partner.
    assert client.get(item_url("item_pdf", hanako_item)).status_code == 404
    assert Disclosure.objects.count() == 1
    assert taro_item.person == w.taro


def test_a_consent_without_the_coordination_purpose_shows_nothing(client, w):
    w.consent.purposes = ["team"]
    w.consent.save(update_fields=["purposes"])
    decisions.add_case_item(w.coordination, w.chief, w.case)
    page = html(login(client, w.partner).get(detail(w.coordination)))
    assert "山田" not in page
    assert "同意の範囲外" in page
    assert not Disclosure.objects.exists()


def test_the_centre_never_sees_a_confidential_persons_district_in_papers(client, w):
    w.hanako_case.state = CaseState.COORDINATION
    w.hanako_case.save(update_fields=["state"])
    decisions.add_case_item(w.coordination, w.chief, w.hanako_case)
    page = without_choices(html(login(client, w.chief).get(detail(w.coordination))))
    assert "秘匿 花子" in page
    assert "所在秘匿" in page
    assert "西小" not in page
    assert "ひみつ荘" not in page


def test_an_outside_attendee_is_not_told_that_a_person_is_under_confidentiality(client, w, tmp_path):
    """支援措置 says DV: an attendee from a partner agency, shown the person under a BASIC
    consent, does not learn it from the paper or its print."""
    from tsunagu.consents.models import Purpose
    from tsunagu.tests.records import give_consent

    w.hanako_case.state = CaseState.COORDINATION
    w.hanako_case.save(update_fields=["state"])
    give_consent(w.hanako, w.consultant, [w.community_care], purposes=[Purpose.COORDINATION])
    item = decisions.add_case_item(w.coordination, w.chief, w.hanako_case)
    login(client, w.partner)
    page = html(client.get(detail(w.coordination)))
    assert "秘匿 花子" in page  # shown under the consent
    assert "所在秘匿" not in page
    assert "西小" not in page
    text = pdf_text(client.get(item_url("item_pdf", item)), layout=False, squeeze=True)
    assert "秘匿花子" in text
    assert "所在秘匿" not in text
    # The centre's chief still reads it.
    text = pdf_text(login(client, w.chief).get(item_url("item_pdf", item)), layout=False, squeeze=True)
    assert "所在秘匿" in text


def test_a_consent_for_one_kind_of_meeting_shows_the_person_in_that_kind_only(client, w):
    from tsunagu.consents.models import Purpose as ConsentPurpose
    from tsunagu.tests.records import give_consent

    give_consent(w.hanako, w.consultant, [w.community_care], purposes=[ConsentPurpose.MEETING_COMMUNITY_CARE])
    care = make_meeting(w, MeetingKind.COMMUNITY_CARE, chair=w.district_chief, district=w.district)
    review = make_meeting(w, MeetingKind.CASE_REVIEW)
    for meeting in (care, review):
        attend(meeting, w.partner)
        decisions.add_case_item(meeting, w.chief, w.hanako_case, Purpose.CASE_DISCUSSION)
        # taro's consent names `coordination`: given before the kinds were told apart, it
        # covers every kind of meeting.
        decisions.add_case_item(meeting, w.chief, w.case, Purpose.CASE_DISCUSSION)
    login(client, w.partner)

    page = html(client.get(detail(care)))
    assert "秘匿 花子" in page
    assert w.taro.full_name in page
    page = html(client.get(detail(review)))
    assert "秘匿 花子" not in page
    assert "同意の範囲外" in page
    assert w.taro.full_name in page
    shown = Disclosure.objects.filter(recipient=w.partner, person=w.hanako, source_code=care.code)
    assert shown.count() == 1
    assert not Disclosure.objects.filter(recipient=w.partner, person=w.hanako, source_code=review.code).exists()


# Deciding through the page ------------------------------------------------------------------


def test_the_chief_approves_a_plan_on_the_meeting_page(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    response = login(client, w.chief).post(
        item_url("item_decide", item), {"decision": "approved", "note": "了承します"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=w.case.pk).state == CaseState.DECIDED
    page = html(client.get(response["Location"]))
    assert "決定を記録しました（了承）" in page
    assert "了承します" in page
    case_page = html(client.get(w.case.get_absolute_url()))
    assert "支援決定・確認" in case_page
    assert "了承します" in case_page


def test_a_decision_on_a_case_not_awaiting_one_is_refused_by_its_field(client, w):
    w.case.state = CaseState.PLAN_DRAFT
    w.case.save(update_fields=["state"])
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.PLAN_APPROVAL)
    response = login(client, w.chief).post(
        item_url("item_decide", item), {"decision": "approved", "note": "打ち合わせどおり"}
    )
    assert response.status_code == 422
    page = html(response)
    assert "このケースは支援調整会議の決定を待っていません" in page
    assert re.search(r'class="field field-invalid">\s*<label[^>]*for="id_decision_', page)
    assert "打ち合わせどおり" in page  # what was typed is still there
    item.refresh_from_db()
    assert item.decision == ""
    assert Case.objects.get(pk=w.case.pk).state == CaseState.PLAN_DRAFT


def test_a_consultant_cannot_decide_support(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    response = login(client, w.consultant).post(item_url("item_decide", item), {"decision": "approved"})
    assert response.status_code == 422
    assert "主任相談支援員または自治体担当職員" in html(response)
    assert Case.objects.get(pk=w.case.pk).state == CaseState.COORDINATION


def test_an_officer_decides_but_does_not_edit(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    login(client, w.officer)
    page = html(client.get(detail(w.coordination)))
    assert "決定を記録する" in page
    assert "議事の記録を保存" not in page
    assert client.post(item_url("item_minutes", item), {"minutes": "x", "version": 1}).status_code == 403
    assert client.post(item_url("item_decide", item), {"decision": "approved"}).status_code == 302
    assert Case.objects.get(pk=w.case.pk).state == CaseState.DECIDED


def test_an_action_without_an_owner_is_refused_and_the_typing_kept(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = login(client, w.chief).post(
        item_url("item_action_add", item), {"title": "家賃の相談に同行する", "due_on": due}
    )
    assert response.status_code == 422
    page = html(response)
    assert "担当者を選んでください。" in page
    assert 'value="家賃の相談に同行する"' in page
    assert not Action.objects.exists()
    assert not Task.objects.filter(kind=TaskKind.MEETING_ACTION).exists()

    response = client.post(
        item_url("item_action_add", item),
        {"title": "家賃の相談に同行する", "due_on": due, "assignee": w.consultant.pk},
    )
    assert response.status_code == 302
    task = Task.objects.get(kind=TaskKind.MEETING_ACTION)
    assert (task.case, task.assignee, task.title) == (w.case, w.consultant, "家賃の相談に同行する")
    assert Action.objects.get().task == task


def test_escalation_to_a_past_meeting_is_refused(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.CASE_DISCUSSION)
    login(client, w.chief)
    assert f'hx-get="{item_url("item_escalate", item)}"' in html(client.get(detail(w.coordination)))
    form = html(client.get(item_url("item_escalate", item), headers={"HX-Request": "true"}))  # opened in place
    assert str(w.integration.code) in form
    assert str(w.past_integration.code) not in form
    response = client.post(item_url("item_escalate", item), {"to_meeting": str(w.past_integration.code)})
    assert response.status_code == 422
    assert "開催済み・中止の会議には付議できません" in html(response)
    assert not AgendaItem.objects.filter(purpose=Purpose.ESCALATED).exists()

    response = client.post(item_url("item_escalate", item), {"to_meeting": str(w.integration.code)})
    assert response.status_code == 302
    escalated = AgendaItem.objects.get(purpose=Purpose.ESCALATED)
    assert (escalated.meeting, escalated.escalated_from) == (w.integration, item)


def test_an_item_escalated_from_a_support_meeting_keeps_its_title_and_source_with_its_members(client, w):
    # The consultant chairs the 支援会議; consultant2 and the chief read the 包括化推進会議.
    attend(w.integration, w.consultant)
    Meeting.objects.filter(pk=w.support.pk).update(title="東小の支援会議")
    item = decisions.add_case_item(w.support, w.consultant, w.case, Purpose.CASE_DISCUSSION)
    AgendaItem.objects.filter(pk=item.pk).update(title="長男からの暴力の相談（法第9条）")
    login(client, w.consultant)
    response = client.post(item_url("item_escalate", item), {"to_meeting": str(w.integration.code)})
    assert response.status_code == 422
    assert "内容に触れない議題名を書いてください" in html(response)
    response = client.post(
        item_url("item_escalate", item),
        {"to_meeting": str(w.integration.code), "title": "長男からの暴力の相談（法第9条）"},
    )
    assert response.status_code == 422
    assert "支援会議での議題名とは別の" in html(response)
    assert not AgendaItem.objects.filter(purpose=Purpose.ESCALATED).exists()

    response = client.post(
        item_url("item_escalate", item), {"to_meeting": str(w.integration.code), "title": "複合課題の世帯の支援"}
    )
    assert response.status_code == 302
    escalated = AgendaItem.objects.get(purpose=Purpose.ESCALATED)
    assert (escalated.title, escalated.escalated_from) == ("複合課題の世帯の支援", item)

    member = html(client.get(detail(w.integration)))
    assert "付議元" in member
    assert "東小の支援会議" in member
    assert "東小の支援会議" in pdf_text(
        client.get(reverse("meetings:pdf", kwargs={"code": w.integration.code})).content
    )
    for reader in (w.consultant2, w.chief):
        page = html(login(client, reader).get(detail(w.integration)))
        assert "複合課題の世帯の支援" in page
        assert "付議元" not in page
        assert "東小の支援会議" not in page
        assert "長男からの暴力" not in page
        minutes = pdf_text(client.get(reverse("meetings:pdf", kwargs={"code": w.integration.code})))
        assert "複合課題の世帯の支援" in minutes
        assert "東小の支援会議" not in minutes


def test_minutes_saved_by_someone_else_first_are_not_overwritten(client, w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    decisions.save_minutes(item, w.consultant, "高橋の記録", item.version)
    response = login(client, w.chief).post(item_url("item_minutes", item), {"minutes": "佐藤の記録", "version": 1})
    assert response.status_code == 422
    page = html(response)
    assert "他の職員がこの議事の記録を先に更新しました。あなたの入力は残っています。" in page
    assert "佐藤の記録" in page
    assert "高橋の記録" in page
    item.refresh_from_db()
    assert item.minutes == "高橋の記録"


def test_attendees_of_a_support_meeting_sign_an_undertaking(client, w):
    url = reverse("meetings:attendee_add", kwargs={"code": w.support.code})
    login(client, w.consultant)
    response = client.post(url, {"name": "民生委員 山本", "agency_name": "東小地区"})
    assert response.status_code == 422
    assert "守秘義務の誓約日が必要です" in html(response)
    assert not Attendee.objects.filter(name="民生委員 山本").exists()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"name": "民生委員 山本", "agency_name": "東小地区", "undertaking_on": today})
    assert response.status_code == 302
    page = html(client.get(detail(w.support)))
    assert "民生委員 山本" in page
    assert "東小地区" in page


# Building the agenda ------------------------------------------------------------------------


def test_the_coordination_button_puts_the_waiting_cases_on_the_agenda(client, w):
    response = login(client, w.consultant).post(reverse("meetings:prepare", kwargs={"code": w.coordination.code}))
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=w.coordination)
    assert (item.case, item.purpose) == (w.case, Purpose.PLAN_APPROVAL)
    assert "1件を議題にしました" in html(client.get(response["Location"]))


def test_a_regional_issue_is_chosen_or_raised_from_the_meeting(client, w):
    meeting = make_meeting(w, MeetingKind.COMMUNITY_CARE, chair=w.district_chief, district=w.district)
    attend(meeting, w.consultant)
    url = reverse("meetings:item_add_issue", kwargs={"code": meeting.code})
    login(client, w.consultant)
    response = client.post(url, {})
    assert response.status_code == 422
    assert "地域課題を選ぶか、新しい課題の題名を書いてください。" in html(response)
    response = client.post(url, {"title": "買い物の足がない", "field": "welfare"})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.regional_issue.title == "買い物の足がない"
    assert item.regional_issue.district == w.district
    other = make_meeting(w, MeetingKind.COUNCIL_COMMITTEE, committee="生活困窮者対策部会")
    attend(other, w.consultant)
    response = client.post(
        reverse("meetings:item_add_issue", kwargs={"code": other.code}), {"issue": str(item.regional_issue.code)}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=other).regional_issue == item.regional_issue


def test_case_review_candidates_are_added_with_one_click(client, w):
    lonely = make_case(make_person(w.town, "孤立", "一人", "コリツ", "ヒトリ"), w.centre, w.consultant2)
    lonely.opened_on = timezone.localdate() - dt.timedelta(days=100)
    lonely.save(update_fields=["opened_on"])
    meeting = make_meeting(w, MeetingKind.CASE_REVIEW)
    login(client, w.chief)
    page = html(client.get(detail(meeting)))
    assert "孤立 一人" in page
    assert "一人で抱えています" in page
    response = client.post(reverse("meetings:candidates", kwargs={"code": meeting.code}), {"cases": [lonely.code]})
    assert response.status_code == 302
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("case", flat=True)) == [lonely.pk]


# Creating meetings: per kind, and the holiday warning ---------------------------------------


def new_url(kind):
    return reverse("meetings:new", kwargs={"kind": kind})


def test_a_meeting_on_a_public_holiday_asks_for_confirmation(client, w):
    login(client, w.chief)
    data = {"title": "支援調整会議（11月）", "held_on": "2026-11-23", "chair": w.chief.pk}
    response = client.post(new_url("coordination"), data)
    assert response.status_code == 422
    page = html(response)
    assert "勤労感謝の日" in page
    assert "休日・閉庁日でもこの日に開催する" in page
    assert 'value="支援調整会議（11月）"' in page
    assert not Meeting.objects.filter(title="支援調整会議（11月）").exists()

    response = client.post(new_url("coordination"), {**data, "confirm_day_off": "on"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="支援調整会議（11月）")
    assert meeting.held_on == dt.date(2026, 11, 23)
    assert AgendaItem.objects.filter(meeting=meeting, case=w.case).exists()  # the auto-agenda ran


def test_a_support_meeting_is_chaired_from_the_centre_or_the_municipality(client, w):
    """An outside member signs the undertaking as an attendee; an outside chair would read
    every paper without one."""
    login(client, w.consultant)
    data = {"title": "支援会議（12月）", "held_on": "2026-12-08", "chair": w.partner_outsider.pk}
    response = client.post(new_url("support_meeting"), data)
    assert response.status_code == 422
    assert "支援会議の議長はセンターの職員か自治体の担当職員にしてください。" in html(response)
    assert not Meeting.objects.filter(title="支援会議（12月）").exists()
    response = client.post(new_url("support_meeting"), {**data, "chair": w.officer.pk})
    assert response.status_code == 302
    assert Meeting.objects.get(title="支援会議（12月）").chair == w.officer


def test_the_year_end_closure_warns_too(client, w):
    login(client, w.chief)
    refused(
        client,
        new_url("case_review"),
        {"title": "年末の検討会", "held_on": "2026-12-30", "chair": w.chief.pk},
        "年末年始（閉庁）",
    )
    response = client.post(
        new_url("case_review"), {"title": "年始の検討会", "held_on": "2027-01-05", "chair": w.chief.pk}
    )
    assert response.status_code == 302


def test_community_care_needs_a_district_and_its_chief_chairs(client, w):
    login(client, w.chief)
    data = {"title": "地域ケア会議", "held_on": "2026-12-08"}
    refused(client, new_url("community_care"), data, "地域ケア会議の地区を選んでください。")
    response = client.post(
        new_url("community_care"), {"title": "地域ケア会議", "held_on": "2026-12-08", "district": w.district.pk}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(kind=MeetingKind.COMMUNITY_CARE)
    assert (meeting.district, meeting.chair) == (w.district, w.district_chief)
    # The district chief now sees it (chair), and the chief who created it attends.
    assert "地域ケア会議" in html(login(client, w.district_chief).get(detail(meeting)))
    assert Attendee.objects.filter(meeting=meeting, staff=w.chief).exists()


def test_a_council_committee_needs_its_name_and_a_support_meeting_its_basis(client, w):
    login(client, w.chief)
    data = {"title": "部会", "held_on": "2026-12-09", "chair": w.chief.pk}
    refused(client, new_url("council_committee"), data, "部会名を書いてください")
    client.post(new_url("support_meeting"), {"title": "支援会議", "held_on": "2026-12-09", "chair": w.chief.pk})
    meeting = Meeting.objects.get(kind=MeetingKind.SUPPORT_MEETING, created_by=w.chief)
    assert "第9条" in meeting.legal_basis


def test_the_integration_meeting_is_chaired_by_the_coordinator_by_default(client, w):
    from tsunagu.accounts.models import Role
    from tsunagu.conftest import make_staff

    coordinator = make_staff("coordinator", w.centre, Role.COORDINATOR, display_name="伊藤 推進員")
    page = html(login(client, w.chief).get(new_url("integration")))
    assert re.search(rf'<option value="{coordinator.pk}" selected>', page)


def test_editing_a_meeting_refuses_a_stale_form(client, w):
    url = reverse("meetings:edit", kwargs={"code": w.coordination.code})
    base = {
        "title": "支援調整会議（変更）",
        "held_on": w.coordination.held_on.isoformat(),
        "chair": w.chief.pk,
        "status": "planned",
        "version": 1,
        "confirm_day_off": "on",
    }
    login(client, w.chief)
    assert client.post(url, base).status_code == 302
    refused(client, url, {**base, "title": "別の変更"}, "先に更新しました")
    assert Meeting.objects.get(pk=w.coordination.pk).title == "支援調整会議（変更）"


# The calendar ---------------------------------------------------------------------------------


def test_the_calendar_marks_holidays_and_the_closure(client, w):
    make_meeting(w, MeetingKind.CASE_REVIEW, held_on=dt.date(2026, 12, 15), title="12月のケース検討会")
    page = html(login(client, w.consultant).get(CALENDAR, {"month": "2026-12"}))
    assert "令和8年12月" in page
    assert "12月のケース検討会" in page
    assert "年末年始（閉庁）" in page
    november = html(client.get(CALENDAR, {"month": "2026-11"}))
    assert "勤労感謝の日" in november
    assert "文化の日" in november
    january = html(client.get(CALENDAR, {"month": "2027-01"}))
    assert "元日" in january
    assert "成人の日" in january
    assert client.get(CALENDAR, {"month": "garbage"}).status_code == 200


def test_the_calendar_never_shows_people(client, w):
    decisions.add_case_item(w.coordination, w.chief, w.case)
    page = html(login(client, w.chief).get(CALENDAR, {"month": w.coordination.held_on.strftime("%Y-%m")}))
    assert "支援調整会議（定例）" in page
    assert "山田" not in page
    assert "東小一丁目" not in page


# The case panel -----------------------------------------------------------------------------


def test_the_case_page_lists_its_meetings_and_adds_it_to_one(client, w):
    login(client, w.chief)
    page = html(client.get(w.case.get_absolute_url()))
    assert "これからの会議の議題にする" in page
    assert str(w.coordination.code) in page
    response = client.post(
        reverse("meetings:add_from_case", kwargs={"code": w.case.code}), {"meeting": str(w.coordination.code)}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=w.coordination, case=w.case)
    assert item.purpose == Purpose.PLAN_APPROVAL
    decisions.decide(item, w.chief, Decision.APPROVED, "了承")
    page = html(client.get(w.case.get_absolute_url()))
    assert "支援調整会議（定例）" in page
    assert "了承" in page
    entry = TimelineEntry.objects.filter(case=w.case, kind=TimelineKind.MEETING).first()
    assert entry is not None
    assert "支援調整会議（定例）" in entry.detail


def test_the_case_panel_refuses_a_meeting_it_may_not_use(client, w):
    response = login(client, w.chief).post(
        reverse("meetings:add_from_case", kwargs={"code": w.case.code}), {"meeting": str(w.past_integration.code)}
    )
    assert response.status_code == 422
    assert "選べない項目です。" in html(response)
    assert not AgendaItem.objects.exists()
    response = login(client, w.partner).post(
        reverse("meetings:add_from_case", kwargs={"code": w.case.code}), {"meeting": str(w.coordination.code)}
    )
    assert response.status_code == 403


# PDFs ---------------------------------------------------------------------------------------


def test_minutes_pdf_of_the_meeting_and_of_one_person(client, w, tmp_path):
    w.hanako_case.state = CaseState.COORDINATION
    w.hanako_case.save(update_fields=["state"])
    taro_item = decisions.add_case_item(w.coordination, w.chief, w.case)
    decisions.add_case_item(w.coordination, w.chief, w.hanako_case)
    decisions.save_minutes(taro_item, w.chief, "求職活動を始める", taro_item.version)
    decisions.decide(taro_item, w.chief, Decision.APPROVED, "了承する")

    minutes = login(client, w.chief).get(reverse("meetings:pdf", kwargs={"code": w.coordination.code}))
    assert "IPAex" in poppler("pdffonts", minutes)
    text = pdf_text(minutes, layout=False, squeeze=True)
    assert_shows(
        text,
        shown=["支援調整会議（定例）", "山田太郎", "秘匿花子", "求職活動を始める", "了承する"],
        hidden=["東小一丁目", "西小", "ひみつ荘"],
    )
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_code=str(w.coordination.code)).exists()

    text = pdf_text(client.get(item_url("item_pdf", taro_item)), layout=False, squeeze=True)
    assert "山田太郎" in text
    assert "秘匿花子" not in text

    # The partner's printout shows only the consented person, and says so.
    text = pdf_text(
        login(client, w.partner).get(reverse("meetings:pdf", kwargs={"code": w.coordination.code})),
        layout=False,
        squeeze=True,
    )
    assert "山田太郎" in text
    assert "花子" not in text
    assert "同意の範囲外" in text
    assert Disclosure.objects.filter(recipient=w.partner, person=w.taro).count() == 1
    assert not Disclosure.objects.filter(person=w.hanako).exists()


# Query counts -------------------------------------------------------------------------------


def add_waiting_cases(w, n):
    for i in range(n):
        person = make_person(w.town, "待機", f"{i}{n}", "タイキ", "イチ")
        case = make_case(person, w.centre, w.consultant, state=CaseState.COORDINATION)
        item = decisions.add_case_item(w.coordination, w.chief, case)
        decisions.add_role(item, w.chief, w.employment, "employment")
        decisions.add_action(item, w.chief, f"確認{i}", w.consultant, w.coordination.held_on)
        decisions.note_gap(item, w.chief, f"資源{i}")


# Queries on SQLite: session, user, agency, the meeting, its items, their roles, actions,
# gaps and plans, (the partner: the consents, their agencies, one insert of disclosures),
# the audit entry, the attendees, (the chief: the forms' choices: cases; the staff,
# agencies and districts come with the forms that list them, on demand), the session's save.
PINNED_MEETING_PAGE = {"chief": 19, "partner": 20}


@pytest.mark.parametrize("persona", ["chief", "partner"])
def test_the_meeting_page_does_not_grow_with_items(client, w, persona):
    taro = decisions.add_case_item(w.coordination, w.chief, w.case)
    decisions.add_role(taro, w.chief, w.employment, "employment")
    login(client, getattr(w, persona))
    one = count_queries(client, detail(w.coordination))
    add_waiting_cases(w, 2)
    three = count_queries(client, detail(w.coordination))
    assert one == three == pinned(PINNED_MEETING_PAGE[persona], 1)
    if persona == "partner":
        assert Disclosure.objects.filter(recipient=w.partner, person=w.taro).count() == 2  # one per reading


def test_each_person_shown_in_a_paper_has_the_reading_in_their_access_log(client, w, tmp_path):
    w.hanako_case.state = CaseState.COORDINATION
    w.hanako_case.save(update_fields=["state"])
    decisions.add_case_item(w.coordination, w.chief, w.case)
    decisions.add_case_item(w.coordination, w.chief, w.hanako_case)
    login(client, w.chief)
    client.get(detail(w.coordination))
    pdf_text(client.get(reverse("meetings:pdf", kwargs={"code": w.coordination.code})), layout=False, squeeze=True)
    for person in (w.taro, w.hanako):
        reads = AuditEvent.objects.for_person(person.code).filter(object_code=str(w.coordination.code))
        assert sorted(reads.values_list("action", flat=True)) == [AuditAction.EXPORT, AuditAction.VIEW]
    # The partner is shown taro only (hanako has no consent for the 地域包括): only his log has it.
    login(client, w.partner)
    client.get(detail(w.coordination))
    assert AuditEvent.objects.for_person(w.taro.code).filter(actor=w.partner, action=AuditAction.VIEW).exists()
    assert not AuditEvent.objects.for_person(w.hanako.code).filter(actor=w.partner).exists()
    call_command("verify_audit", stdout=io.StringIO())  # the chain holds with several events per insert


def test_the_calendar_does_not_grow_with_meetings(client, w):
    login(client, w.consultant)
    make_meeting(w, MeetingKind.CASE_REVIEW, held_on=dt.date(2027, 3, 3), title="検討会A")
    one = count_queries(client, CALENDAR, {"month": "2027-03"})
    make_meeting(w, MeetingKind.COORDINATION, held_on=dt.date(2027, 3, 10), title="調整会議B")
    make_meeting(w, MeetingKind.INTEGRATION, held_on=dt.date(2027, 3, 10), title="推進会議C")
    three = count_queries(client, CALENDAR, {"month": "2027-03"})
    assert one == three
    page = html(client.get(CALENDAR, {"month": "2027-03"}))
    assert "検討会A" in page
    assert "調整会議B" in page
    assert "推進会議C" in page
    assert "春分の日" in page  # 2027-03-21


def test_the_meeting_list_does_not_grow_with_meetings(client, w):
    login(client, w.consultant)
    make_meeting(w, MeetingKind.CASE_REVIEW, title="検討会A")
    one = count_queries(client, LIST, {"kind": "case_review"})
    make_meeting(w, MeetingKind.CASE_REVIEW, title="検討会B", days=3)
    make_meeting(w, MeetingKind.CASE_REVIEW, title="検討会C", days=4)
    three = count_queries(client, LIST, {"kind": "case_review"})
    assert one == three
    page = html(client.get(LIST, {"kind": "case_review"}))
    assert "検討会A" in page
    assert "検討会C" in page
    assert "支援調整会議（定例）" not in page


# Choosing whom to put on the agenda: a search, never the whole town in one list ------------


def options(page, name):
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    return re.findall(r"<option value=\"[0-9a-f-]{36}\"[^>]*>([^<]+)</option>", select[0]) if select else []


def test_the_coordination_meeting_offers_the_cases_it_decides_on_and_finds_others(client, w):
    waiting_names = {w.taro.full_name}
    other = make_person(w.town, "川村", "次郎", "カワムラ", "ジロウ", district=w.district)
    make_case(other, w.centre, w.consultant, state=CaseState.INTAKE)
    login(client, w.chief)
    url = w.coordination.get_absolute_url()
    offered = " ".join(options(html(client.get(url)), "case"))
    assert all(name in offered for name in waiting_names)
    assert "川村 次郎" not in offered  # in intake: nothing for the meeting to decide
    found = options(html(client.get(url, {"find": "かわむら"})), "case")
    assert len(found) == 1
    assert "川村 次郎" in found[0]


def test_a_support_meeting_lists_people_only_as_the_search_finds_them(client, w):
    login(client, w.consultant)
    url = w.support.get_absolute_url()
    assert options(html(client.get(url)), "person") == []
    found = options(html(client.get(url, {"find": "ヤマダ"})), "person")
    assert any("山田 太郎" in label for label in found)
    assert not any("次郎" in label for label in found)  # another town's 山田 次郎


# A meeting's decisions and attendance follow its date (issue 10 §2) -----------------------


def test_a_decision_before_the_meeting_date_is_refused_on_the_page_and_nothing_changes(client, w):
    later = make_meeting(w, MeetingKind.COORDINATION, days=30, title="来月の支援調整会議")
    attend(later, w.consultant)
    item = decisions.add_case_item(later, w.chief, w.case, Purpose.PLAN_APPROVAL)
    timeline = TimelineEntry.objects.filter(case=w.case).count()
    response = login(client, w.chief).post(item_url("item_decide", item), {"decision": "approved", "note": ""})
    assert response.status_code == 422
    page = html(response)
    assert "決定は開催日以降に記録してください" in page
    assert re.search(r'class="error-summary" role="alert" tabindex="-1" autofocus', page)
    item.refresh_from_db()
    assert item.decision == ""
    assert Case.objects.get(pk=w.case.pk).state == CaseState.COORDINATION
    assert TimelineEntry.objects.filter(case=w.case).count() == timeline
    # Nobody's attendance can be recorded yet either: the page does not offer it.
    assert 'action="' + reverse("meetings:attendance", kwargs={"code": later.code}) not in html(
        client.get(detail(later))
    )
    assert "出欠は会議の開催日から記録できます。" in html(client.get(detail(later)))


def test_attendance_is_recorded_on_the_meeting_page_and_printed_as_recorded(client, w, tmp_path):
    url = reverse("meetings:attendance", kwargs={"code": w.coordination.code})
    consultant = Attendee.objects.get(meeting=w.coordination, staff=w.consultant)
    page = html(login(client, w.consultant).get(detail(w.coordination)))
    assert "未記録" in page
    assert f'action="{url}"' in page
    text = pdf_text(
        client.get(reverse("meetings:pdf", kwargs={"code": w.coordination.code})), layout=False, squeeze=True
    )
    assert "未記録" in text
    assert "○" not in text  # nobody is marked present before it is recorded

    response = client.post(url, {"present": [consultant.pk]})
    assert response.status_code == 302
    attended = dict(Attendee.objects.filter(meeting=w.coordination).values_list("staff", "attended"))
    assert attended == {w.consultant.pk: True, w.partner.pk: False}
    text = pdf_text(
        client.get(reverse("meetings:pdf", kwargs={"code": w.coordination.code})), layout=False, squeeze=True
    )
    assert "○" in text
    assert "欠" in text
    assert "未記録" not in text


def test_attendance_cannot_be_recorded_by_a_reader(client, w):
    url = reverse("meetings:attendance", kwargs={"code": w.coordination.code})
    login(client, w.officer)
    audits = AuditEvent.objects.exclude(action__in=[AuditAction.VIEW, AuditAction.DENIED]).count()
    response = client.post(url, {"present": []})
    assert response.status_code in (403, 404)
    assert set(Attendee.objects.filter(meeting=w.coordination).values_list("attended", flat=True)) == {None}
    assert AuditEvent.objects.exclude(action__in=[AuditAction.VIEW, AuditAction.DENIED]).count() == audits
