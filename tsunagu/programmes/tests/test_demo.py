"""The demo town shows each programme running (tsunagu/demo/programmes.py)."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import Municipality
from tsunagu.cases.models import TaskKind, TimelineKind
from tsunagu.programmes import ledger, rules
from tsunagu.programmes.models import (
    Attendance,
    DutyCheck,
    EmergencyAid,
    HouseholdBudget,
    HousingApplication,
    PaymentStatus,
    Session,
    Stay,
)


@pytest.fixture(scope="module")
def town(django_db_setup: None, django_db_blocker: Any) -> Iterator[Municipality]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield Municipality.objects.get(name="雄勝野市")
        transaction.set_rollback(True)


def test_a_food_ledger_for_the_month(db, town):
    month = timezone.localdate().replace(day=1)
    centre = EmergencyAid.objects.filter(case__agency__municipality=town).first().case.agency
    rows = {row.kind: row for row in ledger.emergency_ledger(centre, month)}
    assert rows["food"].times == 2
    assert rows["food"].quantity == 4
    assert rows["loan_application"].amount == 100000
    assert ledger.households_helped(centre, month) >= 2
    stock = ledger.stock_month(centre, month)
    assert (stock.received, stock.given, stock.closing) == (36, 3, 33)


def test_a_housing_benefit_recipient_with_three_paid_months_an_extension_and_a_short_month(db, town):
    application = HousingApplication.objects.get(case__agency__municipality=town)
    assert application.eligible
    assert application.decision.extensions.count() == 1
    paid = application.payments.filter(status=PaymentStatus.PAID)
    assert paid.count() == 3
    assert all(p.amount == application.monthly_payment for p in paid)
    checks = list(DutyCheck.objects.filter(application=application).order_by("month"))
    assert [bool(c.shortfall) for c in checks][-1] is True
    assert sum(bool(c.shortfall) for c in checks) == 1
    assert checks[-1].shortfall["consultation"] == [2, 4]
    assert checks[-1].task.kind == TaskKind.HOUSING_DUTIES
    assert checks[-1].task.done_at is not None
    assert ledger.housing_payments_in(town, paid.first().month).count() >= 1
    assert ledger.housing_decisions_in(town, application.decision.decided_on).count() >= 1
    assert application.case.timeline.filter(kind=TimelineKind.PROGRAMME, detail__contains="支給").count() == 3


def test_a_budget_before_and_after(db, town):
    versions = list(HouseholdBudget.objects.filter(case__agency__municipality=town).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    before, after = versions
    assert before.balance < 0 < after.balance
    assert after.debt_total < before.debt_total


def test_a_shelter_stay_that_ended_in_a_flat(db, town):
    stay = Stay.objects.get(case__agency__municipality=town)
    assert stay.move_on == "rented_flat"
    assert stay.ended_on is not None
    assert rules.stay_errors(stay.starts_on, stay.ended_on, stay.decision.current_end()) == {}


def test_a_children_s_class_with_attendance(db, town, client):
    sessions = Session.objects.filter(agency__municipality=town, programme="child_learning")
    assert sessions.count() >= 2
    attendance = Attendance.objects.filter(session__in=sessions)
    assert attendance.filter(attended=True).exists()
    assert attendance.filter(attended=False).exists()


def test_the_demo_pages_open_for_the_worker(db, town, client):
    application = HousingApplication.objects.get(case__agency__municipality=town)
    client.force_login(application.case.worker)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "支給済み" in page
    assert "不足" in page
    assert client.get(reverse("programmes:ledger")).status_code == 200
