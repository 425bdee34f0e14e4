"""The demo's year of statistics (tsunagu/demo/statistics.py): a chief can read the
last 12 months against the 目安値."""

from typing import Any

import pytest
from django.utils import timezone

from tsunagu.accounts.models import Municipality, Staff
from tsunagu.demo.tests.test_load_demo import load
from tsunagu.employment.models import IncomeRise, Placement
from tsunagu.sheets.models import PlanSheet
from tsunagu.statistics.definitions import figures, month, scope_for, trailing_months
from tsunagu.tests.pages import visible_text

pytestmark = pytest.mark.django_db


def test_a_year_of_figures_to_read_against_the_guideline(client: Any) -> None:
    load()
    town = Municipality.objects.get(name="雄勝野市")
    today = timezone.localdate()
    months = trailing_months(month(today.year, today.month))
    rows = {row.key: row for row in figures(scope_for(town), months[-1], trend_months=months)}
    # Something in most months, and in all the figures the survey reads.
    assert sum(1 for n in rows["new_consultations"].trend if n) >= 8
    assert sum(rows["plans"].trend) >= 20  # type: ignore[arg-type]
    for key in ("employment_targets", "employed_targets", "income_targets", "evaluated", "housing_benefit_new"):
        assert sum(rows[key].trend) > 0, key  # type: ignore[arg-type]
    employment_plans = PlanSheet.objects.filter(case__agency__municipality=town, employment_support=True)
    assert employment_plans.exists()
    assert PlanSheet.objects.filter(case__agency__municipality=town, employment_support=False).exists()
    assert not Placement.objects.filter(started_on__gt=today).exists()
    assert not IncomeRise.objects.filter(risen_on__gt=today).exists()

    client.force_login(Staff.objects.get(username="chief"))
    page = visible_text(client.get("/statistics/"))
    assert "目安値" in page
    assert "目安値以上" in page or "目安値未満" in page
