"""Every figure of a hand-counted month (tests/month.py), across a month boundary and
the fiscal-year boundary, on the definitions themselves."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from tsunagu.cases.models import Case
from tsunagu.statistics.definitions import (
    PLANS,
    figures,
    fiscal_year,
    month,
    months_of,
    parse_month,
    per_100k,
    scope_for,
    trailing_months,
)
from tsunagu.statistics.tests import month as hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(world: SimpleNamespace) -> SimpleNamespace:
    # The shared world's cases open "today"; move them out of the counted years.
    Case.objects.filter(pk__in=[world.case.pk, world.hanako_case.pk]).update(opened_on=dt.date(2024, 6, 1))
    world.m = hand.build(world)
    world.scope = scope_for(world.town)
    return world


def values(rows: list[Any]) -> dict[str, Any]:
    return {row.key: row.value for row in rows}


def test_april_every_figure(counted: SimpleNamespace) -> None:
    assert values(figures(counted.scope, month(2026, 4))) == hand.APRIL


def test_march_every_figure(counted: SimpleNamespace) -> None:
    assert values(figures(counted.scope, month(2026, 3))) == hand.MARCH


def test_may_counts_what_crossed_the_boundary(counted: SimpleNamespace) -> None:
    may = values(figures(counted.scope, month(2026, 5)))
    # B's v3 (05-02) makes B a target for the first time, but it is a re-plan: no new plan.
    assert (may["plans"], may["employment_targets"]) == (0, 1)
    # E handed off again at 00:10 JST on 1 May (15:10 UTC on 30 April), and closed on 1 May.
    assert (may["handed_off"], may["closures"], may["new_consultations"]) == (1, 1, 0)


def test_fiscal_years(counted: SimpleNamespace) -> None:
    fy2026 = values(figures(counted.scope, fiscal_year(2026)))
    assert fy2026 == {
        **hand.APRIL,
        "employment_targets": 2,  # C in April, B in May
        "employment_rate": 100.0,  # {A, C} of 2
        "handed_off": 2,  # D and E, each once
        "closures": 2,  # A and E
    }
    fy2025 = values(figures(counted.scope, fiscal_year(2025)))
    assert (fy2025["new_consultations"], fy2025["plans"], fy2025["housing_benefit_new"]) == (3, 1, 1)
    assert (fy2025["housing_benefit_extended"], fy2025["handed_off"], fy2025["employed_targets"]) == (1, 1, 0)


def test_one_centre_is_its_own_scope(counted: SimpleNamespace) -> None:
    other = scope_for(counted.other_town)
    assert values(figures(other, month(2026, 4)))["plans"] == 1
    assert values(figures(scope_for(counted.town, counted.centre), month(2026, 4))) == hand.APRIL


def test_monthly_trend_matches_each_month(counted: SimpleNamespace) -> None:
    months = trailing_months(month(2026, 5), 3)
    assert [m.short_label for m in months] == ["2026-03", "2026-04", "2026-05"]
    rows = {row.key: row for row in figures(counted.scope, month(2026, 5), trend_months=months)}
    for key in hand.APRIL:
        assert rows[key].trend[:2] == [hand.MARCH[key], hand.APRIL[key]], key
    assert rows["plans"].trend == [1, 2, 0]
    assert rows["handed_off"].trend == [1, 1, 1]
    assert PLANS.by_month(counted.scope, months_of(fiscal_year(2026)))[:2] == [2, 0]


def test_per_100k_and_the_guideline(counted: SimpleNamespace) -> None:
    rows = {row.key: row for row in figures(counted.scope, month(2026, 4))}
    # 3 new consultations in a town of 42,000 in one month: 7.14 per 100,000, under 20.
    assert rows["new_consultations"].per_100k == 7.14
    assert rows["new_consultations"].guideline == (20.0, 24.0)
    assert rows["new_consultations"].meets_guideline is False
    assert rows["housing_benefit_new"].guideline is None
    year = {row.key: row for row in figures(counted.scope, fiscal_year(2026))}
    assert year["new_consultations"].per_100k == per_100k(3, 42_000, 12) == 0.6


def test_guidelines_are_overridable(counted: SimpleNamespace, settings: Any) -> None:
    settings.TSUNAGU_STATISTICS_GUIDELINES = {"new_consultations": (5.0, 6.0)}
    rows = {row.key: row for row in figures(counted.scope, month(2026, 4))}
    assert rows["new_consultations"].guideline == (5.0, 6.0)
    assert rows["new_consultations"].meets_guideline is True


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-04", "2026/04", "abcd-ef", "", "2026-4-1", "２０２６-０４"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a month"):
        parse_month(text)


def test_months_and_fiscal_years() -> None:
    assert parse_month("2026-12").end.isoformat() == "2027-01-01"
    assert [m.start.month for m in months_of(fiscal_year(2026))] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert fiscal_year(2026).label == "令和8年度（2026年度）"
    assert month(2026, 4).label == "令和8年4月"
