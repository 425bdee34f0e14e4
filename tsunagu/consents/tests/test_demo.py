"""The demo town's consents and disclosures (tsunagu.demo.consents), on a loaded demo."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tsunagu.accounts.models import Municipality, Staff
from tsunagu.consents.models import Category, Channel, Consent, Disclosure, LegalBasis
from tsunagu.consents.tests.helpers import NOTICE
from tsunagu.demo.consents import load_consents
from tsunagu.sheets.models import IntakeSheet
from tsunagu.tests.client import html, login


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=None)
    # load_demo ran load_consents for each town.
    return Municipality.objects.get(name="雄勝野市")


def test_the_demo_town_gets_realistic_consents_and_disclosures(client, demo):
    town = demo
    sheets = IntakeSheet.objects.filter(case__agency__municipality=town, applied=True)
    application = Consent.objects.filter(intake_sheets__isnull=False).distinct()
    # Every applied intake sheet has its consent (the demo referrals may add more from a sheet).
    assert sheets.count() > 20
    assert set(sheets.values_list("pk", flat=True)) <= set(application.values_list("intake_sheets", flat=True))
    assert {tuple(c.categories) for c in application} == {("basic", "plan", "progress")}
    assert all(c.is_in_force() for c in application)
    others = Consent.objects.filter(intake_sheets__isnull=True)
    assert others.count() >= 3
    assert {c for consent in others for c in consent.categories} >= {Category.HEALTH, Category.VICTIMISATION}
    withdrawn = others.get(withdrawn_at__isnull=False)
    assert "ハローワーク" in withdrawn.withdrawal_note
    assert Disclosure.objects.filter(channel=Channel.EMERGENCY, basis=LegalBasis.EMERGENCY).count() == 1
    assert Disclosure.objects.filter(channel=Channel.TEAM_VIEW, basis=LegalBasis.CONSENT).exists()
    # The demo partner sees some of their cases in full and some not at all.
    partner = Staff.objects.get(username="partner")
    page = html(login(client, partner).get(reverse("cases:list")))
    assert NOTICE in page
    # The register of the person of the emergency lists it.
    emergency = Disclosure.objects.get(channel=Channel.EMERGENCY)
    chief = Staff.objects.get(username="chief")
    page = html(login(client, chief).get(reverse("consents:register", kwargs={"code": emergency.person.code})))
    assert "雄勝野市保健センター" in page
    assert "人の生命・身体の保護のための緊急の必要" in page


def test_load_consents_runs_on_a_town_without_forms(world):
    counts = load_consents(world.town)
    assert counts["application_consents"] == 0
    assert Consent.objects.count() >= 1
