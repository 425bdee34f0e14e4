"""The link between an intake sheet version and its consent survives turning it around
(consents.Consent.intake_sheet → sheets.IntakeSheet.consents), forwards and backwards."""

import pytest

from tsunagu.consents.models import Consent
from tsunagu.sheets.models import IntakeSheet
from tsunagu.tests.migrations import migrate

BEFORE = [("consents", "0001_consent_and_disclosure"), ("sheets", "0004_statistics_indexes")]
AFTER = [("consents", "0002_consent_without_intake_sheet"), ("sheets", "0005_intake_sheet_consents")]


def old_link(apps, consent: Consent) -> int | None:
    return apps.get_model("consents", "Consent").objects.get(pk=consent.pk).intake_sheet_id


@pytest.mark.django_db(transaction=True)
def test_the_links_go_to_the_sheets_and_back(world):
    sheet = IntakeSheet.objects.create(
        case=world.case,
        version=1,
        recorded_by=world.consultant,
        received_on=world.case.opened_on,
        receiving_worker=world.consultant,
        primary_concern="income",
        work_status="job_seeking",
        housing_status="rented",
        insurance="national",
        pension="unpaid",
    )
    given = Consent.objects.create(
        person=world.taro, case=world.case, purposes=["team"], categories=["basic"], method="signature",
        given_on=world.case.opened_on, recorded_by=world.consultant,
    )  # fmt: skip
    sheet.consents.add(given)
    try:
        old = migrate(BEFORE)
        assert old_link(old, given) == sheet.pk
        assert old_link(old, world.consent) is None
        old.get_model("consents", "Consent").objects.filter(pk=world.consent.pk).update(intake_sheet_id=sheet.pk)
    finally:
        migrate(AFTER)
    assert set(sheet.consents.all()) == {given, world.consent}
    assert list(given.intake_sheets.all()) == [sheet]
    assert not Consent.objects.exclude(pk__in=[given.pk, world.consent.pk]).filter(intake_sheets__isnull=False)
    # What the consent keeps of it: given on the application form (the 申込票 badge).
    assert set(Consent.objects.filter(on_application=True)) == {given, world.consent}
