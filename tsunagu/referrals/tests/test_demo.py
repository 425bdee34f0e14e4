"""The demo referrals (tsunagu.demo.referrals) on the loaded demo town."""

import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import Municipality, Staff
from tsunagu.audit.models import first_broken_event
from tsunagu.cases.models import TimelineKind
from tsunagu.consents.models import Disclosure
from tsunagu.referrals.models import Referral, ReferralStatus

R = ReferralStatus


def test_the_demo_town_has_referrals_in_every_status(db, client):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    town = Municipality.objects.get(name="雄勝野市")
    # load_demo ran load_referrals for each town.
    referrals = Referral.objects.filter(case__agency__municipality=town)
    assert referrals.filter(from_handoff=True).count() == 6
    assert referrals.filter(from_handoff=False).count() == 7
    assert {r.status for r in referrals} == set(R.values)
    assert any(r.is_overdue for r in referrals.filter(from_handoff=False))
    now = timezone.now()
    for referral in referrals.select_related("task"):
        assert referral.sent_at < now, referral
        assert referral.task is not None
        assert referral.task.due_on == referral.answer_by
        if referral.status in (R.ACCEPTED, R.DECLINED, R.COMPLETED, R.WITHDRAWN):
            assert referral.task.done_at is not None
        if referral.status == R.SENT:
            assert referral.task.done_at is None
        entries = referral.case.timeline.filter(kind=TimelineKind.REFERRAL)
        assert entries.exists()
        assert all(e.at <= now and e.at >= referral.sent_at for e in entries)
    # Every referral with categories on consent logged its disclosure, on the day it was sent.
    for referral in referrals.exclude(categories=[]):
        disclosure = Disclosure.objects.get(source_code=referral.code)
        assert disclosure.at == referral.sent_at
        assert disclosure.consent == referral.consent
    # The person under whereabouts confidentiality: sent without an address.
    hidden = next(r for r in referrals if r.person.whereabouts_confidential)
    assert hidden.categories == ["basic"]
    assert hidden.person.address
    assert hidden.person.address not in str(hidden.snapshot)
    # The 地域包括 partner account answers in the demo.
    partner = Staff.objects.get(username="partner")
    client.force_login(partner)
    text = client.get(reverse("referrals:inbox")).content.decode()
    assert "対応中" in text
    assert text.count('href="/referrals/') >= 4
    assert first_broken_event() is None
