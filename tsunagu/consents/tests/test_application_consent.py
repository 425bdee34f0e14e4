"""The consent signed on the 相談受付・申込票 becomes the case's first Consent record; a
changed form replaces it, an unchanged one does nothing, and a withdrawal stands
whatever the form says afterwards."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import TimelineEntry, TimelineKind
from tsunagu.consents.models import APPLICATION_CATEGORIES, Consent
from tsunagu.consents.tests.helpers import NOTICE
from tsunagu.sheets.models import ApplicationConsent, IntakeSheet, record_application_consent
from tsunagu.sheets.tests.test_views import intake_data as sheet_intake_data
from tsunagu.tests.client import html, login


def intake_url(case):
    return reverse("sheets:intake", kwargs={"code": case.code})


def day(n=0):
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def intake_data(world, base_version=0, **changes):
    """The sheets tests' intake form, received five days ago and applied for two days ago."""
    dates = {"received_on": day(-5), "applied_on": day(-2), "concerns": ["income", "rent_loan"]}
    return sheet_intake_data(world, **{"base_version": base_version, **dates, **changes})


def application_consents(case):
    return Consent.objects.filter(case=case, intake_sheets__isnull=False).order_by("id")


def save_intake(client, world, **changes):
    response = client.post(intake_url(world.case), intake_data(world, **changes))
    assert response.status_code == 302, html(response)
    return response


def test_the_application_becomes_the_first_consent(client, world):
    save_intake(login(client, world.consultant), world)
    consent = application_consents(world.case).get()
    sheet = IntakeSheet.objects.get(case=world.case)
    assert list(consent.intake_sheets.all()) == [sheet]
    assert list(sheet.consents.all()) == [consent]
    assert consent.person == world.taro
    assert consent.categories == list(APPLICATION_CATEGORIES)
    assert consent.purposes == ["assessment", "coordination"]
    assert list(consent.agencies.all()) == [world.community_care]
    assert consent.method == "signature"
    assert consent.given_on == timezone.localdate() - dt.timedelta(days=2)  # the day of the application
    assert consent.recorded_by == world.consultant
    assert consent.is_in_force()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(consent.code)).exists()
    assert TimelineEntry.objects.filter(case=world.case, kind=TimelineKind.CONSENT).count() == 1
    page = html(client.get(reverse("consents:person", kwargs={"code": world.taro.code})))
    assert "申込票" in page
    assert "アセスメントとプラン作成" in page


def test_an_unchanged_consent_records_nothing_and_a_changed_one_replaces_it(client, world):
    login(client, world.consultant)
    save_intake(client, world)
    save_intake(client, world, base_version=1, concern_detail="家賃を3か月滞納している。")
    first = application_consents(world.case).get()
    save_intake(client, world, base_version=2, consent_purposes=["assessment", "coordination", "team"])
    first.refresh_from_db()
    second = application_consents(world.case).last()
    assert second != first
    assert first.superseded_by == second
    assert not first.is_in_force()
    assert first.status == "ended"
    assert second.is_in_force()
    assert second.purposes == ["assessment", "coordination", "team"]
    assert [s.version for s in second.intake_sheets.all()] == [3]
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_code=str(first.code)).exists()
    page = html(client.get(reverse("consents:person", kwargs={"code": world.taro.code})))
    assert "新しい同意に置き換え" in page


def test_the_partner_gets_what_the_application_says_for_the_teams_work(client, world):
    world.consent.agencies.clear()  # only the application counts here
    login(client, world.consultant)
    save_intake(client, world)  # no TEAM purpose yet
    assert NOTICE in html(login(client, world.partner).get(world.case.get_absolute_url()))
    save_intake(login(client, world.consultant), world, base_version=1, consent_purposes=["assessment", "team"])
    assert "山田 太郎" in html(login(client, world.partner).get(world.case.get_absolute_url()))


def test_a_withdrawal_is_not_undone_by_saving_the_form_again(client, world):
    login(client, world.consultant)
    save_intake(client, world, consent_purposes=["assessment", "team"])
    consent = application_consents(world.case).get()
    client.post(reverse("consents:withdraw", kwargs={"code": consent.code}), {"note": "本人から撤回の申し出。"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    # The same consent saved again (the form still shows it ticked) ...
    response = client.post(
        intake_url(world.case), intake_data(world, base_version=1, consent_purposes=["assessment", "team"]), follow=True
    )
    assert "本人はこの申込票の同意を撤回しています。" in html(response)
    # ... or changed: neither brings it back.
    save_intake(client, world, base_version=2, consent_purposes=["assessment", "team", "referral"])
    assert application_consents(world.case).get() == consent
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.superseded_by is None
    world.consent.agencies.clear()
    assert NOTICE in html(login(client, world.partner).get(world.case.get_absolute_url()))


def test_a_stale_save_records_no_consent(client, world):
    login(client, world.consultant)
    save_intake(client, world)
    response = client.post(intake_url(world.case), intake_data(world, consent_purposes=["team"]))
    assert response.status_code == 422  # refused as stale, the form kept
    assert application_consents(world.case).count() == 1
    assert application_consents(world.case).get().purposes == ["assessment", "coordination"]


def make_sheet(world, **fields):
    values = {
        "case": world.case,
        "version": 1,
        "recorded_by": world.consultant,
        "received_on": timezone.localdate() - dt.timedelta(days=4),
        "receiving_worker": world.consultant,
        "primary_concern": "income",
        "work_status": "job_seeking",
        "housing_status": "rented",
        "insurance": "national",
        "pension": "unpaid",
        "applied": True,
        "consent_method": "spoken",
        "consent_purposes": ["team"],
    }
    values.update(fields)
    return IntakeSheet.objects.create(**values)


def test_without_an_application_nothing_is_recorded(world):
    assert (
        record_application_consent(make_sheet(world, applied=False), world.consultant) is ApplicationConsent.NOT_GIVEN
    )
    assert record_application_consent(make_sheet(world, version=2, consent_method=""), world.consultant) is (
        ApplicationConsent.NOT_GIVEN
    )
    assert not application_consents(world.case).exists()


def test_the_day_of_receipt_stands_in_for_a_missing_application_day(world):
    sheet = make_sheet(world, applied_on=None)
    assert record_application_consent(sheet, world.consultant) is ApplicationConsent.RECORDED
    assert record_application_consent(sheet, world.consultant) is ApplicationConsent.UNCHANGED
    consent = application_consents(world.case).get()
    assert consent.given_on == sheet.received_on
    assert consent.method == "spoken"
    assert list(consent.agencies.all()) == []


def test_the_consent_is_found_from_its_sheet_version_and_the_sheet_from_its_consent(client, world):
    login(client, world.consultant)
    save_intake(client, world)
    save_intake(client, world, base_version=1, concern_detail="家賃を3か月滞納している。")  # same consent
    save_intake(client, world, base_version=2, consent_purposes=["assessment", "coordination", "team"])
    first, third = (IntakeSheet.objects.get(case=world.case, version=v) for v in (1, 3))
    earlier, later = application_consents(world.case)
    # Each version points at the consent given on it; an unchanged one records none.
    assert list(first.consents.all()) == [earlier]
    assert not IntakeSheet.objects.get(case=world.case, version=2).consents.exists()
    assert list(third.consents.all()) == [later]
    assert list(earlier.intake_sheets.all()) == [first]
    assert list(later.intake_sheets.all()) == [third]
    # Only the consents given on a sheet carry its badge, on the list and the withdrawal page.
    badge = '<span class="badge badge-info">申込票</span>'
    assert html(client.get(reverse("consents:person", kwargs={"code": world.taro.code}))).count(badge) == 2
    assert badge in html(client.get(reverse("consents:withdraw", kwargs={"code": later.code})))
    assert badge not in html(client.get(reverse("consents:withdraw", kwargs={"code": world.consent.code})))
