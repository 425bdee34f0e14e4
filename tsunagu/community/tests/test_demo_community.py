"""tsunagu.demo.community: the demo town's community loaded on top of the demo towns."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tsunagu.accounts.models import District, Municipality, Role, Staff
from tsunagu.community.models import (
    Neighbourhood,
    RegionalIssue,
    ReportStatus,
    Supporter,
    SupporterLink,
    SupporterReport,
)
from tsunagu.demo.community import load_community
from tsunagu.demo.loader import DemoLoader
from tsunagu.demo.town import PASSWORD
from tsunagu.tests.client import html

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The demo towns with their community, loaded once for the class and rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHER):
                # The loader runs load_community for each town.
                DemoLoader().load()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def town(db, loaded):
    return Municipality.objects.get(name="雄勝野市")


class TestTheDemoCommunity:
    def test_every_district_has_a_chief_and_neighbourhoods(self, town):
        districts = District.objects.filter(municipality=town).select_related("chief")
        assert districts.count() == 8
        for district in districts:
            assert district.chief is not None
            assert district.chief.role == Role.DISTRICT_CHIEF
            assert district.chief.agency.name == "雄勝野市社会福祉協議会"
        assert Staff.objects.get(username="chief_benten").districts_led.get().name == "弁天・幡野・岩崎"
        assert Neighbourhood.objects.filter(district__municipality=town).count() == 20
        assert Neighbourhood.objects.filter(district__name="東小", name="表町").exists()

    def test_about_thirty_supporters_with_gaps(self, town):
        supporters = Supporter.objects.filter(municipality=town)
        assert 28 <= supporters.count() <= 32
        assert len({s.kind for s in supporters}) >= 10
        assert supporters.filter(active=False).exists()
        assert supporters.filter(account__username="supporter").exists()
        assert SupporterLink.objects.filter(supporter__municipality=town, revoked_at__isnull=True).count() >= 5
        assert SupporterLink.objects.filter(supporter__municipality=town, revoked_at__isnull=False).exists()
        per_district = Counter(
            n.district.name for s in supporters.filter(active=True) for n in s.neighbourhoods.select_related("district")
        )
        assert per_district["東小"] > per_district["雄勝"]
        thin = {
            name
            for name in ["雄勝", "皆瀬"]
            if len({s.pk for s in supporters.filter(active=True, neighbourhoods__district__name=name)}) < 3
        }
        assert thin == {"雄勝", "皆瀬"}
        # Companies carry their 見守り協定.
        assert supporters.filter(kind="mail", agreement_signed_on__isnull=False).exists()

    def test_reports_over_the_last_months_in_every_state(self, town):
        reports = SupporterReport.objects.filter(municipality=town)
        assert Supporter.objects.filter(municipality=town).count() >= 25
        assert 20 <= reports.count() <= 30
        assert {r.status for r in reports} == set(ReportStatus.values)
        assert reports.filter(outreach_by__isnull=False, outreach_done_at__isnull=True).exists()
        assert reports.filter(via_link=True).exists()
        oldest = min(r.submitted_at for r in reports)
        from django.utils import timezone

        assert (timezone.now() - oldest).days >= 90
        opened = reports.get(case__state="identified")
        case = opened.case
        assert (case.intake_route, opened.status) == ("supporter_report", "handled")
        assert case.notes.get().method == "home_visit"
        assert reports.filter(case__isnull=False).exclude(pk=opened.pk).exists()  # one tied to a case already open
        # Nothing about a person under whereabouts confidentiality.
        assert not reports.filter(person__confidentiality_orders__isnull=False).exists()
        # Four raised in the community (the demo meetings raise more, from the gap analysis).
        assert RegionalIssue.objects.filter(municipality=town, source="other").count() == 4

    def test_loading_twice_adds_nothing(self, town):
        before = (Supporter.objects.count(), SupporterReport.objects.count(), Staff.objects.count())
        assert load_community(town) == {"supporters": 0, "reports": 0}
        assert (Supporter.objects.count(), SupporterReport.objects.count(), Staff.objects.count()) == before

    def test_the_demo_accounts_work(self, client, town):
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            client.post(reverse("accounts:login"), {"username": "supporter", "password": PASSWORD})
            assert "気になることを知らせる" in html(client.get("/", follow=True))
            client.logout()
            client.post(reverse("accounts:login"), {"username": "chief_higashisho", "password": PASSWORD})
            page = html(client.get(reverse("community:reports"), {"status": ""}))
            assert "東小" in page
            assert "皆瀬" not in page.split("<tbody", 1)[-1]
            out = io.StringIO()
            call_command("demo_accounts", stdout=out)
        text = out.getvalue()
        assert "chief_higashisho" in text
        assert "supporter_mail" in text
        assert "（所属なし・報告のみ）" in text
        assert "見つからないデモアカウント" not in text
